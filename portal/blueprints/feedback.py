"""Feedback for the organisers: a quick rating after a journey or a used service, and a longer form.

Both ask for a rating (1–5, the CSAT question) and, optionally, the Customer Effort question (1–7)
and free text. The person is stored only when signed in; nothing else about them is asked for.
The quick form posts from another page (the plan, a reservation) and returns there with
``?feedback=thanks#feedback``, which the partial ``feedback/_quick.html`` reads; on an error it
shows its own page with the error summary and the answers kept.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from configurator.i18n import N_

from ..account import current_person
from ..account_models import Feedback
from ..catalogue_repo import location_names
from ..context import life_events
from ..extensions import db
from ..i18n import add_lang_code, fast_gettext, pull_lang_code
from ..models import ServiceLocation
from ..rate_limits import limited
from ..security import local_path

bp = Blueprint("feedback", __name__, url_prefix="/<any(fi,sv,en):lang_code>/feedback")
bp.url_value_preprocessor(pull_lang_code)
bp.url_defaults(add_lang_code)

COMMENT_MAX = 2000
QUICK_PREFIX = "feedback"  # the id prefix of the quick form on its own page
ANCHOR = re.compile(r"[a-z][a-z0-9-]{0,39}")

DIGITS = re.compile(r"[0-9]{1,9}")  # ASCII digits only, and small enough for any INTEGER column

# What the long form's two questions are called in the stored comment (organisers read it; not translated).
WORKED_HEADING = "What worked well"
IMPROVE_HEADING = "What should we improve"


@bp.app_template_global()
def feedback_comment_max() -> int:
    """The longest comment the forms take, for their hints (the partial is rendered on other pages)."""
    return COMMENT_MAX


@dataclass(frozen=True)
class FormError:
    """A validation failure for the error summary (``forms.html``): the id it links to and a msgid."""

    field: str
    message: str
    values: Mapping[str, Any] = field(default_factory=dict)


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


def _location(raw: str | None) -> ServiceLocation | None:
    raw = (raw or "").strip()
    return db.session.get(ServiceLocation, int(raw)) if DIGITS.fullmatch(raw) else None


def subject_from(values: Mapping[str, str]) -> Subject | None:
    """The subject the quick form names in ``kind``, ``event`` and ``location``; None when it does not exist."""
    kind = values.get("kind", "")
    if kind == "journey":
        event_id = values.get("event", "")
        return Subject("journey", event_id=event_id) if event_id in life_events() else None
    if kind == "service":
        location = _location(values.get("location"))
        return Subject("service", location=location) if location is not None else None
    if kind == "general":
        return Subject("general")
    return None


def safe_next(raw: str | None) -> str:
    """A local path to return to; anything else (another site, a scheme, control characters) goes home."""
    return local_path(raw) or url_for("pages.home")


def thanks_url(next_path: str, anchor: str) -> str:
    """``next_path`` with ``feedback=thanks`` in its query (once) and the partial's anchor."""
    parts = urlsplit(next_path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "feedback"]
    query.append(("feedback", "thanks"))
    return urlunsplit(("", "", parts.path, urlencode(query), anchor))


def _choice(raw: str | None, high: int) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if DIGITS.fullmatch(raw) and 1 <= int(raw) <= high else None


def _text(raw: str | None) -> str:
    return (raw or "").replace("\r\n", "\n").strip()


def check_answers(form: Mapping[str, str], prefix: str, text_fields: tuple[str, ...]) -> tuple[
        int | None, int | None, dict[str, str], list[FormError]]:
    """Rating (required), effort (optional) and free-text fields; errors link to ``<prefix>-<field>``."""
    errors: list[FormError] = []
    rating = _choice(form.get("rating"), 5)
    if rating is None:
        message = N_("Select a rating") if not form.get("rating") else N_("Select a rating from very poor to very good")
        errors.append(FormError(f"{prefix}-rating", message))
    effort = _choice(form.get("effort"), 7)
    if effort is None and form.get("effort"):
        errors.append(FormError(f"{prefix}-effort",
                                N_("Select how much you agree, from strongly disagree to strongly agree")))
    texts = {name: _text(form.get(name)) for name in text_fields}
    for name, value in texts.items():
        if len(value) > COMMENT_MAX:
            errors.append(FormError(f"{prefix}-{name}", N_("Your answer must be {max} characters or fewer"),
                                    {"max": COMMENT_MAX}))
    return rating, effort, texts, errors


def store(subject: Subject, rating: int, effort: int | None, comment: str | None) -> Feedback:
    person = current_person()
    row = Feedback(person_id=person.id if person is not None else None, kind=subject.kind, event_id=subject.event_id,
                   location_id=subject.location_id, rating=rating, effort=effort, comment=comment or None,
                   language=g.get("lang_code") or "fi")
    db.session.add(row)
    db.session.commit()
    return row


def _form_values(form: Mapping[str, str], names: tuple[str, ...]) -> dict[str, str]:
    return {name: form.get(name, "") for name in names}


QUICK_FIELDS = ("kind", "event", "location", "rating", "effort", "comment", "next")


def _render_quick(subject: Subject | None, values: dict[str, str], errors: list[FormError], status: int = 200):
    return render_template(
        "feedback/quick.html", subject=subject, errors=[(None, e) for e in errors],
        feedback_errors={e.field: e for e in errors}, feedback_values=values,
        kind=subject.kind if subject else None, event_id=subject.event_id if subject else None,
        location_id=subject.location_id if subject else None, next_url=safe_next(values.get("next")),
        heading_level=1, id_prefix=QUICK_PREFIX,
        event=life_events().get(subject.event_id) if subject and subject.event_id else None,
        location_label=location_name(subject.location) if subject and subject.location else None,
    ), status


@bp.route("/quick", methods=["GET", "POST"])
@limited("feedback")  # posts only: a budget per address and per signed-in person
def quick() -> ResponseReturnValue:
    """The quick form: posted from the partial; shown on its own page for errors (or when linked to)."""
    source = request.form if request.method == "POST" else request.args
    values = _form_values(source, QUICK_FIELDS)
    subject = subject_from(values)
    if request.method == "GET":
        if subject is None:
            return redirect(url_for(".form"))
        return _render_quick(subject, values, [])
    if subject is None:  # a tampered form, or a service location removed since the page was shown
        return _render_quick(None, values, [FormError(f"{QUICK_PREFIX}-about",
                                                      N_("We could not find what this feedback is about"))], 400)
    rating, effort, texts, errors = check_answers(request.form, QUICK_PREFIX, ("comment",))
    if errors:
        return _render_quick(subject, values, errors)
    store(subject, rating, effort, texts["comment"])
    anchor = request.form.get("anchor", "")
    return redirect(thanks_url(safe_next(values["next"]), anchor if ANCHOR.fullmatch(anchor) else QUICK_PREFIX))


LONG_PREFIX = "long"
LONG_FIELDS = ("about", "location", "rating", "effort", "worked", "improve")


def _about_options(location: ServiceLocation | None) -> list[tuple[str, str]]:
    """(value, label) for the long form's first question; a service only when the page was opened for one."""
    options = [("general", gettext("Polku in general"))]
    options += [(f"event-{event.id}", fast_gettext(event.title)) for event in life_events().values()]
    if location is not None:
        options.append(("service", location_name(location)))
    return options


def _long_subject(about: str, location: ServiceLocation | None) -> Subject | None:
    if about == "general":
        return Subject("general")
    if about == "service" and location is not None:
        return Subject("service", location=location)
    if about.startswith("event-") and about[len("event-"):] in life_events():
        return Subject("journey", event_id=about[len("event-"):])
    return None


def long_comment(worked: str, improve: str) -> str | None:
    parts = [f"{heading}: {text}" for heading, text in ((WORKED_HEADING, worked), (IMPROVE_HEADING, improve)) if text]
    return "\n\n".join(parts) or None


@bp.route("/", methods=["GET", "POST"])
@limited("feedback")  # posts only: a budget per address and per signed-in person
def form() -> ResponseReturnValue:
    """The longer form: what it is about, rating, Customer Effort, what worked and what to improve."""
    source = request.form if request.method == "POST" else request.args
    location = _location(source.get("location"))
    values = _form_values(source, LONG_FIELDS)
    if request.method == "GET" and not values["about"]:
        event = request.args.get("event", "")
        values["about"] = ("service" if location is not None else f"event-{event}" if event in life_events() else "")
    errors: list[FormError] = []
    if request.method == "POST":
        subject = _long_subject(values["about"], location)
        if subject is None:
            errors.append(FormError(f"{LONG_PREFIX}-about", N_("Select what your feedback is about")))
        rating, effort, texts, answer_errors = check_answers(request.form, LONG_PREFIX, ("worked", "improve"))
        errors += answer_errors
        if not errors:
            store(subject, rating, effort, long_comment(texts["worked"], texts["improve"]))
            return redirect(url_for(".thanks"))
    return render_template("feedback/form.html", errors=[(None, e) for e in errors],
                           error_for={e.field: e for e in errors}, values=values, location=location,
                           about_options=_about_options(location), prefix=LONG_PREFIX)


@bp.get("/thanks")
def thanks() -> ResponseReturnValue:
    return render_template("feedback/thanks.html")
