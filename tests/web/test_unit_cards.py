"""The ECEC unit cards built in Python (portal/journey/unit_cards.py) are byte for byte what the card's template
(templates/comparisons/_ecec_unit.html, included per row) renders, in every state a card has; and the parts kept
rendered per unit never outlive a change of the unit in the catalogue or a change of language.

The module has an app and database of its own: it renames units and signs people in.
"""

from __future__ import annotations

import re
from itertools import count

import pytest
from flask import Flask, current_app, g
from sqlalchemy import select

import portal.journey.results as results
from portal.journey import unit_cards
from tests.conftest import build_app
from tests.helpers import complete_ecec, sign_in

PLAN = "/{lang}/events/ecec/plan"
_subjects = count(1)

# The labels ecec_units.html sets for its cards, and the loop it had before the cards were built in Python.
PLAIN_CARDS = (
    "{% from 'macros/tags.html' import estimate_tag %}"
    "{% set l_estimate = estimate_tag() %}"
    "{% set l_shift, l_share, l_how_fee, l_no_places = _('Shift care'), _('Your share with the service voucher'),"
    " _('How the municipal fee is calculated'), _('No free places') %}"
    "{% set l_distance, l_places, l_cost, l_hours, l_access = _('Distance'), _('Free places'), _('Cost a month'),"
    " _('Opening hours'), _('Accessibility') %}"
    "{% set l_mismatch, l_pick, l_more, l_address, l_round = _('Does not match your answers'),"
    " _('Choose to compare'), _('Opening hours, accessibility and cost details'), _('Address'),"
    " _('round the clock') %}"
    "{% set l_not_age = _('This unit does not take children of this age group.') %}"
    '{% set l_experiences = _("Others\' experiences") %}'
    "{% if can_reserve %}{% set l_reserve = _('Reserve a place') %}{% endif %}"
    "{% for row in rows %}{% include 'comparisons/_ecec_unit.html' %}{% endfor %}"
)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """Overrides the session app for this module, so `client` and `csrf_off_client` use this one."""
    return build_app(f"sqlite:///{tmp_path_factory.mktemp('unit-cards') / 'polku.db'}")


@pytest.fixture()
def both_ways(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, int]]:
    """Every card list the pages render, as (built in Python, rendered by the template, number of cards)."""
    pairs: list[tuple[str, str, int]] = []
    fast = results.ecec_cards

    def compared(rows, cmp, chosen, can_reserve, names):
        rows = list(rows)
        built = fast(rows, cmp, chosen, can_reserve, names)
        context = {
            **results.results_context(),
            "rows": rows,
            "cmp": cmp,
            "chosen": chosen,
            "can_reserve": can_reserve,
            "names": names,
            "g": g,
        }
        plain = current_app.jinja_env.from_string(PLAIN_CARDS).render(context)
        pairs.append((str(built), plain, len(rows)))
        return built

    monkeypatch.setattr(results, "ecec_cards", compared)
    return pairs


def make_person(app: Flask) -> int:
    from portal.account_models import Person
    from portal.extensions import db

    with app.app_context():
        person = Person(issuer="test", subject=f"unit-cards-{next(_subjects)}", name="Test Person", claims={})
        db.session.add(person)
        db.session.commit()
        return person.id


def page(client, lang: str, query: str = "") -> str:
    response = client.get(PLAN.format(lang=lang) + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def assert_same(pairs: list[tuple[str, str, int]]) -> None:
    assert pairs and sum(n for _, _, n in pairs) > 0
    for built, plain, _ in pairs:
        assert built == plain


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_cards_are_the_templates_cards_in_every_language_and_list(csrf_off_client, both_ways, lang) -> None:
    complete_ecec(csrf_off_client, lang)
    seen = ""
    for query in ("", "?show=all", "?show=all&page=2", "?sort=rating", "?compare=1014&compare=1019&compared=1"):
        seen += page(csrf_off_client, lang, query)
    assert_same(both_ways)
    # the states the comparison covers: units that do not match, published comments, checked boxes, visits
    assert "option--mismatch" in seen and "experiences__details" in seen and " checked>" in seen
    assert "/visits/new?unit=" in seen


def test_cards_are_the_templates_cards_for_a_signed_in_person_who_may_reserve(app, csrf_off_client, both_ways) -> None:
    sign_in(csrf_off_client, make_person(app))
    complete_ecec(csrf_off_client, "en")
    seen = page(csrf_off_client, "en") + page(csrf_off_client, "en", "?show=all")
    assert_same(both_ways)
    assert "Reserve a place<span" in seen and "/reservations/new/place?unit=" in seen


def test_cards_are_the_templates_cards_with_other_answers(csrf_off_client, both_ways) -> None:
    """Shift care, Swedish, no workplace, no private units, another age: other rows, costs and reasons."""
    complete_ecec(
        csrf_off_client,
        "sv",
        care={"hours_per_week": "45", "care_language": "sv", "shift_care": "yes", "sudden_need": "no"},
        places={"home-postal_code": "21420", "work-postal_code": ""},
        providers={"consider_private": "no"},
    )
    page(csrf_off_client, "sv", "?show=all")
    page(csrf_off_client, "sv", "?filtered=1&room=1&sort=cost")
    assert_same(both_ways)


def _first_card(html: str) -> tuple[str, str]:
    match = re.search(r'<li class="option[^"]*" id="unit-(\d+)">.*?<span class="unit-name">([^<]*)</span>', html, re.S)
    assert match
    return match.group(1), match.group(2)


def test_a_renamed_unit_shows_its_new_name_at_once(app, csrf_off_client) -> None:
    """The parts kept per unit are keyed on what they show: an organiser's change is on the next page."""
    from portal.extensions import db
    from portal.models import ServiceLocation

    complete_ecec(csrf_off_client, "en")
    unit_id, name = _first_card(page(csrf_off_client, "en"))
    with app.app_context():
        location = db.session.get(ServiceLocation, int(unit_id))
        location.name = "Päiväkoti Uusi Nimi"
        location.street_address = "Uusikatu 1"
        location.step_free_entrance = not location.step_free_entrance
        step_free = location.step_free_entrance
        db.session.commit()
    html = page(csrf_off_client, "en")
    card = re.search(rf'<li class="option[^"]*" id="unit-{unit_id}">.*?</li>\n', html, re.S).group(0)
    assert '<span class="unit-name">Päiväkoti Uusi Nimi</span>' in card and name not in card
    assert "<dd>Uusikatu 1, " in card
    assert f"<li>Step-free entrance: {'yes' if step_free else 'no'}</li>" in card
    assert card.count('<span class="visually-hidden">: Päiväkoti Uusi Nimi</span>') >= 3


def test_another_language_gets_its_own_card(app, csrf_off_client) -> None:
    from portal.extensions import db
    from portal.models import ServiceLocation

    complete_ecec(csrf_off_client, "sv")
    unit_id, _ = _first_card(page(csrf_off_client, "sv"))
    with app.app_context():
        location = db.session.get(ServiceLocation, int(unit_id))
        location.name, location.name_sv = "Päiväkoti Kieli", "Daghemmet Språk"
        db.session.commit()
    swedish = page(csrf_off_client, "sv")
    finnish = page(csrf_off_client, "fi")
    assert '<span class="unit-name">Daghemmet Språk</span>' in swedish
    assert '<span class="unit-name">Päiväkoti Kieli</span>' in finnish and "Daghemmet Språk" not in finnish
    # the same unit's facts in each language's words, and the label tables, sorts and map texts kept per language
    assert "<dt>Tillgänglighet</dt>" in swedish and "<dt>Esteettömyys</dt>" in finnish
    assert 'class="option__meta">Daghem<' in swedish and 'class="option__meta">Päiväkoti<' in finnish
    assert ">avstånd</option>" in swedish and "Ditt hem" in swedish and "Kotisi" in finnish
    english = page(csrf_off_client, "en")
    assert 'class="option__meta">Day care centre<' in english and ">distance</option>" in english


def test_the_kept_parts_are_bounded(app, csrf_off_client, monkeypatch) -> None:
    monkeypatch.setattr(unit_cards, "UNIT_PARTS_SIZE", 5)
    unit_cards.clear_unit_parts()
    complete_ecec(csrf_off_client, "en")
    html = page(csrf_off_client, "en")
    assert html.count('<li class="option') == 20 and len(unit_cards._parts) == 5
    again = page(csrf_off_client, "en")
    assert again.count('<li class="option') == 20 and len(unit_cards._parts) == 5


def test_changed_unit_record_is_a_new_key(app) -> None:
    """The key is the data the parts are made of (a unit record replaced in the index gets a new one)."""
    from dataclasses import replace

    from portal.context import catalogue
    from portal.extensions import db

    with app.test_request_context("/en/events/ecec/plan"):
        g.lang_code = "en"
        from datetime import date

        unit = catalogue(date(2027, 8, 12)).units_within(60.4518, 22.2666, 10)[0]
        key = unit_cards._unit_key(unit, "en", "en")
        assert unit_cards._unit_key(replace(unit), "en", "en") == key
        for change in (
            {"name": unit.name + " x"},
            {"name_sv": "x"},
            {"street_address": "x"},
            {"opening_hours": ()},
            {"shift_care": not unit.shift_care},
            {"languages": ("fi", "sv", "en")},
            {"accessibility": {**unit.accessibility, "induction_loop": not unit.accessibility.get("induction_loop")}},
        ):
            assert unit_cards._unit_key(replace(unit, **change), "en", "en") != key, change
        assert unit_cards._unit_key(unit, "sv", "sv") != key
        assert db.session.scalar(select(1)) == 1


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?page=2",
        "?sort=cost&page=3&filtered=1&room=1",
        "?show=all&compare=1014&compare=1019",
        "?xpage=987654321987",
    ],
)
def test_page_links_are_url_fors_address(app, query) -> None:
    """The pagination's links put each number in one address built per request: the same as url_for's."""
    with app.test_request_context(f"/en/events/ecec/plan{query}"):
        from flask import request

        request.view_args = {"event_id": "ecec", "lang_code": "en"}
        request.url_rule = app.url_map._rules_by_endpoint["journey.plan"][0]
        expected = {n: results.plan_url("#results-count", page=str(n)) for n in (1, 2, 7, 12)}
        built = {n: results.page_url(n) for n in expected}
        assert built == expected
        assert results._PAGE_SLOT in g._polku_page_url  # one address, the numbers put in its slot


def test_a_record_with_lists_is_rendered_not_kept(app) -> None:
    from dataclasses import replace
    from datetime import date

    from portal.context import catalogue
    from portal.labels import translated_names

    with app.test_request_context("/en/events/ecec/plan"):
        g.lang_code = "en"
        unit = catalogue(date(2027, 8, 12)).units_within(60.4518, 22.2666, 10)[0]
        listed = replace(unit, languages=list(unit.languages), opening_hours=list(unit.opening_hours))
        unit_cards.clear_unit_parts()
        names = translated_names()
        assert unit_cards.unit_parts(listed, "en", names, "en") == unit_cards.unit_parts(unit, "en", names, "en")
        assert len(unit_cards._parts) == 1


def test_units_offering_visits_answers_like_the_query_built_per_call(app) -> None:
    """The cards' "Book a visit" reads one statement built once (the window as parameters): the same units as
    the free slots' query built for the window, for the demo's window and for windows with none or every slot."""
    from datetime import datetime

    from portal.extensions import db
    from portal.models import AppointmentSlot, EcecUnit
    from portal.reservations import visits

    def plain(start: datetime, end: datetime) -> set[int]:
        query = (
            visits._free_visit_slots_query(start, end)
            .with_only_columns(AppointmentSlot.location_id)
            .join(EcecUnit, EcecUnit.location_id == AppointmentSlot.location_id)
            .distinct()
        )
        return set(db.session.scalars(query))

    with app.test_request_context("/en/events/ecec/plan"):
        start, end = visits._window()
        found = visits.units_offering_visits()
        assert found == plain(start, end) and found  # the demo's units 1001 and 1003 offer visits
        for window in ((datetime(2000, 1, 1), datetime(2000, 1, 2)), (datetime(2000, 1, 1), datetime(2100, 1, 1))):
            params = {"start": window[0], "end": window[1]}
            assert set(db.session.connection().execute(visits.VISIT_UNITS_QUERY, params).scalars()) == plain(*window)
