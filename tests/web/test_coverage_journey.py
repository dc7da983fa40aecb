"""Coverage said plainly (issue 12, item 6), without JavaScript: plain form posts, as a browser without scripts
sends them (the map picker's hidden lat/lon fields are what JavaScript would fill in).

- The start pages and the places step name the municipalities the demo catalogue covers, from its Municipality
  rows (the municipalities with ECEC units or service points), in the page's language.
- A postal code outside them (00100, Helsinki) is accepted: the places step says so once, the next page once
  (a notification banner), the plan is reachable, its checklist names Helsinki, the ECEC comparison says plainly
  it has no day care data for Helsinki and which municipalities are covered; never an error, never a loop.
- A covered postal code without a centroid: the plan asks for a map point only where distances are needed.
- A map point near Helsinki: accepted with the typed postal code; without one, only the postal code is asked for.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from babel.lists import format_list
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import ECEC_STEPS, LIISA_STEPS, MATTI_STEPS, translated

COVERED = {
    "fi": ["Kaarina", "Lieto", "Naantali", "Raisio", "Turku"],
    "en": ["Kaarina", "Lieto", "Naantali", "Raisio", "Turku"],
    "sv": ["Lundo", "Nådendal", "Reso", "S:t Karins", "Åbo"],
}  # the catalogue's Swedish names, sorted
HELSINKI = {"fi": "Helsinki", "en": "Helsinki", "sv": "Helsingfors"}
NEAR_HELSINKI = {"home-lat": "60.17", "home-lon": "24.94"}  # the railway station; ~150 km from every known centroid
EVENTS = {
    "ecec": ("places", "home", ECEC_STEPS),
    "business": ("premises", "premises", LIISA_STEPS),
    "unemployment": ("home", "home", MATTI_STEPS),
}


def text_of(page: str) -> str:
    """The page's visible text, tags and scripts removed, entities decoded, whitespace collapsed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def element(page: str, selector_id: str) -> str:
    """The text of the element with this id (the first <div>/<section> with it, to its matching close)."""
    start = page.index(f'id="{selector_id}"')
    start = page.rindex("<", 0, start)
    tag = re.match(r"<(\w+)", page[start:]).group(1)
    depth, i = 0, start
    for m in re.finditer(rf"<(/?){tag}\b", page[start:]):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            i = start + m.end()
            break
    return text_of(page[start : page.index(">", i) + 1])


def names(lang: str) -> str:
    locale = {"fi": "fi", "sv": "sv", "en": "en_GB"}[lang]  # British English: no comma before "and"
    return format_list(COVERED[lang], locale=locale)


def answer(client: FlaskClient, event: str, lang: str = "en", until: str | None = None, **changes: dict) -> None:
    """Post the event's steps in order (with per-step changes), each accepted, up to and including ``until``."""
    for step, data in EVENTS[event][2].items():
        response = client.post(f"/{lang}/events/{event}/steps/{step}", data={**data, **changes.get(step, {})})
        assert response.status_code == 302, (step, text_of(response.get_data(as_text=True))[:800])
        if step == until:
            return


@pytest.fixture()
def tortinmaki_without_centroid(app: Flask) -> Iterator[str]:
    """21340 Tortinmäki (Turku, covered) as a postal code whose centroid is not known; restored afterwards."""
    from portal.extensions import db
    from portal.models import PostalCode

    with app.app_context():
        row = db.session.get(PostalCode, "21340")
        kept = (row.latitude, row.longitude)
        row.latitude = row.longitude = None
        db.session.commit()
    try:
        yield "21340"
    finally:
        with app.app_context():
            row = db.session.get(PostalCode, "21340")
            row.latitude, row.longitude = kept
            db.session.commit()


# --- the coverage note -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("event", list(EVENTS))
def test_start_pages_and_places_steps_name_the_covered_municipalities(
    app: Flask, client: FlaskClient, event: str, lang: str
) -> None:
    step = EVENTS[event][0]
    expected = translated(
        app,
        lang,
        "This demo lists day care units and service points in %(municipalities)s. "
        "Elsewhere in Finland you still get a checklist for your own municipality and the cost "
        "calculations.",
        municipalities=names(lang),
    )
    for path in (f"/{lang}/events/{event}/", f"/{lang}/events/{event}/steps/{step}"):
        page = client.get(path).get_data(as_text=True)
        assert element(page, "coverage-note") == expected, path
    # Not on the steps without a place.
    assert 'id="coverage-note"' not in client.get(f"/{lang}/events/ecec/steps/child").get_data(as_text=True)


def test_the_covered_municipalities_come_from_the_catalogue(app: Flask) -> None:
    """Those with ECEC units or service points, named from the Municipality rows; Posti's other ~300 municipalities
    (loaded with the postal codes, so that any home municipality can be named) are not listed."""
    from portal.catalogue_repo import SqlPlaces
    from portal.extensions import db
    from portal.models import Municipality

    with app.app_context():
        coverage = SqlPlaces(db.session).coverage()
        assert coverage.ecec == coverage.services == {"853", "202", "680", "529", "423"}
        assert coverage.display_names("sv") == COVERED["sv"]
        assert db.session.get(Municipality, "091").name_sv == "Helsingfors"


def test_the_no_javascript_places_page_mentions_no_map_outside_the_picker(client: FlaskClient) -> None:
    """The map picker is hidden until polku.js shows it; no other text on the page may point to a map."""
    page = client.get("/en/events/ecec/steps/places").get_data(as_text=True)
    pickers = re.findall(r'<div class="map-picker" data-map-picker.*?</button>\s*</div>', page, re.S)
    assert len(pickers) == 2 and all(" hidden>" in p for p in pickers)
    assert all("on the map" in text_of(p) for p in pickers)  # the picker's own hint, shown with the map
    for picker in pickers:
        page = page.replace(picker, "")
    assert "map" not in text_of(page[page.index("<main") : page.index("</main>")]).lower()


# --- a postal code outside the area ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_postal_code_00100_is_accepted_and_said_once_on_the_next_page(
    app: Flask, csrf_off_client: FlaskClient, lang: str
) -> None:
    client = csrf_off_client
    answer(client, "ecec", lang, until="care")
    response = client.post(f"/{lang}/events/ecec/steps/places", data={"home-postal_code": "00100"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/steps/family?outside=home")
    heading = translated(app, lang, "%(municipality)s is outside the area of this demo", municipality=HELSINKI[lang])
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'class="notification-banner" role="region"' in page and "error-summary" not in page
    banner = text_of(page[page.index('class="notification-banner"') : page.index('id="step-count"')])
    assert heading in banner and names(lang) in banner
    assert (
        translated(
            app,
            lang,
            "You can continue: you get a checklist for %(municipality)s and the cost "
            "calculations, but no units or service points near you.",
            municipality=HELSINKI[lang],
        )
        in banner
    )
    assert text_of(page).count(heading) == 1  # one message, not one per part of the page
    # Once: the same step opened again (a reload without the query, Back and forth) carries no banner.
    assert "notification-banner" not in client.get(f"/{lang}/events/ecec/steps/family").get_data(as_text=True)
    # The places step itself says it where the coverage note is, as long as the answer is outside.
    places = client.get(f"/{lang}/events/ecec/steps/places").get_data(as_text=True)
    assert element(places, "coverage-note").startswith(heading) and "error-summary" not in places


def test_plan_for_00100_names_helsinki_and_says_plainly_there_is_no_day_care_data(
    app: Flask, csrf_off_client: FlaskClient
) -> None:
    client = csrf_off_client
    answer(
        client, "ecec", places={"home-postal_code": "00100", "work-postal_code": ""}, care={"hours_per_week": "40"}
    )  # full time: the fee needs no municipal part-time steps
    response = client.get("/en/events/ecec/plan")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    text = text_of(page)
    # The checklist: the home municipality's ECEC services are Helsinki's (municipality_of: home).
    assert "Your home municipality's early childhood education services (Helsinki)" in text
    # The comparison: one plain message, no filters, no units, no map; the fee and home care are still there.
    assert element(page, "results-count").startswith(
        "We have no day care data for Helsinki yet: this demo covers Kaarina, Lieto, Naantali, Raisio and Turku."
    )
    assert 'class="filters"' not in page and 'class="options"' not in page and "data-results-map" not in page
    assert "Your fee for municipal day care:" in text and "Alternative: care for your child at home" in text
    # The check page shows the postal area, not a bare code or coordinates.
    assert "00100 Helsinki" in text_of(client.get("/en/events/ecec/check").get_data(as_text=True))


def test_part_time_care_in_helsinki_says_why_the_fee_is_missing_and_the_plan_still_works(
    csrf_off_client: FlaskClient,
) -> None:
    answer(csrf_off_client, "ecec", places={"home-postal_code": "00100", "work-postal_code": ""})  # 30 h a week
    text = text_of(csrf_off_client.get("/en/events/ecec/plan").get_data(as_text=True))
    assert "part-time fee steps are not in the catalogue" in text and "We have no day care data for Helsinki" in text


@pytest.mark.parametrize("event", ["business", "unemployment"])
def test_services_for_00100_say_plainly_there_is_no_data(csrf_off_client: FlaskClient, event: str) -> None:
    step, question, _ = EVENTS[event]
    answer(csrf_off_client, event, **{step: {f"{question}-postal_code": "00100"}})
    response = csrf_off_client.get(f"/en/events/{event}/plan")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert (
        "We have no service point data for Helsinki yet: this demo covers Kaarina, Lieto, Naantali, Raisio and Turku."
    )  # British English lists: no comma before "and" in text_of(page)
    assert 'class="options services"' not in page and "We found no service point of this kind" not in page


def test_api_plan_for_00100(client: FlaskClient) -> None:
    from tests.api.test_api import ECEC_ANSWERS

    response = client.post(
        "/api/v2/life-events/ecec/plan?lang=sv",
        json={"answers": {**ECEC_ANSWERS, "home": {"postal_code": "00100"}, "work": None, "hours_per_week": 40}},
    )  # full time: no municipal steps needed
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["comparisons"][0]["coverage_gap"] == {
        "reason": "outside",
        "municipality_code": "091",
        "municipality": "Helsingfors",
        "postal_code": "00100",
        "covered_municipalities": COVERED["sv"],
    }
    assert body["comparisons"][0]["rows"] == [] and body["comparisons"][0]["municipal_fee"] is not None
    home_municipality = next(e for e in body["checklist"] if e["id"] == "apply_for_ecec")["responsible"]
    assert home_municipality["organisation"] == "Helsingfors"


# --- a covered postal code without a centroid -------------------------------------------------------------


def test_covered_postal_code_without_centroid_asks_for_a_map_point_only_for_distances(
    app: Flask, csrf_off_client: FlaskClient, tortinmaki_without_centroid: str
) -> None:
    client = csrf_off_client
    answer(client, "ecec", until="care")
    response = client.post("/en/events/ecec/steps/places", data={"home-postal_code": tortinmaki_without_centroid})
    assert response.status_code == 302 and "outside" not in response.headers["Location"]  # Turku is covered
    answer(client, "ecec", places={"home-postal_code": tortinmaki_without_centroid, "work-postal_code": ""})
    page = client.get("/en/events/ecec/plan").get_data(as_text=True)
    assert element(page, "results-count") == (
        "We do not know where postal area 21340 Tortinmäki lies on the map, so "
        "we cannot measure distances to day care units. Choose your home on "
        "the map to see distances"
    )
    assert 'href="/en/events/ecec/steps/places?change=1#home"' in page
    assert "Your home municipality's early childhood education services (Turku)" in text_of(page)
    assert "Your fee for municipal day care:" in text_of(page)  # Turku's part-time steps: 30 h is computed


def test_covered_postal_code_without_centroid_lists_services_without_distances(
    csrf_off_client: FlaskClient, tortinmaki_without_centroid: str
) -> None:
    answer(csrf_off_client, "unemployment", home={"home-postal_code": tortinmaki_without_centroid})
    page = csrf_off_client.get("/en/events/unemployment/plan").get_data(as_text=True)
    text = text_of(page)
    assert (
        "We do not know where postal area 21340 Tortinmäki lies on the map, so the service points are listed "
        "without distances."
        in text
        and "Choose your home on the map to see distances" in text
    )
    assert 'class="options services"' in page
    assert re.search(r'data-fact="distance"><dt>Distance</dt><dd>not known</dd>', page)


# --- a map point near Helsinki ----------------------------------------------------------------------------


def test_map_point_near_helsinki_without_postal_code_asks_only_for_the_postal_code(
    app: Flask, csrf_off_client: FlaskClient
) -> None:
    client = csrf_off_client
    answer(client, "ecec", until="care")
    response = client.post("/en/events/ecec/steps/places", data={**NEAR_HELSINKI, "home-postal_code": ""})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    message = "Enter the postal code as well: the point on the map does not tell which municipality it is in"
    assert f'<a href="#home-postal_code">{message}</a>' in page
    assert "missing" not in text_of(page).lower()
    # The point is kept: the person only types the postal code and continues.
    assert (
        'name="home-lat" id="home-lat" value="60.17"' in page and 'name="home-lon" id="home-lon" value="24.94"' in page
    )
    response = client.post("/en/events/ecec/steps/places", data={**NEAR_HELSINKI, "home-postal_code": "00100"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/steps/family?outside=home")
    check = text_of(client.get("/en/events/ecec/check").get_data(as_text=True))
    assert "00100 Helsinki (point on the map)" in check
    assert "60.17" not in check and "24.94" not in check  # never raw coordinates as the chosen place


def test_map_point_near_helsinki_with_postal_code_is_accepted_at_once(csrf_off_client: FlaskClient) -> None:
    answer(csrf_off_client, "ecec", places={**NEAR_HELSINKI, "home-postal_code": "00100", "work-postal_code": ""})
    page = csrf_off_client.get("/en/events/ecec/plan").get_data(as_text=True)
    assert "We have no day care data for Helsinki yet" in text_of(page)


def test_map_point_in_the_region_shows_its_postal_area(csrf_off_client: FlaskClient) -> None:
    answer(
        csrf_off_client,
        "ecec",
        places={"home-lat": "60.4518", "home-lon": "22.2666", "home-postal_code": "", "work-postal_code": ""},
    )
    check = text_of(csrf_off_client.get("/en/events/ecec/check").get_data(as_text=True))
    assert "20100 Turku (point on the map)" in check and "60.4518" not in check
