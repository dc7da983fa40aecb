"""Who may act for what on the organisers' side: the one place that turns a staff session's claims into the
units and service points (``service_location.id``) and municipalities a person may act for, and the guard every
organiser view uses.

- ``catalogue_admin``: every unit and service point, every municipality;
- ``ecec_service_manager`` and ``private_provider``: the ECEC units of their organisations (business ids), and a
  municipal manager the ECEC pricing of the organisation's municipality;
- ``business_advice_coordinator``: the business advice service points of their organisations;
- any role: the single units of ``polku_units`` (a unit director has only those).

A citizen's session, or a staff member asking for a unit outside their scope, gets 404 (the page does not exist
for them); nobody signed in is sent to the staff sign-in.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort, g, redirect, request, session, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import EcecUnit, Municipality, Organisation, Service, ServiceLocation
from .actor import Actor

F = TypeVar("F", bound=Callable[..., Any])
ORGANISATION_ROLES = ("ecec_service_manager", "private_provider")
# What a citizen's "Updated ... by" line says of a staff person's change (keys of configurator.catalogue's
# REPORTER_ROLES, never a name): the person's first role in this order. A business advice coordinator changes no
# free places, so their role has no line of its own.
REPORTER_ROLE_OF = {
    "unit_director": "unit_director",
    "private_provider": "private_provider",
    "ecec_service_manager": "ecec_office",
    "catalogue_admin": "catalogue_admin",
}


def reporter_role(roles: Any) -> str:
    """The role a citizen is told updated the numbers (see REPORTER_ROLE_OF)."""
    held = set(roles or ())
    return next((said for role, said in REPORTER_ROLE_OF.items() if role in held), "unit_director")


def staff_session() -> dict[str, Any] | None:
    """The signed-in staff person's claims as the sign-in kept them, or None."""
    staff = session.get("staff")
    return staff if isinstance(staff, dict) and staff.get("roles") else None


def location_ids_for(db_session: Session, staff: dict[str, Any]) -> frozenset[int]:
    """The units and service points (``service_location.id``) the staff person may act for."""
    roles = set(staff.get("roles") or ())
    organisations = list(staff.get("organisations") or ())
    if "catalogue_admin" in roles:
        return frozenset(db_session.scalars(select(ServiceLocation.id)))
    found = set(int(unit) for unit in staff.get("units") or ())
    if found:  # only units that exist
        found = set(db_session.scalars(select(ServiceLocation.id).where(ServiceLocation.id.in_(found))))
    if organisations and roles & set(ORGANISATION_ROLES):
        found |= set(
            db_session.scalars(
                select(ServiceLocation.id)
                .join(EcecUnit, EcecUnit.location_id == ServiceLocation.id)
                .join(Service, Service.id == ServiceLocation.service_id)
                .join(Organisation, Organisation.id == Service.organisation_id)
                .where(Organisation.business_id.in_(organisations))
            )
        )
    if organisations and "business_advice_coordinator" in roles:
        found |= set(
            db_session.scalars(
                select(ServiceLocation.id)
                .join(Service, Service.id == ServiceLocation.service_id)
                .join(Organisation, Organisation.id == Service.organisation_id)
                .where(Organisation.business_id.in_(organisations), Service.kind == "business_advice")
            )
        )
    return frozenset(found)


def municipality_codes_for(db_session: Session, staff: dict[str, Any]) -> frozenset[str]:
    """The municipalities whose ECEC pricing the person may set: all for the administrator, the organisation's
    municipality for a municipal ECEC service manager, none for anyone else."""
    roles = set(staff.get("roles") or ())
    if "catalogue_admin" in roles:
        return frozenset(db_session.scalars(select(Municipality.code)))
    if "ecec_service_manager" not in roles or not staff.get("organisations"):
        return frozenset()
    codes = db_session.scalars(
        select(Organisation.municipality_code).where(
            Organisation.business_id.in_(list(staff["organisations"])),
            Organisation.kind == "municipality",
            Organisation.municipality_code.is_not(None),
        )
    )
    return frozenset(code for code in codes if code)


def actor_for(db_session: Session, staff: dict[str, Any]) -> Actor:
    """The write services' view of the person (portal.organisers.changes checks every write against it)."""
    return Actor(
        subject=f"{staff.get('issuer', '')}#{staff['sub']}",
        name=str(staff.get("name") or staff["sub"]),
        location_ids=location_ids_for(db_session, staff),
        municipality_codes=municipality_codes_for(db_session, staff),
        reporter_role=reporter_role(staff.get("roles")),
    )


def staff_required(view: F) -> F:
    """Every organiser view: a staff session, else 404 for a citizen and the staff sign-in for nobody. The
    request's ``g.actor`` is the person with their scope."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..extensions import db

        staff = staff_session()
        if staff is None:
            if session.get("person_id") is not None:
                abort(404)
            return redirect(url_for("organisers.sign_in", next=request.full_path.rstrip("?")))
        g.staff = staff
        g.actor = actor_for(db.session, staff)
        return view(*args, **kwargs)

    return cast(F, wrapper)


def location_or_404(db_session: Session, actor: Actor, location_id: int) -> ServiceLocation:
    """A unit or service point the person may act for; 404 for one outside their scope or one that does not
    exist (the same answer, so the scope does not tell which ids exist)."""
    if not actor.may_act_for(location_id):
        abort(404)
    location = db_session.get(ServiceLocation, location_id)
    if location is None:
        abort(404)
    return location
