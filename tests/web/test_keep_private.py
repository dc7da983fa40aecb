"""Private answers kept only with consent (issue 18 item 2, the "keep_private" purpose).

Without the consent a saved plan never holds the answers of an event's private questions: they live in the
browser session and go with signing out (what tests/web/test_own_space.py and the journey tests also hold).
With it, the plan keeps them in ``private_answers`` so the plan (a care plan, the support tasks) survives
signing out; withdrawing deletes them all at once; My data's download includes them; deleting the account
deletes them; a shared plan never shows the tasks that come from them. Matti's support answers (debts, coping)
bring the tasks "Get free debt advice" and "Talk to someone about how you cope".
"""

from __future__ import annotations

import re
import uuid

import pytest
from flask import Flask
from sqlalchemy import select

from portal.account_models import SavedPlan
from portal.dev_idp.people import load_people
from portal.extensions import db
from portal.own.consents import set_consent
from portal.signin.services import sign_in_person
from tests.helpers import complete_unemployment, sign_in

MATTI = next(p for p in load_people().values() if p.given_name == "Matti")
ALL_SCOPES = ("openid", "profile", "address", "household", "company")
DEBT_TASK = "Get free debt advice"
COPING_TASK = "Talk to someone about how you cope"


def matti(app: Flask, consents: tuple[str, ...]) -> int:
    with app.app_context():
        person = sign_in_person("https://idp.test", MATTI.claims(ALL_SCOPES) | {"sub": f"matti-{uuid.uuid4()}"})
        for purpose in consents:
            set_consent(person, purpose, True)
        db.session.commit()
        return person.id


def the_plan(app: Flask, pid: int) -> SavedPlan | None:
    with app.app_context():
        plan = db.session.scalar(select(SavedPlan).where(SavedPlan.person_id == pid))
        db.session.expunge_all()
        return plan


def plan_saved(app: Flask, client, consents: tuple[str, ...]) -> tuple[int, int]:
    """Matti signs in, starts his unemployment plan and answers every step (support: debts and coping)."""
    pid = matti(app, consents)
    sign_in(client, pid)
    client.post("/en/events/unemployment/begin", data={"acting_for": "self"})
    complete_unemployment(client)
    return pid, the_plan(app, pid).id


@pytest.fixture()
def fresh_client(app: Flask):
    """Another browser (or the same one after signing out): an empty session."""
    app.config["WTF_CSRF_ENABLED"] = False
    return app.test_client()


def test_without_the_consent_nothing_private_is_stored(app, csrf_off_client, fresh_client) -> None:
    pid, plan_id = plan_saved(app, csrf_off_client, ())
    plan = the_plan(app, pid)
    assert plan.private_answers is None
    assert "needs" not in plan.answers
    # in this browser's session the support tasks are there ...
    assert DEBT_TASK in csrf_off_client.get("/en/events/unemployment/plan").get_data(as_text=True)
    # ... after signing out they are gone with the session
    sign_in(fresh_client, pid)
    assert DEBT_TASK not in fresh_client.get(f"/en/own/plans/{plan_id}").get_data(as_text=True)


def test_with_the_consent_the_plan_keeps_them_past_sign_out(app, csrf_off_client, fresh_client) -> None:
    pid, plan_id = plan_saved(app, csrf_off_client, ("keep_private",))
    plan = the_plan(app, pid)
    assert plan.private_answers == {"needs": "debts,coping"}
    assert "needs" not in plan.answers  # the other answers' column still never holds them
    sign_in(fresh_client, pid)
    own = fresh_client.get(f"/en/own/plans/{plan_id}").get_data(as_text=True)
    assert DEBT_TASK in own and COPING_TASK in own
    # editing the plan in the new browser reads them back into the journey
    fresh_client.post(f"/en/own/plans/{plan_id}/edit")
    step = fresh_client.get("/en/events/unemployment/steps/support").get_data(as_text=True)
    assert re.search(r'value="debts" id="[^"]*" checked', step)
    assert re.search(r'value="coping" id="[^"]*" checked', step)
    assert not re.search(r'value="retraining" id="[^"]*" checked', step)
    # a changed private answer is kept as the newest
    response = fresh_client.post("/en/events/unemployment/steps/support", data={"needs": ["coping"]})
    assert response.status_code == 302
    assert the_plan(app, pid).private_answers == {"needs": "coping"}


def test_withdrawing_deletes_them_at_once(app, csrf_off_client, fresh_client) -> None:
    pid, plan_id = plan_saved(app, csrf_off_client, ("keep_private",))
    response = csrf_off_client.post("/en/own/consents", data={"purpose": "keep_private", "given": "no"})
    assert response.status_code == 302
    assert the_plan(app, pid).private_answers is None
    sign_in(fresh_client, pid)
    assert DEBT_TASK not in fresh_client.get(f"/en/own/plans/{plan_id}").get_data(as_text=True)
    # and answering again without the consent stores nothing
    csrf_off_client.post("/en/events/unemployment/steps/support", data={"needs": ["debts"]})
    assert the_plan(app, pid).private_answers is None


def test_download_includes_them_and_deleting_the_account_deletes_them(app, csrf_off_client) -> None:
    pid, _ = plan_saved(app, csrf_off_client, ("keep_private",))
    data = csrf_off_client.get("/en/own/data.json").get_json()
    assert data["plans"][0]["private_answers"] == {"needs": "debts,coping"}
    response = csrf_off_client.post("/en/own/delete-account", data={"confirm": "y"})
    assert response.status_code == 302
    assert the_plan(app, pid) is None


def test_a_shared_plan_leaves_out_the_tasks_of_private_answers(app, csrf_off_client, client) -> None:
    pid, plan_id = plan_saved(app, csrf_off_client, ("keep_private",))
    assert DEBT_TASK in csrf_off_client.get(f"/en/own/plans/{plan_id}").get_data(as_text=True)
    csrf_off_client.post(f"/en/own/plans/{plan_id}/share")
    with app.app_context():
        token = db.session.get(SavedPlan, plan_id).share_links[0].token
    shared = client.get(f"/en/shared/{token}").get_data(as_text=True)
    assert "jobseeker" in shared  # the other tasks are there
    assert DEBT_TASK not in shared and COPING_TASK not in shared
