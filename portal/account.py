"""The signed-in person: who it is, their profile from the identity claims, consents and messages.

Every own-space view reads objects through ``owned()``, which answers 404 for anything that is not
the signed-in person's, so one person can never read another's plan, reservation or message, not
even by guessing ids.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Mapping, TypeVar

from flask import abort, g, redirect, request, session, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from configurator.profile import Profile, profile_from_mapping

from .account_models import CONSENT_PURPOSES, Consent, Message, Person, timestamp
from .extensions import db

T = TypeVar("T")


def current_person() -> Person | None:
    """The person signed in on this session, loaded once per request."""
    if "person" not in g:
        person_id = session.get("person_id")
        g.person = db.session.get(Person, person_id) if person_id else None
        if person_id and g.person is None:  # the account was deleted elsewhere
            session.pop("person_id", None)
    return g.person


def sign_in_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send anonymous visitors to sign in, and back here afterwards."""
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_person() is None:
            return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return wrapper


def owned(model: type[T], object_id: int) -> T:
    """The object if it belongs to the signed-in person; 404 otherwise (never 403: ids reveal nothing)."""
    person = current_person()
    found = db.session.get(model, object_id)
    if person is None or found is None or getattr(found, "person_id", None) != person.id:
        abort(404)
    return found


def find_person(issuer: str, subject: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.issuer == issuer, Person.subject == subject))


def sign_in_person(issuer: str, claims: Mapping[str, Any]) -> Person:
    """Find or create the person for these verified claims and keep the latest claims as the profile."""
    person = find_person(issuer, claims["sub"])
    now = timestamp()
    name = claims.get("name") or " ".join(filter(None, (claims.get("given_name"), claims.get("family_name")))) or "?"
    kept = {key: value for key, value in claims.items()
            if key not in ("iss", "aud", "exp", "iat", "nbf", "nonce", "auth_time", "at_hash", "azp", "sid", "jti")}
    if person is None:
        person = Person(issuer=issuer, subject=claims["sub"], name=name, claims=kept, created_at=now,
                        last_signed_in_at=now)
        db.session.add(person)
        try:
            db.session.flush()
        except IntegrityError:  # the same person signed in twice at once
            db.session.rollback()
            return sign_in_person(issuer, claims)
    else:
        person.name, person.claims, person.last_signed_in_at = name, kept, now
    db.session.commit()
    return person


def profile_of(person: Person) -> Profile:
    """The profile from OpenID Connect claims: standard ``address``, and ``workplace``, ``household``
    and ``company_roles`` (the claim names the development provider uses; map others here)."""
    claims = person.claims or {}
    household = claims.get("household") or {}
    return profile_from_mapping({
        "name": person.name,
        "home": claims.get("address"),
        "workplace": claims.get("workplace"),
        "spouse": bool(household.get("spouse")),
        "children": [{"id": c["id"], "name": c.get("given_name") or c.get("name", ""), "birth_date": c["birthdate"]}
                     for c in household.get("children", []) if c.get("guardian", True) and c.get("birthdate")],
        "companies": [{"business_id": c["business_id"], "name": c.get("name", ""), "company_form": c.get("company_form"),
                       "role": c.get("role", ""), "mandate": c.get("mandate", False),
                       "active": c.get("status", "active") == "active"}
                      for c in claims.get("company_roles", []) if c.get("business_id")],
    })


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
    from .auth import sign_in_available

    person = current_person()
    return {"signed_in": person, "unread_messages": unread_count(person), "sign_in_available": sign_in_available()}
