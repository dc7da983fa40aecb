"""The last places under concurrency: many people reserve the same appointment slot, or the same ECEC
age group of a unit, at the same moment, each on their own connection.

Exactly as many get a place as there is room, the rest get ``NoRoom`` and nothing else goes wrong; the
counters end exactly at capacity; cancelling gives back exactly one place. The reservation rules hold under
races too: one child racing for places at two units from the same start date gets one (the other unit's free
places unchanged), replacing a place while others race for the new unit never overbooks, and one person racing
for times of one day at a service point gets one, or two where the organiser allows two; each also with the
service's own check switched off, so that only the partial unique indexes decide. Runs on a SQLite file
database (serialised writers, the driver's busy timeout) and on PostgreSQL (READ COMMITTED: a waiting
guarded UPDATE re-checks its row after the first transaction commits); the PostgreSQL runs need
``make test`` (scripts/with-postgres.sh sets POLKU_TEST_POSTGRES_URL).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from tests.conftest import TODAY, build_app

N = 20
SLOT_CAPACITY = 3
FREE_PLACES = 2
NOW = datetime.combine(TODAY, time(12, 0))
POSTGRES_URL = os.environ.get("POLKU_TEST_POSTGRES_URL")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The schema and demo data from the app's migrations and loaders; then a pool-less engine, so that
    every thread opens a connection of its own."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('concurrency') / 'polku.db'}"
    else:
        if not POSTGRES_URL:
            if os.environ.get("CI"):
                pytest.fail("POLKU_TEST_POSTGRES_URL is not set: run the suite with `make test`")
            pytest.skip("PostgreSQL is started by `make test` (scripts/with-postgres.sh)")
        url = POSTGRES_URL
    build_app(url)
    engine = create_engine(url, poolclass=NullPool)
    assert engine.dialect.name == request.param
    yield engine
    engine.dispose()


@pytest.fixture()
def people(engine: Engine) -> Iterator[list[int]]:
    """N people; afterwards they go with their reservations and messages (the PostgreSQL database is shared)."""
    from portal.account_models import Message, Person, Reservation

    with Session(engine) as session:
        persons = [
            Person(issuer="test", subject=f"concurrency-{i}-{os.getpid()}-{id(session)}", name=f"Person {i}", claims={})
            for i in range(N)
        ]
        session.add_all(persons)
        session.commit()
        ids = [p.id for p in persons]
    yield ids
    with Session(engine) as session:
        for model in (Message, Reservation):
            session.execute(delete(model).where(model.person_id.in_(ids)))
        session.execute(delete(Person).where(Person.id.in_(ids)))
        session.commit()


@pytest.fixture()
def slot_id(engine: Engine, people: list[int]) -> Iterator[int]:
    """A slot of capacity 3 of its own at a demo service point, tomorrow at an hour no demo slot uses."""
    from portal.models import AppointmentSlot, Service, ServiceLocation

    with Session(engine) as session:
        location_id = session.scalar(
            select(ServiceLocation.id)
            .join(Service, Service.id == ServiceLocation.service_id)
            .where(Service.kind.is_not(None))
            .order_by(ServiceLocation.id)
            .limit(1)
        )
        slot = AppointmentSlot(
            location_id=location_id,
            starts_at=datetime.combine(TODAY + timedelta(days=1), time(5, 17)),
            duration_minutes=30,
            channel="video",
            capacity=SLOT_CAPACITY,
            booked=0,
        )
        session.add(slot)
        session.commit()
        found = slot.id
    yield found
    from portal.account_models import Reservation

    with Session(engine) as session:
        session.execute(delete(Reservation).where(Reservation.slot_id == found))
        session.execute(delete(AppointmentSlot).where(AppointmentSlot.id == found))
        session.commit()


@pytest.fixture()
def availability(engine: Engine, people: list[int]) -> Iterator[tuple[int, str]]:
    """A demo unit's age group with exactly 2 free places (restored afterwards)."""
    from portal.models import Availability

    with Session(engine) as session:
        row = session.scalars(select(Availability).order_by(Availability.id).limit(1)).one()
        key, before = (row.location_id, row.age_group), row.free_places
        row.free_places = FREE_PLACES
        session.commit()
    yield key
    with Session(engine) as session:
        session.execute(
            update(Availability)
            .where(Availability.location_id == key[0], Availability.age_group == key[1])
            .values(free_places=before)
        )
        session.commit()


def race(engine: Engine, person_ids: list[int], attempt: Callable[[Session, Any], Any]) -> tuple[list[Any], list[str]]:
    """Each person on a thread and connection of their own; all start ``attempt`` at the same moment.

    Returns the results and the names of the domain exceptions; any other exception fails the test."""
    from portal.account_models import Person
    from portal.reservations.services import ReservationError

    barrier = threading.Barrier(len(person_ids))
    results: list[Any] = []
    refused: list[str] = []
    unexpected: list[BaseException] = []
    lock = threading.Lock()

    def run(person_id: int) -> None:
        with Session(engine) as session:
            try:
                person = session.get(Person, person_id)
                session.connection()  # connected before the start, so the attempts really overlap
                barrier.wait(timeout=30)
                result = attempt(session, person)
                with lock:
                    results.append(result)
            except ReservationError as refusal:
                with lock:
                    refused.append(type(refusal).__name__)
            except BaseException as error:  # noqa: BLE001 - reported below
                with lock:
                    unexpected.append(error)

    threads = [threading.Thread(target=run, args=(pid,)) for pid in person_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a reservation thread hung"
    assert not unexpected, unexpected
    return results, refused


def test_three_places_of_a_slot_go_to_exactly_three_of_twenty(engine: Engine, people: list[int], slot_id: int) -> None:
    from portal.account_models import Message, Reservation
    from portal.models import AppointmentSlot
    from portal.reservations.services import cancel, reserve_appointment

    results, refused = race(engine, people, lambda s, person: reserve_appointment(s, person, slot_id, now=NOW).id)

    assert len(results) == SLOT_CAPACITY and refused == ["NoRoom"] * (N - SLOT_CAPACITY)
    with Session(engine) as session:
        assert session.get(AppointmentSlot, slot_id).booked == SLOT_CAPACITY
        confirmed = session.scalars(
            select(Reservation).where(Reservation.slot_id == slot_id, Reservation.status == "confirmed")
        ).all()
        assert sorted(r.id for r in confirmed) == sorted(results)
        winners = {r.person_id for r in confirmed}
        assert len(winners) == SLOT_CAPACITY
        assert (
            session.scalar(
                select(func.count())
                .select_from(Message)
                .where(Message.person_id.in_(people), Message.kind == "reservation_confirmed")
            )
            == SLOT_CAPACITY
        )

        cancel(session, session.get(Reservation, results[0]), now=NOW)
        assert session.get(AppointmentSlot, slot_id, populate_existing=True).booked == SLOT_CAPACITY - 1

    # The freed place goes to exactly one of the others who try again at once.
    losers = [pid for pid in people if pid not in winners]
    results, refused = race(engine, losers, lambda s, person: reserve_appointment(s, person, slot_id, now=NOW).id)
    assert len(results) == 1 and refused == ["NoRoom"] * (len(losers) - 1)
    with Session(engine) as session:
        assert session.get(AppointmentSlot, slot_id).booked == SLOT_CAPACITY


def test_a_double_submit_reserves_once(engine: Engine, people: list[int], slot_id: int) -> None:
    """The same person submitting five times at once gets one reservation; the slot counts one place."""
    from portal.account_models import Reservation
    from portal.models import AppointmentSlot
    from portal.reservations.services import reserve_appointment

    results, refused = race(
        engine, [people[0]] * 5, lambda s, person: reserve_appointment(s, person, slot_id, now=NOW).id
    )
    assert len(results) == 1 and refused == ["AlreadyReserved"] * 4
    with Session(engine) as session:
        assert session.get(AppointmentSlot, slot_id).booked == 1
        assert (
            session.scalar(
                select(func.count())
                .select_from(Reservation)
                .where(Reservation.slot_id == slot_id, Reservation.status == "confirmed")
            )
            == 1
        )


def test_two_cancellations_at_once_give_the_place_back_once(engine: Engine, people: list[int], slot_id: int) -> None:
    from portal.account_models import Person, Reservation
    from portal.models import AppointmentSlot
    from portal.reservations.services import cancel, reserve_appointment

    with Session(engine) as session:
        for pid in people[:2]:
            reserve_appointment(session, session.get(Person, pid), slot_id, now=NOW)
        reservation_id = session.scalar(
            select(Reservation.id).where(Reservation.slot_id == slot_id, Reservation.person_id == people[0])
        )

    def cancel_it(session: Session, person: Any) -> str:
        return cancel(session, session.get(Reservation, reservation_id), now=NOW).status

    results, refused = race(engine, [people[0]] * 4, cancel_it)
    assert results == ["cancelled"] and refused == ["NotCancellable"] * 3
    with Session(engine) as session:
        assert session.get(AppointmentSlot, slot_id).booked == 1


def test_two_free_places_go_to_exactly_two_of_twenty(
    engine: Engine, people: list[int], availability: tuple[int, str]
) -> None:
    from portal.account_models import Message, Reservation
    from portal.catalogue_cache import current_revision
    from portal.models import Availability
    from portal.reservations.services import cancel, reserve_ecec_place

    location_id, group = availability
    starts_on = TODAY + timedelta(days=60)

    def free_places(session: Session) -> int:
        return session.scalar(
            select(Availability.free_places).where(
                Availability.location_id == location_id, Availability.age_group == group
            )
        )

    with Session(engine) as session:
        revision = current_revision(session)
    results, refused = race(
        engine,
        people,
        lambda s, person: reserve_ecec_place(s, person, location_id, group, starts_on, "child:1", "Eeli").id,
    )

    assert len(results) == FREE_PLACES and refused == ["NoRoom"] * (N - FREE_PLACES)
    with Session(engine) as session:
        assert free_places(session) == 0
        # Every reservation that got a place told the catalogue cache; the refused ones changed nothing.
        assert current_revision(session) == revision + FREE_PLACES
        confirmed = session.scalars(
            select(Reservation).where(
                Reservation.location_id == location_id,
                Reservation.kind == "ecec_place",
                Reservation.status == "confirmed",
                Reservation.person_id.in_(people),
            )
        ).all()
        assert sorted(r.id for r in confirmed) == sorted(results)
        assert {(r.age_group, r.starts_on, r.acting_for, r.acting_for_name) for r in confirmed} == {
            (group, starts_on, "child:1", "Eeli")
        }
        assert (
            session.scalar(
                select(func.count())
                .select_from(Message)
                .where(Message.person_id.in_(people), Message.kind == "reservation_confirmed")
            )
            == FREE_PLACES
        )

        cancel(session, session.get(Reservation, results[0]), now=NOW)
        assert free_places(session) == 1
        assert session.get(Reservation, results[0]).status == "cancelled"


# ---------- the reservation rules under races: the partial unique indexes hold whatever the checks see ----------


@pytest.fixture()
def two_units(engine: Engine, people: list[int]) -> Iterator[tuple[str, int, int]]:
    """Two demo units with the same age group, each with exactly 2 free places (restored afterwards)."""
    from portal.models import Availability

    with Session(engine) as session:
        group = session.scalar(select(Availability.age_group).order_by(Availability.id).limit(1))
        rows = session.scalars(
            select(Availability).where(Availability.age_group == group).order_by(Availability.id).limit(2)
        ).all()
        before = {row.location_id: row.free_places for row in rows}
        for row in rows:
            row.free_places = FREE_PLACES
        session.commit()
    first, second = before
    yield group, first, second
    with Session(engine) as session:
        for location_id, free in before.items():
            session.execute(
                update(Availability)
                .where(Availability.location_id == location_id, Availability.age_group == group)
                .values(free_places=free)
            )
        session.commit()


def free_places_at(engine: Engine, group: str, *location_ids: int) -> list[int]:
    from portal.models import Availability

    with Session(engine) as session:
        return [
            session.scalar(
                select(Availability.free_places).where(
                    Availability.location_id == location_id, Availability.age_group == group
                )
            )
            for location_id in location_ids
        ]


def in_turn(values: list[Any]) -> Callable[[], Any]:
    """Hands each racing thread the next value (which unit, which slot)."""
    lock, pending = threading.Lock(), list(values)

    def take() -> Any:
        with lock:
            return pending.pop(0)

    return take


@pytest.mark.parametrize("checked", [True, False], ids=["checked", "index-only"])
def test_one_child_racing_for_two_units_gets_one_place(
    engine: Engine, people: list[int], two_units: tuple[str, int, int], checked: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same child (two tabs, two guardians' double clicks) asks for a place at two units from the same start
    date, twice each, at once: exactly one place is confirmed and the other unit's free places are unchanged.

    ``index-only`` switches the service's own check off, so only the partial unique index stands between the child
    and a second place: the losers' inserts fail on it and are rolled back with their guarded UPDATE."""
    from portal.account_models import Reservation
    from portal.reservations import services as reservations
    from portal.reservations.services import reserve_ecec_place

    if not checked:
        monkeypatch.setattr(reservations, "held_place", lambda *args: None)
    group, first, second = two_units
    starts_on = TODAY + timedelta(days=90)
    unit = in_turn([first, second, first, second])
    results, refused = race(
        engine,
        [people[0]] * 4,
        lambda s, person: reserve_ecec_place(s, person, unit(), group, starts_on, "child:7", "Helmi").location_id,
    )

    assert len(results) == 1 and len(refused) == 3
    # The other unit's request is refused as a place held (the child's first place, offered for replacing) or,
    # with the check off, by the index; the same unit's double submit as already reserved there.
    assert set(refused) <= ({"PlaceHeld", "AlreadyReserved"} if checked else {"AlreadyReserved"})
    [winner] = results
    loser = second if winner == first else first
    assert free_places_at(engine, group, winner, loser) == [FREE_PLACES - 1, FREE_PLACES]
    with Session(engine) as session:
        confirmed = session.scalars(
            select(Reservation).where(Reservation.person_id == people[0], Reservation.status == "confirmed")
        ).all()
        assert [(r.location_id, r.starts_on, r.acting_for) for r in confirmed] == [(winner, starts_on, "child:7")]


def test_replacing_a_place_moves_it_in_one_transaction(
    engine: Engine, people: list[int], two_units: tuple[str, int, int]
) -> None:
    """Families racing for the new unit's places while a guardian replaces a place there: never more places
    given than there are, and the replaced place is free again exactly once."""
    from portal.account_models import Person, Reservation
    from portal.reservations.services import replace_ecec_place, reserve_ecec_place

    group, first, second = two_units
    starts_on = TODAY + timedelta(days=90)
    with Session(engine) as session:
        held = reserve_ecec_place(session, session.get(Person, people[0]), first, group, starts_on, "child:1", "Eeli")
        held_id = held.id
    assert free_places_at(engine, group, first, second) == [FREE_PLACES - 1, FREE_PLACES]

    def attempt(session: Session, person: Any) -> int:
        if person.id == people[0]:
            return replace_ecec_place(session, person, held_id, second, group, starts_on, "child:1", "Eeli").id
        return reserve_ecec_place(session, person, second, group, starts_on, "child:1", "Other").id

    results, refused = race(engine, people[:6], attempt)
    assert len(results) == FREE_PLACES and refused == ["NoRoom"] * (6 - FREE_PLACES)
    with Session(engine) as session:
        guardian = session.scalars(
            select(Reservation).where(Reservation.person_id == people[0]).order_by(Reservation.id)
        ).all()
    replaced = any(r.location_id == second and r.status == "confirmed" for r in guardian)
    # Either the guardian won a place at the second unit (the first is free again) or kept the first one.
    assert [r.status for r in guardian] == (["cancelled", "confirmed"] if replaced else ["confirmed"])
    assert free_places_at(engine, group, first, second) == [FREE_PLACES if replaced else FREE_PLACES - 1, 0]


@pytest.fixture()
def day_slots(engine: Engine, people: list[int]) -> Iterator[tuple[int, list[int]]]:
    """Four slots of capacity 3 of their own at a demo service point, all on one day (tomorrow, at minutes no demo
    slot uses); the point's daily limit is restored afterwards."""
    from portal.account_models import Reservation
    from portal.models import AppointmentSlot, Service, ServiceLocation

    with Session(engine) as session:
        location_id = session.scalar(
            select(ServiceLocation.id)
            .join(Service, Service.id == ServiceLocation.service_id)
            .where(Service.kind.is_not(None))
            .order_by(ServiceLocation.id)
            .limit(1)
        )
        limit = session.get(ServiceLocation, location_id).appointments_per_person_per_day
        slots = [
            AppointmentSlot(
                location_id=location_id,
                starts_at=datetime.combine(TODAY + timedelta(days=1), time(5, minute)),
                duration_minutes=15,
                channel="in_person",
                capacity=SLOT_CAPACITY,
                booked=0,
            )
            for minute in (1, 23, 37, 53)
        ]
        session.add_all(slots)
        session.commit()
        ids = [s.id for s in slots]
    yield location_id, ids
    with Session(engine) as session:
        session.execute(delete(Reservation).where(Reservation.slot_id.in_(ids)))
        session.execute(delete(AppointmentSlot).where(AppointmentSlot.id.in_(ids)))
        session.execute(
            update(ServiceLocation)
            .where(ServiceLocation.id == location_id)
            .values(appointments_per_person_per_day=limit)
        )
        session.commit()


@pytest.mark.parametrize("allowed", [1, 2])
@pytest.mark.parametrize("checked", [True, False], ids=["checked", "index-only"])
def test_a_person_racing_for_times_of_one_day_gets_as_many_as_allowed(
    engine: Engine,
    people: list[int],
    day_slots: tuple[int, list[int]],
    allowed: int,
    checked: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One person asks for four times of the same day at one service point at once: they get one, or two where
    the organiser allows two; the other slots' booked counts are unchanged.

    ``index-only`` switches the service's count of the day's appointments off: every attempt starts with the first
    ordinal and only the unique index (and, for the second one allowed, the next ordinal in a savepoint) decides."""
    from portal.account_models import Reservation
    from portal.models import AppointmentSlot, ServiceLocation
    from portal.reservations import services as reservations
    from portal.reservations.services import reserve_appointment

    location_id, slot_ids = day_slots
    with Session(engine) as session:
        session.execute(
            update(ServiceLocation)
            .where(ServiceLocation.id == location_id)
            .values(appointments_per_person_per_day=allowed)
        )
        session.commit()
    if not checked:
        monkeypatch.setattr(reservations, "_taken_ordinals", lambda *args: set())
    slot = in_turn(slot_ids)
    results, refused = race(
        engine, [people[0]] * len(slot_ids), lambda s, person: reserve_appointment(s, person, slot(), now=NOW).slot_id
    )

    assert len(results) == allowed and refused == ["DayLimitReached"] * (len(slot_ids) - allowed)
    with Session(engine) as session:
        booked = {
            s.id: s.booked for s in session.scalars(select(AppointmentSlot).where(AppointmentSlot.id.in_(slot_ids)))
        }
        assert booked == {slot_id: int(slot_id in results) for slot_id in slot_ids}
        confirmed = session.scalars(
            select(Reservation).where(Reservation.person_id == people[0], Reservation.status == "confirmed")
        ).all()
        assert sorted(r.slot_id for r in confirmed) == sorted(results)
        assert sorted(r.day_ordinal for r in confirmed) == list(range(1, allowed + 1))


def test_different_people_share_a_day_freely(
    engine: Engine, people: list[int], day_slots: tuple[int, list[int]]
) -> None:
    """The daily limit is per person: four people racing for four times of one day all get theirs."""
    from portal.reservations.services import reserve_appointment

    _, slot_ids = day_slots
    slot = in_turn(slot_ids)
    results, refused = race(engine, people[:4], lambda s, person: reserve_appointment(s, person, slot(), now=NOW).id)
    assert len(results) == 4 and refused == []
