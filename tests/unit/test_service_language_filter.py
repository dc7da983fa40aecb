"""The nearby services comparison's language filter (issue 18, item 1's comparison): ``serves_in`` narrows the points
to those that say they serve in Finnish, Swedish or English; a bad value is no filter; the page's language is never
assumed; the cards mark the page's language only where it tells the points apart.

The points are made up around a home in Kaarina (60.4080, 22.3700): 0.01 degrees of latitude is 1.11 km, so the
health stations 1 (0.01 N, fi), 2 (0.02 N, fi+sv), 3 (0.03 N, fi+sv+en) lie 1.1, 2.2 and 3.3 km away, and 4
(0.04 N, sv only) 4.4 km; debt advice 5 (fi) lies at the home itself.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from configurator.comparisons import Sources
from configurator.comparisons.services import ServiceComparison, ServiceFilters, build_services, serves_in_from_query
from configurator.geo import Place
from configurator.questions.place import LocationAnswer
from configurator.service_points import SERVES_IN, ServicePointRecord
from tests.unit.test_business_event import NOW, TODAY, FakeServiceCatalogue
from tests.unit.test_business_event import point as any_point


def point(
    id_: int, kind: str, lat: float, lon: float, serves: set[str], languages: tuple[str, ...]
) -> ServicePointRecord:
    return replace(any_point(id_, kind, lat, lon, serves), languages=languages)


HOME = Place(60.4080, 22.3700, "202", "20780")
POINTS = [
    point(1, "health_centre", 60.4180, 22.3700, {"202"}, ("fi",)),
    point(2, "health_centre", 60.4280, 22.3700, {"202"}, ("fi", "sv")),
    point(3, "health_centre", 60.4380, 22.3700, {"202"}, ("fi", "sv", "en")),
    point(4, "health_centre", 60.4480, 22.3700, {"202"}, ("sv",)),
    point(5, "debt_advice", 60.4080, 22.3700, {"202"}, ("fi",)),
    point(6, "health_centre", 60.4090, 22.3700, {"853"}, ("sv",)),  # does not serve Kaarina
]
OPTIONS: dict[str, Any] = {"near": "home", "services": [{"kind": "health_centre"}, {"kind": "debt_advice"}]}


def built(query: dict[str, list[str]] | None = None, points: list[Any] = POINTS) -> ServiceComparison:
    sources = Sources(services=FakeServiceCatalogue(points), now=NOW)  # type: ignore[arg-type]
    filters = ServiceFilters.from_query(query) if query is not None else None
    return build_services(OPTIONS, {"home": LocationAnswer(HOME)}, TODAY, sources, filters)


def listed(cmp: ServiceComparison) -> list[tuple[int, float | None]]:
    return [(row.point.id, row.distance_km) for row in cmp.rows]


def test_the_choices_are_the_three_languages_of_the_portal() -> None:
    assert list(SERVES_IN) == ["fi", "sv", "en"]
    assert ServiceFilters().language_choices == SERVES_IN


def test_the_query_gives_one_language_or_none() -> None:
    assert serves_in_from_query({"serves_in": ["sv"]}) == "sv"
    assert serves_in_from_query({"serves_in": ["fi", "en"]}) == "en"  # the last one given, as a select sends one
    for bad in ([""], ["SV"], ["se"], ["swedish"], ["sv "], ["\x00"], ["sv", "de"]):
        assert serves_in_from_query({"serves_in": bad}) is None, bad
    assert serves_in_from_query({}) is None
    # the ECEC comparison's ``language`` (language of care) is not this filter
    assert serves_in_from_query({"language": ["sv"]}) is None
    assert ServiceFilters.from_query({"serves_in": ["sv"], "sort": ["rating"]}) == ServiceFilters("rating", None, "sv")
    assert ServiceFilters.from_query({"serves_in": ["xx"]}) == ServiceFilters()


def test_without_a_choice_every_point_is_listed_whatever_its_languages() -> None:
    cmp = built({})
    assert listed(cmp) == [(1, 1.1), (2, 2.2), (3, 3.3), (4, 4.4), (5, 0.0)]  # by kind, then nearest first
    assert not cmp.filters.active and cmp.in_area == 5


def test_swedish_leaves_the_points_that_serve_in_swedish_nearest_first() -> None:
    cmp = built({"serves_in": ["sv"]})
    assert listed(cmp) == [(2, 2.2), (3, 3.3), (4, 4.4)]
    assert cmp.filters.active and cmp.in_area == 5  # every point that serves the place is still counted
    # debt advice has a point, but not in Swedish: the page says so instead of "no point of this kind"
    assert cmp.filtered_out("debt_advice") and cmp.none_in_language("debt_advice")
    assert not cmp.none_in_language("health_centre") and "debt_advice" not in cmp.missing_kinds


def test_finnish_and_english() -> None:
    assert listed(built({"serves_in": ["fi"]})) == [(1, 1.1), (2, 2.2), (3, 3.3), (5, 0.0)]
    assert listed(built({"serves_in": ["en"]})) == [(3, 3.3)]


def test_the_language_filter_goes_with_the_rating_sort() -> None:
    # nobody is rated: sorted by rating, the unrated keep their distance order
    assert listed(built({"serves_in": ["sv"], "sort": ["rating"]})) == [(2, 2.2), (3, 3.3), (4, 4.4)]


def test_a_bad_value_filters_nothing() -> None:
    assert listed(built({"serves_in": ["klingon"]})) == listed(built({}))


def test_the_cards_mark_the_page_language_only_where_it_tells_points_apart() -> None:
    cmp = built({})
    assert cmp.marks_language("sv") and cmp.marks_language("en")  # not every point serves in them
    assert cmp.marks_language("fi")  # point 4 serves only in Swedish
    # the filter does not change which points serve the place, so it does not change the marks
    assert built({"serves_in": ["fi"]}).marks_language("fi")
    finnish_everywhere = built({}, [p for p in POINTS if p.id != 4])
    assert not finnish_everywhere.marks_language("fi")  # every point here serves in Finnish: a tag says nothing
    assert finnish_everywhere.marks_language("sv")
    assert not cmp.marks_language("de")
    assert [p.serves_in("sv") for p in POINTS[:4]] == [False, True, True, True]
    assert POINTS[0].serves_in(None)  # no choice: any language will do
