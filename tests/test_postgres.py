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
    assert len(re.findall(r'<tr id="unit-(\d+)">', page)) >= 10
