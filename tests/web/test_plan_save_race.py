"""Saving the first plan from two browsers of one person at the same moment (found by the load test,
scripts/load_test.py): the second save resumes the first one's plan instead of failing on the unique key."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal import saved_plans
from portal.account_models import SavedPlan
from portal.dev_idp.people import load_people
from portal.extensions import db
from portal.signin.services import sign_in_person
from tests.conftest import build_app
from tests.helpers import complete_ecec, sign_in


@pytest.fixture()
def app(tmp_path: Path) -> Flask:
    return build_app(f"sqlite:///{tmp_path / 'race.db'}", WTF_CSRF_ENABLED=False)


def new_person(app: Flask) -> int:
    person = next(p for p in load_people().values() if p.given_name == "Sirkka")
    with app.app_context():
        found = sign_in_person("https://idp.test", person.claims(("openid", "profile")) | {"sub": str(uuid.uuid4())})
        db.session.commit()
        return found.id


def test_a_second_browser_saving_at_the_same_moment_resumes_the_first_ones_plan(app: Flask, monkeypatch) -> None:
    person_id = new_person(app)
    first, second = app.test_client(), app.test_client()
    complete_ecec(first)
    complete_ecec(second, family={"income": "4100"})
    sign_in(first, person_id)
    sign_in(second, person_id)
    real_find = saved_plans.find
    missed: list[bool] = []

    def find_before_the_other_commit(person, event_id, key):
        """The second browser looked for a plan just before the first one's save was committed."""
        if not missed:
            missed.append(True)
            assert first.post("/en/events/ecec/save").status_code == 302  # the first browser saves meanwhile
            return None
        return real_find(person, event_id, key)

    monkeypatch.setattr(saved_plans, "find", find_before_the_other_commit)
    response = second.post("/en/events/ecec/save")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        plans = db.session.scalars(select(SavedPlan).where(SavedPlan.person_id == person_id)).all()
        assert len(plans) == 1 and plans[0].answers["income"] == "6000"  # the first browser's plan, kept whole
        assert db.session.scalar(select(func.count()).select_from(SavedPlan)) == 1
    # the income typed in the second browser differs from the plan's: the person chooses on that step
    assert response.headers["Location"].endswith("/en/events/ecec/steps/family"), response.headers["Location"]
