"""No lost answers across tabs and devices (issue 12, item 5).

Each "tab" is a step page rendered at some moment and sent later, exactly as the browser would send it (every
field of the page's form, the hidden version field included). Anonymous, both tabs share one session; signed in,
two clients signed in as the same person are two devices, and the saved plan in the database is the store.

The issue's example: Liisa's turnover is 120,000 when tab A shows the money step; tab B sets 50,000; tab A then
sends the money step (a same-step conflict: shown, not applied), or the start step (a different step: the money
answer is not touched).
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from flask import Flask

from portal.account_models import SavedPlan
from portal.extensions import db
from tests.helpers import complete_business, sign_in
from tests.web.test_own_space import person_id

MONEY = "/en/events/business/steps/money"
START = "/en/events/business/steps/start"
CONFLICT_NOTICE = "These answers were changed in another window: check them"


class _Forms(HTMLParser):
    """The fields a browser would send from each form of a page (text and hidden inputs, checked boxes)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self.current: dict[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.current = {}
            self.forms.append((a.get("action") or "", self.current))
        elif tag == "input" and self.current is not None and a.get("name"):
            kind = a.get("type") or "text"
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.current.setdefault(a["name"], []).append(a.get("value") or "on")
            elif kind not in ("submit", "button"):
                self.current.setdefault(a["name"], []).append(a.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None


def step_form(client, path: str) -> dict[str, list[str]]:
    """Render a step page now and keep what its form would send (a tab left open)."""
    response = client.get(path)
    assert response.status_code == 200, path
    parser = _Forms()
    parser.feed(response.get_data(as_text=True))
    return next(fields for action, fields in parser.forms if "/steps/" in action)


def send(client, path: str, form: dict[str, list[str]], **changes: str | list[str]):
    data = {**form, **{k: v if isinstance(v, list) else [v] for k, v in changes.items()}}
    return client.post(path, data=data)


def field_value(client, path: str, name: str) -> list[str]:
    return step_form(client, path).get(name, [])


@pytest.fixture()
def anonymous(csrf_off_client):
    complete_business(csrf_off_client, money={"turnover": "120000"})
    return csrf_off_client


def test_the_version_field_is_on_every_step_page(anonymous) -> None:
    form = step_form(anonymous, MONEY)
    assert form["answers_version"][0].count("=") == 3, "one fingerprint per question shown"
    assert form["turnover"] == ["120000"]


def test_two_tabs_in_order_each_change_applies(anonymous) -> None:
    tab_a = step_form(anonymous, MONEY)
    assert send(anonymous, MONEY, tab_a, turnover="50000").status_code == 302
    tab_b = step_form(anonymous, MONEY)  # rendered after A's post: sees 50,000
    assert send(anonymous, MONEY, tab_b, employees="3").status_code == 302
    assert field_value(anonymous, MONEY, "turnover") == ["50000"]
    assert field_value(anonymous, MONEY, "employees") == ["3"]


def test_a_stale_tab_sending_the_same_step_is_shown_not_applied(anonymous) -> None:
    tab_a = step_form(anonymous, MONEY)  # shows 120,000
    tab_b = step_form(anonymous, MONEY)
    assert send(anonymous, MONEY, tab_b, turnover="50000").status_code == 302
    # Tab A sends its page as it was, with one more employee.
    response = send(anonymous, MONEY, tab_a, employees="2")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert CONFLICT_NOTICE in page and 'class="error-summary"' in page
    assert 'href="#turnover-choice"' in page
    assert "(saved in another window)" in page and "(entered in this window)" in page
    assert "50,000" in page and "120,000" in page, "both values are shown"
    assert field_value(anonymous, MONEY, "turnover") == ["50000"], "50,000 never goes back to 120,000 unseen"
    assert field_value(anonymous, MONEY, "employees") == ["2"], "what nobody else changed is kept"


@pytest.mark.parametrize("pick, kept", [("saved", "50000"), ("other", "120000")])
def test_the_person_chooses_which_answer_to_keep(anonymous, pick, kept) -> None:
    tab_a = step_form(anonymous, MONEY)
    send(anonymous, MONEY, step_form(anonymous, MONEY), turnover="50000")
    conflict = send(anonymous, MONEY, tab_a)
    parser = _Forms()
    parser.feed(conflict.get_data(as_text=True))
    shown = next(fields for action, fields in parser.forms if "/steps/" in action)
    assert "turnover" not in shown, "the question is asked as a choice between the two answers"
    # Sent without a choice: asked again, nothing applied.
    again = send(anonymous, MONEY, shown)
    assert again.status_code == 200 and "Select which answer to use" in again.get_data(as_text=True)
    assert field_value(anonymous, MONEY, "turnover") == ["50000"]
    assert send(anonymous, MONEY, shown, **{"turnover-choice": pick}).status_code == 302
    assert field_value(anonymous, MONEY, "turnover") == [kept]


def test_a_stale_tab_sending_another_step_does_not_touch_the_money_answer(anonymous) -> None:
    tab_a = step_form(anonymous, START)  # rendered before the turnover changed
    send(anonymous, MONEY, step_form(anonymous, MONEY), turnover="50000")
    assert send(anonymous, START, tab_a, **{"start_date-day": "2"}).status_code == 302
    assert field_value(anonymous, MONEY, "turnover") == ["50000"]
    assert field_value(anonymous, START, "start_date-day") == ["2"]


# --- signed in: two devices, the saved plan is the store --------------------------------------------------


def liisa_devices(app: Flask) -> tuple:
    """Liisa's plan for a new business, begun on device 1 and opened on device 2."""
    pid = person_id(app, "Liisa")
    devices = []
    for _ in range(2):
        client = app.test_client()
        sign_in(client, pid)
        assert client.post("/en/events/business/begin", data={"acting_for": "self"}).status_code == 302
        devices.append(client)
    complete_business(devices[0], money={"turnover": "120000"})
    return pid, devices[0], devices[1]


def stored(app: Flask, pid: int) -> dict[str, str]:
    with app.app_context():
        plan = db.session.scalars(
            db.select(SavedPlan).where(SavedPlan.person_id == pid, SavedPlan.event_id == "business")
        ).one()
        return dict(plan.answers)


@pytest.fixture()
def devices(app: Flask):
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        yield liisa_devices(app)
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def test_two_devices_see_the_same_newest_answers(app, devices) -> None:
    pid, one, two = devices
    assert field_value(two, MONEY, "turnover") == ["120000"], "device 2 reads the plan, not its own session"
    send(two, MONEY, step_form(two, MONEY), turnover="50000")
    assert stored(app, pid)["turnover"] == "50000"
    assert field_value(one, MONEY, "turnover") == ["50000"]
    with one.session_transaction() as session:
        kept = session.get("answers", {}).get("business", {})
    assert "turnover" not in kept and "work_income" not in kept, "the session cookie is not the store"


def test_a_stale_device_cannot_write_over_newer_answers(app, devices) -> None:
    pid, one, two = devices
    money_on_one, start_on_one = step_form(one, MONEY), step_form(one, START)  # left open on device 1
    send(two, MONEY, step_form(two, MONEY), turnover="50000")
    # The start step from device 1: merged into the newest answers, money untouched.
    assert send(one, START, start_on_one, **{"start_date-day": "2"}).status_code == 302
    assert stored(app, pid)["turnover"] == "50000" and stored(app, pid)["start_date-day"] == "2"
    # The money step from device 1: a conflict, shown.
    response = send(one, MONEY, money_on_one)
    assert response.status_code == 200 and CONFLICT_NOTICE in response.get_data(as_text=True)
    assert stored(app, pid)["turnover"] == "50000"


def test_signed_in_answers_survive_a_new_session_for_the_same_plan(app, devices) -> None:
    pid, one, _ = devices
    send(one, MONEY, step_form(one, MONEY), turnover="50000")
    one.post("/en/sign-out")
    elsewhere = app.test_client()
    sign_in(elsewhere, pid)
    assert field_value(elsewhere, MONEY, "turnover") == [""], "not linked yet: a new session has no answers"
    response = elsewhere.post("/en/events/business/begin", data={"acting_for": "self"})
    assert response.headers["Location"].endswith("/en/events/business/check")
    assert field_value(elsewhere, MONEY, "turnover") == ["50000"]
    assert "/en/events/business/plan" in elsewhere.get("/en/events/business/check").get_data(as_text=True)
