"""Sirkka moves to Kaarina: the moving event's whole journey in Swedish through the Flask test client (HTML
forms only, as without JavaScript, with the CSRF token each form carries) to the plan with the health stations,
those serving in Swedish kept by the service language filter.

Dates are derived by hand (tests/unit/test_moving_event.py has the rules): "today" is Sun 22.11.2026
(tests/conftest.py). Moving on Mon 16.11.2026: the notice of move is due 1 week after, Mon 23.11.2026; the
health station is chosen and the electricity contract made by the moving day, 16.11.2026; the care plan's
first tests are due now, 22.11.2026. Moving with a dog: the dog register within 1 month, Wed 16.12.2026.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from sqlalchemy import select

from portal.account_models import SavedPlan
from portal.extensions import db
from tests.helpers import SIRKKA_STEPS, sign_in
from tests.web.test_own_space import person_id

BASE = "/sv/events/moving"
SIRKKA_TASKS = {
    "notify_move": "Gör en flyttanmälan",
    "tell_kela": "Anmäl din flytt till FPA",
    "apply_housing_allowance": "Ansök om allmänt bostadsbidrag för ditt nya hem",
    "choose_health_station": "Välj din hälsostation i ditt nya välfärdsområde",
    "continue_care": "Boka en tid så att din vård fortsätter på den nya hälsostationen",
    "laboratory_tests": "Ta dina laboratorieprov",
    "nurse_visit": "Gå på den årliga kontrollen hos skötaren",
    "renew_prescriptions": "Förnya dina recept innan de går ut",
    "self_care_programme": "Följ ditt egenvårdsprogram och dess mål",
    "dog_register": "Kontrollera din hunds uppgifter i hundregistret",
    "tell_work_or_studies": "Meddela din arbetsgivare eller studieplats din nya adress",
    "electricity_contract": "Ingå ett elavtal för ditt nya hem",
    "waste_collection": "Ta reda på hur avfallshämtningen är ordnad i ditt nya hem",
    "library_card": "Skaffa ett bibliotekskort i din nya kommun",
    "municipal_services": "Bekanta dig med tjänsterna i din nya kommun",
}


def text(response) -> str:
    return response.get_data(as_text=True)


def csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def task_ids(page: str) -> list[str]:
    return re.findall(r'<li class="checklist__item" id="task-(\w+)">', page)


def walk_through(client, steps: dict[str, dict[str, Any]] | None = None) -> None:
    """Open each step page and post its form with the page's CSRF token, as a browser without JavaScript does."""
    for step, data in (SIRKKA_STEPS if steps is None else steps).items():
        page = client.get(f"{BASE}/steps/{step}")
        assert page.status_code == 200, step
        response = client.post(f"{BASE}/steps/{step}", data={**data, "csrf_token": csrf(text(page))})
        assert response.status_code == 302, (step, text(response)[:2000])


def test_sirkka_plans_her_move_in_swedish_to_the_health_stations(client) -> None:
    start = text(client.get(f"{BASE}/"))
    assert "Flytta till en ny kommun" in start and "Din flyttdag" in start
    walk_through(client)
    check = text(client.get(f"{BASE}/check"))
    assert "När flyttar du?" in check and "16 november 2026" in check
    plan = text(client.get(f"{BASE}/plan"))
    assert set(task_ids(plan)) == set(SIRKKA_TASKS)
    for title in SIRKKA_TASKS.values():
        assert title in plan, title
    notice = re.search(r'id="task-notify_move">.*?</li>', plan, re.S).group(0)
    assert '<time datetime="2026-11-23">' in notice and "Senast 1 vecka efter flytten" in notice
    assert "https://dvv.fi/muutto-suomessa" in notice
    dog = re.search(r'id="task-dog_register">.*?</li>', plan, re.S).group(0)
    assert '<time datetime="2026-12-16">' in dog
    # the health stations serving her new home, in Kaarina, nearest first, with their Swedish names
    services = re.search(r'<section aria-labelledby="services-title">.*?</section>', plan, re.S).group(0)
    assert 'id="services-health_centre"' in services
    assert "S:t Karins hälsostation" in services
    assert "{" not in re.search(r'<ol class="checklist">.*?</ol>', plan, re.S).group(0)
    # Sirkka prefers Swedish: the service language filter (GET, no JavaScript) keeps the stations serving in
    # Swedish (Kaskenmäki and Mäntymäki in Turku, portal/demo/service_points.yaml), not Kaarina's (Finnish, English)
    swedish = text(client.get(f"{BASE}/plan?serves_in=sv"))
    stations = re.search(r'id="services-health_centre-list".*?</ol>', swedish, re.S).group(0)
    assert re.findall(r'class="unit-name">([^<]+)<', stations) == [
        "Hälsostationen i Kaskenmäki",
        "Tallbackens hälsostation",
    ]
    assert all(
        "Svenska" in langs for langs in re.findall(r'data-fact="languages"><dt>[^<]+</dt><dd>([^<]+)<', stations)
    )


def test_each_step_says_what_is_missing_in_swedish(client) -> None:
    page = text(client.get(f"{BASE}/steps/move"))
    response = client.post(f"{BASE}/steps/move", data={"csrf_token": csrf(page)})
    assert response.status_code == 200
    errors = text(response)
    assert "Skriv postnumret till ditt gamla hem" in errors
    assert "Skriv postnumret till ditt nya hem eller välj hemmet på kartan" in errors
    assert "Skriv din flyttdag" in errors
    walk_through(client, {"move": SIRKKA_STEPS["move"]})
    page = text(client.get(f"{BASE}/steps/household"))
    response = client.post(f"{BASE}/steps/household", data={"csrf_token": csrf(page)})
    errors = text(response)
    assert "Välj hur du kommer att bo i ditt nya hem" in errors and "Välj om du arbetar eller studerar" in errors
    # the health step is optional: posting it empty goes on, and no care task is added
    walk_through(client, {"household": SIRKKA_STEPS["household"], "health": {}})
    plan = text(client.get(f"{BASE}/plan"))
    assert "task-laboratory_tests" not in plan and "task-renew_prescriptions" not in plan


def test_the_ecec_task_starts_the_ecec_plan_with_the_new_home_and_workplace(client) -> None:
    walk_through(client, {**SIRKKA_STEPS, "household": {**SIRKKA_STEPS["household"], "household": ["children_ecec"]}})
    plan = text(client.get(f"{BASE}/plan"))
    task = re.search(r'id="task-apply_ecec">.*?</li>', plan, re.S).group(0)
    assert 'action="/sv/events/moving/continue/apply_ecec"' in task
    assert "Börja planen ”Hitta småbarnspedagogik för ditt barn” med svaren du gav här" in task
    response = client.post(f"{BASE}/continue/apply_ecec", data={"csrf_token": csrf(task)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/sv/events/ecec/")
    places = text(client.get("/sv/events/ecec/steps/places"))
    assert 'name="home-postal_code" value="20780"' in places or 'value="20780"' in places
    assert 'value="20100"' in places
    # a task without a continuation, or a post without the token, changes nothing
    assert client.post(f"{BASE}/continue/notify_move", data={"csrf_token": csrf(task)}).status_code == 404
    assert client.post(f"{BASE}/continue/apply_ecec").status_code == 400


def test_an_answer_given_in_the_ecec_journey_is_not_overwritten(client) -> None:
    page = text(client.get("/sv/events/ecec/steps/places"))
    client.post("/sv/events/ecec/steps/places", data={"home-postal_code": "20100", "csrf_token": csrf(page)})
    walk_through(client, {**SIRKKA_STEPS, "household": {**SIRKKA_STEPS["household"], "household": ["children_ecec"]}})
    plan = text(client.get(f"{BASE}/plan"))
    client.post(f"{BASE}/continue/apply_ecec", data={"csrf_token": csrf(plan)})
    places = text(client.get("/sv/events/ecec/steps/places"))
    assert 'value="20100"' in places and 'value="20780"' not in places


def test_signed_in_sirkkas_health_answer_is_never_in_her_saved_plan(app: Flask, client) -> None:
    sign_in(client, person_id(app, "Sirkka"))
    start = text(client.get(f"{BASE}/"))
    response = client.post(f"{BASE}/begin", data={"acting_for": "self", "csrf_token": csrf(start)})
    assert response.status_code == 302
    walk_through(client)
    plan = text(client.get(f"{BASE}/plan"))
    assert "task-laboratory_tests" in plan  # the private answer is used in this browser session
    with app.app_context():
        saved = db.session.scalars(select(SavedPlan).where(SavedPlan.event_id == "moving")).all()
        mine = [p for p in saved if p.answers.get("moving_date-day") == "16"]
        assert mine, "the plan was saved"
        for found in mine:
            assert "care" not in found.answers
            assert not found.private_answers  # no "keep private answers" consent
            assert found.answers["home-postal_code"] == "20780"


def test_the_saved_plan_in_the_own_space_starts_the_ecec_plan_too(app: Flask, client) -> None:
    """The own space's plan page has the same button on the ECEC task (in the progress form, as its formaction):
    it fills the ECEC journey from the saved plan's answers; another person's plan, or a task without a
    continuation, is 404."""
    sign_in(client, person_id(app, "Sirkka"))
    start = text(client.get(f"{BASE}/"))
    client.post(f"{BASE}/begin", data={"acting_for": "self", "csrf_token": csrf(start)})
    walk_through(client, {**SIRKKA_STEPS, "household": {**SIRKKA_STEPS["household"], "household": ["children_ecec"]}})
    saved = client.post(f"{BASE}/save", data={"csrf_token": csrf(text(client.get(f"{BASE}/plan")))})
    assert saved.status_code == 302 and "/sv/own/plans/" in saved.headers["Location"]
    plan_id = int(re.search(r"/own/plans/(\d+)", saved.headers["Location"]).group(1))
    client.post(f"{BASE}/restart", data={"csrf_token": csrf(start)})  # the journey forgets; the saved plan keeps
    client.post("/sv/events/ecec/restart", data={"csrf_token": csrf(start)})
    own = text(client.get(f"/sv/own/plans/{plan_id}"))
    task = re.search(r'id="task-apply_ecec">.*?</li>', own, re.S).group(0)
    action = f"/sv/own/plans/{plan_id}/continue/apply_ecec"
    assert f'formaction="{action}">Börja planen ”Hitta småbarnspedagogik för ditt barn” med svaren du gav här' in task
    assert "formaction" not in re.search(r'id="task-notify_move">.*?</li>', own, re.S).group(0)
    response = client.post(action, data={"csrf_token": csrf(own), "done": ["notify_move"]})
    assert response.status_code == 302 and response.headers["Location"].endswith("/sv/events/ecec/")
    places = text(client.get("/sv/events/ecec/steps/places"))
    assert 'value="20780"' in places and 'value="20100"' in places
    with app.app_context():  # the ticked box went along with the form, but only "Save progress" saves it
        assert db.session.get(SavedPlan, plan_id).progress == []
    assert (
        client.post(f"/sv/own/plans/{plan_id}/continue/notify_move", data={"csrf_token": csrf(own)}).status_code == 404
    )
    assert client.post(action).status_code == 400  # no CSRF token
    sign_in(client, person_id(app, "Matti"))
    assert client.post(action, data={"csrf_token": csrf(own)}).status_code == 404  # not Matti's plan
