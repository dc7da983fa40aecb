"""What a piece of feedback is about, storing it, and where the quick form returns to.

The person is stored only when signed in; nothing else about them is asked for.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import g, url_for

from configurator.i18n import N_

from ..account_models import Feedback
from ..catalogue_repo import location_names
from ..context import life_events
from ..extensions import db
from ..identity import current_person
from ..models import ServiceLocation
from ..security import local_path

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

    from ..organisers.actor import Actor

DIGITS = re.compile(r"[0-9]{1,9}")  # ASCII digits only, and small enough for any INTEGER column

# What the long form's two questions are called in the stored comment (organisers read it; not translated).
WORKED_HEADING = "What worked well"
IMPROVE_HEADING = "What should we improve"


@dataclass(frozen=True)
class Subject:
    """What a piece of feedback is about: a life event's journey, a service location, or Polku in general."""

    kind: str
    event_id: str | None = None
    location: ServiceLocation | None = None

    @property
    def location_id(self) -> int | None:
        return self.location.id if self.location is not None else None


def location_name(location: ServiceLocation) -> str:
    return location_names(location).display(g.get("lang_code"))


def find_location(raw: str | None) -> ServiceLocation | None:
    raw = (raw or "").strip()
    return db.session.get(ServiceLocation, int(raw)) if DIGITS.fullmatch(raw) else None


def subject_from(values: Mapping[str, str]) -> Subject | None:
    """The subject the quick form names in ``kind``, ``event`` and ``location``; None when it does not exist."""
    kind = values.get("kind", "")
    if kind == "journey":
        event_id = values.get("event", "")
        return Subject("journey", event_id=event_id) if event_id in life_events() else None
    if kind == "service":
        location = find_location(values.get("location"))
        return Subject("service", location=location) if location is not None else None
    if kind == "general":
        return Subject("general")
    return None


def long_subject(about: str, location: ServiceLocation | None) -> Subject | None:
    """The long form's ``about`` answer as a subject: general, a life event, or the service it was opened for."""
    if about == "general":
        return Subject("general")
    if about == "service" and location is not None:
        return Subject("service", location=location)
    if about.startswith("event-") and about[len("event-") :] in life_events():
        return Subject("journey", event_id=about[len("event-") :])
    return None


def long_comment(worked: str, improve: str) -> str | None:
    parts = [f"{heading}: {text}" for heading, text in ((WORKED_HEADING, worked), (IMPROVE_HEADING, improve)) if text]
    return "\n\n".join(parts) or None


def store(
    subject: Subject,
    rating: int | None,
    effort: int | None,
    comment: str | None,
    *,
    recommend: int | None = None,
    reply_email: str | None = None,
    task_id: str | None = None,
) -> Feedback:
    """Store one piece of feedback. ``reply_email`` is kept only for a person who is not signed in (a signed-in
    person's answer arrives in their own space), and only until it is answered (``answer``)."""
    person = current_person()
    row = Feedback(
        person_id=person.id if person is not None else None,
        kind=subject.kind,
        event_id=subject.event_id,
        location_id=subject.location_id,
        task_id=task_id,
        rating=rating,
        effort=effort,
        recommend=recommend,
        comment=comment or None,
        reply_email=(reply_email or None) if person is None else None,
        language=g.get("lang_code") or "fi",
    )
    db.session.add(row)
    db.session.commit()
    return row


def safe_next(raw: str | None) -> str:
    """A local path to return to; anything else (another site, a scheme, control characters) goes home."""
    return local_path(raw) or url_for("pages.home")


def thanks_url(next_path: str, anchor: str) -> str:
    """``next_path`` with ``feedback=thanks`` in its query (once) and the partial's anchor."""
    parts = urlsplit(next_path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "feedback"]
    query.append(("feedback", "thanks"))
    return urlunsplit(("", "", parts.path, urlencode(query), anchor))


# ---------- the organisers' handling (issue 16, item 5) ----------
#
# Who owns a piece of feedback, and so who reads, marks, publishes and answers it:
#
# - feedback about a unit or service point (``location_id``: the quick form on a service, the long form opened for
#   one, "report an error" from a comparison card) belongs to every staff person who may act for that
#   ``service_location`` (portal/organisers/access.py: the unit's director, its organisation's manager or
#   provider, the business advice coordinator of its organisation, and the catalogue administrator);
# - feedback with no unit (a life event's journey, Polku in general, "report an error" in a plan's task) belongs to
#   the ``catalogue_admin`` role: the plan's tasks come from the life events' definitions, which name no catalogue
#   service or organisation row a staff scope could hold, so only the people who keep the catalogue and the life
#   events can correct them (``report_owner``).
#
# Every change goes through ``handle`` (scope, validation, audit row and commit together). Another unit's feedback
# is ``HandlingNotFound`` (the page answers 404, so ids reveal nothing).

ANSWER_MAX = 4000
EMAIL_MAX = 254


class HandlingNotFound(Exception):
    """No such feedback, or not one the staff person may handle."""


class HandlingError(Exception):
    """Bad input for a handling action: ``field`` and an English message id with ``params`` (nothing saved)."""

    def __init__(self, field: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.field, self.message, self.params = field, message, params


def report_owner(location: ServiceLocation | None) -> str:
    """Who a "report an error in this information" goes to: ``location`` (the unit's staff scope) or ``admin``."""
    return "location" if location is not None else "admin"


def visible_to(location_ids: frozenset[int], is_admin: bool) -> ColumnElement[bool]:
    """The SQL condition of the feedback one staff person may read (see the rule above)."""
    from sqlalchemy import false, or_

    conditions = []
    if location_ids:
        conditions.append(Feedback.location_id.in_(sorted(location_ids)))
    if is_admin:
        conditions.append(Feedback.location_id.is_(None))
    return or_(*conditions) if conditions else false()


def feedback_for(location_ids: frozenset[int], is_admin: bool, feedback_id: int) -> Feedback:
    row = db.session.get(Feedback, feedback_id) if 0 < feedback_id < 2**31 else None
    if row is None:
        raise HandlingNotFound(feedback_id)
    if row.location_id is None and not is_admin:
        raise HandlingNotFound(feedback_id)
    if row.location_id is not None and row.location_id not in location_ids:
        raise HandlingNotFound(feedback_id)
    return row


ACTIONS = ("mark", "publish", "unpublish", "answer", "handled", "reopen")


def handle(
    actor: Actor,
    is_admin: bool,
    feedback_id: int,
    action: str,
    *,
    category: str | None = None,
    answer: str | None = None,
) -> Feedback:
    """One handling action on one piece of feedback, with its audit rows, committed together:

    - ``mark``: set ``category`` (one of FEEDBACK_CATEGORIES);
    - ``publish`` / ``unpublish``: show the comment in the comparison (``published_at``) or take it back;
    - ``answer``: the answer goes to the signed-in person's own-space messages, or by e-mail to ``reply_email``
      (which is then deleted); ``answered_at`` and ``handled_at`` are set;
    - ``handled`` / ``reopen``: close the item without an answer, or open it again.
    """
    from ..account_models import FEEDBACK_CATEGORIES, timestamp
    from ..organisers import audit

    row = feedback_for(actor.location_ids, is_admin, feedback_id)
    moment = timestamp()
    changes: list[audit.Change] = []

    def change(field: str, new: object) -> None:
        old = getattr(row, field)
        if old != new:
            changes.append(audit.Change("feedback", row.id, "updated", field, old, new))
            setattr(row, field, new)

    if action == "mark":
        if category not in FEEDBACK_CATEGORIES:
            raise HandlingError("category", N_("Choose what kind of feedback this is."))
        change("category", category)
    elif action == "publish":
        if not row.comment:
            raise HandlingError("publish", N_("There is no comment to publish."))
        if row.published_at is None:
            change("published_at", moment)
    elif action == "unpublish":
        change("published_at", None)
    elif action == "answer":
        text = (answer or "").replace("\r\n", "\n").strip()
        if not text:
            raise HandlingError("answer", N_("Write the answer."))
        if len(text) > ANSWER_MAX:
            raise HandlingError("answer", N_("The answer must be %(max)s characters or fewer."), max=ANSWER_MAX)
        if row.person is None and not row.reply_email:
            raise HandlingError("answer", N_("This feedback was given without an account or an e-mail address."))
        _deliver(row, text)
        change("answer", text)
        change("answered_at", moment)
        if row.handled_at is None:
            change("handled_at", moment)
        if row.reply_email:
            changes.append(audit.Change("feedback", row.id, "updated", "reply_email", "(deleted)", None))
            row.reply_email = None
    elif action == "handled":
        if row.handled_at is None:
            change("handled_at", moment)
    elif action == "reopen":
        change("handled_at", None)
    else:
        raise HandlingError("action", N_("Choose what to do."))
    try:
        if changes:
            where = audit.Where(organisation_id=_organisation_id(row.location_id), location_id=row.location_id)
            audit.record(db.session, actor, where, changes, channel="page", at=moment)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return row


def _organisation_id(location_id: int | None) -> int | None:
    if location_id is None:
        return None
    from sqlalchemy import select

    from ..models import Service

    return db.session.scalar(
        select(Service.organisation_id)
        .join(ServiceLocation, ServiceLocation.service_id == Service.id)
        .where(ServiceLocation.id == location_id)
    )


def _deliver(row: Feedback, text: str) -> None:
    """The answer to the person: a message in their own space when the feedback was given signed in, else an e-mail
    to the address they left, in the language they gave the feedback in."""
    if row.person is not None:
        from ..own.messages import notify

        notify(
            row.person,
            "feedback_answered",
            {"answer": text, "given": row.created_at.date().isoformat()},
        )
        return
    from flask_babel import force_locale, gettext

    from ..mail import send_mail

    with force_locale(row.language or "fi"):
        subject = gettext("Answer to your feedback")
        body = gettext(
            "You gave feedback in Polku on %(given)s. The service answered:",
            given=row.created_at.date().isoformat(),
        )
        footer = gettext("Your e-mail address has now been deleted from our records.")
    send_mail(row.reply_email or "", subject, f"{body}\n\n{text}\n\n{footer}\n")
