"""Public service points from the database: by kind and municipality, next free appointment, contacts, demo data.

Uses the session-wide ``app`` (migrated fresh SQLite, demo data loaded for TODAY). Tests that
change rows do it inside the session's transaction and roll it back, so others see the demo as loaded.
"""

from __future__ import annotations

import copy
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
import yaml
from sqlalchemy import event, func, inspect, select, update
from sqlalchemy.exc import IntegrityError

from configurator.service_points import APPOINTMENT_CHANNELS, SERVICE_KINDS
from portal.catalogue_repo import SqlDirectory, SqlEcecCatalogue, SqlServiceCatalogue
from portal.demo.service_point_loader import (
    DEFAULT_SERVICE_POINTS_PATH,
    load_service_points,
    validate_service_points,
)
from portal.extensions import db
from portal.models import AppointmentSlot, Service, ServiceArea, ServiceLocation
from tests.conftest import TODAY

ALL_KINDS = tuple(SERVICE_KINDS)
FIVE = {"853", "202", "680", "529", "423"}
NOW = datetime.combine(TODAY, time(12, 0))  # TODAY is a Sunday: the first slots are on Monday


@pytest.fixture()
def ctx(app):
    with app.app_context():
        try:
            yield
        finally:
            db.session.rollback()


def _points(kinds: tuple[str, ...], municipality: str, now: datetime = NOW):
    return SqlServiceCatalogue(db.session).service_points(kinds, municipality, now)


def _station(point_id: int, municipality: str = "680", now: datetime = NOW):
    """One health station as found from a municipality (a resident may choose any of the county's stations)."""
    (found,) = [p for p in _points(("health_centre",), municipality, now) if p.id == point_id]
    return found


RAISIO_STATION = 2053
PUBLIC_STATIONS = {2051, 2052, 2053, 2054, 2055, 2056, 2057, 2058, 2059, 2060}  # Varha's, in the demo region
VOUCHER_STATIONS = {2071, 2072}  # private, with Varha's service voucher: Turku and Lieto only


def _earliest_free(location_id: int, now: datetime) -> datetime | None:
    return db.session.scalar(
        select(func.min(AppointmentSlot.starts_at)).where(
            AppointmentSlot.location_id == location_id,
            AppointmentSlot.starts_at >= now,
            AppointmentSlot.booked < AppointmentSlot.capacity,
        )
    )


# ------------------------------------------------------------------ schema


def test_migration_created_the_service_point_schema(ctx) -> None:
    inspector = inspect(db.engine)
    assert {"kind", "charge", "fee_eur", "fee_unit"} <= {c["name"] for c in inspector.get_columns("service")}
    assert "phone_hours" in {c["name"] for c in inspector.get_columns("service_location")}
    assert inspector.get_pk_constraint("service_area")["constrained_columns"] == ["service_id", "municipality_code"]
    checks = {c["name"] for c in inspector.get_check_constraints("appointment_slot")}
    assert {"ck_appointment_slot_booked_not_negative", "ck_appointment_slot_booked_within_capacity"} <= checks
    assert {"ix_appointment_slot_location_id", "ix_appointment_slot_starts_at"} <= {
        i["name"] for i in inspector.get_indexes("appointment_slot")
    }


def test_booked_can_exceed_neither_capacity_nor_zero(ctx) -> None:
    slot_id = db.session.scalar(select(AppointmentSlot.id).limit(1))
    for booked in (AppointmentSlot.capacity + 1, -1):
        with pytest.raises(IntegrityError):
            with db.session.begin_nested():
                db.session.execute(update(AppointmentSlot).where(AppointmentSlot.id == slot_id).values(booked=booked))


# ----------------------------------------------------------------- queries


def test_points_are_found_by_kind_and_the_municipality_their_service_serves(ctx) -> None:
    # A resident may choose any health station of the county: the public ones serve all five municipalities,
    # the private voucher stations only where the voucher is given (Turku and Lieto).
    for code in FIVE:
        found = {p.id: p for p in _points(("health_centre",), code)}
        assert set(found) == PUBLIC_STATIONS | (VOUCHER_STATIONS if code in ("853", "423") else set()), code
        assert all(found[i].serves_municipalities == FIVE for i in PUBLIC_STATIONS)
        assert all(found[i].serves_municipalities == {"853", "423"} for i in set(found) & VOUCHER_STATIONS)
    assert _station(RAISIO_STATION).name == "Raision terveysasema"
    voucher = {p.id: p for p in _points(("health_centre",), "853")}[2071]
    assert not voucher.serves("202") and voucher.organisation == "Esimerkki-lääkäriasemat Oy (demo)"
    assert voucher.service_display_name("en") == "GP appointments with a Varha service voucher"
    # A service serving the whole region is found from every municipality, wherever its point is.
    for code in FIVE:
        employment = _points(("employment_services",), code)
        assert {p.municipality_code for p in employment} == {"853", "680", "202"}
        assert all(p.serves_municipalities == FIVE for p in employment)
    # Kaarina's own business services serve Kaarina only; the Enterprise Agency serves all five.
    assert len(_points(("business_advice",), "202")) == 2
    assert [p.organisation for p in _points(("business_advice",), "423")] == ["Turun seudun uusyrityskeskus"]
    # Other kinds stay out, unknown municipalities and empty kinds give nothing.
    assert {p.kind for p in _points(("food_control", "debt_advice"), "529")} == {"food_control", "debt_advice"}
    assert _points(ALL_KINDS, "091") == []
    assert _points((), "853") == []


def test_records_carry_names_fees_hours_languages_and_accessibility(ctx) -> None:
    (food,) = _points(("food_control",), "423")
    assert food.service_name == {
        "fi": "Elintarvikevalvonta ja elintarvikehuoneistoilmoitus",
        "sv": "Livsmedelstillsyn och anmälan om livsmedelslokal",
        "en": "Food control and food premises notification",
    }
    assert food.service_display_name("sv").startswith("Livsmedelstillsyn")
    assert food.organisation == "Turun kaupunki, ympäristöterveydenhuolto"
    assert (food.charge, food.fee, food.fee_unit) == ("chargeable", Decimal("70.00"), "hour")
    assert food.phone_hours and food.opening_hours and food.phone and food.email and food.web_url
    assert food.is_demo
    (advice,) = [p for p in _points(("business_advice",), "853") if p.municipality_code == "853"]
    assert (advice.charge, advice.fee, advice.fee_unit) == ("free", None, None)
    assert advice.languages == ("fi", "sv", "en") and advice.display_name("sv") == "Åboregionens nyföretagarcentral"
    assert advice.appointment_channels == ("in_person", "phone", "video")
    centre = _station(2054, "529")  # Naantali's
    assert (centre.charge, centre.fee_unit) == ("chargeable", "visit") and centre.fee > 0
    records = _points(ALL_KINDS, "853")
    assert {p.kind for p in records} == set(SERVICE_KINDS)
    assert all(
        set(p.accessibility) == {"step_free_entrance", "accessible_toilet", "accessible_parking", "induction_loop"}
        for p in records
    )
    values = {v for p in records for v in p.accessibility.values()}
    assert values == {True, False, None}  # unknown facts stay unknown
    assert all(set(p.appointment_channels) <= set(APPOINTMENT_CHANNELS) and p.appointment_channels for p in records)


def test_next_free_appointment_is_the_earliest_free_slot_at_or_after_now(ctx) -> None:
    for point in _points(ALL_KINDS, "853"):
        assert point.next_free_appointment == _earliest_free(point.id, NOW), point.name
    raisio = _station(RAISIO_STATION)
    first = raisio.next_free_appointment
    assert first is not None and first > NOW and first.weekday() < 5
    # Fully booked slots are skipped: the demo has taken slots before the first free one.
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AppointmentSlot)
            .where(
                AppointmentSlot.location_id == raisio.id,
                AppointmentSlot.starts_at.between(NOW, first),
                AppointmentSlot.booked >= AppointmentSlot.capacity,
            )
        )
        > 0
    )
    # Later "now" moves it on; a slot starting exactly at now still counts.
    assert _station(RAISIO_STATION, now=first).next_free_appointment == first
    later = _station(RAISIO_STATION, now=first + timedelta(minutes=1)).next_free_appointment
    assert later is not None and later > first


def test_booking_up_the_next_free_slot_moves_the_next_free_appointment(ctx) -> None:
    raisio = _station(RAISIO_STATION)
    first = raisio.next_free_appointment
    slot = db.session.scalars(
        select(AppointmentSlot).where(AppointmentSlot.location_id == raisio.id, AppointmentSlot.starts_at == first)
    ).one()
    slot.booked = slot.capacity
    db.session.flush()
    moved = _station(RAISIO_STATION).next_free_appointment
    assert moved is not None and moved > first
    assert moved == _earliest_free(raisio.id, NOW)


def test_a_partly_booked_slot_is_still_free(ctx) -> None:
    (turku,) = [p for p in _points(("employment_services",), "853") if p.id == 2021]
    slot = db.session.scalars(
        select(AppointmentSlot).where(
            AppointmentSlot.location_id == turku.id, AppointmentSlot.starts_at == turku.next_free_appointment
        )
    ).one()
    assert slot.capacity == 2
    slot.booked = 1
    db.session.flush()
    assert _points(("employment_services",), "853")[0].next_free_appointment == turku.next_free_appointment


def test_a_service_without_a_free_slot_has_no_next_free_appointment(ctx) -> None:
    (debt,) = _points(("debt_advice",), "202")
    assert debt.next_free_appointment is None
    assert debt.appointment_channels == ("in_person", "phone", "video")  # it has slots, all taken
    assert (
        db.session.scalar(
            select(func.count()).select_from(AppointmentSlot).where(AppointmentSlot.location_id == debt.id)
        )
        > 0
    )


def test_no_free_slot_after_the_last_one(ctx) -> None:
    last = db.session.scalar(select(func.max(AppointmentSlot.starts_at)))
    points = _points(ALL_KINDS, "853", last + timedelta(minutes=1))
    assert points and all(p.next_free_appointment is None and p.appointment_channels == () for p in points)


def test_queries_do_not_grow_with_the_number_of_points(ctx) -> None:
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        points = _points(ALL_KINDS, "853")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert len(points) >= 9
    assert len(statements) == 3  # points, their service areas, their slots grouped by channel


def test_service_points_are_not_ecec_units(ctx) -> None:
    units = SqlEcecCatalogue(db.session, TODAY).units_within(60.4518, 22.2666, 30)
    assert units and not any(2001 <= u.id <= 2999 for u in units)


# ----------------------------------------------------------------- directory


def test_service_contact_names_the_responsible_organisation(ctx) -> None:
    directory = SqlDirectory(db.session, "fi")
    food = directory.service_contact("food_control", "423")
    assert food is not None
    assert food.name == "Turun kaupunki, ympäristöterveydenhuolto"
    assert food.url == "https://www.turku.fi" and food.phone and food.email
    health = directory.service_contact("health_centre", "680")
    assert health.name == "Varsinais-Suomen hyvinvointialue"
    employment = directory.service_contact("employment_services", "529")
    assert employment.name == "Turun seudun työllisyysalue"
    assert employment.url == "https://tyomarkkinatori.fi"  # the e-service before the home page
    assert directory.service_contact("food_control", "091") is None
    assert directory.service_contact("no_such_kind", "853") is None
    # The municipal ECEC contact is unchanged.
    assert directory.municipality_contact("853", "ecec").url == "https://evaka.turku.fi"


def test_context_gives_the_service_catalogue(app) -> None:
    from portal.context import services

    with app.app_context():
        assert isinstance(services(), SqlServiceCatalogue)


# ----------------------------------------------------------------- demo data


def test_demo_points_per_kind_and_slots(ctx) -> None:
    kinds = dict(
        db.session.execute(
            select(Service.kind, func.count(ServiceLocation.id))
            .join(ServiceLocation)
            .where(Service.kind.is_not(None))
            .group_by(Service.kind)
        ).all()
    )
    assert kinds == {
        "business_advice": 2,
        "food_control": 1,
        "employment_services": 3,
        "rural_business": 1,
        "debt_advice": 1,
        "health_centre": 12,  # ten public health stations and two private voucher stations
        "mental_health": 1,
    }
    slots = list(db.session.scalars(select(AppointmentSlot)))
    assert all(s.starts_at.date() >= TODAY and s.starts_at.weekday() < 5 for s in slots)
    assert max(s.starts_at for s in slots).date() < TODAY + timedelta(weeks=4)
    assert any(s.booked == s.capacity for s in slots) and any(s.booked < s.capacity for s in slots)
    assert {s.channel for s in slots} == set(APPOINTMENT_CHANNELS)
    food = db.session.scalars(select(Service).where(Service.kind == "food_control")).one()
    assert (food.charge, food.fee_eur, food.fee_unit) == ("chargeable", Decimal("70.00"), "hour")
    areas = db.session.scalars(select(ServiceArea.municipality_code).where(ServiceArea.service_id == food.id))
    assert set(areas) == FIVE


@pytest.fixture()
def fresh_ctx(tmp_path):
    """A database of its own: in the shared one, other tests' reservations keep their places as they are."""
    from tests.conftest import build_app

    with build_app(f"sqlite:///{tmp_path / 'reload.db'}").app_context():
        try:
            yield
        finally:
            db.session.rollback()


def test_reloading_replaces_the_points_and_slots_relative_to_today(fresh_ctx) -> None:
    def snapshot() -> tuple:
        ids = sorted(db.session.scalars(select(ServiceLocation.id).join(Service).where(Service.kind.is_not(None))))
        first = db.session.scalar(select(func.min(AppointmentSlot.starts_at)))
        count = db.session.scalar(select(func.count()).select_from(AppointmentSlot))
        areas = db.session.scalar(select(func.count()).select_from(ServiceArea))
        services = db.session.scalar(select(func.count()).select_from(Service))
        return ids, first, count, areas, services

    before = snapshot()
    counts = load_service_points(db.session, TODAY, commit=False)
    assert snapshot() == before
    assert counts["points"] == len(before[0]) and counts["appointment_slots"] == before[2]
    load_service_points(db.session, TODAY + timedelta(days=7), commit=False)
    ids, first, *_ = snapshot()
    assert ids == before[0] and first == before[1] + timedelta(days=7)
    # The same day gives the same slots, booked the same way.
    load_service_points(db.session, TODAY, commit=False)
    assert snapshot() == before


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(DEFAULT_SERVICE_POINTS_PATH.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["services"][0].update(kind="bakery"), "unknown kind 'bakery'"),
        (lambda d: d["services"][0].update(fee_eur="10.00", fee_unit="visit"), "a free service has no fee"),
        (lambda d: d["services"][0].update(serves=["091"]), "listed under municipalities"),
        (lambda d: d["points"][0]["appointments"].update(channels=["carrier_pigeon"]), "appointment channels"),
        (lambda d: d["points"][0].update(id=1001), "id must be an integer in 2001..2999"),
        (
            lambda d: d["points"][0].update(phone_hours=[{"days": "mo-fr", "opens": "16:00", "closes": "09:00"}]),
            "phone_hours",
        ),
        (lambda d: d["points"][1].update(id=2001), "duplicate service point id"),
    ],
)
def test_validation_names_the_problem(raw: dict, mutate, message: str) -> None:
    data = copy.deepcopy(raw)
    mutate(data)
    with pytest.raises(ValueError, match=message):
        validate_service_points(data)
