"""Sorting and filtering the nearby service points by others' rating, and others' experiences of the ECEC units in
/api/v2/ecec-units (issue 16, item 1), after ratings posted through the real quick feedback form.

Matti's plan (tests/helpers.py MATTI_STEPS, home 20100 Turku) lists, by distance: employment services 2021 (Turku,
0.5 km), 2022 (Raisio, 6.2 km), 2023 (Kaarina, 7.9 km); debt advice 2041; the twelve health stations of the
county that a Turku resident may choose (HEALTH, nearest first: tests/web/test_health_stations.py derives the
distances); mental health 2061: 3 + 1 + 12 + 1 = 17 points.
The demo data rates 2021 (7 ratings, 29/7 = 4.14 -> 4.1, 5 of 6 effort answers easy -> 83 %); the others have no
demo ratings. Here: six ratings of 2023 averaging 4.5, five of 2022 averaging 3.0, four of 2041 (too few). The
module has its own database, so no other test's ratings reach these points.
"""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape

import pytest
from flask import Flask
from sqlalchemy import select, update

from portal.account_models import Feedback
from portal.extensions import db
from tests.api.test_unemployment_api import MATTI_ANSWERS
from tests.api.test_unemployment_api import PLAN_URL as API_PLAN
from tests.conftest import build_app
from tests.helpers import complete_unemployment
from tests.web.test_experiences import experiences_fact

PLAN = "/en/events/unemployment/plan"
TURKU, RAISIO, KAARINA = 2021, 2022, 2023  # employment services, nearest first
DEBT, MENTAL = 2041, 2061  # one point of each kind
# From 20100 (60.4510, 22.2560): 2071 0.3 km, 2056 0.6, 2057 1.3, 2051 1.7, 2059 2.9, 2058 4.7, 2060 4.8, 2053 6.1,
# 2052 7.8, 2054 12.5, 2072 12.6, 2055 12.7 (hand-checked in tests/web/test_health_stations.py); none rated.
HEALTH = [2071, 2056, 2057, 2051, 2059, 2058, 2060, 2053, 2052, 2054, 2072, 2055]
IN_AREA = 3 + 1 + len(HEALTH) + 1
KINDS = ("employment_services", "debt_advice", "health_centre", "mental_health")

# Kaarina: 5+4+5+4+5+4 = 27, 27/6 = 4.5; effort answered five times (7, 6, 5, 4, 3), three of them 5..7 -> 60 %.
KAARINA_RATINGS = [("5", "7"), ("4", "6"), ("5", "5"), ("4", "4"), ("5", "3"), ("4", "")]
# Raisio: 3+2+4+3+3 = 15, 15/5 = 3.0; effort answered only three times: no share (fewer than five answers).
RAISIO_RATINGS = [("3", "2"), ("2", "3"), ("4", "5"), ("3", ""), ("3", "")]
DEBT_RATINGS = [("5", "7")] * 4  # four: not enough to show, however good

# ECEC units for /api/v2/ecec-units: Päiväkoti Raunistulan Ruusu (1016) and Päiväkoti Pansion Majakka (1018) have
# no demo ratings; Ruusu gets 5+4+4+5+3+4 = 25, 25/6 = 4.17 -> 4.2, effort 7, 5, 2, 6, 4: 3 of 5 easy -> 60 %.
RUUSU, MAJAKKA = 1016, 1018
METSATAHTI, MYYRA = 1014, 1011  # the demo's: 8 ratings, 4.4, 86 %, two published comments; 3 ratings
RUUSU_RATINGS = [("5", "7"), ("4", "5"), ("4", "2"), ("5", "6"), ("3", "4"), ("4", "")]
PUBLISHED = "The unit answered every question we had, service-ratings-test."
TURKU_CENTRE = (60.4518, 22.2666)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """Its own database (ratings are posted here), with room in the feedback budget for the posts."""
    return build_app(
        f"sqlite:///{tmp_path_factory.mktemp('service-ratings') / 'polku.db'}",
        POLKU_RATE_LIMIT_FEEDBACK="600 per minute",
        POLKU_RATE_LIMIT_FEEDBACK_PERSON="600 per minute",
    )


def rate(client, location_id: int, rating: str, effort: str, comment: str = "") -> None:
    """The quick feedback form about a unit or service point, as the page posts it."""
    response = client.post(
        "/en/feedback/quick",
        data={
            "kind": "service",
            "location": str(location_id),
            "rating": rating,
            "effort": effort,
            "comment": comment,
            "next": PLAN,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


@pytest.fixture(scope="module")
def rated(app: Flask) -> Flask:
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        client = app.test_client()
        for location, ratings in ((KAARINA, KAARINA_RATINGS), (RAISIO, RAISIO_RATINGS), (DEBT, DEBT_RATINGS)):
            for rating, effort in ratings:
                rate(client, location, rating, effort)
        for n, (rating, effort) in enumerate(RUUSU_RATINGS):
            rate(client, RUUSU, rating, effort, PUBLISHED if n == 2 else "")
        for _ in range(4):
            rate(client, MAJAKKA, "5", "7")
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    with app.app_context():  # an organiser publishes the comment (their page is tested elsewhere)
        db.session.execute(
            update(Feedback).where(Feedback.comment == PUBLISHED).values(published_at=datetime(2026, 11, 21, 9, 0))
        )
        db.session.commit()
    return app


@pytest.fixture()
def matti(rated: Flask, csrf_off_client):
    complete_unemployment(csrf_off_client)
    return csrf_off_client


def page_of(client, query: str = "") -> str:
    response = client.get(PLAN + query)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def listed(page: str) -> dict[str, list[int]]:
    """The service points of each kind's list, in the order shown."""
    found = {}
    for kind in KINDS:
        match = re.search(rf'<ol class="options services" id="services-{kind}-list"[^>]*>(.*?)</ol>', page, re.S)
        found[kind] = (
            [int(i) for i in re.findall(r'<li class="option" id="unit-service-(\d+)">', match.group(1))]
            if match
            else []
        )
    return found


def card(page: str, point: int) -> str:
    match = re.search(rf'<li class="option" id="unit-service-{point}">(.*?)</li>\s*(?:<li|</ol>)', page, re.S)
    assert match, point
    return match.group(1)


def count_line(page: str) -> str:
    match = re.search(r'<p class="results-count" id="services-count" tabindex="-1">(.*?)</p>', page, re.S)
    assert match, "no count line"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def selected(page: str, select_id: str) -> str:
    match = re.search(rf'<select class="select" id="{select_id}"[^>]*>(.*?)</select>', page, re.S)
    assert match, select_id
    return re.search(r'<option value="([^"]*)" selected>', match.group(1)).group(1)


def test_the_figures_on_the_cards(matti) -> None:
    page = page_of(matti)
    assert experiences_fact(card(page, KAARINA)) == "4.5 of 5 (6 ratings) · 60% found it easy"
    assert experiences_fact(card(page, RAISIO)) == "3.0 of 5 (5 ratings)"  # three effort answers: no share
    assert experiences_fact(card(page, DEBT)) == "Not enough ratings yet"  # four ratings
    assert experiences_fact(card(page, TURKU)).startswith("4.1 of 5 (7 ratings) · 83% found it easy")


def test_nearest_first_by_default_with_the_form_set_to_it(matti) -> None:
    page = page_of(matti)
    assert listed(page) == {
        "employment_services": [TURKU, RAISIO, KAARINA],
        "debt_advice": [DEBT],
        "health_centre": HEALTH,
        "mental_health": [MENTAL],
    }
    assert selected(page, "services-sort") == "distance" and selected(page, "services-min_rating") == ""
    assert count_line(page) == "Sorted by distance."
    assert 'aria-label="Employment services: service points, nearest first"' in page


def test_sorted_by_rating_best_first_and_the_unrated_last(matti) -> None:
    page = page_of(matti, "?sort=rating")
    # 4.5 (7.9 km), 4.1 (0.5 km), 3.0 (6.2 km); the other kinds have one point each, shown whatever their ratings
    assert listed(page) == {
        "employment_services": [KAARINA, TURKU, RAISIO],
        "debt_advice": [DEBT],
        "health_centre": HEALTH,
        "mental_health": [MENTAL],
    }
    assert selected(page, "services-sort") == "rating"
    assert count_line(page) == "Sorted by rating, best first."
    assert 'aria-label="Employment services: service points, best rated first"' in page


def test_filtering_by_rating_leaves_out_points_without_enough_ratings(matti) -> None:
    page = page_of(matti, "?min_rating=4")
    # at least 4: Turku 4.1 and Kaarina 4.5, nearest first; Raisio's 3.0 and the unrated points are left out
    assert listed(page) == {"employment_services": [TURKU, KAARINA], **{k: [] for k in KINDS[1:]}}
    assert selected(page, "services-min_rating") == "4"
    assert count_line(page) == "2 of 17 service points match your filters. Sorted by distance. Show all service points"
    assert page.count("No service point of this kind has an average rating of at least 4 of 5.") == 3
    assert "We found no service point of this kind for your municipality" not in page  # they are there, filtered out
    # the summary above still counts every point that serves the area
    assert f"{IN_AREA} service points near you serve your area." in page

    page = page_of(matti, "?min_rating=3&sort=rating")
    assert listed(page)["employment_services"] == [KAARINA, TURKU, RAISIO]  # 3.0 is "at least 3"
    page = page_of(matti, "?min_rating=4.5&sort=rating")
    assert listed(page) == {"employment_services": [KAARINA], **{k: [] for k in KINDS[1:]}}
    assert count_line(page).startswith("1 of 17 service points matches your filters.")


def test_bad_values_are_no_filter_never_an_error(matti) -> None:
    for query in (
        "?min_rating=abc&sort=zzz",
        "?min_rating=9",
        "?min_rating=4.25",
        "?sort=cost&min_rating=",
        "?min_rating=%00",
    ):
        page = page_of(matti, query)
        assert listed(page)["employment_services"] == [TURKU, RAISIO, KAARINA], query
        assert selected(page, "services-min_rating") == "" and selected(page, "services-sort") == "distance"


def test_the_form_works_without_javascript_and_keeps_the_other_parameters(matti) -> None:
    page = page_of(matti, "?keep=me&min_rating=4&sort=rating&page=2")
    form = re.search(r'<form method="get" action="([^"]*)" class="filters"[^>]*>(.*?)</form>', page, re.S)
    assert form and form.group(1) == "/en/events/unemployment/plan#services-count"
    hidden = re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', form.group(2))
    assert hidden == [("keep", "me")]  # the form's own fields and the page number are the form's to send
    assert re.search(r'<select class="select" id="services-min_rating" name="min_rating"', form.group(2))
    assert re.search(r'<select class="select" id="services-sort" name="sort"', form.group(2))
    # what the form sends with the other parameter gives the same list as the link
    assert listed(page_of(matti, "?keep=me&min_rating=4&sort=rating"))["employment_services"] == [KAARINA, TURKU]
    show_all = re.search(r'<a href="([^"]*)">Show all service points</a>', page).group(1)
    assert unescape(show_all) == "/en/events/unemployment/plan?keep=me&sort=rating&page=2#services-count"


def test_the_plan_api_takes_the_same_sort_and_filter(rated: Flask, client) -> None:
    def services(filters: dict | None = None) -> dict:
        body = {"answers": MATTI_ANSWERS, **({"filters": filters} if filters is not None else {})}
        response = client.post(f"{API_PLAN}?lang=en", json=body)
        assert response.status_code == 200, response.get_json()
        [found] = [c for c in response.get_json()["comparisons"] if c["kind"] == "nearby_services"]
        return found

    plain = services()
    assert [row["id"] for row in plain["rows"]] == [TURKU, RAISIO, KAARINA, DEBT, *HEALTH, MENTAL]
    assert plain["filters"] == {"sort": "distance", "min_rating": None, "serves_in": None}
    assert plain["in_area"] == IN_AREA
    by_id = {row["id"]: row["experiences"] for row in plain["rows"]}
    assert by_id[KAARINA] == {"average_rating": 4.5, "rating_count": 6, "easy_share": 60, "comments": []}
    assert by_id[RAISIO] == {"average_rating": 3.0, "rating_count": 5, "easy_share": None, "comments": []}
    assert by_id[DEBT] is None and all(by_id[point] is None for point in HEALTH)

    found = services({"sort": "rating", "min_rating": 4})
    assert [row["id"] for row in found["rows"]] == [KAARINA, TURKU]
    assert found["filters"] == {"sort": "rating", "min_rating": 4, "serves_in": None} and found["in_area"] == IN_AREA
    found = services({"sort": "rating"})
    assert [row["id"] for row in found["rows"]] == [KAARINA, TURKU, RAISIO, DEBT, *HEALTH, MENTAL]
    # an ECEC-only sort leaves the points nearest first, and says so
    found = services({"sort": "cost", "min_rating": 2.95})  # "at least 2.95" is "at least 3.0", as averages are shown
    assert [row["id"] for row in found["rows"]] == [TURKU, RAISIO, KAARINA]
    assert found["filters"] == {"sort": "distance", "min_rating": 3, "serves_in": None}
    response = client.post(f"{API_PLAN}?lang=en", json={"answers": MATTI_ANSWERS, "filters": {"min_rating": 0}})
    assert response.status_code == 400


def test_ecec_units_near_a_point_carry_the_experiences(rated: Flask, client) -> None:
    response = client.get(f"/api/v2/ecec-units?lat={TURKU_CENTRE[0]}&lon={TURKU_CENTRE[1]}&radius_km=25&lang=en")
    assert response.status_code == 200
    units = {unit["id"]: unit for unit in response.get_json()["units"]}
    with rated.app_context():
        given = db.session.scalar(select(Feedback.created_at).where(Feedback.comment == PUBLISHED)).date()
    assert units[RUUSU]["experiences"] == {
        "average_rating": 4.2,
        "rating_count": 6,
        "easy_share": 60,
        "comments": [{"text": PUBLISHED, "date": given.isoformat()}],
    }
    assert units[MAJAKKA]["experiences"] is None  # four ratings
    assert units[MYYRA]["experiences"] is None  # the demo's three
    metsatahti = units[METSATAHTI]["experiences"]
    assert (metsatahti["average_rating"], metsatahti["rating_count"], metsatahti["easy_share"]) == (4.4, 8, 86)
    assert [c["date"] for c in metsatahti["comments"]] == ["2026-10-06", "2026-09-14"]
    assert "julkaisematon" not in response.get_data(as_text=True)  # the demo's unpublished comment
