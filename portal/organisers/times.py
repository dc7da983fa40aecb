"""The appointment times page of a service point: its upcoming times, times added from a weekly schedule, and
chosen times cancelled after a confirmation step. The times are written by ``changes.add_appointment_times`` and
``changes.cancel_appointment_times`` (validation, scope, versions, audit, the people's messages); this module
only turns the forms into their arguments and their refusals into the GOV.UK error pattern:

- bad input: the error summary and a message next to each field, what was typed kept, nothing saved (400);
- cancelling from a stale page (a time was reserved, cancelled or changed after the confirmation was shown):
  nothing cancelled, the confirmation again with the times as they are now and a message (409);
- done: the unit page with a notice (``?done=times-added`` / ``times-cancelled`` and the counts in the query
  string, read back by ``times_notice`` below: numbers and dates only, bounded, so the address cannot make the
  page say anything else).

The same page serves an ECEC unit's visit times (issue 16, "visit before deciding"; families book them through
portal/reservations/visits.py): worded as visit times, and always in person (a posted channel is ignored, since a
visit is only booked in person). Each upcoming time lists its confirmed bookings: a guest's name and phone number
(the unit's staff call them when they cancel the time: a guest has no own space to be told in), and a signed-in
person only as "Signed-in person" (the organiser workspace shows staff no person's name anywhere).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby
from typing import Any

from babel.dates import get_day_names
from flask import abort, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext
from sqlalchemy import select

from configurator import clock
from configurator.i18n import N_
from configurator.service_points import APPOINTMENT_CHANNELS

from ..account_models import Reservation
from ..context import now
from ..extensions import db
from ..forms import FormError, whole_number
from ..models import AppointmentSlot, ServiceLocation
from ..rate_limits import limited
from . import bp, changes
from .access import location_or_404, staff_required

# The longest text each field keeps (a longer one is not a valid answer, and is cut before it is shown again).
MAX_CHARS = {
    "times": 200,
    "length_minutes": 12,
    "first_day": 12,
    "last_day": 12,
    "capacity": 12,
    "closed_days": 1200,
}
TEXT_FIELDS = tuple(MAX_CHARS)
UPCOMING_SHOWN = 400  # the times listed on the page (a year of a busy point would be too long to scroll)
CANCEL_MAX = 400  # times cancelled at once
NOTICE_DAYS_MAX = 10  # closed days named in the "added" notice (the rest are counted)
DEFAULTS = {"length_minutes": "60", "capacity": "1", "channel": "in_person"}
VISIT_CHANNEL = "in_person"  # an ECEC unit's visit times are always in person (visits.py books no other)

BAD_TIMES = N_("Enter the start times as hours and minutes separated by commas, for example 9:00, 10:30, 13:00.")
BAD_DATE = N_("Enter a real date, for example 7.12.2026.")
BAD_CLOSED_DAYS = N_("Enter each closed day as a date, for example 24.12.2026, and separate the dates with commas.")
STALE = N_(
    "The times were changed after you opened this page (a time was reserved, cancelled or changed). "
    "Nothing was cancelled. The times as they are now are shown below: check them and confirm again."
)
NONE_LEFT = N_("None of the chosen times can be cancelled any more: they have started or were cancelled already.")

_TIME = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})")
_FI_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})\.?")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_SEPARATORS = re.compile(r"[,;\s]+")


# ---------- parsing (strict: a value is taken as it is written, or refused) ----------


def parse_times(text: str) -> list[time] | None:
    """'9:00, 10:30, 13.00' -> the times; None when any part is no time of day (an empty text gives [])."""
    found = []
    for part in _SEPARATORS.split(text.strip()):
        if not part:
            continue
        match = _TIME.fullmatch(part)
        if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            return None
        found.append(time(int(match.group(1)), int(match.group(2))))
    return found


def parse_date(text: str) -> date | None:
    """'7.12.2026' (as Finns and Swedes write it) or '2026-12-07'; None for anything else."""
    text = text.strip()
    match = _FI_DATE.fullmatch(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _ISO_DATE.fullmatch(text)
        if match is None:
            return None
        year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_dates(text: str) -> list[date] | None:
    """Dates separated by commas or spaces; None when any part is no date (an empty text gives [])."""
    found = []
    for part in _SEPARATORS.split(text.strip()):
        if not part:
            continue
        day = parse_date(part)
        if day is None:
            return None
        found.append(day)
    return found


def _whole(text: str) -> int | None:
    return int(text) if re.fullmatch(r"[0-9]{1,6}", text) else None


def _read_schedule(values: dict[str, Any]) -> tuple[changes.WeeklySchedule | None, list[date], list[FormError]]:
    """The schedule from the form, or the errors of its fields in the form's order (the service's own message
    ids where the service would give the same answer, so both say it alike)."""
    errors: dict[str, FormError] = {}

    def fail(name: str, message: str, **params: Any) -> None:
        errors.setdefault(name, FormError(name, gettext(message) % params if params else gettext(message)))

    weekdays = frozenset(int(day) for day in values["weekdays"])
    if not weekdays:
        fail("weekdays", changes.MESSAGES["weekdays_missing"])
    times = parse_times(values["times"]) if len(values["times"]) <= MAX_CHARS["times"] else None
    if times is None:
        fail("times", BAD_TIMES)
    elif not times:
        fail("times", changes.MESSAGES["times_missing"])
    low, high = changes.LENGTH_MINUTES
    length = _whole(values["length_minutes"])
    if length is None or not low <= length <= high:
        fail("length_minutes", changes.MESSAGES["length_out_of_bounds"], min=low, max=high)
    first_day = parse_date(values["first_day"]) if len(values["first_day"]) <= MAX_CHARS["first_day"] else None
    if first_day is None:
        fail("first_day", BAD_DATE)
    last_day = parse_date(values["last_day"]) if len(values["last_day"]) <= MAX_CHARS["last_day"] else None
    if last_day is None:
        fail("last_day", BAD_DATE)
    elif first_day is not None and last_day < first_day:
        fail("last_day", changes.MESSAGES["dates_reversed"])
    if values["channel"] not in APPOINTMENT_CHANNELS:
        fail("channel", changes.MESSAGES["channel_unknown"])
    capacity = _whole(values["capacity"])
    if capacity is None or not 1 <= capacity <= changes.CAPACITY_MAX:
        fail("capacity", changes.MESSAGES["capacity_out_of_bounds"], max=changes.CAPACITY_MAX)
    closed = parse_dates(values["closed_days"]) if len(values["closed_days"]) <= MAX_CHARS["closed_days"] else None
    if closed is None:
        fail("closed_days", BAD_CLOSED_DAYS)
    ordered = [errors[name] for name in FORM_ORDER if name in errors]
    if ordered:
        return None, [], ordered
    assert times and length and first_day and last_day and capacity and closed is not None
    schedule = changes.WeeklySchedule(
        weekdays=weekdays,
        times=tuple(times),
        length_minutes=length,
        first_day=first_day,
        last_day=last_day,
        channel=values["channel"],
        capacity=capacity,
    )
    return schedule, closed, []


FORM_ORDER = ("weekdays", "times", "length_minutes", "first_day", "last_day", "channel", "capacity", "closed_days")


# ---------- the page ----------


def _upcoming(location_id: int) -> list[AppointmentSlot]:
    """The point's times that have not started and are not cancelled, in order."""
    start = clock.local_naive(now())
    return list(
        db.session.scalars(
            select(AppointmentSlot)
            .where(
                AppointmentSlot.location_id == location_id,
                AppointmentSlot.cancelled_at.is_(None),
                AppointmentSlot.starts_at > start,
            )
            .order_by(AppointmentSlot.starts_at, AppointmentSlot.channel, AppointmentSlot.id)
            .limit(UPCOMING_SHOWN + 1)
        )
    )


@dataclass(frozen=True)
class Booking:
    """A confirmed reservation of a time as staff see it: a guest's name and number, or a signed-in person."""

    guest: bool
    name: str | None = None
    phone: str | None = None

    @property
    def tel(self) -> str:
        """The number for a ``tel:`` link: its digits and a leading +, without the spaces typed."""
        return re.sub(r"[^0-9+]", "", self.phone or "")


def bookings_of(slot_ids: list[int]) -> dict[int, list[Booking]]:
    """The confirmed bookings of the times, in the order they were made (cancelled ones are not shown)."""
    found: dict[int, list[Booking]] = defaultdict(list)
    if not slot_ids:
        return found
    rows = db.session.execute(
        select(Reservation.slot_id, Reservation.person_id, Reservation.guest_name, Reservation.guest_phone)
        .where(Reservation.slot_id.in_(slot_ids), Reservation.status == "confirmed")
        .order_by(Reservation.slot_id, Reservation.id)
    )
    for slot_id, person_id, name, phone in rows:
        found[slot_id].append(Booking(guest=person_id is None, name=name, phone=phone))
    return found


def is_ecec(location: ServiceLocation) -> bool:
    """An ECEC unit's times are visit times (worded so, and always in person)."""
    return location.ecec_unit is not None


def weekday_names() -> list[tuple[str, str]]:
    names = get_day_names("wide", locale=str(get_locale() or "fi"))
    return [(str(day), names[day][:1].upper() + names[day][1:]) for day in range(7)]


def _page(
    location: Any,
    values: dict[str, Any],
    errors: list[FormError],
    status: int = 200,
    cancel_errors: list[FormError] | None = None,
) -> ResponseReturnValue:
    slots = _upcoming(location.id)
    shown = slots[:UPCOMING_SHOWN]
    days = [(day, list(items)) for day, items in groupby(shown, key=lambda s: s.starts_at.date())]
    every_error = list(cancel_errors or []) + errors
    return (
        render_template(
            "organisers/times.html",
            staff=g.staff,
            location=location,
            visits=is_ecec(location),
            days=days,
            bookings=bookings_of([slot.id for slot in shown]),
            more=len(slots) > UPCOMING_SHOWN,
            values=values,
            errors=[(None, error) for error in every_error],
            error_for={error.field: error for error in every_error},
            weekdays=weekday_names(),
            channels=[(key, gettext(label)) for key, label in APPOINTMENT_CHANNELS.items()],
            end_time=end_time,
        ),
        status,
    )


def end_time(slot: AppointmentSlot) -> datetime:
    return slot.starts_at + timedelta(minutes=slot.duration_minutes or 0)


@bp.route("/<any(fi,sv,en):lang_code>/organiser/units/<int:location_id>/times", methods=["GET", "POST"])
@staff_required
@limited("organiser_edit")
def times(location_id: int) -> ResponseReturnValue:
    location = location_or_404(db.session, g.actor, location_id)
    if request.method == "GET":
        return _page(location, {"weekdays": set(), **dict.fromkeys(TEXT_FIELDS, ""), **DEFAULTS}, [])
    values: dict[str, Any] = {name: request.form.get(name, "")[: MAX_CHARS[name] + 1].strip() for name in TEXT_FIELDS}
    values["weekdays"] = {day for day in request.form.getlist("weekdays")[:7] if day in {str(d) for d in range(7)}}
    values["channel"] = VISIT_CHANNEL if is_ecec(location) else request.form.get("channel", "")[:20]
    schedule, closed, errors = _read_schedule(values)
    if schedule is None:
        return _page(location, values, errors, status=400)
    try:
        added = changes.add_appointment_times(db.session, g.actor, location.id, schedule, closed_days=closed)
    except changes.NotFound:
        abort(404)
    except changes.InvalidChange as error:
        found = [FormError(e.field, gettext(e.message) % dict(e.params)) for e in error.errors]
        found.sort(key=lambda e: FORM_ORDER.index(e.field) if e.field in FORM_ORDER else len(FORM_ORDER))
        return _page(location, values, found, status=400)
    skipped = sorted(added.closed_days)
    return redirect(
        url_for(
            "organisers.unit",
            location_id=location.id,
            done="times-added",
            added=len(added.created),
            existing=added.already_there,
            closed=",".join(day.isoformat() for day in skipped[:NOTICE_DAYS_MAX]),
            closed_count=len(skipped),
        )
    )


# ---------- cancelling ----------


def _chosen_ids() -> list[int]:
    ids = []
    for raw in request.values.getlist("slot")[:CANCEL_MAX]:
        slot_id = whole_number(raw.split(":", 1)[0])
        if slot_id is not None:
            ids.append(slot_id)
    return sorted(set(ids))


def _versions() -> dict[int, int] | None:
    """The times and the versions the confirmation showed (``slot=<id>:<version>``); None if one is garbled."""
    found = {}
    for raw in request.form.getlist("slot")[:CANCEL_MAX]:
        slot_text, _, version_text = raw.partition(":")
        slot_id, version = whole_number(slot_text), whole_number(version_text)
        if slot_id is None or version is None:
            return None
        found[slot_id] = version
    return found


def _confirmation(
    location: Any, slot_ids: list[int], errors: list[FormError], status: int = 200
) -> ResponseReturnValue:
    """The confirmation of the chosen times as they are stored now: those that have not started and are not
    cancelled, with how many reservations go with them and who made them (to call a guest before cancelling)."""
    moment = clock.local_naive(now())
    slots = [
        slot
        for slot in db.session.scalars(
            select(AppointmentSlot)
            .where(AppointmentSlot.id.in_(slot_ids), AppointmentSlot.location_id == location.id)
            .order_by(AppointmentSlot.starts_at, AppointmentSlot.id)
        )
        if slot.cancelled_at is None and slot.starts_at > moment
    ]
    if not slots:  # all started or cancelled meanwhile (or sent again): nothing to confirm
        errors = [FormError("slots", gettext(NONE_LEFT))]
    return (
        render_template(
            "organisers/times_cancel.html",
            staff=g.staff,
            location=location,
            visits=is_ecec(location),
            slots=slots,
            bookings=bookings_of([slot.id for slot in slots]),
            reservations=sum(slot.booked for slot in slots),
            errors=[(None, error) for error in errors],
            end_time=end_time,
        ),
        status,
    )


@bp.route("/<any(fi,sv,en):lang_code>/organiser/units/<int:location_id>/times/cancel", methods=["GET", "POST"])
@staff_required
@limited("organiser_edit")
def cancel_times(location_id: int) -> ResponseReturnValue:
    location = location_or_404(db.session, g.actor, location_id)
    if request.method == "GET":
        slot_ids = _chosen_ids()
        if not slot_ids:
            error = FormError("slot", gettext(changes.MESSAGES["slots_missing"]))
            values = {"weekdays": set(), **dict.fromkeys(TEXT_FIELDS, ""), **DEFAULTS}
            return _page(location, values, [], status=400, cancel_errors=[error])
        stored = db.session.scalars(select(AppointmentSlot.location_id).where(AppointmentSlot.id.in_(slot_ids))).all()
        if len(stored) != len(slot_ids) or set(stored) != {location.id}:
            abort(404)  # a time of another point, or none: the same answer as for another point's page
        return _confirmation(location, slot_ids, [])
    versions = _versions()
    if not versions:
        return redirect(url_for("organisers.times", location_id=location.id))
    try:
        cancelled = changes.cancel_appointment_times(db.session, g.actor, location.id, versions)
    except changes.NotFound:
        abort(404)
    except changes.InvalidChange as error:
        found = [FormError("slots", gettext(e.message) % dict(e.params)) for e in error.errors]
        return _confirmation(location, sorted(versions), found, status=400)
    except changes.StaleEdit:
        return _confirmation(location, sorted(versions), [FormError("slots", gettext(STALE))], status=409)
    return redirect(
        url_for(
            "organisers.unit",
            location_id=location.id,
            done="times-cancelled",
            cancelled=len(cancelled.slot_ids),
            reservations=len(cancelled.reservation_ids),
        )
    )


# ---------- the unit page's notice ----------


def _bounded(raw: str | None, limit: int = 100000) -> int | None:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) <= 6 and int(raw) <= limit else None


def times_notice(args: Any) -> dict[str, Any] | None:
    """What the unit page says after times were added or cancelled, from the query string the redirect above
    wrote: only bounded numbers and real dates are taken, anything else shows no notice."""
    done = args.get("done")
    if done == "times-added":
        added, existing, count = (_bounded(args.get(name)) for name in ("added", "existing", "closed_count"))
        if added is None or existing is None or count is None:
            return None
        days = [parse_date(part) for part in (args.get("closed") or "").split(",")[:NOTICE_DAYS_MAX] if part]
        if any(day is None for day in days) or len(days) > count:
            return None
        return {
            "done": done,
            "added": added,
            "existing": existing,
            "closed_days": days,
            "closed_more": count - len(days),
        }
    if done == "times-cancelled":
        cancelled, reservations = (_bounded(args.get(name)) for name in ("cancelled", "reservations"))
        if cancelled is None or reservations is None:
            return None
        return {"done": done, "cancelled": cancelled, "reservations": reservations}
    return None


@bp.context_processor
def _unit_page_notice() -> dict[str, Any]:
    """``times_notice`` for the unit page (portal/organisers/views.py renders it; its own notices stay there)."""
    if request.endpoint != "organisers.unit":
        return {}
    return {"times_notice": times_notice(request.args)}
