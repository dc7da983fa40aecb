"""The ECEC plan page starts from the answers (issue 12, items 1 and 2), without JavaScript.

The family of tests/helpers.py ECEC_STEPS chose Finnish-language care and no shift care, home 20100, work
20520, a child of 2 on the start date. On the demo catalogue the units within 10 km that do not suit them are
Swedish-only (Daghemmet ...), English-only (Little Acorns) and round-the-clock shift care (Vuoropäiväkoti ...)
units and one unit for children of 3 or over (Päiväkoti Kalliokoti): they are not counted, and are listed
apart, each with why, on request. The module has its own database because one test reserves a place.
"""

from __future__ import annotations

import re
from html import unescape
from itertools import count

import pytest
from flask import Flask

from tests.api.test_api import ECEC_ANSWERS, PLAN_URL
from tests.conftest import build_app
from tests.helpers import complete_ecec, sign_in

PLAN = "/en/events/ecec/plan"
EKORREN = 1004  # Daghemmet Ekorren: Swedish only, 2 free places for the under-3s
_subjects = count(1)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """Overrides the session app for this module, so `client` and `csrf_off_client` use this one."""
    return build_app(f"sqlite:///{tmp_path_factory.mktemp('comparison') / 'polku.db'}")


@pytest.fixture()
def family(csrf_off_client):
    complete_ecec(csrf_off_client)
    return csrf_off_client


@pytest.fixture()
def person(app: Flask) -> int:
    from portal.account_models import Person
    from portal.extensions import db

    with app.app_context():
        person = Person(issuer="test", subject=f"comparison-{next(_subjects)}", name="Test Person", claims={})
        db.session.add(person)
        db.session.commit()
        return person.id


def page_of(client, query: str = "") -> str:
    response = client.get(PLAN + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def cards(page: str, list_id: str | None = None) -> dict[int, str]:
    """Unit id -> its card, in page order; only the cards under the heading ``list_id`` when given."""
    start, end = page.find('<form method="get" action="/en/events/ecec/plan#side-by-side"'), -1
    if list_id is not None:
        start = page.find(f'<h3 class="heading-m" id="{list_id}">')
        if start < 0:
            return {}
        end = page.find('<h3 class="heading-m" id="other-units">', start + 1)
    end = page.find('<div class="compare-form__actions">', start) if end < 0 else end
    parts = re.split(r'(?=<li class="option[^"]*" id="unit-\d+">)', page[start:end])
    found = (re.match(r'<li class="option[^"]*" id="unit-(\d+)">(.*)', part, re.S) for part in parts)
    return {int(m.group(1)): m.group(2) for m in found if m}


def name_of(card: str) -> str:
    return unescape(re.search(r'<span class="unit-name">([^<]+)</span>', card).group(1))


def reasons_of(card: str) -> list[str]:
    match = re.search(r'<ul class="option__reasons">(.*?)</ul>', card, re.S)
    return [unescape(r) for r in re.findall(r"<li>([^<]+)</li>", match.group(1))] if match else []


def api_comparison(client) -> dict:
    response = client.post(f"{PLAN_URL}?lang=en", json={"answers": ECEC_ANSWERS})
    assert response.status_code == 200
    return response.get_json()["comparisons"][0]


def test_the_count_is_only_the_units_that_suit_the_child(family) -> None:
    page = page_of(family)
    api = api_comparison(family)
    suit, others = api["in_reach"], api["not_matching"]
    assert suit >= 10 and others >= 5
    assert f"{suit} units within 10 km suit your child." in page
    assert f"Show also units that do not match your answers ({others})" in page
    # the summary at the top counts the same units
    assert f"{suit} units within 10 km of your home or work serve your child." in page
    shown = cards(page_of(family, "?page=1")) | cards(page_of(family, "?page=2"))
    assert len(shown) == suit
    names = [name_of(card) for card in shown.values()]
    assert not any(n.startswith(("Daghemmet", "Vuoropäiväkoti", "Little Acorns")) for n in names), names
    assert "Does not match your answers" not in page_of(family) and 'id="other-units"' not in page_of(family)


def test_show_also_lists_the_others_each_with_its_reason(family) -> None:
    first = page_of(family)
    link = unescape(re.search(r'<a href="([^"]+)">Show also units that do not match your answers', first).group(1))
    assert "show=all" in link and link.endswith("#other-units")
    page = page_of(family, link.removeprefix(PLAN).split("#")[0])
    others = cards(page, "other-units")
    by_name = {name_of(card): reasons_of(card) for card in others.values()}
    assert by_name["Daghemmet Solstrålen"] == ["Care in Swedish only"]
    assert by_name["Daghemmet Ekorren"] == ["Care in Swedish only"]
    assert by_name["Little Acorns English Kindergarten"] == ["Care in English only"]
    assert by_name["Vuoropäiväkoti Tähtitaivas"] == ["Only for children who need shift care"]
    assert by_name["Päiväkoti Kalliokoti"] == ["Only for children aged 3 or over"]
    assert all(reasons for reasons in by_name.values())
    assert all("Does not match your answers" in card for card in others.values())
    # a unit with long hours but open to all (Pikku Myyrä Skanssi) is no shift-care-only unit
    assert "Pikku Myyrä Skanssi" not in by_name
    # the counts stay those of the units that suit the child; one click back
    api = api_comparison(family)
    assert f"{api['in_reach']} units within 10 km suit your child." in page
    assert "Show only units that match your answers" in page


def test_the_filters_start_from_the_answers(family) -> None:
    form = re.search(r'<form method="get"[^>]*class="filters".*?</form>', page_of(family), re.S).group(0)
    assert re.search(r'name="language" value="fi"[^>]*checked', form)
    assert not re.search(r'name="language" value="(sv|en)"[^>]*checked', form)
    assert re.search(r'name="shift" value="1"(?![^>]*checked)', form)  # no shift care needed
    assert re.search(r'<option value="10" selected>', form)  # the comparison's reach
    assert '<input type="hidden" name="filtered" value="1">' in form


def test_changing_the_language_filter_changes_what_suits(family) -> None:
    swedish = page_of(family, "?filtered=1&language=sv&max_km=10&sort=distance")
    suits = [name_of(card) for card in cards(swedish, "matching-units").values()]
    assert suits and all(
        name.startswith("Daghemmet") or "Aurinkoranta" in name or "Mäntymäki" in name for name in suits
    ), suits
    assert re.search(r'name="language" value="sv"[^>]*checked', swedish)
    assert not re.search(r'name="language" value="fi"[^>]*checked', swedish)


def test_shift_care_answer_keeps_shift_care_units(csrf_off_client) -> None:
    complete_ecec(csrf_off_client, care={"shift_care": "yes"})
    page = page_of(csrf_off_client)
    names = [name_of(card) for card in cards(page).values()]
    assert names and "Vuoropäiväkoti Kuutamo" in names and "Päiväkoti Kurjenpesä" not in names
    other = cards(page_of(csrf_off_client, "?show=all&page=1"), "other-units") | cards(
        page_of(csrf_off_client, "?show=all&page=2"), "other-units"
    )
    kurjenpesa = next(card for card in other.values() if name_of(card) == "Päiväkoti Kurjenpesä")
    assert reasons_of(kurjenpesa) == ["No shift care"]


def test_side_by_side_without_javascript(family) -> None:
    listed = list(cards(page_of(family)))
    first, second, third, fourth = listed[:4]
    # the list is a GET form: ticking boxes and pressing "Compare chosen" sends ?compare=..&compare=..
    page = page_of(family)
    form = re.search(r'<form method="get" action="/en/events/ecec/plan#side-by-side"[^>]*>.*?</form>', page, re.S)
    assert form and '<button type="submit" class="button button--secondary">Compare chosen</button>' in form.group(0)
    assert f'name="compare" value="{first}"' in form.group(0)

    page = page_of(family, f"?compare={second}&compare={first}")
    table = re.search(r'<table class="table side-by-side__table">.*?</table>', page, re.S).group(0)
    columns = [unescape(c) for c in re.findall(r'<th scope="col" class="unit-name">([^<]+)</th>', table)]
    assert columns == [name_of(cards(page)[second]), name_of(cards(page)[first])]  # in the order chosen
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>', table)
    assert rows[:4] == ["Distance", "Free places", "Cost a month", "Matches your answers"]
    assert "Opening hours" in rows and "Accessibility" in rows
    assert re.search(rf'name="compare" value="{first}"[^>]*checked', page)  # the choice stays ticked
    assert "Clear the comparison" in page

    one = page_of(family, f"?compare={first}")
    assert 'Choose two or three units in the list below and press "Compare chosen".' in one
    four = page_of(family, f"?compare={first}&compare={second}&compare={third}&compare={fourth}")
    table = re.search(r'<table class="table side-by-side__table">.*?</table>', four, re.S).group(0)
    assert len(re.findall(r'<th scope="col"', table)) == 3
    assert "You can compare up to three units at a time." in four


def test_compare_chosen_with_nothing_chosen_says_what_to_do(family) -> None:
    form = re.search(r'<form method="get" action="[^"]*#side-by-side"[^>]*>.*?</form>', page_of(family), re.S).group(0)
    assert '<input type="hidden" name="compared" value="1">' in form
    page = page_of(family, "?compared=1")
    section = re.search(r'<section class="side-by-side" id="side-by-side".*?</section>', page, re.S).group(0)
    assert 'Choose two or three units in the list below and press "Compare chosen".' in section
    assert "<table" not in section and "Clear the comparison" not in section


def test_a_unit_that_does_not_suit_can_be_compared(family) -> None:
    page = page_of(family, f"?compare={EKORREN}&compare={list(cards(page_of(family)))[0]}")
    table = re.search(r'<table class="table side-by-side__table">.*?</table>', page, re.S).group(0)
    assert "Daghemmet Ekorren" in table and "Care in Swedish only" in table


def test_the_compare_form_keeps_the_filters(family) -> None:
    page = page_of(family, "?filtered=1&language=fi&sort=cost&show=all&page=2")
    form = re.search(r'<form method="get" action="[^"]*#side-by-side"[^>]*>.*?</form>', page, re.S).group(0)
    hidden = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form)
    assert ("sort", "cost") in hidden and ("show", "all") in hidden and ("page", "2") in hidden
    assert ("language", "fi") in hidden and ("filtered", "1") in hidden


def test_reserving_in_a_unit_that_does_not_match_asks_to_confirm(app, family, person) -> None:
    sign_in(family, person)
    matching = page_of(family)
    links = re.findall(r'<a href="(/en/own/reservations/new/place\?[^"]+)">Reserve a place', matching)
    assert links and not any("mismatch" in unescape(link) for link in links)

    page = page_of(family, "?show=all&page=2")
    ekorren = cards(page, "other-units")[EKORREN]
    link = unescape(re.search(r'<a href="([^"]+)">Reserve a place', ekorren).group(1))
    assert link == f"/en/own/reservations/new/place?unit={EKORREN}&mismatch=language"

    confirm = family.get(link).get_data(as_text=True)
    warning = re.search(r'<div class="warning-text" id="mismatch-warning">.*?</div>', confirm, re.S).group(0)
    assert "This unit does not match your answers:" in warning and "<li>Care in Swedish only</li>" in warning
    assert "Yes, reserve this place anyway" in confirm
    action = unescape(re.search(r'<form method="post" novalidate action="([^"]+)"', confirm).group(1))
    assert action == link  # an error shown again keeps the warning
    # opened without the reason (from a matching unit), the page asks nothing more
    plain = family.get(f"/en/own/reservations/new/place?unit={EKORREN}").get_data(as_text=True)
    assert "mismatch-warning" not in plain and "Reserve this place" in plain
    # an unknown reason is ignored, never echoed
    odd = family.get(f"/en/own/reservations/new/place?unit={EKORREN}&mismatch=%3Cb%3E").get_data(as_text=True)
    assert "mismatch-warning" not in odd and "<b>" not in odd

    # confirming reserves the place
    response = family.post(link)
    assert response.status_code == 302 and "/own/reservations/" in response.location


def test_the_api_reports_which_units_match_and_why_not(family) -> None:
    api = api_comparison(family)
    assert api["filters"]["language"] == ["fi"] and api["filters"]["shift_care"] is False
    assert all(row["matches"] and row["mismatches"] == [] for row in api["rows"])
    assert api["in_reach"] == len(api["rows"])  # no narrowing filter
    others = {row["name"]: row["mismatches"] for row in api["other_rows"]}
    assert len(others) == api["not_matching"]
    assert others["Daghemmet Solstrålen"] == [{"code": "language", "text": "Care in Swedish only"}]
    assert others["Vuoropäiväkoti Tähtitaivas"] == [
        {"code": "shift_care_only", "text": "Only for children who need shift care"}
    ]
    # the same counts and rows as the page
    page = page_of(family)
    assert f"{api['in_reach']} units within 10 km suit your child." in page
    # the answers can be overridden, as in the filter form
    response = family.post(
        f"{PLAN_URL}?lang=fi", json={"answers": ECEC_ANSWERS, "filters": {"language": ["sv"], "shift_care": False}}
    )
    swedish = response.get_json()["comparisons"][0]
    assert swedish["filters"]["language"] == ["sv"]
    assert swedish["rows"] and all("sv" in row["languages"] for row in swedish["rows"])
    finnish_only = [row for row in swedish["other_rows"] if row["languages"] == ["fi"]]
    assert finnish_only and all(
        row["mismatches"][0]["code"] == "language" and row["mismatches"][0]["text"] for row in finnish_only
    )


def test_the_api_answer_fits_its_model(family) -> None:
    """The answer is the Plan model the OpenAPI document is generated from (schemathesis checks the document)."""
    from pydantic import ValidationError

    from portal.api.models import Plan

    body = family.post(f"{PLAN_URL}?lang=en", json={"answers": ECEC_ANSWERS}).get_json()
    assert body["comparisons"][0]["other_rows"]
    Plan.model_validate(body)
    with pytest.raises(ValidationError):
        Plan.model_validate({**body, "comparisons": [{**body["comparisons"][0], "other_rows": [{"id": 1}]}]})


@pytest.mark.parametrize("bad", [{"shift_care": "yes"}, {"shift_care": 1}])
def test_api_shift_care_filter_must_be_a_boolean(family, bad: dict) -> None:
    response = family.post(f"{PLAN_URL}?lang=en", json={"answers": ECEC_ANSWERS, "filters": bad})
    assert response.status_code == 400 and response.get_json()["errors"][0]["field"] == "filters.shift_care"
