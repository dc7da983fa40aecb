"""Suggested life events in the own space (issue 18 item 4): nothing without the consent; with it each suggestion
says why, starts its event with the finding's answers filled in, and can be dismissed for good; nobody sees or
dismisses another person's. The people are the development provider's; today is the tests' 2026-11-22."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from sqlalchemy import select

from portal.account_models import DismissedSuggestion, SavedPlan
from portal.dev_idp.people import load_people
from portal.extensions import db
from portal.own.consents import set_consent
from portal.signin.services import sign_in_person
from tests.helpers import sign_in

PEOPLE = {p.given_name: p for p in load_people().values()}
ALL_SCOPES = ("openid", "profile", "address", "household", "company")
HELMI_KEY = "ecec:child:child-2676b134-c69e-49b3-9fe8-6481e7029fc0"


def person_id(app: Flask, given_name: str, consents: tuple[str, ...] = ("suggestions",)) -> int:
    """A fresh account of a test person, with these consents (claims as the provider gives them today)."""
    with app.app_context():
        claims = PEOPLE[given_name].claims(ALL_SCOPES) | {"sub": f"{given_name}-{uuid.uuid4()}"}
        person = sign_in_person("https://idp.test", claims)
        for purpose in consents:
            set_consent(person, purpose, True)
        db.session.commit()
        return person.id


def own_page(client, lang: str = "en") -> str:
    return client.get(f"/{lang}/own/").get_data(as_text=True)


@pytest.fixture()
def as_person(app: Flask, csrf_off_client):
    def sign(given_name: str, consents: tuple[str, ...] = ("suggestions",)):
        pid = person_id(app, given_name, consents)
        sign_in(csrf_off_client, pid)
        return pid

    return sign


def test_without_the_consent_nothing_is_suggested_or_reachable(as_person, csrf_off_client) -> None:
    as_person("Aino", consents=())
    page = own_page(csrf_off_client)
    assert "Suggested for you" not in page
    assert "Do not suggest this again" not in page
    assert csrf_off_client.post(f"/en/own/suggestions/{HELMI_KEY}/start").status_code == 404
    assert csrf_off_client.post(f"/en/own/suggestions/{HELMI_KEY}/dismiss").status_code == 404


def test_aino_is_suggested_ecec_for_helmi_with_why(as_person, csrf_off_client) -> None:
    as_person("Aino")
    page = own_page(csrf_off_client)
    assert "Suggested for you" in page
    # Helmi, born 2026-06-02, is 9 months old on 2027-03-02; Eeli (born 2024-09-14) is past that age.
    assert "Find early childhood education for your child: Helmi" in page
    assert "Helmi will be 9 months old on 2 March 2027" in page
    assert "Eeli will be" not in page
    assert "Move to a new municipality" not in page.split("Your plans")[0]  # Aino has not moved
    assert f'action="/en/own/suggestions/{HELMI_KEY}/start"' in page


def test_sirkka_is_suggested_the_moving_event_in_swedish(as_person, csrf_off_client) -> None:
    as_person("Sirkka")
    page = own_page(csrf_off_client, "sv")
    # people.yaml: moved "40 days ago"; 2026-11-22 minus 40 days is 2026-10-13.
    assert "13 oktober 2026" in page
    assert 'action="/sv/own/suggestions/moving:self/start"' in page


def test_matti_is_suggested_the_unemployment_event_for_his_bankrupt_company(as_person, csrf_off_client) -> None:
    as_person("Matti")
    page = own_page(csrf_off_client)
    assert "The Trade Register shows that Virtasen Saneeraus Oy is in bankruptcy." in page
    assert 'action="/en/own/suggestions/unemployment:self/start"' in page


def test_liisa_has_nothing_to_suggest(as_person, csrf_off_client) -> None:
    as_person("Liisa")
    assert "Suggested for you" not in own_page(csrf_off_client)


def test_starting_fills_in_the_start_date_for_the_child(app, as_person, csrf_off_client) -> None:
    pid = as_person("Aino", consents=("suggestions", "prefill"))
    response = csrf_off_client.post(f"/en/own/suggestions/{HELMI_KEY}/start")
    assert response.status_code == 302
    # the child step is answered (birth date from the register, start date from the suggestion): on to the next
    assert response.headers["Location"].endswith("/en/events/ecec/steps/care")
    with app.app_context():
        plan = db.session.scalar(select(SavedPlan).where(SavedPlan.person_id == pid, SavedPlan.event_id == "ecec"))
        assert plan.acting_for == "child:child-2676b134-c69e-49b3-9fe8-6481e7029fc0"
        assert plan.acting_for_name == "Helmi"
        assert {k: plan.answers[k] for k in ("start_date-day", "start_date-month", "start_date-year")} == {
            "start_date-day": "02",
            "start_date-month": "03",
            "start_date-year": "2027",
        }
        assert plan.answers["child_birth_date-year"] == "2026"
    step = csrf_off_client.get("/en/events/ecec/steps/child").get_data(as_text=True)
    assert 'value="2027"' in step
    # the plan is in "Your plans" now, so it is no longer suggested
    page = own_page(csrf_off_client)
    assert "Helmi will be" not in page
    assert "Find early childhood education for your child: Helmi" in page  # the plan card


def test_sirkka_starts_the_moving_event_with_her_moving_date(app, as_person, csrf_off_client) -> None:
    pid = as_person("Sirkka")
    assert csrf_off_client.post("/sv/own/suggestions/moving:self/start").status_code == 302
    with app.app_context():
        plan = db.session.scalar(select(SavedPlan).where(SavedPlan.person_id == pid, SavedPlan.event_id == "moving"))
        assert (plan.answers["moving_date-day"], plan.answers["moving_date-month"]) == ("13", "10")


def test_a_dismissed_suggestion_is_gone_for_good(app, as_person, csrf_off_client) -> None:
    pid = as_person("Aino")
    response = csrf_off_client.post(f"/en/own/suggestions/{HELMI_KEY}/dismiss")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/en/own/?dismissed=suggestion#suggestions-title")
    page = csrf_off_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The suggestion is dismissed. Polku will not suggest it again." in page
    assert "Helmi will be" not in page
    with app.app_context():
        (kept,) = db.session.scalars(select(DismissedSuggestion).where(DismissedSuggestion.person_id == pid))
        assert kept.key == HELMI_KEY
        # withdrawing the consent and giving it again does not bring it back
        from portal.account_models import Person

        person = db.session.get(Person, pid)
        set_consent(person, "suggestions", False)
        set_consent(person, "suggestions", True)
        db.session.commit()
    assert "Helmi will be" not in own_page(csrf_off_client)
    # dismissing twice is a 404, not a second row or a 500
    assert csrf_off_client.post(f"/en/own/suggestions/{HELMI_KEY}/dismiss").status_code == 404
    # and the download of My data lists it
    data = csrf_off_client.get("/en/own/data.json").get_json()
    assert [d["key"] for d in data["dismissed_suggestions"]] == [HELMI_KEY]


def test_another_person_cannot_see_start_or_dismiss_it(app, as_person, csrf_off_client) -> None:
    aino = as_person("Aino")
    as_person("Matti")  # the client is Matti now
    assert "Helmi" not in own_page(csrf_off_client)
    assert csrf_off_client.post(f"/en/own/suggestions/{HELMI_KEY}/dismiss").status_code == 404
    assert csrf_off_client.post(f"/en/own/suggestions/{HELMI_KEY}/start").status_code == 404
    assert csrf_off_client.post("/en/own/suggestions/made-up:self/dismiss").status_code == 404
    with app.app_context():
        assert db.session.scalars(select(DismissedSuggestion).where(DismissedSuggestion.person_id == aino)).all() == []
        assert db.session.scalars(select(SavedPlan).where(SavedPlan.person_id == aino)).all() == []


def test_the_buttons_need_the_csrf_token(app, client) -> None:
    sign_in(client, person_id(app, "Aino"))
    assert client.post(f"/en/own/suggestions/{HELMI_KEY}/dismiss").status_code == 400
    assert "Helmi will be" in own_page(client)


def test_the_consents_offer_suggestions_none_ticked(as_person, csrf_off_client) -> None:
    as_person("Aino", consents=())
    welcome = csrf_off_client.get("/en/own/welcome").get_data(as_text=True)
    assert 'name="suggestions"' in welcome and 'name="keep_private"' in welcome
    assert "checked" not in welcome
    data = csrf_off_client.get("/en/own/data").get_data(as_text=True)
    assert "Suggest life events to me" in data
    # the welcome form gives the ticked ones only
    response = csrf_off_client.post("/en/own/welcome", data={"suggestions": "yes", "next": "/en/own/"})
    assert response.status_code == 302
    assert "Helmi will be" in own_page(csrf_off_client)
