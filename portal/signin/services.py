"""The account behind a sign-in: found by (issuer, subject), created on the first sign-in, claims kept fresh."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..account_models import Person, timestamp
from ..extensions import db

# Protocol claims about the token, not the person: not kept.
TOKEN_CLAIMS = ("iss", "aud", "exp", "iat", "nbf", "nonce", "auth_time", "at_hash", "azp", "sid", "jti")


def find_person(issuer: str, subject: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.issuer == issuer, Person.subject == subject))


def sign_in_person(issuer: str, claims: Mapping[str, Any]) -> Person:
    """Find or create the person for these verified claims and keep the latest claims as the profile."""
    person = find_person(issuer, claims["sub"])
    now = timestamp()
    name = claims.get("name") or " ".join(filter(None, (claims.get("given_name"), claims.get("family_name")))) or "?"
    kept = {key: value for key, value in claims.items() if key not in TOKEN_CLAIMS}
    if person is None:
        person = Person(
            issuer=issuer, subject=claims["sub"], name=name, claims=kept, created_at=now, last_signed_in_at=now
        )
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
