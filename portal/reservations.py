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
uses: the before-flush hook bumps the revision first); a cancellation locks its reservation row and
then gives the place back.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from configurator import clock
from configurator.catalogue import AGE_GROUPS

from .account import notify
from .account_models import Person, Reservation, timestamp
from .catalogue_cache import bump_revision
from .models import AppointmentSlot, Availability, ServiceLocation

SLOT = AppointmentSlot.__table__
AVAILABILITY = Availability.__table__
RESERVATION = Reservation.__table__


class ReservationError(Exception):
    """A reservation or cancellation that cannot be made; nothing was changed."""


class NoRoom(ReservationError):
    """The slot is full or has started, or the unit has no free place in the age group (or no such row)."""


class AlreadyReserved(ReservationError):
    """The person already holds a confirmed reservation of this slot (or of a place at this unit for this child)."""


class NotCancellable(ReservationError):
    """The reservation is already cancelled, or the appointment has already started."""


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


def _holds(session: Session, person: Person, slot_id: int) -> bool:
    """Whether the person already has a confirmed reservation of the slot."""
    return session.scalar(select(RESERVATION.c.id).where(
        RESERVATION.c.person_id == person.id, RESERVATION.c.slot_id == slot_id,
        RESERVATION.c.status == "confirmed").limit(1)) is not None


def _confirm(session: Session, person: Person, reservation: Reservation) -> Reservation:
    """Store the reservation taken by a guarded UPDATE, with its confirmation message, and commit."""
    session.add(reservation)
    session.flush()
    _finish(session, person, reservation, "reservation_confirmed")
    return reservation


def reserve_appointment(session: Session, person: Person, slot_id: int, acting_for: str = "self",
                        acting_for_name: str | None = None, *, now: datetime | None = None) -> Reservation:
    """Take one place of the slot for ``person``; raises ``NoRoom`` or ``AlreadyReserved`` (and changes nothing).

    ``now`` is the moment that counts as now (the portal passes its own clock, which honours POLKU_TODAY;
    see ``wall_time``); a slot that starts at or before it cannot be reserved. ``created_at`` is the real time.
    """
    moment = wall_time(now)
    try:
        taken = session.execute(
            update(SLOT)
            .where(SLOT.c.id == slot_id, SLOT.c.booked < SLOT.c.capacity, SLOT.c.starts_at > moment)
            .values(booked=SLOT.c.booked + 1)
        ).rowcount
        if taken != 1:
            raise AlreadyReserved(slot_id) if _holds(session, person, slot_id) else NoRoom(slot_id)
        # The slot row is locked by this transaction now: a concurrent double submit waits here and then
        # sees the first one's committed reservation.
        if _holds(session, person, slot_id):
            raise AlreadyReserved(slot_id)
        slot = session.get(AppointmentSlot, slot_id, populate_existing=True)
        return _confirm(session, person, Reservation(
            person=person, kind="appointment", location_id=slot.location_id, slot=slot,
            acting_for=acting_for or "self", acting_for_name=acting_for_name, status="confirmed",
            created_at=timestamp()))
    except BaseException:
        session.rollback()
        raise


def reserve_ecec_place(session: Session, person: Person, location_id: int, age_group: str, starts_on: date,
                       acting_for: str = "self", acting_for_name: str | None = None) -> Reservation:
    """Take one free place of the unit's age group; raises ``NoRoom`` or ``AlreadyReserved`` (and changes nothing).

    One confirmed place per child (``acting_for``) per unit.
    """
    if age_group not in AGE_GROUPS:
        raise ValueError(f"unknown age group {age_group!r}")
    try:
        # The revision first: the same lock order as an ORM write of availability (see the module's docstring).
        bump_revision(session)
        taken = session.execute(
            update(AVAILABILITY)
            .where(AVAILABILITY.c.location_id == location_id, AVAILABILITY.c.age_group == age_group,
                   AVAILABILITY.c.free_places > 0)
            .values(free_places=AVAILABILITY.c.free_places - 1)
        ).rowcount
        if taken != 1:
            raise NoRoom(location_id)
        if session.scalar(select(RESERVATION.c.id).where(
                RESERVATION.c.person_id == person.id, RESERVATION.c.kind == "ecec_place",
                RESERVATION.c.location_id == location_id, RESERVATION.c.acting_for == (acting_for or "self"),
                RESERVATION.c.status == "confirmed").limit(1)) is not None:
            raise AlreadyReserved(location_id)
        return _confirm(session, person, Reservation(
            person=person, kind="ecec_place", location_id=location_id, age_group=age_group, starts_on=starts_on,
            acting_for=acting_for or "self", acting_for_name=acting_for_name, status="confirmed",
            created_at=timestamp()))
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
            session.execute(update(SLOT).where(SLOT.c.id == reservation.slot_id, SLOT.c.booked > 0)
                            .values(booked=SLOT.c.booked - 1))
        else:
            bump_revision(session)
            session.execute(update(AVAILABILITY)
                            .where(AVAILABILITY.c.location_id == reservation.location_id,
                                   AVAILABILITY.c.age_group == reservation.age_group)
                            .values(free_places=AVAILABILITY.c.free_places + 1))
        session.refresh(reservation)
        _finish(session, person, reservation, "reservation_cancelled")
        return reservation
    except BaseException:
        session.rollback()
        raise
