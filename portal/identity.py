"""Who is signed in on this request, and the guards every capability uses to keep people's data apart.

Every own-space, reservation and feedback view reads objects through ``owned()``, which answers 404 for
anything that is not the signed-in person's, so one person can never read another's plan, reservation or
message, not even by guessing ids. Shared by every capability, so it depends on none of them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, g, redirect, request, session, url_for

from .account_models import Person
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


__all__ = ["current_person", "owned", "sign_in_required"]
