"""The change log page and its CSV export (issue 15): a change made on the availability page is in the log in the
page's words (who, what it was, what it became, the channel) and in the export as stored; a unit director reads her
unit's log only (404 for another unit's); the manager reads the log of all her units; a formula in a cell is made
harmless. Each test has an app of its own (they change the data)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .test_organiser_availability import PAGE, UNIT, send, stored
from .test_organiser_roles import DIRECTOR, MANAGER, staff_sign_in
from .test_provider_origin import dev_provider


@pytest.fixture()
def own_app(tmp_path) -> Flask:
    from tests.conftest import build_app

    return build_app(f"sqlite:///{tmp_path / 'log.db'}")


@pytest.fixture()
def signed_in(own_app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """``signed_in(person)``: a client of that staff person, through the development provider."""
    with dev_provider(own_app, monkeypatch):

        def sign_in(person: str) -> FlaskClient:
            client = own_app.test_client()
            staff_sign_in(client, person)
            return client

        yield sign_in


def change_free_places(own_app: Flask, client: FlaskClient, places: int) -> int:
    """Set Kurjenpesä's free places under 3 on the availability page; returns the number before."""
    before = stored(own_app)["under_3"][0]
    saved = send(client, client.get(PAGE).get_data(as_text=True), {"free_places-under_3": str(places)}, "/availability")
    assert saved.status_code == 302
    return before


def test_a_change_is_in_the_log_in_words_and_in_the_export_as_stored(own_app, signed_in) -> None:
    director = signed_in(DIRECTOR)
    empty = director.get("/en/organiser/log")
    assert empty.status_code == 200 and "No changes yet." in empty.get_data(as_text=True)
    before = change_free_places(own_app, director, 7)
    page = director.get(f"/en/organiser/log?unit={UNIT}").get_data(as_text=True)
    assert "Changed: Free places, Under 3 years" in page
    assert f"<dt>Was</dt><dd>{before}</dd>" in page and "<dt>Became</dt><dd>7</dd>" in page
    assert "Organiser pages" in page and "Päiväkoti Kurjenpesä" in page
    finnish = director.get(f"/fi/organiser/log?unit={UNIT}").get_data(as_text=True)
    assert "Muutettu: Vapaat paikat, Alle 3-vuotiaat" in finnish

    export = director.get(f"/en/organiser/log.csv?unit={UNIT}")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    assert export.headers["Content-Disposition"] == f'attachment; filename="polku-change-log-{UNIT}.csv"'
    text = export.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [(r["action"], r["field"], r["old_value"], r["new_value"], r["channel"]) for r in rows] == [
        ("updated", "free_places.under_3", str(before), "7", "page")
    ]
    assert rows[0]["location_id"] == str(UNIT) and rows[0]["location_name"] == "Päiväkoti Kurjenpesä"
    assert rows[0]["actor_name"] and rows[0]["actor_subject"].endswith(f"#{DIRECTOR}")


def test_the_director_reads_her_unit_only_and_the_manager_all_of_hers(own_app, signed_in) -> None:
    director = signed_in(DIRECTOR)
    change_free_places(own_app, director, 4)
    assert director.get("/en/organiser/log?unit=1002").status_code == 404  # a Turku unit, not hers
    assert director.get("/en/organiser/log.csv?unit=1002").status_code == 404
    assert director.get("/en/organiser/log?unit=abc").status_code == 404
    assert director.get("/en/organiser/log?unit=999999").status_code == 404

    manager = signed_in(MANAGER)
    whole = manager.get("/en/organiser/log").get_data(as_text=True)
    assert "Päiväkoti Kurjenpesä" in whole and "Changed: Free places, Under 3 years" in whole
    assert '<select class="select" id="unit" name="unit">' in whole  # her many units: a filter
    other = manager.get("/en/organiser/log?unit=1002").get_data(as_text=True)
    assert "No changes yet." in other


def test_a_citizen_gets_404_and_nobody_signed_in_goes_to_the_staff_sign_in(own_app) -> None:
    from tests.helpers import sign_in

    for path in ("/en/organiser/log", "/en/organiser/log.csv"):
        citizen = own_app.test_client()
        sign_in(citizen, 1)
        assert citizen.get(path).status_code == 404
    assert own_app.test_client().get("/en/organiser/log").status_code == 302


def test_a_value_a_spreadsheet_would_run_as_a_formula_is_made_harmless() -> None:
    from portal.organisers.log import _safe_cell

    assert _safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert _safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert _safe_cell("+1") == "'+1"
    assert _safe_cell("-1") == "-1"  # a number stays a number
    assert _safe_cell("-cmd") == "'-cmd"
    assert _safe_cell(None) == "" and _safe_cell(12) == "12"


def test_pages_of_the_log(own_app, signed_in) -> None:
    from portal.extensions import db
    from portal.organisers import audit, log
    from portal.organisers.actor import Actor

    director = signed_in(DIRECTOR)
    someone = Actor(
        subject="test#someone", name="Someone", location_ids=frozenset({UNIT}), municipality_codes=frozenset()
    )
    with own_app.app_context():  # one change more than a page
        changes = [audit.Change("availability", 1, "updated", "free_places.under_3", n, n + 1) for n in range(51)]
        assert len(changes) == log.PAGE_SIZE + 1
        audit.record(db.session, someone, audit.Where(location_id=UNIT), changes, channel="api")
        db.session.commit()
    first = director.get("/en/organiser/log").get_data(as_text=True)
    assert first.count('class="change-log__entry"') == log.PAGE_SIZE and "Older changes" in first
    assert "Write API" in first
    second = director.get("/en/organiser/log?page=2").get_data(as_text=True)
    assert second.count('class="change-log__entry"') == 1 and "Newer changes" in second
    assert director.get("/en/organiser/log?page=x").status_code == 200  # a bad page number: the first page
