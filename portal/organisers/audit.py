"""The organisers' audit log: one row per changed field, written in the same transaction as the change.

Why here and not in a trigger: the log names the staff person as signed in, the channel (page, csv, api,
ptv-import) and the request or idempotency id, which only the application knows. The write services of
``portal.organisers.changes`` call ``record`` before they commit, so a change and its log rows are saved together
or not at all. Values are kept as text in one plain form (numbers as written, dates and times in ISO 8601, lists
as JSON), so the log can be read and exported without knowing each object's types.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ..account_models import timestamp
from ..models import AUDIT_CHANNELS, AuditEntry
from .actor import Actor


def as_text(value: Any) -> str | None:
    """A value as the log keeps it: None stays None; dates ISO; Decimals as written; lists and dicts as JSON."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, sort_keys=True, default=_json_default, ensure_ascii=False)
    return str(value)


def _json_default(value: Any) -> str:
    return as_text(value) or ""


@dataclass(frozen=True)
class Where:
    """What the change concerns: its organisation, unit or service point, or municipality (for its pricing)."""

    organisation_id: int | None = None
    location_id: int | None = None
    municipality_code: str | None = None


@dataclass(frozen=True)
class Change:
    """One field of one object: ``old`` became ``new`` (None for a field that had no value or has none now)."""

    object_type: str
    object_id: int | None
    action: str  # updated, created, confirmed, cancelled
    field: str | None
    old: Any = None
    new: Any = None


def record(
    session: Session,
    actor: Actor,
    where: Where,
    changes: Sequence[Change],
    *,
    channel: str,
    request_id: str | None = None,
    at: datetime | None = None,
) -> list[AuditEntry]:
    """Add the log rows of ``changes`` to the session (the caller commits them with the change itself)."""
    if channel not in AUDIT_CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    moment = at or timestamp()
    entries = [
        AuditEntry(
            at=moment,
            actor_subject=actor.subject,
            actor_name=actor.name,
            organisation_id=where.organisation_id,
            location_id=where.location_id,
            municipality_code=where.municipality_code,
            object_type=change.object_type,
            object_id=change.object_id,
            action=change.action,
            field=change.field,
            old_value=as_text(change.old),
            new_value=as_text(change.new),
            channel=channel,
            request_id=request_id,
        )
        for change in changes
    ]
    session.add_all(entries)
    return entries


def seen_request(session: Session, actor: Actor, request_id: str) -> bool:
    """Whether a change with this request or idempotency id by this actor is already logged: a replayed request
    (the API's idempotency key, a resubmitted page) can then be answered without changing anything again."""
    return (
        session.scalar(
            select(AuditEntry.id)
            .where(AuditEntry.request_id == request_id, AuditEntry.actor_subject == actor.subject)
            .limit(1)
        )
        is not None
    )


def entries_for(
    session: Session,
    *,
    location_ids: Sequence[int] | None = None,
    organisation_id: int | None = None,
    municipality_code: str | None = None,
    limit: int = 500,
) -> list[AuditEntry]:
    """The newest log rows of some units, of an organisation or of a municipality's pricing (for the log page and
    its export); the caller decides what the person may see (R's access checks)."""
    query = select(AuditEntry)
    if location_ids is not None:
        query = query.where(AuditEntry.location_id.in_(list(location_ids)))
    if organisation_id is not None:
        query = query.where(AuditEntry.organisation_id == organisation_id)
    if municipality_code is not None:
        query = query.where(AuditEntry.municipality_code == municipality_code)
    return list(session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)))


def entries_in_scope(
    session: Session,
    location_ids: Sequence[int],
    municipality_codes: Sequence[str],
    *,
    limit: int,
    offset: int = 0,
) -> list[AuditEntry]:
    """The newest log rows of these units and service points and of these municipalities' pricing (the rows of a
    municipality that concern no unit), newest first: what one staff person may read (the log page, its export)."""
    where = []
    if location_ids:
        where.append(AuditEntry.location_id.in_(list(location_ids)))
    if municipality_codes:
        where.append(and_(AuditEntry.location_id.is_(None), AuditEntry.municipality_code.in_(list(municipality_codes))))
    if not where:
        return []
    query = select(AuditEntry).where(or_(*where)).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    return list(session.scalars(query.limit(limit).offset(offset)))
