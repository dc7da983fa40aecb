"""Messages in the own space: adding one (``notify``), their texts by kind, and the deadline reminders.

A message is stored as a kind and values (ids, dates), never as text, so it reads in whatever
language the person uses the portal in today.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import g
from flask_babel import format_date, format_datetime, gettext
from sqlalchemy import select

from configurator.i18n import N_
from configurator.lifeevents import LifeEvent

from ..account_models import Message, Person, timestamp
from ..catalogue_repo import location_names
from ..extensions import db
from ..models import ServiceLocation

REMINDER_DAYS = 14  # a deadline within this many days gets a reminder (with the "reminders" consent)

MESSAGE_TEXTS: dict[str, tuple[str, str]] = {
    "welcome": (
        N_("Welcome to your own space"),
        N_("Your plans, reservations and messages are kept here. You can download or delete your data at any time."),
    ),
    "plan_saved": (N_("Plan saved: %(event)s"), N_("Your plan is saved in your own space. Tick tasks done as you go.")),
    "plan_changed": (
        N_("Plan updated: %(event)s"),
        N_(
            "You changed your answers. New tasks: %(added)s. Tasks that no longer apply: %(removed)s. Tasks you ticked done stay done."
        ),
    ),
    "deadline_coming": (N_("Deadline coming up: %(task)s"), N_("Do this by %(due)s: %(task)s (%(event)s).")),
    "reservation_confirmed": (
        N_("Reservation confirmed: %(place)s"),
        N_("Your reservation is confirmed: %(place)s, %(when)s."),
    ),
    "reservation_cancelled": (
        N_("Reservation cancelled: %(place)s"),
        N_("Your reservation is cancelled: %(place)s, %(when)s. The place is free for others."),
    ),
    # The organiser cancelled the appointment time (portal/organisers/changes.py cancel_appointment_times).
    "appointment_cancelled_by_organiser": (
        N_("Appointment cancelled by the service: %(place)s"),
        N_("The service cancelled your appointment: %(place)s, %(when)s. Please choose a new time."),
    ),
    # An organiser answered the person's feedback (portal/feedback/services.py handle): the answer as written.
    "feedback_answered": (
        N_("Answer to your feedback"),
        N_("The service answered your feedback of %(given)s: %(answer)s"),
    ),
}


def notify(
    person: Person,
    kind: str,
    values: Mapping[str, Any] | None = None,
    link: str | None = None,
    dedupe_key: str | None = None,
) -> Message | None:
    """Add a message to the person's own space (not committed); a repeated ``dedupe_key`` adds nothing."""
    if dedupe_key and db.session.scalar(
        select(Message.id).where(Message.person_id == person.id, Message.dedupe_key == dedupe_key)
    ):
        return None
    message = Message(kind=kind, values=dict(values or {}), link=link, dedupe_key=dedupe_key, created_at=timestamp())
    person.messages.append(message)
    return message


def unread_count(person: Person | None) -> int:
    return 0 if person is None else sum(1 for m in person.messages if m.read_at is None)


@dataclass(frozen=True)
class ShownMessage:
    message: Message
    subject: str
    body: str


def _task_title(events: dict[str, LifeEvent], event_id: str | None, task_id: str | None) -> str:
    event = events.get(event_id or "")
    item = next((i for i in event.checklist if i.id == task_id), None) if event else None
    return gettext(item.title) if item else (task_id or "")


def _place(raw: dict[str, Any]) -> str:
    """A reservation's place by its id, named in the reader's language (Swedish names where they exist)."""
    location = db.session.get(ServiceLocation, raw["location_id"]) if raw.get("location_id") else None
    if location is None:
        return raw.get("place") or ""
    return location_names(location).display(g.get("lang_code"))


def _values(message: Message, events: dict[str, LifeEvent]) -> dict[str, Any]:
    """The stored ids and dates turned into words of the reader's language."""
    raw = message.values or {}
    event = events.get(raw.get("event", ""))
    shown: dict[str, Any] = {
        "event": gettext(event.title) if event else raw.get("event", ""),
        "task": _task_title(events, raw.get("event"), raw.get("task")),
        "place": _place(raw),
        "added": ", ".join(_task_title(events, raw.get("event"), t) for t in raw.get("added", [])) or "–",
        "removed": ", ".join(_task_title(events, raw.get("event"), t) for t in raw.get("removed", [])) or "–",
        "due": format_date(date.fromisoformat(raw["due"]), "long") if raw.get("due") else "",
        "answer": raw.get("answer", ""),
        "given": format_date(date.fromisoformat(raw["given"]), "long") if raw.get("given") else "",
    }
    if raw.get("starts_at"):
        shown["when"] = format_datetime(datetime.fromisoformat(raw["starts_at"]), "medium")
    elif raw.get("starts_on"):
        shown["when"] = format_date(date.fromisoformat(raw["starts_on"]), "long")
    else:
        shown["when"] = ""
    if raw.get("for"):
        shown["place"] = f"{shown['place']} ({raw['for']})"
    return shown


def shown(message: Message, events: dict[str, LifeEvent]) -> ShownMessage:
    subject, body = MESSAGE_TEXTS.get(message.kind, (N_("Message"), ""))
    values = _values(message, events)
    return ShownMessage(message, gettext(subject, **values), gettext(body, **values) if body else "")


def reminders_due(entries: list[Any], today: date) -> list[Any]:
    """Checklist entries not done whose deadline is today or within REMINDER_DAYS."""
    return [e for e in entries if e.due is not None and today <= e.due <= today + timedelta(days=REMINDER_DAYS)]


def reminder_key(plan_id: int, task_id: str, due: date) -> str:
    return f"deadline:{plan_id}:{task_id}:{due.isoformat()}"


__all__ = [
    "MESSAGE_TEXTS",
    "REMINDER_DAYS",
    "ShownMessage",
    "notify",
    "reminder_key",
    "reminders_due",
    "shown",
    "unread_count",
]
