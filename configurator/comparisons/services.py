"""Service points that serve the user's municipality, nearest first: the advice, authorities and
care a life event needs, with opening and phone hours, languages, accessibility, cost and the next
free appointment.

Options in a life-event file::

    - kind: nearby_services
      near: premises                 # a location question
      services:                      # which kinds, each optionally under a condition
        - {kind: business_advice}
        - {kind: food_control, when: food_business}

The page's query (``sort=rating`` or ``sort=next_free``, ``min_rating=4``, ``serves_in=sv``; ``ServiceFilters``)
sorts the points of each kind by others' rating or by the next free appointment (a person who needs a time soon
wants the soonest first, not the nearest), leaves out those not rated that well, by the same rule as the ECEC units
(``ratings.py``), and those that do not serve in the chosen language (``SERVES_IN``). The ECEC comparison's
``language`` parameter is a different filter (the language of care), so this one has a name of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..answers import LocationAnswer
from ..geo import OUTSIDE, CoverageGap, coverage_gap, distance_km
from ..predicates import PREDICATES, condition_names, evaluate
from ..service_points import SERVES_IN, SERVICE_KINDS, ServicePointRecord
from . import ComparisonKind, ComparisonOptionsError, Experiences, Sources, register
from .ratings import best_rated_first, min_rating_from_query, rated_at_least

# The ECEC comparison's other sorts (cost, free places, name) do not apply; "next_free" is this comparison's own.
SORTS = ("distance", "rating", "next_free")


@dataclass(frozen=True)
class ServiceFilters:
    """How the person sorts and narrows the service points: nearest first, best rated first or the soonest next
    free appointment first within each kind, only the points others rated at least ``min_rating`` on average
    (None: all), and only the points that serve in the language ``serves_in`` (None: any; never assumed from the
    page's language)."""

    sort: str = "distance"
    min_rating: Decimal | None = None
    serves_in: str | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, Iterable[str]]) -> ServiceFilters:
        """Read the page's query; a value that is not an option is no filter (never an error)."""
        sort = next(iter(query.get("sort", ())), "distance")
        return cls(
            sort=sort if sort in SORTS else "distance",
            min_rating=min_rating_from_query(query),
            serves_in=serves_in_from_query(query),
        )

    @property
    def active(self) -> bool:
        """Whether a filter (not the sort) leaves points out, so the page says how many match."""
        return self.min_rating is not None or self.serves_in is not None

    @property
    def language_choices(self) -> Mapping[str, str]:
        """The language filter's options, code to untranslated label ("Serves in Swedish"); the page translates."""
        return SERVES_IN

    def keeps(self, row: ServiceRow) -> bool:
        return row.point.serves_in(self.serves_in) and rated_at_least(row.experiences, self.min_rating)


def serves_in_from_query(query: Mapping[str, Iterable[str]]) -> str | None:
    """``serves_in`` of a query string: one of ``SERVES_IN`` (the last one given wins, as a select sends one);
    anything else, or nothing, is no language filter."""
    chosen = None
    for text in query.get("serves_in", ()):
        chosen = text if text in SERVES_IN else None
    return chosen


@dataclass(frozen=True)
class ServiceRow:
    point: ServicePointRecord
    distance_km: float | None  # None: the place has no point to measure from
    experiences: Experiences | None = None  # others' ratings and published comments; None: nothing to show


@dataclass(frozen=True)
class ServiceComparison:
    """Rows grouped by kind in the order the life event lists the kinds, nearest first in a kind.

    ``gap`` says why distances are missing: the municipality is outside the catalogue's area (no rows at all),
    or the place has no point (the points that serve the municipality are listed without distances)."""

    near: str
    kinds: tuple[str, ...]
    rows: tuple[ServiceRow, ...]
    missing_kinds: tuple[str, ...]  # asked for, but no point serves the municipality
    gap: CoverageGap | None = None
    filters: ServiceFilters = ServiceFilters()
    serving: tuple[ServiceRow, ...] = ()  # every point that serves the municipality; ``rows`` pass the filters

    @property
    def in_area(self) -> int:
        return len(self.serving)

    def rows_of(self, kind: str) -> tuple[ServiceRow, ...]:
        return tuple(row for row in self.rows if row.point.kind == kind)

    def filtered_out(self, kind: str) -> bool:
        """Whether points of this kind serve the municipality but none passes the filters."""
        return kind not in self.missing_kinds and not self.rows_of(kind)

    def none_in_language(self, kind: str) -> bool:
        """Whether the language filter alone leaves no point of this kind (so the page names the language)."""
        return self.filters.serves_in is not None and not any(
            row.point.kind == kind and row.point.serves_in(self.filters.serves_in) for row in self.serving
        )

    def marks_language(self, language: str) -> bool:
        """Whether the cards say "Serves in <the page's language>": only when it tells the points apart, i.e. some
        point here does not serve in it (on a Finnish page every demo point does, and a tag on all says nothing)."""
        return language in SERVES_IN and not all(row.point.serves_in(language) for row in self.serving)


def wanted_kinds(options: Mapping[str, Any], answers: Mapping[str, Any], today: date) -> tuple[str, ...]:
    return tuple(entry["kind"] for entry in options["services"] if evaluate(entry.get("when"), answers, today))


def _sort_key(kinds: tuple[str, ...], sort: str) -> Callable[[ServiceRow], tuple[Any, ...]]:
    """Grouped by kind in the life event's order; in a kind nearest first, best rated first (unrated last, each
    group nearest first) or the soonest next free appointment first (points without a free time last, each group
    nearest first). A point without a distance counts as 0 km, so the order stays by id."""

    def nearest(row: ServiceRow) -> tuple[Any, ...]:
        return (row.distance_km or 0.0, row.point.id)

    if sort == "rating":
        return lambda r: (kinds.index(r.point.kind), *best_rated_first(r.experiences), *nearest(r))
    if sort == "next_free":
        return lambda r: (kinds.index(r.point.kind), *soonest_free_first(r.point), *nearest(r))
    return lambda r: (kinds.index(r.point.kind), *nearest(r))


def soonest_free_first(point: ServicePointRecord) -> tuple[bool, datetime]:
    """The next-free-time part of a sort key: points with a free time first, the earliest first; those without
    one after them, equal among themselves (datetime.min only fills the place, so the rest of the key decides)."""
    free = point.next_free_appointment
    return (free is None, free or datetime.min)


def build_services(
    options: Mapping[str, Any],
    answers: Mapping[str, Any],
    today: date,
    sources: Sources,
    filters: ServiceFilters | None = None,
) -> ServiceComparison:
    """Needs the location answer named by ``near`` (KeyError until it is given).

    ``missing_kinds`` are the kinds no point serves; a kind whose points the rating filter all left out is not
    missing (``filtered_out``), so the page can say which of the two it is."""
    filters = filters or ServiceFilters()
    place: LocationAnswer = answers[options["near"]]
    kinds = wanted_kinds(options, answers, today)
    coverage = sources.coverage
    gap = coverage_gap(place.place, coverage, coverage.services if coverage is not None else None)
    if gap is not None and gap.reason == OUTSIDE:
        return ServiceComparison(options["near"], kinds, (), (), gap, filters)
    now = sources.now or datetime.combine(today, datetime.min.time())
    points = sources.services.service_points(kinds, place.place.municipality_code, now) if kinds else []
    here = place.place.point
    rows = [
        ServiceRow(p, round(distance_km(here.latitude, here.longitude, p.latitude, p.longitude), 1) if here else None)
        for p in points
    ]
    rated = sources.experiences([r.point.id for r in rows]) if sources.experiences is not None and rows else {}
    rows = [ServiceRow(r.point, r.distance_km, rated.get(r.point.id)) for r in rows]
    found = {r.point.kind for r in rows}
    shown = sorted((r for r in rows if filters.keeps(r)), key=_sort_key(kinds, filters.sort))
    missing = tuple(k for k in kinds if k not in found)
    serving = tuple(sorted(rows, key=_sort_key(kinds, "distance")))
    return ServiceComparison(options["near"], kinds, tuple(shown), missing, gap, filters, serving)


def check_options(options: Mapping[str, Any], questions: Mapping[str, Any]) -> None:
    near = options.get("near")
    if not isinstance(near, str) or near not in questions or questions[near].type != "location":
        raise ComparisonOptionsError(f"'near' must name a location question, not {near!r}")
    entries = options.get("services")
    if not isinstance(entries, list) or not entries:
        raise ComparisonOptionsError("'services' must list at least one service kind")
    for entry in entries:
        if not isinstance(entry, Mapping) or entry.get("kind") not in SERVICE_KINDS:
            raise ComparisonOptionsError(f"unknown service kind in {entry!r}; use one of {sorted(SERVICE_KINDS)}")
        for name in condition_names(entry.get("when")):
            if name not in PREDICATES:
                raise ComparisonOptionsError(f"unknown predicate '{name}'")


register(
    ComparisonKind(
        name="nearby_services",
        build=build_services,
        filters_from_query=ServiceFilters.from_query,
        check_options=check_options,
    )
)
