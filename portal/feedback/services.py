"""What a piece of feedback is about, storing it, and where the quick form returns to.

The person is stored only when signed in; nothing else about them is asked for.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import g, url_for

from ..account_models import Feedback
from ..catalogue_repo import location_names
from ..context import life_events
from ..extensions import db
from ..identity import current_person
from ..models import ServiceLocation
from ..security import local_path

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


def store(subject: Subject, rating: int, effort: int | None, comment: str | None) -> Feedback:
    person = current_person()
    row = Feedback(
        person_id=person.id if person is not None else None,
        kind=subject.kind,
        event_id=subject.event_id,
        location_id=subject.location_id,
        rating=rating,
        effort=effort,
        comment=comment or None,
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
