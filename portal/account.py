"""The signed-in person: who it is, their profile from the identity claims, consents and messages.

Every own-space view reads objects through ``owned()``, which answers 404 for anything that is not
the signed-in person's, so one person can never read another's plan, reservation or message, not
even by guessing ids.
"""
from __future__ import annotations

from typing import Any, Mapping

from sqlalchemy import select

from .account_models import CONSENT_PURPOSES, Consent, Message, Person, timestamp
from .extensions import db
from .identity import current_person, owned, sign_in_required  # noqa: F401 - moved; old name kept for importers
from .signin.claims import profile_of  # noqa: F401 - moved; old name kept for importers
from .signin.client import sign_in_available
from .signin.services import find_person, sign_in_person  # noqa: F401 - moved; old name kept for importers


def has_consent(person: Person | None, purpose: str) -> bool:
    return person is not None and any(c.purpose == purpose and c.withdrawn_at is None for c in person.consents)


def set_consent(person: Person, purpose: str, given: bool) -> None:
    """Give or withdraw; each giving is its own record, so the history shows when and what."""
    if purpose not in CONSENT_PURPOSES:
        raise ValueError(purpose)
    now = timestamp()
    active = [c for c in person.consents if c.purpose == purpose and c.withdrawn_at is None]
    if given and not active:
        person.consents.append(Consent(purpose=purpose, given_at=now))
    if not given:
        for consent in active:
            consent.withdrawn_at = now


def notify(person: Person, kind: str, values: Mapping[str, Any] | None = None, link: str | None = None,
           dedupe_key: str | None = None) -> Message | None:
    """Add a message to the person's own space (not committed); a repeated ``dedupe_key`` adds nothing."""
    if dedupe_key and db.session.scalar(select(Message.id).where(Message.person_id == person.id,
                                                                 Message.dedupe_key == dedupe_key)):
        return None
    message = Message(kind=kind, values=dict(values or {}), link=link, dedupe_key=dedupe_key,
                      created_at=timestamp())
    person.messages.append(message)
    return message


def unread_count(person: Person | None) -> int:
    return 0 if person is None else sum(1 for m in person.messages if m.read_at is None)


def account_context() -> dict[str, Any]:
    """What every page's header needs: who is signed in, unread messages, whether sign-in is possible."""
    person = current_person()
    return {"signed_in": person, "unread_messages": unread_count(person), "sign_in_available": sign_in_available()}
