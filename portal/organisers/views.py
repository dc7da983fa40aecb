"""The organiser pages: the staff sign-in start and sign-out, the front page (my units and service points with
what is stale) and a read-only unit page. Every page but the sign-in start is behind ``access.staff_required``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask import g, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..context import today
from ..extensions import db
from ..models import AppointmentSlot, Availability, EcecUnit, ServiceLocation, UnitPrice
from ..rate_limits import limited
from ..security import local_path
from ..sessions import rotate
from ..signin.client import end_provider_session, portal_url
from ..signin.views import start_sign_in
from . import bp
from .access import location_or_404, staff_required
from .staleness import (
    APPOINTMENT_HORIZON_DAYS,
    APPOINTMENTS,
    AVAILABILITY,
    AVAILABILITY_STALE_DAYS,
    PRICE,
    availability_stale,
    no_appointments_soon,
    price_missing_next_month,
)

UPCOMING_TIMES_SHOWN = 20
# What the unit page says after a change sent from another page (?done=...; portal/organisers/availability.py).
DONE_NOTICES = ("availability-saved", "availability-confirmed", "price-saved")


@dataclass
class PlaceStatus:
    """One unit or service point on the front page, with what needs action there."""

    location: ServiceLocation
    is_ecec: bool
    problems: list[str] = field(default_factory=list)
    availability_confirmed: date | None = None


def _statuses(location_ids: frozenset[int], day: date) -> list[PlaceStatus]:
    if not location_ids:
        return []
    ids = list(location_ids)
    locations = db.session.scalars(
        select(ServiceLocation)
        .where(ServiceLocation.id.in_(ids))
        .options(selectinload(ServiceLocation.ecec_unit))
        .order_by(ServiceLocation.name, ServiceLocation.id)
    ).all()
    updated: dict[int, list[datetime]] = defaultdict(list)
    for location_id, moment in db.session.execute(
        select(Availability.location_id, Availability.updated_at).where(Availability.location_id.in_(ids))
    ):
        updated[location_id].append(moment)
    prices: dict[int, list[date]] = defaultdict(list)
    for location_id, valid_from in db.session.execute(
        select(UnitPrice.location_id, UnitPrice.valid_from).where(UnitPrice.location_id.in_(ids))
    ):
        prices[location_id].append(valid_from)
    starts: dict[int, list[datetime]] = defaultdict(list)
    takes_appointments: set[int] = set()
    for location_id, starts_at, cancelled_at in db.session.execute(
        select(AppointmentSlot.location_id, AppointmentSlot.starts_at, AppointmentSlot.cancelled_at).where(
            AppointmentSlot.location_id.in_(ids)
        )
    ):
        takes_appointments.add(location_id)
        if cancelled_at is None:
            starts[location_id].append(starts_at)
    result = []
    for location in locations:
        unit: EcecUnit | None = location.ecec_unit
        status = PlaceStatus(location=location, is_ecec=unit is not None)
        if unit is not None:
            if updated[location.id]:
                status.availability_confirmed = min(updated[location.id]).date()
            if availability_stale(updated[location.id], day):
                status.problems.append(AVAILABILITY)
            if unit.provider_type == "private_voucher" and price_missing_next_month(prices[location.id], day):
                status.problems.append(PRICE)
        # Visit times of an ECEC unit (issue 16) are optional: a unit without any is not flagged.
        if unit is None and location.id in takes_appointments and no_appointments_soon(starts[location.id], day):
            status.problems.append(APPOINTMENTS)
        result.append(status)
    return result


@bp.get("/<any(fi,sv,en):lang_code>/organiser/sign-in")
@limited("sign_in")
def sign_in() -> ResponseReturnValue:
    """The staff sign-in start: the staff provider (or the development provider's staff people)."""
    lang = g.get("lang_code", "fi")
    target = local_path(request.args.get("next")) or url_for("organisers.index", lang_code=lang)
    return start_sign_in("staff", lang, target)


@bp.post("/<any(fi,sv,en):lang_code>/organiser/sign-out")
@staff_required
def sign_out() -> ResponseReturnValue:
    lang = g.get("lang_code", "fi")
    id_token = session.get("id_token")
    session.clear()
    rotate(session)
    home = portal_url(url_for("pages.home", lang_code=lang))
    return end_provider_session(id_token, lang, home, kind="staff")


@bp.get("/<any(fi,sv,en):lang_code>/organiser/")
@staff_required
def index() -> ResponseReturnValue:
    day = today()
    places = _statuses(g.actor.location_ids, day)
    needs_action = {
        problem: sum(problem in place.problems for place in places) for problem in (AVAILABILITY, PRICE, APPOINTMENTS)
    }
    return render_template(
        "organisers/index.html",
        staff=g.staff,
        places=places,
        needs_action=needs_action,
        needing=sum(bool(place.problems) for place in places),
        stale_days=AVAILABILITY_STALE_DAYS,
        horizon_days=APPOINTMENT_HORIZON_DAYS,
    )


@bp.get("/<any(fi,sv,en):lang_code>/organiser/units/<int:location_id>")
@staff_required
def unit(location_id: int) -> ResponseReturnValue:
    location = location_or_404(db.session, g.actor, location_id)
    day = today()
    status = _statuses(frozenset({location.id}), day)[0]
    availability = db.session.scalars(
        select(Availability).where(Availability.location_id == location.id).order_by(Availability.age_group)
    ).all()
    prices = db.session.scalars(
        select(UnitPrice).where(UnitPrice.location_id == location.id).order_by(UnitPrice.valid_from)
    ).all()
    current_price = max((p for p in prices if p.valid_from <= day), key=lambda p: p.valid_from, default=None)
    future_prices = [p for p in prices if p.valid_from > day]
    start = datetime.combine(day, datetime.min.time())
    times = db.session.scalars(
        select(AppointmentSlot)
        .where(
            AppointmentSlot.location_id == location.id,
            AppointmentSlot.cancelled_at.is_(None),
            AppointmentSlot.starts_at >= start,
            AppointmentSlot.starts_at < start + timedelta(days=APPOINTMENT_HORIZON_DAYS + 1),
        )
        .order_by(AppointmentSlot.starts_at)
        .limit(UPCOMING_TIMES_SHOWN)
    ).all()
    return render_template(
        "organisers/unit.html",
        staff=g.staff,
        status=status,
        location=location,
        availability=availability,
        current_price=current_price,
        future_prices=future_prices,
        times=times,
        horizon_days=APPOINTMENT_HORIZON_DAYS,
        stale_days=AVAILABILITY_STALE_DAYS,
        zero=Decimal(0),
        done=request.args.get("done") if request.args.get("done") in DONE_NOTICES else None,
    )
