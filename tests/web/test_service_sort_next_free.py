"""Sorting the nearby service points by the next free time (``?sort=next_free``), through the plan page of the
unemployment event without JavaScript (a GET form) and through the plan API, with Sirkka's home 20780 Kaarina.

The distances are tests/web/test_health_stations.py's. The next free times from the demo slots
(portal/demo/service_point_loader.py generate_slots; TODAY is Sunday 2026-11-22, so the working days are Monday
11-23 (day 0), Tuesday 11-24 (1), Wednesday 11-25 (2), Thursday 11-26 (3), Friday 11-27 (4)). A slot is taken on
the first ``booked_first_days`` working days and where its running index n (from 0, over the days) is a multiple
of ``booked_every``; any other is free (portal/demo/service_points.yaml). The first slot of day d has
n = d x times a day:

  station  times/day  first days  every  first slot of the first free day     next free time     km
  2053     5          1           3      Tue n=5, 5 % 3 = 2: free              11-24 08:00        14.0
  2057     5          1           3      Tue n=5: free                         11-24 08:30        8.5
  2060     3          1           2      Tue n=3: free                         11-24 08:30        11.8
  2055     4          2           3      Wed n=8, 8 % 3 = 2: free              11-25 08:00        11.9
  2051     8          2           2      Wed n=16 taken, 08:30 n=17 free       11-25 08:30        6.2
  2059     4          2           2      Wed n=8 taken, 09:00 n=9 free         11-25 09:00        7.1
  2052     5          3           2      Thu n=15: free                        11-26 08:00        0.2
  2056     6          3           2      Thu n=18 taken, 09:00 n=19 free       11-26 09:00        7.5
  2058     4          4           2      Fri n=16 taken, 10:00 n=17 free       11-27 10:00        4.4
  2054     3          4           2      Fri n=12 taken, 10:00 n=13 free       11-27 10:00        19.7

So the soonest first: 2053; 2057 and 2060 at the same time, 2057 nearer; 2055, 2051, 2059, 2052, 2056; 2058 and
2054 at the same time, 2058 nearer. Employment services: 2021 (6 a day, first day taken, every 3rd: Tue n=6 taken,
09:30 n=7 free: 11-24 09:30), 2022 (3 a day, 2 days, every 2nd: Wed n=6 taken, 11:00 n=7: 11-25 11:00), 2023 (2 a
day, 4 days, every 3rd: Fri n=8 free: 11-27 09:00). Debt advice 2041 is fully booked (no free time); mental health
2061 is the only point of its kind.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.api.test_unemployment_api import MATTI_ANSWERS
from tests.api.test_unemployment_api import PLAN_URL as API_PLAN
from tests.conftest import build_app
from tests.helpers import complete_ecec, complete_unemployment
from tests.web.test_health_stations import NEAREST, SIRKKA_HOME, facts_of
from tests.web.test_service_ratings import card, count_line, listed, selected

SOONEST = [2053, 2057, 2060, 2055, 2051, 2059, 2052, 2056, 2058, 2054]
NEXT_FREE = {
    2053: "2026-11-24T08:00:00",
    2057: "2026-11-24T08:30:00",
    2060: "2026-11-24T08:30:00",
    2055: "2026-11-25T08:00:00",
    2051: "2026-11-25T08:30:00",
    2059: "2026-11-25T09:00:00",
    2052: "2026-11-26T08:00:00",
    2056: "2026-11-26T09:00:00",
    2058: "2026-11-27T10:00:00",
    2054: "2026-11-27T10:00:00",
}
EMPLOYMENT = [2021, 2022, 2023]
LABELS = {
    "en": ("next free time, soonest first", "Health centre: service points, soonest free time first"),
    "fi": ("seuraava vapaa aika, aikaisin ensin", "Terveysasema: palvelupisteet, aikaisin vapaa aika ensin"),
    "sv": ("nästa lediga tid, tidigaste först", "Hälsostation: servicepunkter, tidigaste lediga tid först"),
}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """A database of its own: no other test's bookings move a next free time."""
    return build_app(f"sqlite:///{tmp_path_factory.mktemp('service-sort-next-free') / 'polku.db'}")


@pytest.fixture()
def sirkka(app: Flask, csrf_off_client):
    complete_unemployment(csrf_off_client, home=SIRKKA_HOME)
    return csrf_off_client


def plan_page(client, lang: str = "en", query: str = "") -> str:
    response = client.get(f"/{lang}/events/unemployment/plan{query}")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def next_free_of(page: str, point: int) -> str | None:
    found = re.search(r'<time datetime="([^"]+)">', card(page, point))
    return found.group(1) if found else None


def sort_options(page: str) -> list[tuple[str, str]]:
    options = re.search(r'<select class="select" id="services-sort" name="sort">(.*?)</select>', page, re.S)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', options.group(1))


def test_the_stations_soonest_free_time_first(sirkka) -> None:
    page = plan_page(sirkka, "en", "?sort=next_free")
    assert listed(page) == {
        "employment_services": EMPLOYMENT,
        "debt_advice": [2041],
        "health_centre": SOONEST,
        "mental_health": [2061],
    }
    assert {point: next_free_of(page, point) for point in SOONEST} == NEXT_FREE
    assert facts_of(card(page, 2041))["Next free appointment"].startswith("No free appointment times")
    assert [facts_of(card(page, p))["Distance"] for p in (2057, 2060, 2058, 2054)] == [
        "8.5 km",
        "11.8 km",
        "4.4 km",
        "19.7 km",
    ]


def test_the_form_offers_it_and_the_page_says_it_is_used(sirkka) -> None:
    for lang, (label, list_name) in LABELS.items():
        page = plan_page(sirkka, lang, "?sort=next_free")
        assert sort_options(page)[-1] == ("next_free", label)
        assert selected(page, "services-sort") == "next_free"
        assert f'id="services-health_centre-list" aria-label="{list_name}"' in page
        if lang == "en":
            assert count_line(page) == "Sorted by next free time, soonest first."
    assert sort_options(plan_page(sirkka)) == [
        ("distance", "distance"),
        ("rating", "rating, best first"),
        ("next_free", "next free time, soonest first"),
    ]


def test_it_goes_with_the_language_filter_and_keeps_the_other_parameters(sirkka) -> None:
    page = plan_page(sirkka, "en", "?keep=me&serves_in=sv&sort=next_free")
    assert listed(page)["health_centre"] == [2057, 2051]  # 11-24 08:30 before 11-25 08:30, though farther
    assert count_line(page) == (
        "5 of 15 service points match your filters. Sorted by next free time, soonest first. Show all service points"
    )
    form = re.search(r'<form method="get" action="([^"]*)" class="filters"[^>]*>(.*?)</form>', page, re.S)
    assert form.group(1) == "/en/events/unemployment/plan#services-count"
    assert re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', form.group(2)) == [("keep", "me")]


@pytest.mark.parametrize("value", ["next-free", "NEXT_FREE", "next_free%20", "soonest", "cost", ""])
def test_a_bad_sort_is_the_distance_sort_never_an_error(sirkka, value: str) -> None:
    page = plan_page(sirkka, "en", f"?sort={value}")
    assert listed(page)["health_centre"] == NEAREST
    assert selected(page, "services-sort") == "distance"
    assert count_line(page) == "Sorted by distance."


def test_the_ecec_comparison_does_not_offer_it_and_reads_it_as_distance(app: Flask, csrf_off_client) -> None:
    complete_ecec(csrf_off_client, "en")
    page = csrf_off_client.get("/en/events/ecec/plan?sort=next_free").get_data(as_text=True)
    options = re.search(r'<select class="select" id="sort" name="sort">(.*?)</select>', page, re.S).group(1)
    assert re.findall(r'<option value="([^"]*)"( selected)?>', options) == [
        ("distance", " selected"),
        ("cost", ""),
        ("availability", ""),
        ("rating", ""),
        ("name", ""),
    ]
    assert "sorted by distance." in page


def test_the_plan_api_takes_the_sort_and_says_it_applied_it(app: Flask, client) -> None:
    answers = {**MATTI_ANSWERS, "home": {"postal_code": "20780"}}

    def services(filters: dict) -> dict:
        response = client.post(f"{API_PLAN}?lang=en", json={"answers": answers, "filters": filters})
        assert response.status_code == 200, response.get_json()
        [found] = [c for c in response.get_json()["comparisons"] if c["kind"] == "nearby_services"]
        return found

    found = services({"sort": "next_free"})
    assert found["filters"] == {"sort": "next_free", "min_rating": None, "serves_in": None}
    assert [row["id"] for row in found["rows"] if row["kind"] == "health_centre"] == SOONEST
    assert [row["id"] for row in found["rows"] if row["kind"] == "employment_services"] == EMPLOYMENT
    swedish = services({"sort": "next_free", "serves_in": "sv"})
    assert [row["id"] for row in swedish["rows"] if row["kind"] == "health_centre"] == [2057, 2051]
    response = client.post(f"{API_PLAN}?lang=en", json={"answers": answers, "filters": {"sort": "soonest"}})
    assert response.status_code == 400
    [problem] = response.get_json()["errors"]
    assert problem["field"] == "filters.sort"
    assert problem["detail"] == "Use a list of these values: distance, cost, availability, rating, name, next_free."
