"""Reservations: an appointment time at a service point, or a place at an ECEC unit.

No Flask request code here: every function takes the SQLAlchemy session it works in and commits it
(or rolls it back and raises a domain exception), so the web views, scripts and the concurrency tests
call the same code.

The place itself is taken with one guarded UPDATE (``booked < capacity``, ``free_places > 0``) in the
same transaction as the reservation and its message. Under PostgreSQL's READ COMMITTED a second
UPDATE of the same row waits for the first transaction and then re-checks the guard on the committed
row, so two people never get the last place; SQLite serialises writers (the first DML statement of a
transaction waits for the write lock, up to the connection's busy timeout). Duplicate checks run after
the guarded UPDATE, when the row lock is held, so they see every committed reservation of that row.

Lock order is the same everywhere, so transactions cannot deadlock: an ECEC reservation bumps the
catalogue revision first and then updates ``availability`` (the order an ORM flush of availability
uses: the before-flush hook bumps the revision first); a cancellation, and the replacement of a place,
lock the reservation row first and then the revision and ``availability``.

The reservation rules (one confirmed ECEC place per child and start date; one confirmed appointment per
person, service point and day unless the point allows more) are checked here first, so the page can say
what is wrong, and are kept by the partial unique indexes of ``Reservation`` whatever happens: a
concurrent transaction that slips past the check fails on the index, and its ``IntegrityError`` is turned
into ``AlreadyReserved`` after a rollback, so no counter changes.

Every guarded UPDATE of a slot or an availability row also raises its ``version``, so an organiser's edit made
from a page that showed the numbers before a reservation is refused instead of overwriting it
(portal/organisers/changes.py); a time the organiser cancelled (``cancelled_at``) is never reserved.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from configurator import clock
from configurator.catalogue import AGE_GROUPS

from ..account_models import Person, Reservation, timestamp
from ..catalogue_cache import bump_revision
from ..models import AppointmentSlot, Availability, ServiceLocation
from ..own.messages import notify

SLOT = AppointmentSlot.__table__
AVAILABILITY = Availability.__table__
RESERVATION = Reservation.__table__


class ReservationError(Exception):
    """A reservation or cancellation that cannot be made; nothing was changed."""


class NoRoom(ReservationError):
    """The slot is full or has started, or the unit has no free place in the age group (or no such row)."""


class AlreadyReserved(ReservationError):
    """The person already holds a confirmed reservation of this slot (or of a place at this unit for this child)."""


class PlaceHeld(AlreadyReserved):
    """The child already holds a confirmed place from the same start date at another unit (``existing_id``);
    the person may replace it with ``replace_ecec_place``."""

    def __init__(self, existing_id: int) -> None:
        super().__init__(existing_id)
        self.existing_id = existing_id


class DayLimitReached(AlreadyReserved):
    """The person already holds as many confirmed appointments at this service point on that day as it allows."""

    def __init__(self, location_id: int, day: date, limit: int) -> None:
        super().__init__(location_id, day, limit)
        self.location_id, self.day, self.limit = location_id, day, limit


class NotCancellable(ReservationError):
    """The reservation is already cancelled, or the appointment has already started."""


class InvalidPhone(ValueError):
    """A phone number that cannot be called: ``reason`` is ``missing``, ``too_long`` or ``invalid``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


PHONE_MAX_LENGTH = 30  # characters as typed, spaces included
# Finnish numbers with the trunk 0 (7-12 digits: 09 12345, 040 123 4567, 0800 123 456), or international
# ones with + or 00 and a country code (E.164: at most 15 digits). Spaces, hyphens and brackets are ignored.
# ASCII digits only: other scripts' digits (٠٤٠, ０４０) would be stored as a number nobody can dial.
_FINNISH_PHONE = re.compile(r"0[1-9]\d{5,10}", re.ASCII)
_INTERNATIONAL_PHONE = re.compile(r"(?:\+|00)[1-9]\d{6,14}", re.ASCII)
_PHONE_SEPARATORS = re.compile(r"[\s\-()]", re.ASCII)
_PHONE_CHARACTERS = re.compile(r"\+?[\d\s\-()]+", re.ASCII)


def clean_phone(raw: str | None) -> str:
    """The phone number to call for an appointment by phone, as typed with its spaces tidied up
    (``040  123 4567 `` -> ``040 123 4567``); raises ``InvalidPhone``."""
    shown = " ".join((raw or "").split())
    if not shown:
        raise InvalidPhone("missing")
    if len(shown) > PHONE_MAX_LENGTH:
        raise InvalidPhone("too_long")
    digits = _PHONE_SEPARATORS.sub("", shown)
    if not _PHONE_CHARACTERS.fullmatch(shown) or not (
        _FINNISH_PHONE.fullmatch(digits) or _INTERNATIONAL_PHONE.fullmatch(digits)
    ):
        raise InvalidPhone("invalid")
    return shown


def wall_time(now: datetime | None = None) -> datetime:
    """``now`` as the naive Helsinki wall time appointment slots are stored in, to the second.

    An aware moment is converted (the portal's clock gives one); a naive one is taken to be Helsinki wall
    time already (scripts and tests); None is the real moment. Slots are compared in Helsinki time, so a
    server in UTC does not let a time be reserved for two or three hours after it has started.
    """
    if now is None:
        now = clock.now()
    if now.tzinfo is not None and now.utcoffset() is not None:
        now = clock.local_naive(now)
    return now.replace(microsecond=0)


def has_started(slot: AppointmentSlot, now: datetime | None = None) -> bool:
    """Whether the appointment time has started (at or before ``now``, in Helsinki time): it is then in the
    past for reserving and cancelling, the same rule the guarded UPDATE applies."""
    return slot.starts_at <= wall_time(now)


def reservation_path(reservation: Reservation) -> str:
    """The reservation's page without the language prefix (message links are stored like this)."""
    return f"/own/reservations/{reservation.id}"


def message_values(reservation: Reservation, location: ServiceLocation | None = None) -> dict[str, Any]:
    location = location or reservation.location
    slot = reservation.slot
    return {
        "kind": reservation.kind,
        "place": location.name if location is not None else None,  # shown if the place is gone
        "location_id": location.id if location is not None else None,  # its name in the reader's language
        "starts_at": slot.starts_at.isoformat() if slot is not None else None,
        "starts_on": reservation.starts_on.isoformat() if reservation.starts_on else None,
        "for": reservation.acting_for_name,
    }


def _finish(session: Session, person: Person, reservation: Reservation, kind: str) -> None:
    """Add the message for ``reservation`` and commit the whole transaction."""
    notify(person, kind, message_values(reservation), link=reservation_path(reservation))
    session.commit()


UNIQUE_RULES = ("uq_reservation_ecec_child_start", "uq_reservation_appointment_day")


def _breaks_a_rule(error: IntegrityError) -> bool:
    """Whether the error is one of the reservation rules' unique indexes (any other error is a bug: re-raised)."""
    original = error.orig
    diagnostics = getattr(original, "diag", None)
    if diagnostics is not None:  # psycopg names the index
        return getattr(original, "sqlstate", None) == "23505" and diagnostics.constraint_name in UNIQUE_RULES
    return str(original).startswith("UNIQUE constraint failed: reservation.")  # SQLite names the columns


def _holds(session: Session, person: Person, slot_id: int) -> bool:
    """Whether the person already has a confirmed reservation of the slot."""
    return (
        session.scalar(
            select(RESERVATION.c.id)
            .where(
                RESERVATION.c.person_id == person.id,
                RESERVATION.c.slot_id == slot_id,
                RESERVATION.c.status == "confirmed",
            )
            .limit(1)
        )
        is not None
    )


def _confirm(session: Session, person: Person, reservation_id: int) -> Reservation:
    """Add the confirmation message of the reservation just inserted and commit everything."""
    reservation = session.get(Reservation, reservation_id)
    _finish(session, person, reservation, "reservation_confirmed")
    return reservation


def daily_limit(session: Session, location_id: int) -> int:
    """How many confirmed appointments one person may hold at the service point on one day."""
    return max(
        1,
        session.scalar(select(ServiceLocation.appointments_per_person_per_day).where(ServiceLocation.id == location_id))
        or 1,
    )


def _taken_ordinals(session: Session, person_id: int, acting_for: str, location_id: int, day: date) -> set[int]:
    """The ordinals of the confirmed appointments the person holds at the point on that day."""
    return set(
        session.scalars(
            select(RESERVATION.c.day_ordinal).where(
                RESERVATION.c.person_id == person_id,
                RESERVATION.c.acting_for == acting_for,
                RESERVATION.c.location_id == location_id,
                RESERVATION.c.appointment_on == day,
                RESERVATION.c.kind == "appointment",
                RESERVATION.c.status == "confirmed",
            )
        )
    )


def _insert_appointment(session: Session, values: dict[str, Any], limit: int) -> int:
    """Insert the appointment with the first free ordinal of its day up to ``limit``; raises ``DayLimitReached``.

    Each attempt is a savepoint: under PostgreSQL a concurrent transaction that took the same ordinal makes the
    insert wait for it and then fail on the unique index, and the next ordinal is tried (with the point allowing
    two, two racing reservations both succeed); with one allowed the index refuses the second.
    """
    taken = _taken_ordinals(
        session, values["person_id"], values["acting_for"], values["location_id"], values["appointment_on"]
    )
    for ordinal in range(1, limit + 1):
        if ordinal in taken:
            continue
        try:
            with session.begin_nested():
                return session.execute(insert(RESERVATION).values(**values, day_ordinal=ordinal)).inserted_primary_key[
                    0
                ]
        except IntegrityError as error:
            if not _breaks_a_rule(error):
                raise
    raise DayLimitReached(values["location_id"], values["appointment_on"], limit)


def reserve_appointment(
    session: Session,
    person: Person,
    slot_id: int,
    acting_for: str = "self",
    acting_for_name: str | None = None,
    *,
    phone: str | None = None,
    now: datetime | None = None,
) -> Reservation:
    """Take one place of the slot for ``person``; raises ``NoRoom`` or ``AlreadyReserved`` (``DayLimitReached``
    when the person already holds as many appointments at the point on that day as it allows) and changes nothing.

    ``now`` is the moment that counts as now (the portal passes its own clock, which honours POLKU_TODAY;
    see ``wall_time``); a slot that starts at or before it cannot be reserved. ``created_at`` is the real time.
    ``phone`` (already checked with ``clean_phone``) is kept only for an appointment by phone.
    """
    moment = wall_time(now)
    subject = acting_for or "self"
    try:
        taken = session.execute(
            update(SLOT)
            .where(
                SLOT.c.id == slot_id,
                SLOT.c.booked < SLOT.c.capacity,
                SLOT.c.starts_at > moment,
                SLOT.c.cancelled_at.is_(None),  # the organiser cancelled the time
            )
            .values(booked=SLOT.c.booked + 1, version=SLOT.c.version + 1)
        ).rowcount
        if taken != 1:
            raise AlreadyReserved(slot_id) if _holds(session, person, slot_id) else NoRoom(slot_id)
        # The slot row is locked by this transaction now: a concurrent double submit waits here and then
        # sees the first one's committed reservation.
        if _holds(session, person, slot_id):
            raise AlreadyReserved(slot_id)
        slot = session.get(AppointmentSlot, slot_id, populate_existing=True)
        reservation_id = _insert_appointment(
            session,
            {
                "person_id": person.id,
                "kind": "appointment",
                "location_id": slot.location_id,
                "slot_id": slot.id,
                "appointment_on": slot.starts_at.date(),
                "acting_for": subject,
                "acting_for_name": acting_for_name,
                "phone": phone if slot.channel == "phone" else None,
                "status": "confirmed",
                "created_at": timestamp(),
            },
            daily_limit(session, slot.location_id),
        )
        return _confirm(session, person, reservation_id)
    except BaseException:
        session.rollback()
        raise


def _take_place(session: Session, location_id: int, age_group: str) -> None:
    """One free place of the unit's age group, with a guarded UPDATE; raises ``NoRoom``."""
    taken = session.execute(
        update(AVAILABILITY)
        .where(
            AVAILABILITY.c.location_id == location_id,
            AVAILABILITY.c.age_group == age_group,
            AVAILABILITY.c.free_places > 0,
        )
        .values(free_places=AVAILABILITY.c.free_places - 1, version=AVAILABILITY.c.version + 1)
    ).rowcount
    if taken != 1:
        raise NoRoom(location_id)


def held_place(session: Session, person_id: int, acting_for: str, starts_on: date) -> int | None:
    """The id of the child's confirmed ECEC place from ``starts_on``, if there is one."""
    return session.scalar(
        select(RESERVATION.c.id)
        .where(
            RESERVATION.c.person_id == person_id,
            RESERVATION.c.acting_for == acting_for,
            RESERVATION.c.starts_on == starts_on,
            RESERVATION.c.kind == "ecec_place",
            RESERVATION.c.status == "confirmed",
        )
        .limit(1)
    )


def _check_place_rules(session: Session, person: Person, acting_for: str, location_id: int, starts_on: date) -> None:
    """One confirmed place per child at a unit, and one per child and start date (``PlaceHeld`` names it)."""
    if (
        session.scalar(
            select(RESERVATION.c.id)
            .where(
                RESERVATION.c.person_id == person.id,
                RESERVATION.c.kind == "ecec_place",
                RESERVATION.c.location_id == location_id,
                RESERVATION.c.acting_for == acting_for,
                RESERVATION.c.status == "confirmed",
            )
            .limit(1)
        )
        is not None
    ):
        raise AlreadyReserved(location_id)
    existing = held_place(session, person.id, acting_for, starts_on)
    if existing is not None:
        raise PlaceHeld(existing)


def _insert_place(session: Session, person: Person, values: dict[str, Any]) -> int:
    """Insert the ECEC place; a concurrent place for the same child and start date fails on the index and
    becomes ``PlaceHeld`` (or ``AlreadyReserved``) after the rollback, so no free place is taken."""
    try:
        return session.execute(insert(RESERVATION).values(values)).inserted_primary_key[0]
    except IntegrityError as error:
        if not _breaks_a_rule(error):
            raise
        session.rollback()
        existing = held_place(session, person.id, values["acting_for"], values["starts_on"])
        raise PlaceHeld(existing) if existing is not None else AlreadyReserved(values["location_id"]) from error


def _place_values(
    person: Person, location_id: int, age_group: str, starts_on: date, acting_for: str, acting_for_name: str | None
) -> dict[str, Any]:
    if age_group not in AGE_GROUPS:
        raise ValueError(f"unknown age group {age_group!r}")
    return {
        "person_id": person.id,
        "kind": "ecec_place",
        "location_id": location_id,
        "age_group": age_group,
        "starts_on": starts_on,
        "acting_for": acting_for,
        "acting_for_name": acting_for_name,
        "status": "confirmed",
        "created_at": timestamp(),
    }


def reserve_ecec_place(
    session: Session,
    person: Person,
    location_id: int,
    age_group: str,
    starts_on: date,
    acting_for: str = "self",
    acting_for_name: str | None = None,
) -> Reservation:
    """Take one free place of the unit's age group; raises ``NoRoom`` or ``AlreadyReserved`` (and changes nothing).

    One confirmed place per child (``acting_for``) per unit, and one per child and start date: a place from the
    same start date at another unit raises ``PlaceHeld`` with its id, for the page to offer ``replace_ecec_place``.
    """
    subject = acting_for or "self"
    values = _place_values(person, location_id, age_group, starts_on, subject, acting_for_name)
    try:
        # The revision first: the same lock order as an ORM write of availability (see the module's docstring).
        bump_revision(session)
        _take_place(session, location_id, age_group)
        _check_place_rules(session, person, subject, location_id, starts_on)
        return _confirm(session, person, _insert_place(session, person, values))
    except BaseException:
        session.rollback()
        raise


def replace_ecec_place(
    session: Session,
    person: Person,
    replaced_id: int,
    location_id: int,
    age_group: str,
    starts_on: date,
    acting_for: str = "self",
    acting_for_name: str | None = None,
) -> Reservation:
    """Cancel the child's place ``replaced_id`` and take one at ``location_id`` instead, in one transaction.

    Other families never see both places taken or both free: the first place is given back and the new one taken
    before either is committed. Raises ``NotCancellable`` when ``replaced_id`` is not the person's confirmed place
    for this child and start date (cancelled or replaced meanwhile), ``NoRoom`` when the new unit has no free
    place, ``AlreadyReserved``/``PlaceHeld`` as ``reserve_ecec_place``; then nothing has changed and the first
    place is still held. Both places get their message (cancelled, confirmed).
    """
    subject = acting_for or "self"
    values = _place_values(person, location_id, age_group, starts_on, subject, acting_for_name)
    try:
        # The reservation row first, as cancel() locks it (see the module's docstring for the lock order).
        changed = session.execute(
            update(RESERVATION)
            .where(
                RESERVATION.c.id == replaced_id,
                RESERVATION.c.person_id == person.id,
                RESERVATION.c.kind == "ecec_place",
                RESERVATION.c.status == "confirmed",
                RESERVATION.c.acting_for == subject,
                RESERVATION.c.starts_on == starts_on,
                RESERVATION.c.location_id != location_id,
            )
            .values(status="cancelled", cancelled_at=timestamp())
        ).rowcount
        if changed != 1:
            raise NotCancellable(replaced_id)
        replaced = session.get(Reservation, replaced_id, populate_existing=True)
        bump_revision(session)
        session.execute(
            update(AVAILABILITY)
            .where(AVAILABILITY.c.location_id == replaced.location_id, AVAILABILITY.c.age_group == replaced.age_group)
            .values(free_places=AVAILABILITY.c.free_places + 1, version=AVAILABILITY.c.version + 1)
        )
        _take_place(session, location_id, age_group)
        _check_place_rules(session, person, subject, location_id, starts_on)
        reservation_id = _insert_place(session, person, values)
        notify(person, "reservation_cancelled", message_values(replaced), link=reservation_path(replaced))
        return _confirm(session, person, reservation_id)
    except BaseException:
        session.rollback()
        raise


def can_cancel(reservation: Reservation, now: datetime | None = None) -> bool:
    """Confirmed, and not an appointment that has already started."""
    if reservation.status != "confirmed":
        return False
    return reservation.slot is None or not has_started(reservation.slot, now)


def cancel(session: Session, reservation: Reservation, *, now: datetime | None = None) -> Reservation:
    """Cancel a confirmed reservation and give its place back; raises ``NotCancellable`` (and changes nothing)."""
    moment = wall_time(now)
    if not can_cancel(reservation, moment):
        raise NotCancellable(reservation.id)
    person, reservation_id = reservation.person, reservation.id
    try:
        # Guarded, so two cancellations at once give the place back only once.
        changed = session.execute(
            update(RESERVATION)
            .where(RESERVATION.c.id == reservation_id, RESERVATION.c.status == "confirmed")
            .values(status="cancelled", cancelled_at=timestamp())
        ).rowcount
        if changed != 1:
            raise NotCancellable(reservation_id)
        if reservation.kind == "appointment":
            session.execute(
                update(SLOT)
                .where(SLOT.c.id == reservation.slot_id, SLOT.c.booked > 0)
                .values(booked=SLOT.c.booked - 1, version=SLOT.c.version + 1)
            )
        else:
            bump_revision(session)
            session.execute(
                update(AVAILABILITY)
                .where(
                    AVAILABILITY.c.location_id == reservation.location_id,
                    AVAILABILITY.c.age_group == reservation.age_group,
                )
                .values(free_places=AVAILABILITY.c.free_places + 1, version=AVAILABILITY.c.version + 1)
            )
        session.refresh(reservation)
        _finish(session, person, reservation, "reservation_cancelled")
        return reservation
    except BaseException:
        session.rollback()
        raise
