"""The organisers' write services (issue 15): availability, prices and appointment times.

Pages, the CSV import and the write API all change the catalogue through these functions, so the same
validation, authorisation, versions and audit apply whatever the channel. Like ``portal.reservations.services``,
each function takes the SQLAlchemy session it works in and commits it, or rolls it back and raises:

- ``NotFound``: the unit, service point or municipality does not exist or is outside the ``Actor``'s (the page
  answers 404, so a person cannot learn which ids exist);
- ``InvalidChange``: bad input, naming the field(s), with English message ids the page translates (nothing saved);
- ``StaleEdit``: the page showed an older version; it carries the current values for the page to show again.

No lost updates. Every edited row has a ``version`` that rises with every change, the citizens' reservations and
cancellations included (portal/reservations/services.py). An edit says which version it was made from and is
applied with the version checked while the rows are locked, so an edit from a stale page, or one that raced
another edit or a reservation, is refused instead of overwriting it. The availability of a unit is versioned as a
whole: its version is the sum of its age groups' row versions, which rises whenever any of them changes.

Lock order is the reservations' (see their module docstring), so the two sides cannot deadlock: availability
edits bump the catalogue revision first and then lock the unit's availability rows; cancelling appointment times
locks the reservations first, then the time, then the revision.

Each change writes its audit rows (portal/organisers/audit.py) and bumps the catalogue revision in the same
transaction, so the citizens' comparison sees it at once, in every process.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from flask import has_app_context
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from configurator.catalogue import AGE_GROUPS
from configurator.i18n import N_
from configurator.legal_calendar import holiday_name
from configurator.service_points import APPOINTMENT_CHANNELS

from ..account_models import Person, Reservation, timestamp
from ..catalogue_cache import bump_revision
from ..models import (
    AppointmentSlot,
    Availability,
    EcecUnit,
    MunicipalEcecPricing,
    Organisation,
    Service,
    ServiceLocation,
    UnitPrice,
)
from ..own.messages import notify
from ..reservations.services import message_values, reservation_path, wall_time
from . import audit
from .actor import Actor

AVAILABILITY = Availability.__table__
PRICE = UnitPrice.__table__
PRICING = MunicipalEcecPricing.__table__
SLOT = AppointmentSlot.__table__
RESERVATION = Reservation.__table__

QUEUE_WEEKS_MAX = 104  # two years: a longer queue is a typing error, not a queue
FREE_PLACES_MAX = 999
PRICE_MAX = Decimal("99999999.99")  # the Money column's range
LENGTH_MINUTES = (5, 480)
CAPACITY_MAX = 100
SCHEDULE_DAYS_MAX = 366  # one year of times at a time
SCHEDULE_TIMES_MAX = 5000


# ---------- errors ----------


class ChangeError(Exception):
    """A change that was not made; nothing was saved."""


class NotFound(ChangeError):
    """No such unit, service point, price or time, or not one the actor may act for (a 404 for the page)."""


@dataclass(frozen=True)
class FieldError:
    """One field's problem: ``message`` is an English message id (translated by the page with ``params``)."""

    field: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)


class InvalidChange(ChangeError):
    """Bad input, naming each field with its problem; ``field`` is the first (for a single-field form)."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__(", ".join(f"{e.field}: {e.message % dict(e.params)}" for e in errors))
        self.errors = tuple(errors)

    @property
    def field(self) -> str:
        return self.errors[0].field


class StaleEdit(ChangeError):
    """The edit was made from an older version than the one stored: ``current`` holds the stored values (and
    ``version``) for the page to show, so the person can decide again; nothing was saved."""

    def __init__(self, current: Any, version: int | None) -> None:
        super().__init__(version)
        self.current = current
        self.version = version


MESSAGES = {
    "free_places_negative": N_("Free places cannot be negative."),
    "free_places_too_many": N_("Enter at most %(max)s free places."),
    "whole_number": N_("Enter a whole number."),
    "queue_out_of_bounds": N_("Enter a queue of 0 to %(max)s weeks."),
    "age_group_not_served": N_("This unit has no places for this age group."),
    "price_missing": N_("Enter the price."),
    "price_negative": N_("The price cannot be negative."),
    "price_format": N_("Enter the price in euros and cents, up to %(max)s."),
    "valid_from_missing": N_("Enter the date the price applies from."),
    "valid_from_past": N_("A price cannot apply from a date in the past."),
    "steps_invalid": N_(
        "Enter each part-time step as hours a week (rising) and a coefficient greater than 0 and at most 1."
    ),
    "source_missing": N_("Name the decision the pricing is based on."),
    "weekdays_missing": N_("Choose at least one weekday."),
    "times_missing": N_("Enter at least one time."),
    "length_out_of_bounds": N_("Enter a length of %(min)s to %(max)s minutes."),
    "capacity_out_of_bounds": N_("Enter 1 to %(max)s people per time."),
    "channel_unknown": N_("Choose how the appointment is held."),
    "dates_reversed": N_("The last day cannot be before the first day."),
    "dates_too_long": N_("Add times for at most %(max)s days at a time."),
    "too_many_times": N_("This would add more than %(max)s times. Choose fewer days or times."),
    "time_in_past": N_("A time that has already started cannot be added or cancelled."),
    "slots_missing": N_("Choose at least one time to cancel."),
}


def _error(field_name: str, key: str, **params: Any) -> FieldError:
    return FieldError(field_name, MESSAGES[key], params)


# ---------- helpers ----------


def _moment(now: datetime | None) -> datetime:
    """Now as the naive Helsinki wall time: the portal's clock (POLKU_TODAY) in a Flask app, else the real one."""
    if now is None and has_app_context():
        from ..context import now as portal_now

        now = portal_now()
    return wall_time(now)


def _fail(session: Session, error: BaseException) -> NoReturn:
    session.rollback()
    raise error


def _location(session: Session, actor: Actor, location_id: int, *, ecec: bool) -> ServiceLocation:
    """The unit or service point, if the actor may act for it (an ECEC unit when ``ecec``); else ``NotFound``."""
    if not actor.may_act_for(location_id):
        raise NotFound(location_id)
    location = session.get(ServiceLocation, location_id)
    if location is None or (ecec and session.get(EcecUnit, location_id) is None):
        raise NotFound(location_id)
    return location


def _where(session: Session, location: ServiceLocation) -> audit.Where:
    organisation_id = session.scalar(select(Service.organisation_id).where(Service.id == location.service_id))
    return audit.Where(organisation_id=organisation_id, location_id=location.id)


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


# ---------- many changes as one ----------


@contextmanager
def all_or_nothing(session: Session) -> Iterator[Session]:
    """A session for many calls of the write services that are saved together or not at all (a CSV import, the
    table of all my units): each call runs in a savepoint of one outer transaction, so its own commit only
    releases the savepoint and its rollback returns to it, with every check of its own (scope, validation,
    versions). The outer transaction is committed when the block ends, and rolled back if it raises."""
    bump_revision(session)  # the first write begins the real transaction (SQLite's driver begins on a write only)
    inner = Session(bind=session.connection(), join_transaction_mode="create_savepoint")
    try:
        yield inner
        inner.close()
        session.commit()
    except BaseException:
        inner.close()
        session.rollback()
        raise


# ---------- availability ----------


@dataclass(frozen=True)
class AvailabilityRow:
    age_group: str
    free_places: int
    queue_weeks: int
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class AvailabilityState:
    """A unit's availability as stored, with the version an edit of it must name."""

    unit_id: int
    version: int
    rows: tuple[AvailabilityRow, ...]

    def by_group(self) -> dict[str, AvailabilityRow]:
        return {row.age_group: row for row in self.rows}


def availability_state(session: Session, unit_id: int) -> AvailabilityState:
    """The unit's availability rows (in AGE_GROUPS order) and their version, for a page to show and send back."""
    rows = session.execute(
        select(AVAILABILITY).where(AVAILABILITY.c.location_id == unit_id).execution_options(populate_existing=True)
    ).all()
    order = list(AGE_GROUPS)
    rows = sorted(rows, key=lambda r: order.index(r.age_group) if r.age_group in order else len(order))
    return AvailabilityState(
        unit_id,
        sum(r.version for r in rows),
        tuple(AvailabilityRow(r.age_group, r.free_places, r.queue_weeks, r.updated_at, r.updated_by) for r in rows),
    )


def _lock_availability(session: Session, unit_id: int, expected_version: int) -> list[Any]:
    """Bump the revision, then lock the unit's rows by raising each row's version, and check the version the edit
    was made from against the one before this transaction: ``StaleEdit`` with the current state when they differ."""
    bump_revision(session)
    locked = session.execute(
        update(AVAILABILITY).where(AVAILABILITY.c.location_id == unit_id).values(version=AVAILABILITY.c.version + 1)
    ).rowcount
    rows = session.execute(select(AVAILABILITY).where(AVAILABILITY.c.location_id == unit_id)).all()
    if sum(r.version for r in rows) - locked != expected_version:
        session.rollback()
        current = availability_state(session, unit_id)
        raise StaleEdit(current, current.version)
    return list(rows)


def _queues(queue_weeks: int | Mapping[str, int], groups: Iterable[str]) -> dict[str, Any]:
    if isinstance(queue_weeks, Mapping):
        return dict(queue_weeks)
    return dict.fromkeys(groups, queue_weeks)


def update_availability(
    session: Session,
    actor: Actor,
    unit_id: int,
    free_places_by_age_group: Mapping[str, int],
    queue_weeks: int | Mapping[str, int],
    expected_version: int,
    *,
    channel: str = "page",
    request_id: str | None = None,
    now: datetime | None = None,
) -> AvailabilityState:
    """Set the unit's free places per age group and its queue in weeks (one number for every age group, or one per
    group), made from the page that showed ``expected_version``.

    Every age group given must be one the unit has a row for; groups not given keep their places. The rows changed
    get ``updated_at`` now and ``updated_by`` the actor's reporter role, so the citizens' "Updated ... by" line is
    current; each changed field is audited (a submission that changes no number is audited as confirmed).
    """
    location = _location(session, actor, unit_id, ecec=True)
    stored = {
        r.age_group: r for r in session.execute(select(AVAILABILITY).where(AVAILABILITY.c.location_id == unit_id))
    }
    queues = _queues(queue_weeks, free_places_by_age_group)
    errors: list[FieldError] = []
    wanted: dict[str, tuple[int, int | None]] = {}
    for group in sorted({*free_places_by_age_group, *queues}):
        places_field, queue_field = f"free_places.{group}", f"queue_weeks.{group}"
        if group not in stored:
            errors.append(_error(places_field, "age_group_not_served"))
            continue
        places = _whole(free_places_by_age_group.get(group, stored[group].free_places))
        queue = _whole(queues.get(group, stored[group].queue_weeks))
        if places is None:
            errors.append(_error(places_field, "whole_number"))
        elif places < 0:
            errors.append(_error(places_field, "free_places_negative"))
        elif places > FREE_PLACES_MAX:
            errors.append(_error(places_field, "free_places_too_many", max=FREE_PLACES_MAX))
        if queue is None:
            errors.append(_error(queue_field, "whole_number"))
        elif not 0 <= queue <= QUEUE_WEEKS_MAX:
            errors.append(_error(queue_field, "queue_out_of_bounds", max=QUEUE_WEEKS_MAX))
        if places is not None and queue is not None:
            wanted[group] = (places, queue)
    if errors:
        raise InvalidChange(errors)
    moment = timestamp()
    try:
        rows = {r.age_group: r for r in _lock_availability(session, unit_id, expected_version)}
        changes: list[audit.Change] = []
        for group, (places, queue) in wanted.items():
            row = rows[group]
            for name, old, new in (("free_places", row.free_places, places), ("queue_weeks", row.queue_weeks, queue)):
                if old != new:
                    changes.append(audit.Change("availability", row.id, "updated", f"{name}.{group}", old, new))
            session.execute(
                update(AVAILABILITY)
                .where(AVAILABILITY.c.id == row.id)
                .values(free_places=places, queue_weeks=queue, updated_at=moment, updated_by=actor.reporter_role)
            )
        if not changes:
            changes = [
                audit.Change("availability", rows[g].id, "confirmed", f"updated_at.{g}", rows[g].updated_at, moment)
                for g in wanted
            ]
        audit.record(session, actor, _where(session, location), changes, channel=channel, request_id=request_id)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return availability_state(session, unit_id)


def confirm_availability_unchanged(
    session: Session,
    actor: Actor,
    unit_id: int,
    expected_version: int,
    *,
    channel: str = "page",
    request_id: str | None = None,
) -> AvailabilityState:
    """Say the unit's free places and queue are still right: ``updated_at`` becomes now and ``updated_by`` the
    actor's role for every age group, so the citizens see a current report and the front page no longer lists the
    unit as stale. Refused with ``StaleEdit`` when the numbers changed since the page showed ``expected_version``
    (a reservation took a place): then they are not what the organiser confirmed."""
    location = _location(session, actor, unit_id, ecec=True)
    moment = timestamp()
    try:
        rows = _lock_availability(session, unit_id, expected_version)
        session.execute(
            update(AVAILABILITY)
            .where(AVAILABILITY.c.location_id == unit_id)
            .values(updated_at=moment, updated_by=actor.reporter_role)
        )
        changes = [
            audit.Change("availability", r.id, "confirmed", f"updated_at.{r.age_group}", r.updated_at, moment)
            for r in rows
        ]
        audit.record(session, actor, _where(session, location), changes, channel=channel, request_id=request_id)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return availability_state(session, unit_id)


# ---------- prices ----------


def _money(value: Any, field_name: str, errors: list[FieldError], *, missing: str = "price_missing") -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.append(_error(field_name, missing))
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", ".")) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        errors.append(_error(field_name, "price_format", max=str(PRICE_MAX)))
        return None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")) or amount > PRICE_MAX:
        errors.append(_error(field_name, "price_format", max=str(PRICE_MAX)))
        return None
    if amount < 0:
        errors.append(_error(field_name, "price_negative"))
        return None
    return amount.quantize(Decimal("0.01"))


def _valid_from(value: date | None, today: date, errors: list[FieldError]) -> date | None:
    if value is None:
        errors.append(_error("valid_from", "valid_from_missing"))
        return None
    if value < today:
        errors.append(_error("valid_from", "valid_from_past"))
        return None
    return value


@dataclass(frozen=True)
class PriceEntry:
    id: int
    location_id: int
    monthly_price: Decimal
    valid_from: date
    version: int


def _price_entry(session: Session, unit_id: int, valid_from: date) -> PriceEntry | None:
    row = session.execute(select(PRICE).where(PRICE.c.location_id == unit_id, PRICE.c.valid_from == valid_from)).first()
    if row is None:
        return None
    return PriceEntry(row.id, row.location_id, Decimal(row.monthly_price), row.valid_from, row.version)


def set_unit_price(
    session: Session,
    actor: Actor,
    unit_id: int,
    monthly_price: Decimal | str | None,
    valid_from: date | None,
    expected_version: int | None,
    *,
    channel: str = "page",
    request_id: str | None = None,
    now: datetime | None = None,
) -> PriceEntry:
    """Set the unit's full-time monthly price from ``valid_from`` on (today or later: the price history is not
    rewritten). A date with no entry yet gets a new one (``expected_version`` None); the entry of a date that has one
    is changed only from its current version. A future-dated price applies on its date by itself: the comparison
    picks the newest entry whose date has come (catalogue_cache), so nothing has to run on that day."""
    location = _location(session, actor, unit_id, ecec=True)
    errors: list[FieldError] = []
    price = _money(monthly_price, "monthly_price", errors)
    start = _valid_from(valid_from, _moment(now).date(), errors)
    if errors:
        raise InvalidChange(errors)
    assert price is not None and start is not None
    try:
        bump_revision(session)
        if expected_version is None:
            try:
                with session.begin_nested():
                    entry_id = session.execute(
                        insert(PRICE).values(location_id=unit_id, monthly_price=price, valid_from=start, version=1)
                    ).inserted_primary_key[0]
            except IntegrityError:  # another entry for that date came first
                _fail(session, StaleEdit(_price_entry(session, unit_id, start), None))
            changes = [audit.Change("unit_price", entry_id, "created", "monthly_price", None, price)]
            changes.append(audit.Change("unit_price", entry_id, "created", "valid_from", None, start))
        else:
            old = _price_entry(session, unit_id, start)
            changed = session.execute(
                update(PRICE)
                .where(PRICE.c.location_id == unit_id, PRICE.c.valid_from == start, PRICE.c.version == expected_version)
                .values(monthly_price=price, version=PRICE.c.version + 1)
            ).rowcount
            if changed != 1 or old is None:
                session.rollback()
                current = _price_entry(session, unit_id, start)
                raise StaleEdit(current, current.version if current else None)
            entry_id = old.id
            changes = [audit.Change("unit_price", entry_id, "updated", "monthly_price", old.monthly_price, price)]
        audit.record(session, actor, _where(session, location), changes, channel=channel, request_id=request_id)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    entry = _price_entry(session, unit_id, start)
    assert entry is not None
    return entry


@dataclass(frozen=True)
class PricingEntry:
    id: int
    municipality_code: str
    valid_from: date
    part_time_steps: list[dict[str, str]]
    voucher_under_3: Decimal
    voucher_3_and_over: Decimal
    max_surcharge: Decimal
    source: str
    version: int


def _pricing_entry(session: Session, code: str, valid_from: date) -> PricingEntry | None:
    row = session.execute(
        select(PRICING).where(PRICING.c.municipality_code == code, PRICING.c.valid_from == valid_from)
    ).first()
    if row is None:
        return None
    return PricingEntry(
        row.id,
        row.municipality_code,
        row.valid_from,
        list(row.part_time_steps),
        Decimal(row.voucher_under_3),
        Decimal(row.voucher_3_and_over),
        Decimal(row.max_surcharge),
        row.source,
        row.version,
    )


def _steps(steps: Sequence[Mapping[str, Any]], errors: list[FieldError]) -> list[dict[str, str]]:
    """Part-time steps as stored: rising whole hours a week, coefficients in (0, 1], as decimal strings."""
    cleaned: list[dict[str, str]] = []
    previous = Decimal(0)
    try:
        for step in steps:
            hours = Decimal(str(step["max_hours"]))
            coefficient = Decimal(str(step["coefficient"]))
            if not (hours.is_finite() and coefficient.is_finite() and hours > previous and 0 < coefficient <= 1):
                raise ValueError(step)
            previous = hours
            cleaned.append({"max_hours": str(step["max_hours"]), "coefficient": str(step["coefficient"])})
    except (KeyError, TypeError, ValueError, InvalidOperation):
        errors.append(_error("part_time_steps", "steps_invalid"))
    return cleaned


def set_municipal_pricing(
    session: Session,
    actor: Actor,
    municipality_code: str,
    valid_from: date | None,
    *,
    part_time_steps: Sequence[Mapping[str, Any]],
    voucher_under_3: Decimal | str | None,
    voucher_3_and_over: Decimal | str | None,
    max_surcharge: Decimal | str | None,
    source: str,
    expected_version: int | None,
    channel: str = "page",
    request_id: str | None = None,
    now: datetime | None = None,
) -> PricingEntry:
    """Set a municipality's ECEC pricing (part-time steps, service voucher values, the surcharge a voucher unit may
    charge) from ``valid_from`` on; new dates and versions as ``set_unit_price``. The fees the comparison computes
    come from the entry in force on the start date (configurator's fee rules), so a future-dated decision applies
    on its date."""
    if not actor.may_price_for(municipality_code):
        raise NotFound(municipality_code)
    errors: list[FieldError] = []
    start = _valid_from(valid_from, _moment(now).date(), errors)
    steps = _steps(part_time_steps, errors)
    under_3 = _money(voucher_under_3, "voucher_under_3", errors)
    over_3 = _money(voucher_3_and_over, "voucher_3_and_over", errors)
    surcharge = _money(max_surcharge, "max_surcharge", errors)
    if not (source or "").strip():
        errors.append(_error("source", "source_missing"))
    if errors:
        raise InvalidChange(errors)
    assert start is not None
    values = {
        "part_time_steps": steps,
        "voucher_under_3": under_3,
        "voucher_3_and_over": over_3,
        "max_surcharge": surcharge,
        "source": source.strip(),
    }
    where = audit.Where(
        organisation_id=session.scalar(
            select(Organisation.id)
            .where(Organisation.kind == "municipality", Organisation.municipality_code == municipality_code)
            .limit(1)
        ),
        municipality_code=municipality_code,
    )
    try:
        bump_revision(session)
        if expected_version is None:
            try:
                with session.begin_nested():
                    entry_id = session.execute(
                        insert(PRICING).values(
                            municipality_code=municipality_code, valid_from=start, version=1, **values
                        )
                    ).inserted_primary_key[0]
            except IntegrityError:
                _fail(session, StaleEdit(_pricing_entry(session, municipality_code, start), None))
            changes = [audit.Change("municipal_pricing", entry_id, "created", "valid_from", None, start)]
            changes += [audit.Change("municipal_pricing", entry_id, "created", k, None, v) for k, v in values.items()]
        else:
            old = _pricing_entry(session, municipality_code, start)
            changed = session.execute(
                update(PRICING)
                .where(
                    PRICING.c.municipality_code == municipality_code,
                    PRICING.c.valid_from == start,
                    PRICING.c.version == expected_version,
                )
                .values(version=PRICING.c.version + 1, **values)
            ).rowcount
            if changed != 1 or old is None:
                session.rollback()
                current = _pricing_entry(session, municipality_code, start)
                raise StaleEdit(current, current.version if current else None)
            entry_id = old.id
            changes = [
                audit.Change("municipal_pricing", entry_id, "updated", k, getattr(old, k), v)
                for k, v in values.items()
                if getattr(old, k) != v
            ]
        audit.record(session, actor, where, changes, channel=channel, request_id=request_id)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    entry = _pricing_entry(session, municipality_code, start)
    assert entry is not None
    return entry


# ---------- appointment times ----------


@dataclass(frozen=True)
class WeeklySchedule:
    """Times to offer every chosen weekday (0 = Monday) from ``first_day`` to ``last_day``, both included."""

    weekdays: frozenset[int]
    times: tuple[time, ...]
    length_minutes: int
    first_day: date
    last_day: date
    channel: str = "in_person"
    capacity: int = 1


@dataclass(frozen=True)
class AddedTimes:
    created: tuple[int, ...]  # the new (or reopened) times' ids
    already_there: int  # times the service point already offers: left as they are
    closed_days: tuple[date, ...]  # the chosen weekdays skipped: the closed days given, and public holidays


def schedule_starts(
    schedule: WeeklySchedule, closed_days: Iterable[date] = (), *, skip_public_holidays: bool = True
) -> tuple[list[datetime], list[date]]:
    """The start times the schedule makes (naive Helsinki wall times) and the days skipped as closed: the given
    closed days and, unless told otherwise, the Finnish public holidays, Midsummer Eve and Christmas Eve
    (configurator.legal_calendar), when nobody expects a service point to be open."""
    closed = set(closed_days)
    starts: list[datetime] = []
    skipped: list[date] = []
    day = schedule.first_day
    while day <= schedule.last_day:
        if day.weekday() in schedule.weekdays:
            if day in closed or (skip_public_holidays and holiday_name(day) is not None):
                skipped.append(day)
            else:
                starts.extend(datetime.combine(day, t) for t in sorted(set(schedule.times)))
        day += timedelta(days=1)
    return starts, skipped


def _check_schedule(schedule: WeeklySchedule, moment: datetime) -> None:
    errors: list[FieldError] = []
    if not schedule.weekdays or not schedule.weekdays <= set(range(7)):
        errors.append(_error("weekdays", "weekdays_missing"))
    if not schedule.times:
        errors.append(_error("times", "times_missing"))
    low, high = LENGTH_MINUTES
    if not low <= schedule.length_minutes <= high:
        errors.append(_error("length_minutes", "length_out_of_bounds", min=low, max=high))
    if not 1 <= schedule.capacity <= CAPACITY_MAX:
        errors.append(_error("capacity", "capacity_out_of_bounds", max=CAPACITY_MAX))
    if schedule.channel not in APPOINTMENT_CHANNELS:
        errors.append(_error("channel", "channel_unknown"))
    if schedule.first_day < moment.date():
        errors.append(_error("first_day", "time_in_past"))
    if schedule.last_day < schedule.first_day:
        errors.append(_error("last_day", "dates_reversed"))
    elif (schedule.last_day - schedule.first_day).days >= SCHEDULE_DAYS_MAX:
        errors.append(_error("last_day", "dates_too_long", max=SCHEDULE_DAYS_MAX))
    if errors:
        raise InvalidChange(errors)


def add_appointment_times(
    session: Session,
    actor: Actor,
    location_id: int,
    schedule: WeeklySchedule,
    *,
    closed_days: Iterable[date] = (),
    skip_public_holidays: bool = True,
    channel: str = "page",
    request_id: str | None = None,
    now: datetime | None = None,
) -> AddedTimes:
    """Offer the schedule's times at the service point (see ``schedule_starts`` for the closed days).

    A time that has already started is refused (``InvalidChange`` on ``first_day`` or ``times``); a time the point
    already offers on the same channel is left as it is (so running a schedule twice adds nothing), and one the
    organiser had cancelled is offered again, empty. Each time added is audited.
    """
    location = _location(session, actor, location_id, ecec=False)
    moment = _moment(now)
    _check_schedule(schedule, moment)
    starts, skipped = schedule_starts(schedule, closed_days, skip_public_holidays=skip_public_holidays)
    if len(starts) > SCHEDULE_TIMES_MAX:
        raise InvalidChange([_error("last_day", "too_many_times", max=SCHEDULE_TIMES_MAX)])
    if any(start <= moment for start in starts):
        past_field = "first_day" if schedule.first_day < moment.date() else "times"
        raise InvalidChange([_error(past_field, "time_in_past")])
    existing = {
        row.starts_at: row
        for row in session.execute(
            select(SLOT.c.id, SLOT.c.starts_at, SLOT.c.cancelled_at).where(
                SLOT.c.location_id == location_id,
                SLOT.c.channel == schedule.channel,
                SLOT.c.starts_at.in_(starts) if starts else SLOT.c.id.is_(None),
            )
        )
    }
    created: list[int] = []
    changes: list[audit.Change] = []
    details = {
        "duration_minutes": schedule.length_minutes,
        "channel": schedule.channel,
        "capacity": schedule.capacity,
    }
    try:
        bump_revision(session)
        for start in starts:
            found = existing.get(start)
            if found is not None and found.cancelled_at is None:
                continue
            if found is not None:  # cancelled earlier: offered again
                reopened = session.execute(
                    update(SLOT)
                    .where(SLOT.c.id == found.id, SLOT.c.cancelled_at.is_not(None), SLOT.c.booked == 0)
                    .values(
                        cancelled_at=None,
                        duration_minutes=schedule.length_minutes,
                        capacity=schedule.capacity,
                        version=SLOT.c.version + 1,
                    )
                ).rowcount
                if reopened != 1:
                    continue
                slot_id = found.id
                action = "reopened"
            else:
                try:
                    with session.begin_nested():
                        slot_id = session.execute(
                            insert(SLOT).values(
                                location_id=location_id,
                                starts_at=start,
                                booked=0,
                                version=1,
                                duration_minutes=schedule.length_minutes,
                                channel=schedule.channel,
                                capacity=schedule.capacity,
                            )
                        ).inserted_primary_key[0]
                except IntegrityError:  # added by someone else meanwhile: theirs stands
                    continue
                action = "created"
            created.append(slot_id)
            changes.append(
                audit.Change("appointment_slot", slot_id, action, "starts_at", None, {"starts_at": start, **details})
            )
        audit.record(session, actor, _where(session, location), changes, channel=channel, request_id=request_id)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return AddedTimes(tuple(created), len(starts) - len(created), tuple(skipped))


@dataclass(frozen=True)
class SlotState:
    id: int
    starts_at: datetime
    channel: str
    capacity: int
    booked: int
    cancelled: bool
    version: int


def slot_states(session: Session, slot_ids: Iterable[int]) -> dict[int, SlotState]:
    """The times as stored (for the page to show with their versions, and for ``StaleEdit``)."""
    rows = session.execute(select(SLOT).where(SLOT.c.id.in_(list(slot_ids))))
    return {
        r.id: SlotState(r.id, r.starts_at, r.channel, r.capacity, r.booked, r.cancelled_at is not None, r.version)
        for r in rows
    }


@dataclass(frozen=True)
class CancelledTimes:
    slot_ids: tuple[int, ...]
    reservation_ids: tuple[int, ...]  # the reservations cancelled with them; each person got one message


def cancel_appointment_times(
    session: Session,
    actor: Actor,
    location_id: int,
    slots: Mapping[int, int],
    *,
    channel: str = "page",
    request_id: str | None = None,
    now: datetime | None = None,
) -> CancelledTimes:
    """Cancel the service point's times ``slots`` (slot id -> the version the page showed), with their
    reservations: each person gets a message in their own space.

    Nothing is freed twice: each reservation is cancelled with a guarded UPDATE (``status = 'confirmed'``), so a
    person cancelling their own at the same moment wins or loses as a whole, and ``booked`` drops by exactly the
    reservations cancelled here. The version check on each time, made while it is locked and after its
    reservations, refuses the whole cancellation (``StaleEdit`` with the times as stored) if anyone reserved or
    cancelled since the page was shown, so a reservation is never left confirmed on a cancelled time; once a time
    is cancelled, a citizen's reservation in flight finds it gone (``NoRoom``). A time that has started is refused
    (``InvalidChange``).
    """
    _location(session, actor, location_id, ecec=False)
    if not slots:
        raise InvalidChange([_error("slots", "slots_missing")])
    moment = _moment(now)
    stored = slot_states(session, slots)
    location_of = dict(session.execute(select(SLOT.c.id, SLOT.c.location_id).where(SLOT.c.id.in_(list(slots)))).all())
    if set(stored) != set(slots) or any(location_of[i] != location_id for i in slots):
        raise NotFound(location_id)
    if any(state.starts_at <= moment for state in stored.values()):
        raise InvalidChange([_error("slots", "time_in_past")])
    location = session.get(ServiceLocation, location_id)
    cancelled_at = timestamp()
    changes: list[audit.Change] = []
    reservation_ids: list[int] = []
    try:
        for slot_id in sorted(slots):
            taken_back = 0
            confirmed = session.scalars(
                select(RESERVATION.c.id)
                .where(RESERVATION.c.slot_id == slot_id, RESERVATION.c.status == "confirmed")
                .order_by(RESERVATION.c.id)
            ).all()
            for reservation_id in confirmed:
                if (
                    session.execute(
                        update(RESERVATION)
                        .where(RESERVATION.c.id == reservation_id, RESERVATION.c.status == "confirmed")
                        .values(status="cancelled", cancelled_at=cancelled_at)
                    ).rowcount
                    == 1
                ):
                    taken_back += 1
                    reservation_ids.append(reservation_id)
            changed = session.execute(
                update(SLOT)
                .where(SLOT.c.id == slot_id, SLOT.c.version == slots[slot_id], SLOT.c.cancelled_at.is_(None))
                .values(cancelled_at=cancelled_at, booked=SLOT.c.booked - taken_back, version=SLOT.c.version + 1)
            ).rowcount
            if changed != 1:
                session.rollback()
                current = slot_states(session, slots)
                raise StaleEdit(current, current[slot_id].version if slot_id in current else None)
            changes.append(
                audit.Change(
                    "appointment_slot",
                    slot_id,
                    "cancelled",
                    "cancelled_at",
                    None,
                    {"starts_at": stored[slot_id].starts_at, "reservations_cancelled": taken_back},
                )
            )
        bump_revision(session)
        for reservation_id in reservation_ids:
            reservation = session.get(Reservation, reservation_id, populate_existing=True)
            if reservation.person_id is None:  # a guest's visit (no own space): the name and number go with it
                reservation.guest_name = reservation.guest_phone = None
                continue
            person = session.get(Person, reservation.person_id)
            notify(
                person,
                "appointment_cancelled_by_organiser",
                message_values(reservation, location),
                link=reservation_path(reservation),
            )
        audit.record(session, actor, _where(session, location), changes, channel=channel, request_id=request_id)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return CancelledTimes(tuple(sorted(slots)), tuple(reservation_ids))


__all__ = [
    "Actor",
    "AddedTimes",
    "AvailabilityRow",
    "AvailabilityState",
    "CancelledTimes",
    "ChangeError",
    "FieldError",
    "InvalidChange",
    "MESSAGES",
    "NotFound",
    "PriceEntry",
    "PricingEntry",
    "SlotState",
    "StaleEdit",
    "WeeklySchedule",
    "add_appointment_times",
    "all_or_nothing",
    "availability_state",
    "cancel_appointment_times",
    "confirm_availability_unchanged",
    "schedule_starts",
    "set_municipal_pricing",
    "set_unit_price",
    "slot_states",
    "update_availability",
]
