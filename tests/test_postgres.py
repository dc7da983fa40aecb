"""The same migrations, demo data and journey on PostgreSQL (started by `make test` via scripts/with-postgres.sh)."""

from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import func, select

from tests.conftest import build_app
from tests.helpers import complete_ecec

URL = os.environ.get("POLKU_TEST_POSTGRES_URL")


@pytest.fixture(scope="module")
def pg_app():
    if not URL:
        if os.environ.get("CI"):
            pytest.fail("POLKU_TEST_POSTGRES_URL is not set: run the suite with `make test`")
        pytest.skip("PostgreSQL is started by `make test` (scripts/with-postgres.sh)")
    return build_app(URL, WTF_CSRF_ENABLED=False)


@pytest.mark.postgres
def test_migrations_and_demo_data_on_postgresql(pg_app) -> None:
    from portal.extensions import db
    from portal.models import EcecUnit, PostalCode

    with pg_app.app_context():
        assert db.engine.dialect.name == "postgresql"
        assert db.session.scalar(select(func.count()).select_from(EcecUnit)) >= 40
        assert db.session.get(PostalCode, "20100").municipality_code == "853"


@pytest.mark.postgres
def test_demo_data_reload_is_idempotent_on_postgresql(pg_app) -> None:
    from portal.demo.loader import load_demo_catalogue
    from portal.extensions import db
    from portal.models import ServiceLocation

    with pg_app.app_context():
        before = db.session.scalar(select(func.count()).select_from(ServiceLocation))
        load_demo_catalogue(db.session)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(ServiceLocation)) == before


@pytest.mark.postgres
def test_journey_and_plan_on_postgresql(pg_app) -> None:
    client = pg_app.test_client()
    complete_ecec(client)
    page = client.get("/en/events/ecec/plan").get_data(as_text=True)
    assert len(re.findall(r'<li[^>]* id="unit-(\d+)"', page)) >= 10


@pytest.mark.postgres
def test_service_points_and_appointment_slots_on_postgresql(pg_app) -> None:
    from datetime import datetime, time

    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError

    from portal.catalogue_repo import SqlDirectory, SqlServiceCatalogue
    from portal.demo.service_point_loader import load_service_points
    from portal.extensions import db
    from portal.models import AppointmentSlot, ServiceLocation
    from tests.conftest import TODAY

    now = datetime.combine(TODAY, time(12, 0))
    with pg_app.app_context():
        catalogue = SqlServiceCatalogue(db.session)
        # Raisio's health station (2053); a resident may choose any of the county's ten public stations.
        (raisio,) = [p for p in catalogue.service_points(("health_centre",), "680", now) if p.id == 2053]
        assert "680" in raisio.serves_municipalities and raisio.next_free_appointment > now
        (debt,) = catalogue.service_points(("debt_advice",), "853", now)
        assert debt.next_free_appointment is None
        contact = SqlDirectory(db.session, "fi").service_contact("food_control", "423")
        assert contact.name == "Turun kaupunki, ympäristöterveydenhuolto"
        # Reloading keeps the point ids and inserts after explicit ids still work (sequence moved on).
        load_service_points(db.session, TODAY)
        assert raisio.id in [p.id for p in catalogue.service_points(("health_centre",), "680", now)]
        service_id = db.session.get(ServiceLocation, raisio.id).service_id
        extra = ServiceLocation(
            service_id=service_id,
            name="Sequence check",
            street_address="-",
            postal_code="21200",
            municipality_code="680",
            latitude=60.48,
            longitude=22.17,
            languages="fi",
        )
        db.session.add(extra)
        db.session.flush()
        assert extra.id > raisio.id
        db.session.rollback()
        slot_id = db.session.scalar(select(AppointmentSlot.id).limit(1))
        with pytest.raises(IntegrityError):
            db.session.execute(
                update(AppointmentSlot).where(AppointmentSlot.id == slot_id).values(booked=AppointmentSlot.capacity + 1)
            )
        db.session.rollback()


@pytest.mark.postgres
def test_own_space_on_postgresql(pg_app) -> None:
    """Sign-in upsert, a plan saved as answered with a tick, the data download and deletion (JSON columns,
    cascades and CHECKs of the own-space migration) on PostgreSQL."""
    import json

    from portal.account_models import Message, Person, SavedPlan, TaskProgress
    from portal.dev_idp.people import load_people
    from portal.extensions import db
    from portal.own.consents import set_consent
    from portal.signin.services import sign_in_person

    aino = next(p for p in load_people().values() if p.given_name == "Aino")
    with pg_app.app_context():
        scopes = ("openid", "profile", "address", "household")
        person = sign_in_person("https://idp.test", aino.claims(scopes))
        assert sign_in_person("https://idp.test", aino.claims(scopes)).id == person.id  # the same account
        set_consent(person, "prefill", True)
        db.session.commit()
        pid = person.id
    client = pg_app.test_client()
    with client.session_transaction() as session:
        session["person_id"] = pid
    child = aino.household["children"][0]["id"]
    client.post("/en/events/ecec/begin", data={"acting_for": f"child:{child}"})
    complete_ecec(client)
    with pg_app.app_context():
        plan_id = db.session.scalar(select(SavedPlan.id).where(SavedPlan.person_id == pid))
    client.post(f"/en/own/plans/{plan_id}/progress", data={"done": ["apply_for_ecec"]})
    data = json.loads(client.get("/en/own/data.json").data)
    assert data["plans"][0]["tasks_done"][0]["task"] == "apply_for_ecec"
    assert client.post("/en/own/delete-account", data={"confirm": "yes"}).status_code == 302
    with pg_app.app_context():
        assert db.session.get(Person, pid) is None
        for model, column in ((SavedPlan, SavedPlan.person_id), (Message, Message.person_id)):
            assert db.session.scalar(select(func.count()).select_from(model).where(column == pid)) == 0
        assert (
            db.session.scalar(select(func.count()).select_from(TaskProgress).where(TaskProgress.plan_id == plan_id))
            == 0
        )


@pytest.mark.postgres
def test_demo_reload_keeps_reservations_on_postgresql(pg_app) -> None:
    from tests.web.test_demo_reload import check_reload_keeps_reservations

    check_reload_keeps_reservations(pg_app)


@pytest.mark.postgres
def test_reservation_rules_migration_on_postgresql(pg_app) -> None:
    """The partial unique indexes and the clean-up of existing duplicates (cc3856c1966c), down and up again."""
    from tests.test_reservation_migration import check_migration_cancels_duplicates

    check_migration_cancels_duplicates(pg_app)


@pytest.mark.postgres
def test_reservation_rules_are_partial_unique_indexes_on_postgresql(pg_app) -> None:
    from sqlalchemy import text

    from portal.extensions import db

    with pg_app.app_context():
        definitions = dict(
            db.session.execute(
                text(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'reservation' AND indexname LIKE 'uq_%'"
                )
            ).all()
        )
    assert definitions == {
        "uq_reservation_ecec_child_start": "CREATE UNIQUE INDEX uq_reservation_ecec_child_start ON public.reservation USING btree "
        "(person_id, acting_for, starts_on) WHERE (((status)::text = 'confirmed'::text) "
        "AND ((kind)::text = 'ecec_place'::text))",
        "uq_reservation_appointment_day": "CREATE UNIQUE INDEX uq_reservation_appointment_day ON public.reservation USING btree "
        "(person_id, acting_for, location_id, appointment_on, day_ordinal) WHERE (((status)::text = "
        "'confirmed'::text) AND ((kind)::text = 'appointment'::text))",
    }
