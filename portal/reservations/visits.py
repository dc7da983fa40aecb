"""Visit before deciding (issue 16): a family books a visit to an ECEC unit from the comparison.

Visit times are the unit's appointment slots in person (``AppointmentSlot`` at the unit's service location, added
by the unit's staff like any appointment times); a unit offers visits when it has free in-person times in the
next ``DAYS_AHEAD`` days, and the comparison card then links here.

- Signed in, a visit is an ordinary appointment reservation (``services.reserve_appointment``): the own space's
  confirmation, list, message and cancellation.
- Not signed in, the page also asks for a name and a phone number. The reservation has no person: it keeps
  ``guest_name`` and ``guest_phone`` and the SHA-256 of a random token (``guest_token_hash``). The confirmation
  page's address holds the token: it is the private link to see and cancel the visit (nobody else can; a wrong
  token is 404). Cancelling frees the slot exactly once (guarded UPDATEs) and deletes the name and the number;
  ``flask reservations purge-visits`` deletes them from visits that have passed (run it e.g. daily).

Routes (blueprint ``visits``, ``/<lang>/visits/...``, outside the own space, which is for signed-in people):
``new?unit=<id>``, ``<token>``, ``<token>/cancel``. Posts are rate limited like other reservations and carry the CSRF token. The portal's
Referrer-Policy (strict-origin-when-cross-origin) never sends the token's address to another site.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, time, timedelta
from itertools import groupby
from typing import Any

import click
from flask import Blueprint, Response, abort, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import BindParameter, bindparam, insert, select, update
from sqlalchemy.orm import Session

from configurator import clock
from configurator.i18n import N_

from ..account_models import Reservation, timestamp
from ..context import now
from ..extensions import db
from ..forms import FormError
from ..i18n import add_lang_code, pull_lang_code
from ..identity import current_person
from ..models import AppointmentSlot, EcecUnit, ServiceLocation
from ..rate_limits import limited
from . import services as service
from .forms import PHONE_ERRORS, SLOT_ERRORS, TYPED_MAX
from .views import DAYS_AHEAD
from .views import bp as reservations_bp

bp = Blueprint("visits", __name__, url_prefix="/<any(fi,sv,en):lang_code>/visits")
bp.url_value_preprocessor(pull_lang_code)
bp.url_defaults(add_lang_code)


@bp.after_request
def _private(response: Response) -> Response:
    """Visit pages hold a name, a phone number or the private link: not stored by browsers or proxies."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {"can_cancel": lambda r: service.can_cancel(r, now())}


NAME_MAX_LENGTH = 100
NAME_ERRORS = {
    "missing": N_("Enter your name"),
    "too_long": N_("Name must be {max} characters or fewer"),
}
GUEST_PHONE_MISSING = N_("Enter your phone number")
CANCEL_ERROR = N_("This visit can no longer be cancelled.")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}\Z")

RESERVATION = Reservation.__table__
SLOT = AppointmentSlot.__table__


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


# ---------- the service (no Flask: takes the session, commits or rolls back) ----------


def reserve_guest_visit(
    session: Session, slot_id: int, name: str, phone: str, *, now: datetime | None = None
) -> tuple[Reservation, str]:
    """Take one place of an in-person slot for a guest; returns the reservation and the token of its private
    link (only its hash is stored). Raises ``services.NoRoom`` (full, started, cancelled, not in person)."""
    moment = service.wall_time(now)
    token = secrets.token_urlsafe(32)
    try:
        taken = session.execute(
            update(SLOT)
            .where(
                SLOT.c.id == slot_id,
                SLOT.c.channel == "in_person",
                SLOT.c.booked < SLOT.c.capacity,
                SLOT.c.starts_at > moment,
                SLOT.c.cancelled_at.is_(None),
            )
            .values(booked=SLOT.c.booked + 1, version=SLOT.c.version + 1)
        ).rowcount
        if taken != 1:
            raise service.NoRoom(slot_id)
        slot = session.get(AppointmentSlot, slot_id, populate_existing=True)
        reservation_id = session.execute(
            insert(RESERVATION).values(
                person_id=None,
                kind="appointment",
                location_id=slot.location_id,
                slot_id=slot.id,
                appointment_on=slot.starts_at.date(),
                day_ordinal=1,  # the daily rule is per person; a guest's row has none (NULLs never collide)
                acting_for="self",
                status="confirmed",
                created_at=timestamp(),
                guest_name=name,
                guest_phone=phone,
                guest_token_hash=token_hash(token),
            )
        ).inserted_primary_key[0]
        session.commit()
        return session.get(Reservation, reservation_id), token
    except BaseException:
        session.rollback()
        raise


def guest_visit(session: Session, token: str) -> Reservation | None:
    if not _TOKEN.match(token or ""):
        return None
    return session.scalar(
        select(Reservation).where(Reservation.guest_token_hash == token_hash(token), Reservation.person_id.is_(None))
    )


def cancel_guest_visit(session: Session, reservation: Reservation, *, now: datetime | None = None) -> None:
    """Cancel the guest's confirmed visit, give the slot's place back once, and delete the name and number;
    raises ``services.NotCancellable`` (already cancelled, or started)."""
    if not service.can_cancel(reservation, service.wall_time(now)):
        raise service.NotCancellable(reservation.id)
    try:
        changed = session.execute(
            update(RESERVATION)
            .where(RESERVATION.c.id == reservation.id, RESERVATION.c.status == "confirmed")
            .values(status="cancelled", cancelled_at=timestamp(), guest_name=None, guest_phone=None)
        ).rowcount
        if changed != 1:
            raise service.NotCancellable(reservation.id)
        session.execute(
            update(SLOT)
            .where(SLOT.c.id == reservation.slot_id, SLOT.c.booked > 0)
            .values(booked=SLOT.c.booked - 1, version=SLOT.c.version + 1)
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise


def purge_guest_details(session: Session, *, now: datetime | None = None) -> int:
    """Delete the name and phone number of guests' visits that are cancelled or have passed; returns how many."""
    moment = service.wall_time(now)
    started = select(SLOT.c.id).where(SLOT.c.starts_at <= moment)
    changed = session.execute(
        update(RESERVATION)
        .where(
            RESERVATION.c.person_id.is_(None),
            (RESERVATION.c.guest_name.is_not(None)) | (RESERVATION.c.guest_phone.is_not(None)),
            (RESERVATION.c.status == "cancelled") | RESERVATION.c.slot_id.in_(started),
        )
        .values(guest_name=None, guest_phone=None)
    ).rowcount
    session.commit()
    return changed


@reservations_bp.cli.command("purge-visits")
def purge_visits_command() -> None:
    """Delete guests' names and phone numbers from visits that are cancelled or have passed."""
    click.echo(f"{purge_guest_details(db.session, now=now())} guest visits cleared")


# ---------- which units offer visits (the comparison card asks) ----------


def _window() -> tuple[datetime, datetime]:
    start = clock.local_naive(now())
    return start, datetime.combine(start.date() + timedelta(days=DAYS_AHEAD + 1), time())


def _free_visit_slots_query(start: datetime | BindParameter[datetime], end: datetime | BindParameter[datetime]) -> Any:
    return select(AppointmentSlot).where(
        AppointmentSlot.channel == "in_person",
        AppointmentSlot.starts_at > start,
        AppointmentSlot.starts_at < end,
        AppointmentSlot.booked < AppointmentSlot.capacity,
        AppointmentSlot.cancelled_at.is_(None),
    )


# Built once: every results page asks which units offer visits (the cards' "Book a visit"), and building the
# statement cost a third of running it. The free slots' conditions with the window as parameters, run as Core on
# the request's connection (no ORM entities to load): 0.7 -> 0.33 ms a results page.
VISIT_UNITS_QUERY = (
    _free_visit_slots_query(bindparam("start"), bindparam("end"))
    .with_only_columns(AppointmentSlot.location_id)
    .join(EcecUnit, EcecUnit.location_id == AppointmentSlot.location_id)
    .distinct()
)


def units_offering_visits() -> set[int]:
    """The ECEC units (location ids) with free in-person times in the window; one query per request."""
    if "visit_units" not in g:
        start, end = _window()
        found = db.session.connection().execute(VISIT_UNITS_QUERY, {"start": start, "end": end})
        g.visit_units = set(found.scalars())
    return g.visit_units


def visit_url(unit_id: int) -> str | None:
    """The booking page of the unit's visits, or None when it offers none now."""
    return url_for("visits.new_visit", unit=unit_id) if unit_id in units_offering_visits() else None


bp.add_app_template_global(visit_url)


# ---------- pages ----------


def _unit_or_404(unit_id: str | None) -> ServiceLocation:
    location = db.session.get(ServiceLocation, int(unit_id)) if (unit_id or "").isdigit() else None
    if location is None or db.session.get(EcecUnit, location.id) is None:
        abort(404)
    return location


def _stripped(value: str | None) -> str:
    return " ".join((value or "")[:TYPED_MAX].split())


def _render_new(location: ServiceLocation, values: dict[str, str], errors: dict[str, FormError]) -> str:
    start, end = _window()
    slots = list(
        db.session.scalars(
            _free_visit_slots_query(start, end)
            .where(AppointmentSlot.location_id == location.id)
            .order_by(AppointmentSlot.starts_at)
        )
    )
    days = [(day, list(items)) for day, items in groupby(slots, key=lambda s: s.starts_at.date())]
    chosen = values.get("slot", "")
    if chosen not in {str(s.id) for s in slots}:
        chosen = ""
    person = current_person()
    back = url_for("journey.plan", event_id="ecec") + f"#unit-{location.id}"
    return render_template(
        "reservations/new_visit.html",
        location=location,
        days=days,
        chosen=chosen,
        values=values,
        errors=[(None, e) for e in errors.values()],
        error=errors,
        guest=person is None,
        back_url=back,
        days_ahead=DAYS_AHEAD,
    )


@bp.route("/new", methods=["GET", "POST"])
@limited("reservations")  # posts only: per address, and per person when signed in
def new_visit() -> ResponseReturnValue:
    location = _unit_or_404(request.args.get("unit"))
    if request.method == "GET":
        return _render_new(location, {}, {})
    values = {key: _stripped(request.form.get(key)) for key in ("slot", "name", "phone")}
    person = current_person()
    errors: dict[str, FormError] = {}
    slot = None
    if not values["slot"]:
        errors["slot"] = FormError("slot", SLOT_ERRORS["missing"])
    elif not re.fullmatch(r"[0-9]{1,9}", values["slot"]):
        errors["slot"] = FormError("slot", SLOT_ERRORS["invalid"])
    else:
        slot = db.session.get(AppointmentSlot, int(values["slot"]))
        if slot is None or slot.location_id != location.id or slot.channel != "in_person":
            errors["slot"] = FormError("slot", SLOT_ERRORS["invalid"])
    name = phone = ""
    if person is None:
        name = values["name"]
        if not name:
            errors["name"] = FormError("name", NAME_ERRORS["missing"])
        elif len(name) > NAME_MAX_LENGTH:
            errors["name"] = FormError("name", NAME_ERRORS["too_long"], {"max": NAME_MAX_LENGTH})
        try:
            phone = service.clean_phone(values["phone"])
        except service.InvalidPhone as invalid:
            message = GUEST_PHONE_MISSING if invalid.reason == "missing" else PHONE_ERRORS[invalid.reason]
            extra = {"max": service.PHONE_MAX_LENGTH} if invalid.reason == "too_long" else {}
            errors["phone"] = FormError("phone", message, extra)
    if errors or slot is None:
        return _render_new(location, values, errors), 400
    moment = now()
    try:
        if person is not None:
            reservation = service.reserve_appointment(db.session, person, slot.id, now=moment)
            return redirect(url_for("reservations.show", reservation_id=reservation.id, done="reserved"))
        reservation, token = reserve_guest_visit(db.session, slot.id, name, phone, now=moment)
    except service.AlreadyReserved:  # signed in: the person's own rules (one a day at a place)
        errors["slot"] = FormError("slot", SLOT_ERRORS["duplicate"])
    except service.NoRoom:
        db.session.refresh(slot)
        errors["slot"] = FormError("slot", SLOT_ERRORS["past" if service.has_started(slot, moment) else "taken"])
    if errors:
        return _render_new(location, values, errors), 409
    return redirect(url_for(".visit", token=token, done="reserved"))


@bp.get("/<token>")
def visit(token: str) -> ResponseReturnValue:
    reservation = guest_visit(db.session, token)
    if reservation is None:
        abort(404)
    page = render_template(
        "reservations/visit.html",
        reservation=reservation,
        token=token,
        done=request.args.get("done"),
        cancel_url=url_for(".cancel_visit", token=token, _external=True),
        errors=[],
    )
    return page


@bp.route("/<token>/cancel", methods=["GET", "POST"])
@limited("reservations")
def cancel_visit(token: str) -> ResponseReturnValue:
    reservation = guest_visit(db.session, token)
    if reservation is None:
        abort(404)
    if request.method == "GET":
        if not service.can_cancel(reservation, now()):
            return redirect(url_for(".visit", token=token))
        return render_template("reservations/cancel_visit.html", reservation=reservation, token=token)
    try:
        cancel_guest_visit(db.session, reservation, now=now())
    except service.NotCancellable:
        reservation = guest_visit(db.session, token)
        page = render_template(
            "reservations/visit.html",
            reservation=reservation,
            token=token,
            done=None,
            cancel_url=url_for(".cancel_visit", token=token, _external=True),
            errors=[(None, FormError("status", CANCEL_ERROR))],
        )
        return page, 409
    return redirect(url_for(".visit", token=token, done="cancelled"))
