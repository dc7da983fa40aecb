"""Reservation routes in the own space: book an appointment time at a service point or a place at an ECEC unit,
see them, and cancel them.

A child holds one place per start date: reserving a second one shows a confirmation page ("replace it?") whose
form posts back here with ``replace=<id>``; the service then cancels the first and takes the second in one
transaction. A time by phone asks for the number to call.

Every view needs a signed-in person; a reservation is read only through ``owned()`` (404 for anyone
else's). Places are taken by ``portal.reservations.services`` with guarded UPDATEs, so a place taken meanwhile
shows the page again with an error summary, never a 500.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import groupby
from typing import Any

from flask import Blueprint, Response, abort, current_app, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from sqlalchemy import select

from configurator import clock
from configurator.catalogue import AGE_GROUPS
from configurator.comparisons.ecec import age_group_on
from configurator.profile import subject_by_key
from configurator.service_points import APPOINTMENT_CHANNELS

from ..account_models import Person, Reservation
from ..catalogue_repo import location_names, service_names
from ..context import life_event_or_404, life_events, now
from ..extensions import db
from ..forms import FormError
from ..i18n import add_lang_code, pull_lang_code
from ..identity import current_person, owned, sign_in_required
from ..journey.store import current_walk, raw_answers
from ..models import AppointmentSlot, Availability, EcecUnit, ServiceLocation
from ..rate_limits import limited
from ..signin.claims import profile_of
from . import services as service
from .forms import CANCEL_ERROR, DAY_LIMIT_ERROR, PHONE_ERRORS, PLACE_ERRORS, SLOT_ERRORS, AppointmentForm, PlaceForm

DAYS_AHEAD = 14  # the appointment page offers the free times of today and the next 14 days
ECEC_EVENT = "ecec"

bp = Blueprint("reservations", __name__, url_prefix="/<any(fi,sv,en):lang_code>/own/reservations")
bp.url_value_preprocessor(pull_lang_code)
bp.url_defaults(add_lang_code)


@bp.after_request
def _private(response: Response) -> Response:
    """Reservation pages hold personal data: not stored by browsers or proxies."""
    response.headers["Cache-Control"] = "no-store"
    return response


# ---------- helpers the templates use (also on the own space's front page and the plan's tables) ----------


def place_name(location: ServiceLocation) -> str:
    return location_names(location).display(g.get("lang_code"))


def service_name(location: ServiceLocation) -> str:
    return service_names(location.service).display(g.get("lang_code"))


def reservation_state(reservation: Reservation) -> str:
    """``upcoming``, ``past`` (an appointment that has started) or ``cancelled``."""
    if reservation.status == "cancelled":
        return "cancelled"
    if reservation.slot is not None and service.has_started(reservation.slot, now()):
        return "past"
    return "upcoming"


# The plan's choices for its service points (portal/journey/results.py, nearby_services.html) that the booking page
# carries along, so that its "Back" link returns to the list as the person left it.
PLAN_CHOICES = ("serves_in", "sort", "min_rating", "page")


def plan_choices(args: Any) -> dict[str, str]:
    """The plan's choices in these query arguments, each at most 20 characters (anything else is dropped: the plan
    page ignores values it does not know, so nothing here needs to be understood)."""
    return {name: args[name] for name in PLAN_CHOICES if 0 < len(args.get(name, "")) <= 20}


def reserve_url(kind: str, location_id: int, event_id: str | None = None) -> str:
    """The reservation page for a row of the plan's tables (``appointment`` or ``place``)."""
    if kind == "appointment":
        choices = plan_choices(request.args) if event_id else {}
        return url_for("reservations.new_appointment", location=location_id, event=event_id, **choices)
    return url_for("reservations.new_place", unit=location_id)


# App-wide, so the own space's front page and the plan's comparison tables can use them too.
bp.add_app_template_global(place_name, "reservation_place_name")
bp.add_app_template_global(service_name, "reservation_service_name")
bp.add_app_template_global(reservation_state)
bp.add_app_template_global(reserve_url)


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {
        "channel_names": {key: gettext(label) for key, label in APPOINTMENT_CHANNELS.items()},
        "age_group_names": {key: gettext(label) for key, label in AGE_GROUPS.items()},
        "can_cancel": lambda r: service.can_cancel(r, now()),
    }


def _acting_for(person: Person, event_id: str | None) -> tuple[str, str | None]:
    """Whom the person acts for in ``event_id`` (the choice kept in the session), checked against their profile."""
    event = life_events().get(event_id or "")
    chosen = session.get("acting_for", {}).get(event_id) if event is not None else None
    if not isinstance(chosen, dict) or not chosen.get("key") or chosen.get("key") == "self":
        return "self", None
    subject = subject_by_key(profile_of(person), event.acting_for, str(chosen["key"]))
    if subject is None or subject.key == "self":
        return "self", None
    return subject.key, subject.name


def _location_or_404(location_id: str | None) -> ServiceLocation:
    location = db.session.get(ServiceLocation, int(location_id)) if (location_id or "").isdigit() else None
    if location is None:
        abort(404)
    return location


# ---------- list and one reservation ----------


@bp.get("/")
@sign_in_required
def index() -> ResponseReturnValue:
    person = current_person()
    groups: dict[str, list[Reservation]] = {"upcoming": [], "past": [], "cancelled": []}
    for reservation in person.reservations:
        groups[reservation_state(reservation)].append(reservation)

    def when(r: Reservation) -> datetime:
        return r.slot.starts_at if r.slot is not None else datetime.combine(r.starts_on or date.min, time())

    groups["upcoming"].sort(key=when)
    groups["past"].sort(key=when, reverse=True)
    groups["cancelled"].sort(key=lambda r: r.cancelled_at or r.created_at, reverse=True)
    own = url_for("own.index") if "own" in current_app.blueprints else None
    return render_template("reservations/index.html", groups=groups, own_url=own)


@bp.get("/<int:reservation_id>")
@sign_in_required
def show(reservation_id: int) -> ResponseReturnValue:
    reservation = owned(Reservation, reservation_id)
    return render_template("reservations/show.html", reservation=reservation, done=request.args.get("done"))


@bp.route("/<int:reservation_id>/cancel", methods=["GET", "POST"])
@sign_in_required
@limited("reservations")  # posts only, once signed in: per address and per person
def cancel(reservation_id: int) -> ResponseReturnValue:
    """GET asks "are you sure?"; POST cancels and gives the place back."""
    reservation = owned(Reservation, reservation_id)
    if request.method == "GET":
        if not service.can_cancel(reservation, now()):
            return redirect(url_for(".show", reservation_id=reservation.id))
        return render_template("reservations/cancel.html", reservation=reservation)
    try:
        service.cancel(db.session, reservation, now=now())
    except service.NotCancellable:
        reservation = owned(Reservation, reservation_id)
        errors = [(None, FormError("status", CANCEL_ERROR))]
        return render_template("reservations/show.html", reservation=reservation, done=None, errors=errors), 409
    return redirect(url_for(".show", reservation_id=reservation_id, done="cancelled"))


# ---------- a new appointment ----------


def _free_slots(location: ServiceLocation) -> list[AppointmentSlot]:
    """The free times from now (in Helsinki) to the end of the DAYS_AHEAD-th day after today."""
    start = clock.local_naive(now())
    end = datetime.combine(start.date() + timedelta(days=DAYS_AHEAD + 1), time())
    return list(
        db.session.scalars(
            select(AppointmentSlot)
            .where(
                AppointmentSlot.location_id == location.id,
                AppointmentSlot.starts_at > start,
                AppointmentSlot.starts_at < end,
                AppointmentSlot.booked < AppointmentSlot.capacity,
                AppointmentSlot.cancelled_at.is_(None),
            )
            .order_by(AppointmentSlot.starts_at, AppointmentSlot.channel)
        )
    )


def _render_appointment(
    location: ServiceLocation,
    event_id: str | None,
    chosen: str = "",
    error: FormError | None = None,
    phone: str = "",
    phone_error: FormError | None = None,
) -> str:
    """The page of free times; ``error`` is about the time, ``phone_error`` about the phone number (both can show)."""
    slots = _free_slots(location)
    days = [(day, list(items)) for day, items in groupby(slots, key=lambda s: s.starts_at.date())]
    if error is not None and chosen not in {str(s.id) for s in slots}:
        chosen = ""
    acting_for, acting_for_name = _acting_for(current_person(), event_id)
    choices = plan_choices(request.args) if event_id else {}
    back = (
        url_for("journey.plan", event_id=event_id, **choices) + f"#unit-service-{location.id}"
        if event_id
        else url_for(".index")
    )
    errors = [(None, e) for e in (error, phone_error) if e is not None]
    return render_template(
        "reservations/new_appointment.html",
        location=location,
        days=days,
        chosen=chosen,
        error=error,
        errors=errors,
        event_id=event_id,
        acting_for_name=acting_for_name,
        back_url=back,
        form_url=url_for(".new_appointment", location=location.id, event=event_id, **choices),
        days_ahead=DAYS_AHEAD,
        phone=phone,
        phone_error=phone_error,
        asks_phone=any(s.channel == "phone" for s in slots),
    )


def _phone_error(reason: str) -> FormError:
    return FormError("phone", PHONE_ERRORS[reason], {"max": service.PHONE_MAX_LENGTH} if reason == "too_long" else {})


@bp.route("/new/appointment", methods=["GET", "POST"])
@sign_in_required
@limited("reservations")  # posts only, once signed in: per address and per person
def new_appointment() -> ResponseReturnValue:
    """The free times of a service point; a time by phone also asks for the number to call (kept with the
    reservation only, never in the profile)."""
    location = _location_or_404(request.args.get("location"))
    if location.service is None or location.service.kind is None:  # an ECEC unit is reserved as a place
        abort(404)
    event_id = request.args.get("event") if request.args.get("event") in life_events() else None
    if request.method == "GET":
        return _render_appointment(location, event_id)

    form = AppointmentForm()
    chosen = form.slot.data
    typed_phone = form.phone.data  # shown again as typed (bounded), checked only for a time by phone
    if not form.validate():  # no time chosen, or not a slot id
        return _render_appointment(location, event_id, chosen, form.problems()[0], typed_phone)
    slot = db.session.get(AppointmentSlot, int(chosen))
    if slot is None or slot.location_id != location.id:
        return _render_appointment(location, event_id, chosen, FormError("slot", SLOT_ERRORS["invalid"]), typed_phone)
    moment = now()
    phone = None
    # A time by phone needs the number; one already gone is reported first (a number would not help).
    if slot.channel == "phone" and slot.booked < slot.capacity and not service.has_started(slot, moment):
        try:
            phone = service.clean_phone(typed_phone)
        except service.InvalidPhone as invalid:
            return _render_appointment(location, event_id, chosen, None, typed_phone, _phone_error(invalid.reason))
    person = current_person()
    acting_for, acting_for_name = _acting_for(person, event_id)
    try:
        reservation = service.reserve_appointment(
            db.session, person, slot.id, acting_for, acting_for_name, phone=phone, now=moment
        )
    except service.DayLimitReached as refused:
        error = FormError("slot", DAY_LIMIT_ERROR, {"num": refused.limit})
        return _render_appointment(location, event_id, chosen, error, typed_phone)
    except service.AlreadyReserved:
        return _render_appointment(location, event_id, chosen, FormError("slot", SLOT_ERRORS["duplicate"]), typed_phone)
    except service.NoRoom:
        db.session.refresh(slot)
        reason = "past" if service.has_started(slot, moment) else "taken"
        return _render_appointment(location, event_id, chosen, FormError("slot", SLOT_ERRORS[reason]), typed_phone)
    return redirect(url_for(".show", reservation_id=reservation.id, done="reserved"))


# ---------- a new ECEC place ----------


@bp.route("/new/place", methods=["GET", "POST"])
@sign_in_required
@limited("reservations")  # posts only, once signed in: per address and per person
def new_place() -> ResponseReturnValue:
    location = _location_or_404(request.args.get("unit"))
    unit = db.session.get(EcecUnit, location.id)
    if unit is None:
        abort(404)
    event = life_event_or_404(ECEC_EVENT)
    state = current_walk(event, raw_answers(ECEC_EVENT))
    journey_url = url_for("journey.start", event_id=ECEC_EVENT)
    if not state.complete:
        return render_template(
            "reservations/new_place.html",
            location=location,
            unit=unit,
            complete=False,
            journey_url=journey_url,
            errors=[],
        )
    starts_on: date = state.answers["start_date"]
    group = age_group_on(state.answers["child_birth_date"], starts_on)
    person = current_person()
    acting_for, acting_for_name = _acting_for(person, ECEC_EVENT)
    error = None
    if request.method == "POST":
        serves = unit.serves_under_3 if group == "under_3" else unit.serves_3_and_over
        form = PlaceForm()
        if not form.validate():  # ``replace`` is not an id: no page of ours sent it
            abort(404)
        # The place the person confirmed to replace: theirs, or 404 (ids reveal nothing).
        replaced = owned(Reservation, int(form.replace.data)) if form.replace.data else None
        try:
            if not serves:
                raise service.NoRoom(location.id)
            reservation = None
            if replaced is not None:
                try:
                    reservation = service.replace_ecec_place(
                        db.session, person, replaced.id, location.id, group, starts_on, acting_for, acting_for_name
                    )
                except service.NotCancellable:  # cancelled or replaced meanwhile: reserve as if it never was
                    pass
            if reservation is None:
                reservation = service.reserve_ecec_place(
                    db.session, person, location.id, group, starts_on, acting_for, acting_for_name
                )
        except service.PlaceHeld as held:
            # One place per child and start date: ask whether to replace the one held (nothing has changed yet).
            return render_template(
                "reservations/replace_place.html",
                location=location,
                held=owned(Reservation, held.existing_id),
                starts_on=starts_on,
                acting_for_name=acting_for_name,
                errors=[],
                back_url=url_for("journey.plan", event_id=ECEC_EVENT) + f"#unit-{location.id}",
            )
        except service.AlreadyReserved:
            error = FormError("availability", PLACE_ERRORS["duplicate"])
        except service.NoRoom:
            error = FormError("availability", PLACE_ERRORS["taken"])
        else:
            return redirect(url_for(".show", reservation_id=reservation.id, done="reserved"))
    availability = db.session.scalar(
        select(Availability).where(Availability.location_id == location.id, Availability.age_group == group)
    )
    if availability is not None:
        db.session.refresh(availability)  # the free places as they are now, not as this session last saw them
    serves = unit.serves_under_3 if group == "under_3" else unit.serves_3_and_over
    return render_template(
        "reservations/new_place.html",
        location=location,
        unit=unit,
        complete=True,
        group=group,
        availability=availability if serves else None,
        starts_on=starts_on,
        acting_for_name=acting_for_name,
        error=error,
        errors=[(None, error)] if error else [],
        journey_url=journey_url,
        back_url=url_for("journey.plan", event_id=ECEC_EVENT) + f"#unit-{location.id}",
    )
