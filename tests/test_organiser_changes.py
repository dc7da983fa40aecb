"""The organisers' write services (portal/organisers/changes.py, issue 15): availability, prices and appointment
times, their validation, versions (an edit from a stale page is refused with the current values), audit rows and
catalogue revision, and races with other organisers and with citizens' reservations.

Runs on a SQLite file database and on PostgreSQL (``make test`` starts it; scripts/with-postgres.sh sets
POLKU_TEST_POSTGRES_URL), like tests/test_reservation_concurrency.py. Every test puts the rows it uses into a
known state first and restores or removes them afterwards, since the PostgreSQL database is shared by the module.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import create_engine, delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from tests.conftest import TODAY, build_app

NOW = datetime.combine(TODAY, time(12, 0))  # Sunday 22.11.2026 at noon, Helsinki
POSTGRES_URL = os.environ.get("POLKU_TEST_POSTGRES_URL")
ODD_TIME = time(7, 13)  # no demo time starts at 07:13, so the tests' times never meet the demo's


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('organiser') / 'polku.db'}"
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
def unit_id(engine: Engine) -> Iterator[int]:
    """A demo ECEC unit with both age groups, set to under_3: 2 free, 3_and_over: 4 free, both queues 1 week."""
    from portal.models import Availability, UnitPrice

    with Session(engine) as session:
        found = session.scalar(
            select(Availability.location_id)
            .group_by(Availability.location_id)
            .having(func.count() == 2)
            .order_by(Availability.location_id)
            .limit(1)
        )
        before = {
            r.age_group: (r.free_places, r.queue_weeks)
            for r in session.scalars(select(Availability).where(Availability.location_id == found))
        }
        session.execute(
            update(Availability)
            .where(Availability.location_id == found, Availability.age_group == "under_3")
            .values(free_places=2, queue_weeks=1)
        )
        session.execute(
            update(Availability)
            .where(Availability.location_id == found, Availability.age_group == "3_and_over")
            .values(free_places=4, queue_weeks=1)
        )
        session.commit()
    yield found
    with Session(engine) as session:
        for group, (places, queue) in before.items():
            session.execute(
                update(Availability)
                .where(Availability.location_id == found, Availability.age_group == group)
                .values(free_places=places, queue_weeks=queue)
            )
        session.execute(delete(UnitPrice).where(UnitPrice.location_id == found, UnitPrice.valid_from > TODAY))
        session.commit()


@pytest.fixture()
def point_id(engine: Engine) -> Iterator[int]:
    """A demo service point (not ECEC); the times the test adds there are removed afterwards."""
    from portal.account_models import Message, Reservation
    from portal.models import AppointmentSlot, Service, ServiceLocation

    with Session(engine) as session:
        found = session.scalar(
            select(ServiceLocation.id)
            .join(Service, Service.id == ServiceLocation.service_id)
            .where(Service.kind.is_not(None))
            .order_by(ServiceLocation.id)
            .limit(1)
        )
    yield found
    with Session(engine) as session:
        ours = select(AppointmentSlot.id).where(
            AppointmentSlot.location_id == found, func.extract("minute", AppointmentSlot.starts_at) == 13
        )
        reservations = select(Reservation.id).where(Reservation.slot_id.in_(ours))
        session.execute(
            delete(Message).where(Message.link.in_([f"/own/reservations/{i}" for i in session.scalars(reservations)]))
        )
        session.execute(delete(Reservation).where(Reservation.slot_id.in_(ours)))
        session.execute(delete(AppointmentSlot).where(AppointmentSlot.id.in_(ours)))
        session.commit()


@pytest.fixture()
def actor(unit_id: int, point_id: int) -> Any:
    from portal.organisers.actor import Actor

    return Actor(
        subject=f"staff-{uuid.uuid4().hex[:8]}",
        name="Tiina Testinen",
        location_ids=frozenset({unit_id, point_id}),
        municipality_codes=frozenset({"853"}),
    )


@pytest.fixture()
def people(engine: Engine) -> Iterator[list[int]]:
    from portal.account_models import Message, Person, Reservation

    with Session(engine) as session:
        persons = [
            Person(issuer="test", subject=f"organiser-{uuid.uuid4().hex}", name=f"P{i}", claims={}) for i in range(2)
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


def audit_rows(engine: Engine, actor: Any) -> list[tuple[Any, ...]]:
    from portal.models import AuditEntry

    with Session(engine) as session:
        return [
            (e.object_type, e.action, e.field, e.old_value, e.new_value, e.channel, e.request_id)
            for e in session.scalars(
                select(AuditEntry).where(AuditEntry.actor_subject == actor.subject).order_by(AuditEntry.id)
            )
        ]


def revision(engine: Engine) -> int:
    from portal.catalogue_cache import current_revision

    with Session(engine) as session:
        return current_revision(session)


# ---------- availability ----------


def test_update_availability_changes_the_numbers_audits_and_bumps_the_revision(
    engine: Engine, unit_id: int, actor: Any
) -> None:
    from portal.models import AuditEntry
    from portal.organisers.changes import availability_state, update_availability

    with Session(engine) as session:
        before = availability_state(session, unit_id)
        rev = revision(engine)
        after = update_availability(
            session, actor, unit_id, {"under_3": 5, "3_and_over": 0}, 3, before.version, request_id="req-1"
        )
    assert {g: (r.free_places, r.queue_weeks, r.updated_by) for g, r in after.by_group().items()} == {
        "under_3": (5, 3, "unit_director"),
        "3_and_over": (0, 3, "unit_director"),
    }
    assert after.version == before.version + 2  # each of the two rows once
    assert revision(engine) == rev + 1
    assert sorted(audit_rows(engine, actor)) == sorted(
        [
            ("availability", "updated", "free_places.under_3", "2", "5", "page", "req-1"),
            ("availability", "updated", "queue_weeks.under_3", "1", "3", "page", "req-1"),
            ("availability", "updated", "free_places.3_and_over", "4", "0", "page", "req-1"),
            ("availability", "updated", "queue_weeks.3_and_over", "1", "3", "page", "req-1"),
        ]
    )
    with Session(engine) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.actor_subject == actor.subject)).first()
        assert (entry.actor_name, entry.location_id) == ("Tiina Testinen", unit_id)
        assert entry.organisation_id is not None


def test_an_edit_from_a_stale_page_is_refused_with_the_current_values(engine: Engine, unit_id: int, actor: Any) -> None:
    from portal.organisers.changes import StaleEdit, availability_state, update_availability

    with Session(engine) as session:
        shown = availability_state(session, unit_id).version
        update_availability(session, actor, unit_id, {"under_3": 7}, {"under_3": 2}, shown)
        with pytest.raises(StaleEdit) as refused:
            update_availability(session, actor, unit_id, {"under_3": 1}, 0, shown)
    current = refused.value.current
    assert (current.by_group()["under_3"].free_places, current.by_group()["under_3"].queue_weeks) == (7, 2)
    assert current.by_group()["3_and_over"].free_places == 4
    assert refused.value.version == shown + 2
    assert [r[2] for r in audit_rows(engine, actor)] == ["free_places.under_3", "queue_weeks.under_3"]


@pytest.mark.parametrize(
    ("places", "queue", "field"),
    [
        ({"under_3": -1}, 0, "free_places.under_3"),
        ({"under_3": 1}, 105, "queue_weeks.under_3"),
        ({"under_3": 1}, -1, "queue_weeks.under_3"),
        ({"under_3": "two"}, 0, "free_places.under_3"),
        ({"school_age": 3}, 0, "free_places.school_age"),
    ],
)
def test_bad_availability_names_the_field_and_saves_nothing(
    engine: Engine, unit_id: int, actor: Any, places: dict[str, Any], queue: int, field: str
) -> None:
    from portal.organisers.changes import MESSAGES, InvalidChange, availability_state, update_availability

    with Session(engine) as session:
        before = availability_state(session, unit_id)
        with pytest.raises(InvalidChange) as refused:
            update_availability(session, actor, unit_id, places, queue, before.version)
        assert refused.value.field == field
        assert refused.value.errors[0].message in MESSAGES.values()
        assert availability_state(session, unit_id) == before
    assert audit_rows(engine, actor) == []


def test_a_unit_outside_the_actors_is_not_found(engine: Engine, unit_id: int, actor: Any) -> None:
    from portal.organisers.actor import Actor
    from portal.organisers.changes import NotFound, availability_state, update_availability

    stranger = Actor(subject=actor.subject, name="Other", location_ids=frozenset({unit_id + 100000}))
    with Session(engine) as session:
        version = availability_state(session, unit_id).version
        with pytest.raises(NotFound):
            update_availability(session, stranger, unit_id, {"under_3": 1}, 0, version)
        with pytest.raises(NotFound):  # in the set, but no such unit
            update_availability(session, stranger, unit_id + 100000, {"under_3": 1}, 0, version)


def test_confirm_unchanged_refreshes_the_report_and_is_refused_after_a_reservation(
    engine: Engine, unit_id: int, actor: Any, people: list[int]
) -> None:
    from portal.account_models import Person
    from portal.models import Availability
    from portal.organisers.changes import StaleEdit, availability_state, confirm_availability_unchanged
    from portal.reservations.services import reserve_ecec_place

    with Session(engine) as session:
        session.execute(
            update(Availability).where(Availability.location_id == unit_id).values(updated_at=datetime(2026, 10, 1))
        )
        session.commit()
        shown = availability_state(session, unit_id).version
        confirmed = confirm_availability_unchanged(session, actor, unit_id, shown)
        assert all(r.updated_at > datetime(2026, 11, 1) for r in confirmed.rows)
        assert [(r.free_places, r.queue_weeks) for r in confirmed.rows] == [(2, 1), (4, 1)]
        assert confirmed.version == shown + 2

        # A citizen takes a place: the numbers the organiser saw are no longer true, so confirming them is refused.
        reserve_ecec_place(session, session.get(Person, people[0]), unit_id, "under_3", TODAY + timedelta(days=40))
        with pytest.raises(StaleEdit) as refused:
            confirm_availability_unchanged(session, actor, unit_id, confirmed.version)
    assert refused.value.current.by_group()["under_3"].free_places == 1
    assert refused.value.version == confirmed.version + 1
    rows = audit_rows(engine, actor)
    assert sorted(r[2] for r in rows) == ["updated_at.3_and_over", "updated_at.under_3"]
    assert {r[1] for r in rows} == {"confirmed"} and {r[3] for r in rows} == {"2026-10-01T00:00:00"}


# ---------- prices ----------


def test_unit_price_from_next_month_applies_on_its_date(engine: Engine, unit_id: int, actor: Any) -> None:
    from portal.catalogue_repo import SqlEcecCatalogue
    from portal.models import ServiceLocation
    from portal.organisers.changes import StaleEdit, set_unit_price

    next_month = date(2026, 12, 1)
    with Session(engine) as session:
        rev = revision(engine)
        entry = set_unit_price(session, actor, unit_id, "412.50", next_month, None, now=NOW, channel="api")
        assert (entry.monthly_price, entry.valid_from, entry.version) == (Decimal("412.50"), next_month, 1)
        assert revision(engine) == rev + 1
        changed = set_unit_price(session, actor, unit_id, Decimal("420"), next_month, 1, now=NOW)
        assert (changed.monthly_price, changed.version) == (Decimal("420.00"), 2)
        with pytest.raises(StaleEdit) as refused:
            set_unit_price(session, actor, unit_id, Decimal("399"), next_month, 1, now=NOW)
        assert (refused.value.current.monthly_price, refused.value.version) == (Decimal("420.00"), 2)
        with pytest.raises(StaleEdit):  # "new" for a date that has an entry already
            set_unit_price(session, actor, unit_id, Decimal("399"), next_month, None, now=NOW)

        unit = session.get(ServiceLocation, unit_id)

        def price_on(day: date) -> Decimal | None:
            found = SqlEcecCatalogue(session, day).units_within(unit.latitude, unit.longitude, 0.01)
            return next(u.monthly_price for u in found if u.id == unit_id)

        assert price_on(date(2026, 12, 1)) == Decimal("420.00")
        assert price_on(date(2026, 11, 30)) != Decimal("420.00")
    assert audit_rows(engine, actor) == [
        ("unit_price", "created", "monthly_price", None, "412.50", "api", None),
        ("unit_price", "created", "valid_from", None, "2026-12-01", "api", None),
        ("unit_price", "updated", "monthly_price", "412.50", "420.00", "page", None),
    ]


@pytest.mark.parametrize(
    ("price", "valid_from", "field"),
    [
        ("100", None, "valid_from"),  # no price without a date
        ("100", date(2026, 11, 21), "valid_from"),  # yesterday: the history is not rewritten
        (None, date(2026, 12, 1), "monthly_price"),
        ("-1", date(2026, 12, 1), "monthly_price"),
        ("10.005", date(2026, 12, 1), "monthly_price"),
    ],
)
def test_bad_prices_are_refused(
    engine: Engine, unit_id: int, actor: Any, price: str | None, valid_from: date | None, field: str
) -> None:
    from portal.organisers.changes import InvalidChange, set_unit_price

    with Session(engine) as session, pytest.raises(InvalidChange) as refused:
        set_unit_price(session, actor, unit_id, price, valid_from, None, now=NOW)
    assert refused.value.field == field
    assert audit_rows(engine, actor) == []


def test_municipal_pricing_is_created_changed_and_validated(engine: Engine, actor: Any) -> None:
    from portal.models import MunicipalEcecPricing
    from portal.organisers.changes import InvalidChange, NotFound, StaleEdit, set_municipal_pricing

    start = date(2027, 3, 1)
    values = {
        "part_time_steps": [{"max_hours": "25", "coefficient": "0.60"}, {"max_hours": "35", "coefficient": "0.80"}],
        "voucher_under_3": "1500.00",
        "voucher_3_and_over": "1100.00",
        "max_surcharge": "50",
        "source": "Kasvatus- ja opetuslautakunta 12.2.2027 § 14",
    }
    try:
        with Session(engine) as session:
            entry = set_municipal_pricing(session, actor, "853", start, expected_version=None, now=NOW, **values)
            assert (entry.voucher_under_3, entry.max_surcharge, entry.version) == (
                Decimal("1500.00"),
                Decimal("50.00"),
                1,
            )
            changed = set_municipal_pricing(
                session, actor, "853", start, expected_version=1, now=NOW, **{**values, "voucher_under_3": "1550"}
            )
            assert (changed.voucher_under_3, changed.version) == (Decimal("1550.00"), 2)
            with pytest.raises(StaleEdit):
                set_municipal_pricing(session, actor, "853", start, expected_version=1, now=NOW, **values)
            with pytest.raises(InvalidChange) as refused:
                bad_steps = [{"max_hours": "35", "coefficient": "0.8"}, {"max_hours": "25", "coefficient": "1.2"}]
                set_municipal_pricing(
                    session,
                    actor,
                    "853",
                    start,
                    expected_version=2,
                    now=NOW,
                    **{**values, "part_time_steps": bad_steps},
                )
            assert refused.value.field == "part_time_steps"
            with pytest.raises(NotFound):
                set_municipal_pricing(session, actor, "202", start, expected_version=None, now=NOW, **values)
        rows = audit_rows(engine, actor)
        assert rows[-1] == ("municipal_pricing", "updated", "voucher_under_3", "1500.00", "1550.00", "page", None)
        assert [r[2] for r in rows[:6]] == [
            "valid_from",
            "part_time_steps",
            "voucher_under_3",
            "voucher_3_and_over",
            "max_surcharge",
            "source",
        ]
    finally:
        with Session(engine) as session:
            session.execute(
                delete(MunicipalEcecPricing).where(
                    MunicipalEcecPricing.municipality_code == "853", MunicipalEcecPricing.valid_from == start
                )
            )
            session.commit()


# ---------- appointment times ----------


def schedule(**changes: Any) -> Any:
    from portal.organisers.changes import WeeklySchedule

    values: dict[str, Any] = {
        "weekdays": frozenset({0, 2, 3}),  # Monday, Wednesday, Thursday
        "times": (ODD_TIME, time(9, 13)),
        "length_minutes": 30,
        "first_day": date(2026, 12, 21),
        "last_day": date(2027, 1, 7),
        "channel": "video",
        "capacity": 1,
    }
    values.update(changes)
    return WeeklySchedule(**values)


def test_a_weekly_schedule_adds_times_except_closed_days_and_holidays(
    engine: Engine, point_id: int, actor: Any
) -> None:
    from portal.models import AppointmentSlot
    from portal.organisers.changes import add_appointment_times

    with Session(engine) as session:
        rev = revision(engine)
        added = add_appointment_times(
            session, actor, point_id, schedule(), closed_days=[date(2026, 12, 30)], now=NOW, request_id="sched-1"
        )
        # Mon/Wed/Thu from 21.12.2026 to 7.1.2027: 21, 23, 24, 28, 30, 31 December, 4, 6, 7 January; Christmas Eve
        # (24.12) and Epiphany (6.1) are public holidays, 30.12 is closed: 6 days with 2 times each.
        assert added.closed_days == (date(2026, 12, 24), date(2026, 12, 30), date(2027, 1, 6))
        assert len(added.created) == 12 and added.already_there == 0
        assert revision(engine) == rev + 1
        starts = session.scalars(
            select(AppointmentSlot.starts_at).where(AppointmentSlot.id.in_(added.created)).order_by("starts_at")
        ).all()
        assert [s.date() for s in starts[::2]] == [
            date(2026, 12, 21),
            date(2026, 12, 23),
            date(2026, 12, 28),
            date(2026, 12, 31),
            date(2027, 1, 4),
            date(2027, 1, 7),
        ]
        assert starts[:2] == [datetime(2026, 12, 21, 7, 13), datetime(2026, 12, 21, 9, 13)]

        again = add_appointment_times(session, actor, point_id, schedule(), closed_days=[date(2026, 12, 30)], now=NOW)
        assert (again.created, again.already_there) == ((), 12)
    rows = audit_rows(engine, actor)
    assert len(rows) == 12 and {r[:3] for r in rows} == {("appointment_slot", "created", "starts_at")}
    assert rows[0][4] == (
        '{"capacity": 1, "channel": "video", "duration_minutes": 30, "starts_at": "2026-12-21T07:13:00"}'
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"first_day": date(2026, 11, 20)}, "first_day"),  # a time in the past
        ({"first_day": date(2026, 11, 22), "last_day": date(2026, 11, 22), "weekdays": frozenset({6})}, "times"),
        ({"weekdays": frozenset()}, "weekdays"),
        ({"times": ()}, "times"),
        ({"length_minutes": 0}, "length_minutes"),
        ({"last_day": date(2026, 12, 1)}, "last_day"),
        ({"channel": "carrier_pigeon"}, "channel"),
    ],
)
def test_bad_schedules_are_refused(
    engine: Engine, point_id: int, actor: Any, changes: dict[str, Any], field: str
) -> None:
    from portal.organisers.changes import InvalidChange, add_appointment_times

    with Session(engine) as session, pytest.raises(InvalidChange) as refused:
        add_appointment_times(session, actor, point_id, schedule(**changes), now=NOW)
    assert refused.value.field == field
    assert audit_rows(engine, actor) == []


def test_cancelling_a_reserved_time_tells_the_person_and_frees_nothing_twice(
    engine: Engine, point_id: int, actor: Any, people: list[int]
) -> None:
    from portal.account_models import Message, Person, Reservation
    from portal.models import AppointmentSlot
    from portal.organisers.changes import StaleEdit, add_appointment_times, cancel_appointment_times, slot_states
    from portal.reservations.services import NoRoom, NotCancellable, cancel, reserve_appointment

    one_day = schedule(first_day=date(2026, 12, 2), last_day=date(2026, 12, 2), times=(ODD_TIME,), capacity=2)
    with Session(engine) as session:
        (slot_id,) = add_appointment_times(session, actor, point_id, one_day, now=NOW).created
        shown = slot_states(session, [slot_id])[slot_id].version
        reservation = reserve_appointment(session, session.get(Person, people[0]), slot_id, now=NOW)
        reservation_id = reservation.id

        with pytest.raises(StaleEdit) as refused:  # the page did not show the reservation
            cancel_appointment_times(session, actor, point_id, {slot_id: shown}, now=NOW)
        assert refused.value.current[slot_id].booked == 1
        assert session.get(Reservation, reservation_id, populate_existing=True).status == "confirmed"

        done = cancel_appointment_times(session, actor, point_id, {slot_id: refused.value.version}, now=NOW)
        assert done.reservation_ids == (reservation_id,)
        slot = session.get(AppointmentSlot, slot_id, populate_existing=True)
        assert (slot.booked, slot.cancelled_at is not None) == (0, True)
        assert session.get(Reservation, reservation_id, populate_existing=True).status == "cancelled"
        kinds = session.scalars(select(Message.kind).where(Message.person_id == people[0]).order_by(Message.id)).all()
        assert kinds == ["reservation_confirmed", "appointment_cancelled_by_organiser"]

        # The person's own cancellation now changes nothing, and nobody can reserve the cancelled time.
        with pytest.raises(NotCancellable):
            cancel(session, session.get(Reservation, reservation_id), now=NOW)
        with pytest.raises(NoRoom):
            reserve_appointment(session, session.get(Person, people[1]), slot_id, now=NOW)
        assert session.get(AppointmentSlot, slot_id, populate_existing=True).booked == 0
    rows = audit_rows(engine, actor)
    assert rows[-1][:3] == ("appointment_slot", "cancelled", "cancelled_at")
    assert rows[-1][4] == '{"reservations_cancelled": 1, "starts_at": "2026-12-02T07:13:00"}'


def test_a_started_time_cannot_be_cancelled(engine: Engine, point_id: int, actor: Any) -> None:
    from portal.organisers.changes import InvalidChange, add_appointment_times, cancel_appointment_times, slot_states

    one_day = schedule(first_day=date(2026, 12, 2), last_day=date(2026, 12, 2), times=(ODD_TIME,))
    with Session(engine) as session:
        (slot_id,) = add_appointment_times(session, actor, point_id, one_day, now=NOW).created
        version = slot_states(session, [slot_id])[slot_id].version
        with pytest.raises(InvalidChange) as refused:
            cancel_appointment_times(session, actor, point_id, {slot_id: version}, now=datetime(2026, 12, 2, 7, 13))
    assert refused.value.field == "slots"


# ---------- races ----------


def race(engine: Engine, attempts: list[Callable[[Session], Any]]) -> tuple[list[Any], list[str]]:
    """Each attempt on a thread and connection of its own, all starting at the same moment; returns the results and
    the names of the domain refusals (any other exception fails the test)."""
    from portal.organisers.changes import ChangeError
    from portal.reservations.services import ReservationError

    barrier = threading.Barrier(len(attempts))
    results: list[Any] = []
    refused: list[str] = []
    unexpected: list[BaseException] = []
    lock = threading.Lock()

    def run(attempt: Callable[[Session], Any]) -> None:
        with Session(engine) as session:
            try:
                session.connection()
                barrier.wait(timeout=30)
                result = attempt(session)
                with lock:
                    results.append(result)
            except (ChangeError, ReservationError) as refusal:
                with lock:
                    refused.append(type(refusal).__name__)
            except BaseException as error:  # noqa: BLE001 - reported below
                with lock:
                    unexpected.append(error)

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    assert not unexpected, unexpected
    return results, refused


def test_two_organisers_editing_the_same_unit_one_wins_one_is_refused(engine: Engine, unit_id: int, actor: Any) -> None:
    from portal.organisers.changes import availability_state, update_availability

    with Session(engine) as session:
        shown = availability_state(session, unit_id).version

    def edit(places: int) -> Callable[[Session], Any]:
        return lambda s: update_availability(s, actor, unit_id, {"under_3": places}, 0, shown).by_group()

    results, refused = race(engine, [edit(10), edit(20)])
    assert len(results) == 1 and refused == ["StaleEdit"]
    winner = results[0]["under_3"].free_places
    with Session(engine) as session:
        assert availability_state(session, unit_id).by_group()["under_3"].free_places == winner
    assert [(r[2], r[4]) for r in audit_rows(engine, actor)] == [
        ("free_places.under_3", str(winner)),
        ("queue_weeks.under_3", "0"),
    ]


def test_an_organisers_edit_and_a_citizens_reservation_never_lose_each_other(
    engine: Engine, unit_id: int, actor: Any, people: list[int]
) -> None:
    """Either the edit comes first (the reservation then takes one of the new places) or the reservation does (the
    edit, made from the page before it, is refused with the current values): never a place reserved and then
    overwritten."""
    from portal.account_models import Person, Reservation
    from portal.organisers.changes import availability_state, update_availability
    from portal.reservations.services import reserve_ecec_place

    with Session(engine) as session:
        shown = availability_state(session, unit_id).version

    def organiser(session: Session) -> str:
        update_availability(session, actor, unit_id, {"under_3": 6}, 1, shown)
        return "edited"

    def citizen(session: Session) -> str:
        reserve_ecec_place(session, session.get(Person, people[0]), unit_id, "under_3", TODAY + timedelta(days=40))
        return "reserved"

    results, refused = race(engine, [organiser, citizen])
    with Session(engine) as session:
        free = availability_state(session, unit_id).by_group()["under_3"].free_places
        held = session.scalar(
            select(func.count())
            .select_from(Reservation)
            .where(Reservation.person_id == people[0], Reservation.status == "confirmed")
        )
    assert "reserved" in results and held == 1
    if "edited" in results:
        assert free == 6 - 1  # the reservation took one of the organiser's six
    else:
        assert refused == ["StaleEdit"] and free == 2 - 1  # the organiser is shown 1 and decides again


def test_an_organiser_cancelling_a_time_while_a_citizen_reserves_it(
    engine: Engine, point_id: int, actor: Any, people: list[int]
) -> None:
    from portal.account_models import Message, Person, Reservation
    from portal.models import AppointmentSlot
    from portal.organisers.changes import add_appointment_times, cancel_appointment_times, slot_states
    from portal.reservations.services import reserve_appointment

    one_day = schedule(first_day=date(2026, 12, 3), last_day=date(2026, 12, 3), times=(ODD_TIME,))
    with Session(engine) as session:
        (slot_id,) = add_appointment_times(session, actor, point_id, one_day, now=NOW).created
        shown = slot_states(session, [slot_id])[slot_id].version

    results, refused = race(
        engine,
        [
            lambda s: ("cancelled", cancel_appointment_times(s, actor, point_id, {slot_id: shown}, now=NOW)),
            lambda s: ("reserved", reserve_appointment(s, s.get(Person, people[0]), slot_id, now=NOW).id),
        ],
    )
    with Session(engine) as session:
        slot = session.get(AppointmentSlot, slot_id)
        confirmed = session.scalars(
            select(Reservation.id).where(Reservation.slot_id == slot_id, Reservation.status == "confirmed")
        ).all()
        if refused == ["NoRoom"]:  # the organiser first: the time was gone when the citizen came
            assert [r[0] for r in results] == ["cancelled"]
            assert (slot.cancelled_at is not None, slot.booked, confirmed) == (True, 0, [])
        else:  # the citizen first: the organiser's page no longer showed the truth
            assert refused == ["StaleEdit"] and [r[0] for r in results] == ["reserved"]
            assert (slot.cancelled_at, slot.booked, len(confirmed)) == (None, 1, 1)
            done = cancel_appointment_times(session, actor, point_id, {slot_id: slot.version}, now=NOW)
            assert done.reservation_ids == tuple(confirmed)
            session.refresh(slot)
            assert (slot.cancelled_at is not None, slot.booked) == (True, 0)
            assert session.scalars(select(Message.kind).where(Message.person_id == people[0])).all() == [
                "reservation_confirmed",
                "appointment_cancelled_by_organiser",
            ]


def test_an_organiser_and_the_person_cancelling_the_same_reservation_free_it_once(
    engine: Engine, point_id: int, actor: Any, people: list[int]
) -> None:
    from portal.account_models import Message, Person, Reservation
    from portal.models import AppointmentSlot
    from portal.organisers.changes import add_appointment_times, cancel_appointment_times, slot_states
    from portal.reservations.services import cancel, reserve_appointment

    one_day = schedule(
        first_day=date(2026, 12, 4), last_day=date(2026, 12, 4), times=(ODD_TIME,), weekdays=frozenset({4})
    )
    with Session(engine) as session:
        (slot_id,) = add_appointment_times(session, actor, point_id, one_day, now=NOW).created
        reservation_id = reserve_appointment(session, session.get(Person, people[0]), slot_id, now=NOW).id
        shown = slot_states(session, [slot_id])[slot_id].version

    results, refused = race(
        engine,
        [
            lambda s: cancel_appointment_times(s, actor, point_id, {slot_id: shown}, now=NOW),
            lambda s: cancel(s, s.get(Reservation, reservation_id), now=NOW).status,
        ],
    )
    assert len(results) == 1 and len(refused) == 1 and refused[0] in {"StaleEdit", "NotCancellable"}
    with Session(engine) as session:
        assert session.get(AppointmentSlot, slot_id).booked == 0
        assert session.get(Reservation, reservation_id).status == "cancelled"
        cancelled_messages = session.scalars(
            select(Message.kind).where(Message.person_id == people[0], Message.kind != "reservation_confirmed")
        ).all()
        assert len(cancelled_messages) == 1  # one cancellation, told once


def test_a_cancelled_time_is_no_longer_the_next_free_time(engine: Engine, point_id: int, actor: Any) -> None:
    from portal.catalogue_repo import SqlServiceCatalogue
    from portal.models import Service, ServiceLocation
    from portal.organisers.changes import add_appointment_times, cancel_appointment_times, slot_states

    one_day = schedule(first_day=date(2026, 12, 2), last_day=date(2026, 12, 2), times=(ODD_TIME,))
    just_before = datetime(2026, 12, 2, 7, 12)
    with Session(engine) as session:
        point = session.get(ServiceLocation, point_id)
        kind = session.scalar(select(Service.kind).where(Service.id == point.service_id))

        def next_free() -> datetime | None:
            found = SqlServiceCatalogue(session).service_points((kind,), point.municipality_code, just_before)
            return next(p.next_free_appointment for p in found if p.id == point_id)

        (slot_id,) = add_appointment_times(session, actor, point_id, one_day, now=NOW).created
        assert next_free() == datetime(2026, 12, 2, 7, 13)
        cancel_appointment_times(
            session, actor, point_id, {slot_id: slot_states(session, [slot_id])[slot_id].version}, now=NOW
        )
        assert next_free() != datetime(2026, 12, 2, 7, 13)


def test_the_audit_log_answers_a_replayed_request_and_lists_a_units_changes(
    engine: Engine, unit_id: int, actor: Any
) -> None:
    from portal.organisers.audit import entries_for, seen_request
    from portal.organisers.changes import availability_state, update_availability

    with Session(engine) as session:
        assert not seen_request(session, actor, "idem-42")
        version = availability_state(session, unit_id).version
        update_availability(
            session, actor, unit_id, {"3_and_over": 9}, {"3_and_over": 1}, version, request_id="idem-42"
        )
        assert seen_request(session, actor, "idem-42")
        newest = entries_for(session, location_ids=[unit_id], limit=1)
        assert [(e.field, e.old_value, e.new_value, e.request_id) for e in newest] == [
            ("free_places.3_and_over", "4", "9", "idem-42")
        ]
