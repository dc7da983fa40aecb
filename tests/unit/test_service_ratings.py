"""Sorting and filtering by others' rating (issue 16, item 1): the rule shared by the ECEC units and the nearby
service points (configurator/comparisons/ratings.py), and the nearby services comparison built with it.

The service points are those of tests/unit/test_business_event.py around Lieto: by distance from Liisa's premises
the business advice points are 12 (1.1 km), 11 (11.1 km); employment services 31 and 32 (2.2 km both, so by id);
food control 21; no rural business point serves Lieto. The experiences below are made up for these tests.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from decimal import Decimal

import pytest

from configurator.comparisons import Experiences, PublishedComment, Sources
from configurator.comparisons.ecec import Filters
from configurator.comparisons.ratings import RATING_FILTERS, best_rated_first, min_rating_from_query, rated_at_least
from configurator.comparisons.services import ServiceComparison, ServiceFilters, build_services
from configurator.plan import filters_from_query
from tests.unit.test_business_event import NOW, POINTS, TODAY, FakeServiceCatalogue, business, liisa, services_options

RATED = {
    11: Experiences(Decimal("4.5"), 6, 60),  # the farther advice point, rated best
    12: Experiences(Decimal("3.0"), 5),
    31: Experiences(comments=(PublishedComment("Helpful.", TODAY),)),  # a published comment, too few ratings
    32: Experiences(Decimal("4.0"), 10),
}


def lookup(asked: list[Collection[int]]) -> object:
    def experiences(ids: Collection[int]) -> Mapping[int, Experiences]:
        asked.append(sorted(ids))
        return {i: RATED[i] for i in ids if i in RATED}

    return experiences


def built(query: dict[str, list[str]] | None = None) -> tuple[ServiceComparison, list[Collection[int]]]:
    asked: list[Collection[int]] = []
    sources = Sources(services=FakeServiceCatalogue(POINTS), now=NOW, experiences=lookup(asked))  # type: ignore[arg-type]
    filters = ServiceFilters.from_query(query) if query is not None else None
    return build_services(services_options(), liisa(), TODAY, sources, filters), asked


def ids(cmp: ServiceComparison) -> list[int]:
    return [row.point.id for row in cmp.rows]


def test_the_rating_filter_reads_one_decimal_from_1_to_5_and_ignores_anything_else() -> None:
    assert min_rating_from_query({"min_rating": ["4"]}) == Decimal(4)
    assert min_rating_from_query({"min_rating": ["4,5"]}) == Decimal("4.5")  # Finnish notation
    assert min_rating_from_query({"min_rating": ["1"]}) == 1 and min_rating_from_query({"min_rating": ["5"]}) == 5
    for bad in ("", "0.9", "5.1", "9", "4.25", "nan", "abc", "٣", "1e0"):
        assert min_rating_from_query({"min_rating": [bad]}) is None, bad
    assert min_rating_from_query({}) is None
    assert RATING_FILTERS == (Decimal(3), Decimal(4), Decimal("4.5"))


def test_rated_at_least_leaves_out_what_has_no_average() -> None:
    assert rated_at_least(RATED[11], Decimal("4.5")) and not rated_at_least(RATED[12], Decimal("3.1"))
    assert rated_at_least(RATED[12], Decimal(3))  # "at least": equal passes
    assert not rated_at_least(RATED[31], Decimal(1)) and not rated_at_least(None, Decimal(1))
    assert rated_at_least(None, None) and rated_at_least(RATED[31], None)  # no filter: everything passes


def test_best_rated_first_then_more_ratings_then_the_unrated() -> None:
    many, few = Experiences(Decimal(4), 10), Experiences(Decimal(4), 5)
    order = sorted([None, RATED[12], few, RATED[31], many, RATED[11]], key=best_rated_first)
    assert order[:4] == [RATED[11], many, few, RATED[12]]
    assert set(map(id, order[4:])) == {id(None), id(RATED[31])}  # the two without an average, in any order


def test_service_filters_from_the_query() -> None:
    assert ServiceFilters.from_query({}) == ServiceFilters("distance", None)
    assert ServiceFilters.from_query({"sort": ["rating"], "min_rating": ["4.5"]}) == ServiceFilters(
        "rating", Decimal("4.5")
    )
    # the ECEC comparison's other sorts and a bad value are no filter here, never an error
    assert ServiceFilters.from_query({"sort": ["cost"], "min_rating": ["x"]}) == ServiceFilters("distance", None)


def test_the_plan_reads_each_comparisons_filters_from_one_query() -> None:
    """The business plan's page query gives the nearby services their sort and filter (company forms take none)."""
    found = filters_from_query(business(), {"sort": ["rating"], "min_rating": ["3"]})
    assert found == {"nearby_services": ServiceFilters("rating", Decimal(3))}
    assert Filters.from_query({"sort": ["rating"], "min_rating": ["3"]}).min_rating == Decimal(3)  # the same rule


def test_by_default_nearest_first_within_each_kind_and_one_lookup() -> None:
    cmp, asked = built()
    assert ids(cmp) == [12, 11, 31, 32, 21]
    assert asked == [[11, 12, 21, 31, 32]]  # every point at once
    assert cmp.filters == ServiceFilters() and cmp.in_area == 5
    assert cmp.rows_of("business_advice")[1].experiences == RATED[11]


def test_sorted_by_rating_best_first_within_each_kind_unrated_last() -> None:
    cmp, _ = built({"sort": ["rating"]})
    # advice: 4.5 (11.1 km) before 3.0 (1.1 km); employment: 4.0 before 31, which has only a comment; food: 21
    assert ids(cmp) == [11, 12, 32, 31, 21]
    assert [row.point.id for row in cmp.serving] == [12, 11, 31, 32, 21]  # everything, nearest first


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"min_rating": ["4"]}, [11, 32]),  # at least 4: 4.5 and 4.0, nearest first in each kind
        ({"min_rating": ["3"]}, [12, 11, 32]),  # 3.0 passes "at least 3"
        ({"min_rating": ["3"], "sort": ["rating"]}, [11, 12, 32]),
        ({"min_rating": ["4.5"]}, [11]),
        ({"min_rating": ["5"]}, []),
    ],
)
def test_the_rating_filter_leaves_out_points_without_enough_ratings(
    query: dict[str, list[str]], expected: list[int]
) -> None:
    cmp, _ = built(query)
    assert ids(cmp) == expected
    assert cmp.in_area == 5  # the filter does not change what serves the premises


def test_a_kind_left_empty_by_the_filter_is_not_missing() -> None:
    cmp, _ = built({"min_rating": ["4"]})
    assert cmp.missing_kinds == ("rural_business",)  # no point serves Lieto: missing, filter or not
    assert cmp.filtered_out("food_control") and not cmp.filtered_out("business_advice")
    assert not cmp.filtered_out("rural_business")


def test_without_experiences_the_filter_leaves_nothing_and_the_sort_is_by_distance() -> None:
    sources = Sources(services=FakeServiceCatalogue(POINTS), now=NOW)
    cmp = build_services(services_options(), liisa(), TODAY, sources, ServiceFilters("rating", None))
    assert ids(cmp) == [12, 11, 31, 32, 21]
    cmp = build_services(services_options(), liisa(), TODAY, sources, ServiceFilters("distance", Decimal(3)))
    assert ids(cmp) == [] and cmp.in_area == 5
