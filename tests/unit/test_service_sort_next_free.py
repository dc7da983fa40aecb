"""Sorting the nearby service points by the next free appointment (``sort=next_free``): a person who needs a time
soon wants the soonest first. Within each kind the points with a free time come first, the earliest first (equal
times nearest first, then by id, as the distance sort breaks its ties); those without a free time after them,
nearest first.

The points are made up around Lieto centre (Liisa's premises, tests/unit/test_business_event.py: 0.01 degrees of
latitude is about 1.1 km), for the kinds her answers ask for (business advice, employment services, food control;
rural business too, but no point of it serves Lieto):

  id  kind                 km     next free time
  11  business_advice      11.1   2026-11-24 09:00
  12  business_advice       1.1   none
  14  business_advice       5.6   2026-11-24 09:00   same time as 11, nearer: before 11
  15  business_advice       2.2   2026-11-23 14:00   the earliest
  16  business_advice       8.9   none               after 12 (farther)
  21  food_control         11.9   2026-11-24 09:00
  31  employment_services   2.2   2026-11-25 10:00   same time and distance as 32: by id
  32  employment_services   2.2   2026-11-25 10:00
  33  employment_services   1.1   none
  34  employment_services   3.3   2026-11-25 09:59   a minute earlier than 31 and 32, though farther
"""

from __future__ import annotations

from datetime import datetime

import pytest

from configurator.answers import LocationAnswer
from configurator.comparisons import Sources
from configurator.comparisons.services import SORTS, ServiceComparison, ServiceFilters, build_services
from configurator.geo import Place
from configurator.plan import filters_from_query
from tests.unit.test_business_event import (
    NOW,
    TODAY,
    FakeServiceCatalogue,
    business,
    liisa,
    point,
    services_options,
)

LIETO = {"423"}
POINTS = [
    point(11, "business_advice", 60.6040, 22.4570, LIETO, next_free_appointment=datetime(2026, 11, 24, 9)),
    point(12, "business_advice", 60.5140, 22.4570, LIETO),
    point(14, "business_advice", 60.5540, 22.4570, LIETO, next_free_appointment=datetime(2026, 11, 24, 9)),
    point(15, "business_advice", 60.4840, 22.4570, LIETO, next_free_appointment=datetime(2026, 11, 23, 14)),
    point(16, "business_advice", 60.5840, 22.4570, LIETO),
    point(21, "food_control", 60.4518, 22.2666, {"423", "853"}, next_free_appointment=datetime(2026, 11, 24, 9)),
    point(32, "employment_services", 60.4840, 22.4570, LIETO, next_free_appointment=datetime(2026, 11, 25, 10)),
    point(31, "employment_services", 60.5240, 22.4570, LIETO, next_free_appointment=datetime(2026, 11, 25, 10)),
    point(33, "employment_services", 60.4940, 22.4570, LIETO),
    point(34, "employment_services", 60.5340, 22.4570, LIETO, next_free_appointment=datetime(2026, 11, 25, 9, 59)),
]
KINDS = ("business_advice", "employment_services", "food_control", "rural_business")


def built(query: dict[str, list[str]], answers: dict | None = None) -> ServiceComparison:
    sources = Sources(services=FakeServiceCatalogue(POINTS), now=NOW)  # type: ignore[arg-type]
    return build_services(services_options(), answers or liisa(), TODAY, sources, ServiceFilters.from_query(query))


def by_kind(cmp: ServiceComparison) -> dict[str, list[int]]:
    return {kind: [row.point.id for row in cmp.rows_of(kind)] for kind in cmp.kinds}


def test_the_sort_is_one_of_the_comparisons_sorts() -> None:
    assert SORTS == ("distance", "rating", "next_free")
    assert ServiceFilters.from_query({"sort": ["next_free"]}).sort == "next_free"


def test_the_distances_the_expected_orders_rest_on() -> None:
    cmp = built({})
    assert {kind: [(r.point.id, r.distance_km) for r in cmp.rows_of(kind)] for kind in KINDS} == {
        "business_advice": [(12, 1.1), (15, 2.2), (14, 5.6), (16, 8.9), (11, 11.1)],
        "employment_services": [(33, 1.1), (31, 2.2), (32, 2.2), (34, 3.3)],
        "food_control": [(21, 11.9)],
        "rural_business": [],
    }
    assert cmp.kinds == KINDS


def test_soonest_free_time_first_and_the_points_without_one_last_nearest_first() -> None:
    cmp = built({"sort": ["next_free"]})
    assert by_kind(cmp) == {
        "business_advice": [15, 14, 11, 12, 16],
        "employment_services": [34, 31, 32, 33],
        "food_control": [21],
        "rural_business": [],
    }
    assert cmp.filters.sort == "next_free"
    assert [row.point.id for row in cmp.serving][:5] == [12, 15, 14, 16, 11]  # every point, nearest first as ever


def test_the_sort_reads_the_other_filters_as_ever() -> None:
    cmp = built({"sort": ["next_free"], "serves_in": ["sv"]})
    assert by_kind(cmp) == {kind: [] for kind in KINDS}  # the made-up points serve in Finnish only
    assert built({"sort": ["next_free"], "serves_in": ["fi"]}).rows == built({"sort": ["next_free"]}).rows


def test_without_a_place_to_measure_from_equal_times_go_by_id() -> None:
    """A postal code without a known centroid: every point counts as 0 km, so equal times (and the points without
    a time) keep the id order."""
    answers = liisa()
    answers["premises"] = LocationAnswer(Place(None, None, "423", "21420"))
    cmp = built({"sort": ["next_free"]}, answers)
    assert all(row.distance_km is None for row in cmp.rows)
    assert by_kind(cmp)["business_advice"] == [15, 11, 14, 12, 16]
    assert by_kind(cmp)["employment_services"] == [34, 31, 32, 33]


@pytest.mark.parametrize("value", ["", "next-free", "NEXT_FREE", "next_free ", "soonest", "cost"])
def test_a_bad_sort_is_the_distance_sort(value: str) -> None:
    assert ServiceFilters.from_query({"sort": [value]}).sort == "distance"
    assert by_kind(built({"sort": [value]}))["business_advice"] == [12, 15, 14, 16, 11]


def test_the_plan_reads_it_from_the_page_query() -> None:
    filters = filters_from_query(business(), {"sort": ["next_free"]})
    assert any(isinstance(f, ServiceFilters) and f.sort == "next_free" for f in filters.values())
