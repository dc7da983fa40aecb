"""The availability page (issue 15): a unit director changes or confirms the free places and queue of her unit;
the citizen's comparison shows the new numbers at once; bad input, a stale page and another unit are refused
with nothing saved; every change is in the audit log. Each test has an app of its own (they change the data)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.accessibility.form_client import entry_list, main_form
from tests.helpers import complete_ecec

from .test_organiser_roles import DIRECTOR, MANAGER, staff_sign_in
from .test_provider_origin import dev_provider

UNIT = 1001  # Päiväkoti Kurjenpesä, the director's unit
PAGE = f"/en/organiser/units/{UNIT}/availability"


@pytest.fixture()
def own_app(tmp_path) -> Flask:
    from tests.conftest import build_app

    return build_app(f"sqlite:///{tmp_path / 'availability.db'}")


@pytest.fixture()
def staff(own_app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[FlaskClient]:
    """The director of unit 1001, signed in through the development provider."""
    with dev_provider(own_app, monkeypatch):
        client = own_app.test_client()
        staff_sign_in(client, DIRECTOR)
        yield client


def stored(app: Flask) -> dict[str, tuple[int, int]]:
    """Unit 1001's (free places, queue weeks) by age group, as stored."""
    from portal.extensions import db
    from portal.models import Availability

    with app.app_context():
        rows = db.session.execute(select(Availability).where(Availability.location_id == UNIT)).scalars()
        return {row.age_group: (row.free_places, row.queue_weeks) for row in rows}


def audit_rows(app: Flask) -> list[tuple[str, str | None, str | None, str | None, str]]:
    from portal.extensions import db
    from portal.models import AuditEntry

    with app.app_context():
        rows = db.session.execute(select(AuditEntry).where(AuditEntry.location_id == UNIT).order_by(AuditEntry.id))
        return [(r.action, r.field, r.old_value, r.new_value, r.channel) for r in rows.scalars()]


def send(client: FlaskClient, page_html: str, answers: dict[str, str], action_ends: str | None = None):
    """Fill in and send a form of the page as a browser would (CSRF token and version included)."""
    form = main_form(page_html, action_ends)
    return client.post(
        form.action,
        data=urlencode(entry_list(form, answers)),
        content_type="application/x-www-form-urlencoded",
    )


def citizen_free_places(app: Flask) -> int:
    """Free places the citizen's ECEC comparison shows for Kurjenpesä (a child under 3, ECEC_STEPS)."""
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        complete_ecec(client)
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    html = client.get("/en/events/ecec/plan?show=all").get_data(as_text=True)
    start = html.index("Päiväkoti Kurjenpesä")
    card = re.sub(r"<[^>]+>", " ", html[start : html.index("Choose to compare", start)])
    found = re.search(r"(\d+) free places?\b", card)
    assert found or "Queue about" in card, card  # none free: the card shows the queue instead
    return int(found.group(1)) if found else 0


def test_the_director_changes_the_free_places_and_the_citizen_sees_them_at_once(own_app, staff) -> None:
    before = stored(own_app)
    places, queue = before["under_3"]
    assert citizen_free_places(own_app) == places
    page = staff.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'id="free_places-under_3" name="free_places-under_3" type="text" value="{places}"' in html
    saved = send(staff, html, {"free_places-under_3": str(places + 3), "queue_weeks-under_3": "2"}, "/availability")
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/units/{UNIT}?done=availability-saved")
    assert stored(own_app)["under_3"] == (places + 3, 2)
    assert stored(own_app)["3_and_over"] == before["3_and_over"]  # sent unchanged: not changed
    assert citizen_free_places(own_app) == places + 3
    notice = staff.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Free places and queue saved." in notice
    changed = [row for row in audit_rows(own_app) if row[0] == "updated"]
    expected = [("updated", "free_places.under_3", str(places), str(places + 3), "page")]
    if queue != 2:
        expected.append(("updated", "queue_weeks.under_3", str(queue), "2", "page"))
    assert sorted(changed) == sorted(expected)


def test_bad_numbers_are_explained_next_to_the_field_in_finnish_and_nothing_is_saved(own_app, staff) -> None:
    before = stored(own_app)
    html = staff.get(PAGE.replace("/en/", "/fi/")).get_data(as_text=True)
    refused = send(staff, html, {"free_places-under_3": "-1", "queue_weeks-3_and_over": "kolme"}, "/availability")
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert 'class="error-summary"' in page and 'href="#free_places-under_3"' in page
    assert "Vapaiden paikkojen määrä ei voi olla negatiivinen." in page  # next to the field and in the summary
    assert 'id="free_places-under_3-error"' in page and 'id="queue_weeks-3_and_over-error"' in page
    assert 'value="-1"' in page and 'value="kolme"' in page  # what was typed is kept
    assert stored(own_app) == before
    assert audit_rows(own_app) == []


def test_an_edit_from_a_stale_page_is_refused_with_the_current_numbers(own_app, staff) -> None:
    html = staff.get(PAGE).get_data(as_text=True)  # opened: version v
    places = stored(own_app)["under_3"][0]
    first = send(staff, html, {"free_places-under_3": str(places + 1)}, "/availability")
    assert first.status_code == 302
    stale = send(staff, html, {"free_places-under_3": "0"}, "/availability")  # from the same, now old, page
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "The numbers were changed after you opened this page" in page
    assert f'name="free_places-under_3" type="text" value="{places + 1}"' in page  # the current number
    assert stored(own_app)["under_3"][0] == places + 1
    again = send(staff, page, {"free_places-under_3": "0"}, "/availability")  # from the page with the current numbers
    assert again.status_code == 302 and stored(own_app)["under_3"][0] == 0


def test_confirming_unchanged_keeps_the_numbers_dates_them_today_and_is_audited(own_app, staff) -> None:
    before = stored(own_app)
    html = staff.get(PAGE).get_data(as_text=True)
    confirmed = send(staff, html, {}, "/availability/confirm")
    assert confirmed.status_code == 302 and confirmed.headers["Location"].endswith("?done=availability-confirmed")
    assert stored(own_app) == before
    assert {row[0] for row in audit_rows(own_app)} == {"confirmed"}
    assert {row[1] for row in audit_rows(own_app)} == {f"updated_at.{group}" for group in before}


def test_another_unit_and_a_citizen_get_404(own_app, staff) -> None:
    assert staff.get("/en/organiser/units/1002/availability").status_code == 404  # a Turku unit, not hers
    assert staff.get("/en/organiser/units/999999/availability").status_code == 404
    from tests.helpers import sign_in

    citizen = own_app.test_client()
    sign_in(citizen, 1)
    assert citizen.get(PAGE).status_code == 404
    assert own_app.test_client().get(PAGE).status_code == 302  # nobody signed in: the staff sign-in


def test_the_manager_may_change_any_turku_unit(own_app, monkeypatch) -> None:
    with dev_provider(own_app, monkeypatch):
        manager = own_app.test_client()
        staff_sign_in(manager, MANAGER)
        assert manager.get("/en/organiser/units/1002/availability").status_code == 200
        # Her change is shown to citizens as the municipal office's, not a unit director's.
        html = manager.get(PAGE).get_data(as_text=True)
        places = stored(own_app)["under_3"][0]
        assert send(manager, html, {"free_places-under_3": str(places + 1)}, "/availability").status_code == 302
    assert citizen_free_places(own_app) == places + 1
    citizen = own_app.test_client()
    own_app.config["WTF_CSRF_ENABLED"] = False
    try:
        complete_ecec(citizen)
    finally:
        own_app.config["WTF_CSRF_ENABLED"] = True
    plan = citizen.get("/en/events/ecec/plan?show=all").get_data(as_text=True)
    updated = re.search(r"Updated [^<]*", plan[plan.index("Päiväkoti Kurjenpesä") :])  # the card's "more" part
    assert updated and updated.group(0).endswith("by the municipal early childhood education office")


# --- all my units in one table ------------------------------------------------------------------------------------

ALL = "/en/organiser/availability"


@pytest.fixture()
def manager(own_app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[FlaskClient]:
    """The Turku ECEC manager (all Turku municipal units), signed in through the development provider."""
    with dev_provider(own_app, monkeypatch):
        client = own_app.test_client()
        staff_sign_in(client, MANAGER)
        yield client


def stored_of(app: Flask, unit: int) -> dict[str, tuple[int, int]]:
    from portal.extensions import db
    from portal.models import Availability

    with app.app_context():
        rows = db.session.execute(select(Availability).where(Availability.location_id == unit)).scalars()
        return {row.age_group: (row.free_places, row.queue_weeks) for row in rows}


def test_the_manager_changes_two_units_in_one_table_and_only_those_are_saved(own_app, manager) -> None:
    html = manager.get(ALL).get_data(as_text=True)
    assert 'name="free_places-1001-under_3"' in html and 'name="free_places-1002-under_3"' in html
    before = {unit: stored_of(own_app, unit) for unit in (1001, 1002, 1003)}
    a, b = before[1001]["under_3"][0] + 2, before[1002]["3_and_over"][0] + 1
    saved = send(
        manager, html, {"free_places-1001-under_3": str(a), "free_places-1002-3_and_over": str(b)}, "/availability"
    )
    assert saved.status_code == 302 and saved.headers["Location"].endswith("?done=all-saved&units=2")
    assert stored_of(own_app, 1001)["under_3"][0] == a and stored_of(own_app, 1002)["3_and_over"][0] == b
    assert stored_of(own_app, 1003) == before[1003]
    notice = manager.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Free places and queue saved for 2 units." in notice
    assert citizen_free_places(own_app) == a  # Kurjenpesä in the citizen's comparison


def test_one_bad_number_saves_nothing_and_is_shown_by_its_field(own_app, manager) -> None:
    html = manager.get(ALL).get_data(as_text=True)
    before = {unit: stored_of(own_app, unit) for unit in (1001, 1002)}
    good = before[1001]["under_3"][0] + 1
    refused = send(
        manager, html, {"free_places-1001-under_3": str(good), "queue_weeks-1002-under_3": "-3"}, "/availability"
    )
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert 'href="#queue_weeks-1002-under_3"' in page and 'id="queue_weeks-1002-under_3-error"' in page
    assert f'value="{good}"' in page and 'value="-3"' in page  # what was typed is kept
    assert {unit: stored_of(own_app, unit) for unit in (1001, 1002)} == before  # the good unit not saved either


def test_a_unit_changed_meanwhile_saves_nothing_and_shows_its_current_numbers(own_app, manager, staff) -> None:
    table = manager.get(ALL).get_data(as_text=True)
    places = stored_of(own_app, 1001)["under_3"][0]
    # The director of 1001 changes her unit after the manager opened the table.
    assert (
        send(
            staff, staff.get(PAGE).get_data(as_text=True), {"free_places-under_3": str(places + 5)}, "/availability"
        ).status_code
        == 302
    )
    before_1002 = stored_of(own_app, 1002)
    stale = send(
        manager,
        table,
        {"free_places-1001-under_3": "0", "free_places-1002-under_3": str(before_1002["under_3"][0] + 1)},
        "/availability",
    )
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "Päiväkoti Kurjenpesä were changed after you opened this page" in page
    assert f'name="free_places-1001-under_3" type="text" value="{places + 5}"' in page
    assert stored_of(own_app, 1001)["under_3"][0] == places + 5 and stored_of(own_app, 1002) == before_1002


def test_confirming_all_units_unchanged_in_one_click(own_app, manager) -> None:
    html = manager.get(ALL).get_data(as_text=True)
    confirmed = send(manager, html, {}, "/availability/confirm")
    assert confirmed.status_code == 302 and confirmed.headers["Location"].endswith("?done=all-confirmed")
    assert {row[0] for row in audit_rows(own_app)} == {"confirmed"}  # unit 1001's rows; every unit alike
    from portal.extensions import db
    from portal.models import AuditEntry

    with own_app.app_context():
        units = set(db.session.scalars(select(AuditEntry.location_id).where(AuditEntry.action == "confirmed")))
    assert len(units) == html.count('<section class="plan-card"')


def test_the_director_sees_only_her_unit_in_the_table(staff) -> None:
    html = staff.get(ALL).get_data(as_text=True)
    assert html.count('<section class="plan-card"') == 1 and 'name="free_places-1001-under_3"' in html
