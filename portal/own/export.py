"""Everything the portal keeps about a person as one JSON document ("My data", GDPR Art. 15 and 20)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from configurator import clock

from ..account_models import Person, timestamp


def json_value(value: Any) -> Any:
    """A value ``json`` cannot write itself: a date-time with its Helsinki offset (stored values are naive
    Helsinki wall time, which a reader elsewhere could not place), a plain date as YYYY-MM-DD."""
    if isinstance(value, datetime):
        return clock.iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def message_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """A message's values for the download: an appointment's ``starts_at`` (kept as naive Helsinki wall time
    text, which the message page formats) with its offset."""
    shown = dict(values)
    if isinstance(shown.get("starts_at"), str):
        shown["starts_at"] = clock.iso(datetime.fromisoformat(shown["starts_at"]))
    return shown


def export(person: Person) -> dict[str, Any]:
    """Everything the portal keeps about the person, in one document (GDPR Art. 15 and 20);
    date-times carry their Helsinki offset (``json_value``)."""
    return {
        "format": "polku-my-data/1",
        "exported_at": clock.iso(timestamp()),
        "person": {
            "name": person.name,
            "issuer": person.issuer,
            "subject": person.subject,
            "created_at": person.created_at,
            "last_signed_in_at": person.last_signed_in_at,
            "claims": person.claims,
        },
        "consents": [
            {"purpose": c.purpose, "given_at": c.given_at, "withdrawn_at": c.withdrawn_at} for c in person.consents
        ],
        "plans": [
            {
                "id": p.id,
                "life_event": p.event_id,
                "acting_for": p.acting_for,
                "acting_for_name": p.acting_for_name,
                "answers": p.answers,
                "private_answers": p.private_answers,  # kept only with the "keep_private" consent; else null
                "created_at": p.created_at,
                "updated_at": p.updated_at,
                "tasks_done": [{"task": t.task_id, "done_on": t.done_on} for t in p.progress],
                "share_links": [{"created_at": s.created_at} for s in p.share_links],
                # the address itself is not kept (only its hash, which opens nothing when exported): when made, read
                "calendar_addresses": [
                    {"created_at": f.created_at, "last_read_at": f.last_read_at} for f in p.calendar_feeds
                ],
            }
            for p in person.plans
        ],
        "dismissed_suggestions": [{"key": d.key, "dismissed_at": d.dismissed_at} for d in person.dismissed_suggestions],
        "reservations": [
            {
                "id": r.id,
                "kind": r.kind,
                "place": r.location.name,
                "location_id": r.location_id,
                "starts_at": r.slot.starts_at if r.slot else None,
                "starts_on": r.starts_on,
                "age_group": r.age_group,
                "acting_for": r.acting_for,
                "phone": r.phone,
                "status": r.status,
                "created_at": r.created_at,
                "cancelled_at": r.cancelled_at,
            }
            for r in person.reservations
        ],
        "messages": [
            {"kind": m.kind, "values": message_values(m.values or {}), "created_at": m.created_at, "read_at": m.read_at}
            for m in person.messages
        ],
        "feedback": [
            {
                "kind": f.kind,
                "life_event": f.event_id,
                "location_id": f.location_id,
                "rating": f.rating,
                "effort": f.effort,
                "comment": f.comment,
                "created_at": f.created_at,
            }
            for f in person.feedback
        ],
    }
