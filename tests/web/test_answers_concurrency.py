"""No lost answers under races: devices of the same person send different steps of the same saved plan at the
same moment, each on its own connection; every change is kept (portal.saved_plans.lock takes the plan's row,
so the posts merge one after the other). On the SQLite file database of the tests and on PostgreSQL (needs
``make test``: scripts/with-postgres.sh sets POLKU_TEST_POSTGRES_URL).
"""

from __future__ import annotations

import os
import threading

import pytest
from flask import Flask
from sqlalchemy import select

from portal.account_models import SavedPlan
from portal.extensions import db
from tests.conftest import build_app
from tests.helpers import complete_business, sign_in
from tests.web.test_answers_tabs import send, step_form
from tests.web.test_own_space import person_id

POSTGRES_URL = os.environ.get("POLKU_TEST_POSTGRES_URL")
# One change per step, each on its own device.
CHANGES = {
    "idea": {"alcohol": "no"},
    "founder": {"full_time": "no"},
    "money": {"turnover": "50000"},
    "premises": {"premises-street_address": "Hyvättyläntie 120"},
    "start": {"start_date-day": "2"},
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def racing_app(request: pytest.FixtureRequest, app: Flask):
    if request.param == "sqlite":
        chosen = app
    elif not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("POLKU_TEST_POSTGRES_URL is not set: run the suite with `make test`")
        pytest.skip("PostgreSQL is started by `make test` (scripts/with-postgres.sh)")
    else:
        chosen = build_app(POSTGRES_URL)
    chosen.config["WTF_CSRF_ENABLED"] = False
    try:
        yield chosen
    finally:
        chosen.config["WTF_CSRF_ENABLED"] = True


@pytest.mark.parametrize("round_", range(3))
def test_different_steps_sent_at_once_from_several_devices_all_stay(racing_app: Flask, round_: int) -> None:
    pid = person_id(racing_app, "Liisa")
    devices = {}
    for step in CHANGES:
        client = racing_app.test_client()
        sign_in(client, pid)
        client.post("/en/events/business/begin", data={"acting_for": "self"})
        devices[step] = client
    complete_business(devices["idea"], money={"turnover": "120000"})
    pages = {step: step_form(client, f"/en/events/business/steps/{step}") for step, client in devices.items()}
    barrier = threading.Barrier(len(devices))
    statuses: dict[str, int] = {}

    def post(step: str) -> None:
        barrier.wait()
        response = send(devices[step], f"/en/events/business/steps/{step}", pages[step], **CHANGES[step])
        statuses[step] = response.status_code

    threads = [threading.Thread(target=post, args=(step,)) for step in CHANGES]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses == {step: 302 for step in CHANGES}, statuses
    with racing_app.app_context():
        answers = db.session.scalar(
            select(SavedPlan.answers).where(SavedPlan.person_id == pid, SavedPlan.event_id == "business")
        )
    for change in CHANGES.values():
        for name, value in change.items():
            assert answers[name] == value, (name, answers)
