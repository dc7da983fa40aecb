"""`make run` reloads the demo data on every start: reservations made earlier must survive it."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.account_models import Reservation
from portal.demo.loader import load_demo_catalogue
from portal.demo.service_point_loader import load_service_points
from portal.extensions import db
from portal.models import AppointmentSlot, Availability, ServiceLocation
from portal.reservations.services import reserve_appointment, reserve_ecec_place
from portal.signin.services import sign_in_person
from tests.conftest import TODAY, build_app


def test_a_demo_reload_keeps_reserved_places_and_times(tmp_path) -> None:
    check_reload_keeps_reservations(build_app(f"sqlite:///{tmp_path / 'reload.db'}"))


def check_reload_keeps_reservations(app) -> None:
    """Also run on PostgreSQL (tests/test_postgres.py), where a lost reference is a foreign-key error."""
    with app.app_context():
        person = sign_in_person("https://idp.test", {"sub": "reload-test", "name": "Reload Test"})
        slot = db.session.scalar(
            select(AppointmentSlot)
            .where(AppointmentSlot.booked == 0)
            .order_by(AppointmentSlot.starts_at.desc())
            .limit(1)
        )
        place = db.session.scalar(select(Availability).where(Availability.free_places > 0).limit(1))
        slot_id, starts_at, location_id = slot.id, slot.starts_at, slot.location_id
        unit_id, group, free = place.location_id, place.age_group, place.free_places
        appointment = reserve_appointment(db.session, person, slot_id)
        ecec = reserve_ecec_place(db.session, person, unit_id, group, TODAY, "self", None)
        ids = appointment.id, ecec.id
        points = db.session.scalar(select(func.count()).select_from(ServiceLocation))

        load_demo_catalogue(db.session)
        load_service_points(db.session, TODAY)
        db.session.expire_all()

        kept = db.session.get(AppointmentSlot, slot_id)
        assert (kept.starts_at, kept.location_id, kept.booked) == (starts_at, location_id, 1)
        assert db.session.get(Reservation, ids[0]).slot_id == slot_id
        assert db.session.get(Reservation, ids[1]).location_id == unit_id
        assert (
            db.session.scalar(
                select(Availability.free_places).where(
                    Availability.location_id == unit_id, Availability.age_group == group
                )
            )
            == free - 1
        )
        assert db.session.scalar(select(func.count()).select_from(ServiceLocation)) == points
