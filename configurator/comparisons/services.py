"""Service points that serve the user's municipality, nearest first: the advice, authorities and
care a life event needs, with opening and phone hours, languages, accessibility, cost and the next
free appointment.

Options in a life-event file::

    - kind: nearby_services
      near: premises                 # a location question
      services:                      # which kinds, each optionally under a condition
        - {kind: business_advice}
        - {kind: food_control, when: food_business}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..answers import LocationAnswer
from ..geo import OUTSIDE, CoverageGap, coverage_gap, distance_km
from ..predicates import PREDICATES, condition_names, evaluate
from ..service_points import SERVICE_KINDS, ServicePointRecord
from . import ComparisonKind, ComparisonOptionsError, Experiences, Sources, register


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

    def rows_of(self, kind: str) -> tuple[ServiceRow, ...]:
        return tuple(row for row in self.rows if row.point.kind == kind)


def wanted_kinds(options: Mapping[str, Any], answers: Mapping[str, Any], today: date) -> tuple[str, ...]:
    return tuple(entry["kind"] for entry in options["services"] if evaluate(entry.get("when"), answers, today))


def build_services(
    options: Mapping[str, Any], answers: Mapping[str, Any], today: date, sources: Sources, filters: Any = None
) -> ServiceComparison:
    """Needs the location answer named by ``near`` (KeyError until it is given)."""
    place: LocationAnswer = answers[options["near"]]
    kinds = wanted_kinds(options, answers, today)
    coverage = sources.coverage
    gap = coverage_gap(place.place, coverage, coverage.services if coverage is not None else None)
    if gap is not None and gap.reason == OUTSIDE:
        return ServiceComparison(options["near"], kinds, (), (), gap)
    now = sources.now or datetime.combine(today, datetime.min.time())
    points = sources.services.service_points(kinds, place.place.municipality_code, now) if kinds else []
    here = place.place.point
    rows = [
        ServiceRow(p, round(distance_km(here.latitude, here.longitude, p.latitude, p.longitude), 1) if here else None)
        for p in points
    ]
    rated = sources.experiences([r.point.id for r in rows]) if sources.experiences is not None and rows else {}
    rows = [ServiceRow(r.point, r.distance_km, rated.get(r.point.id)) for r in rows]
    rows.sort(key=lambda r: (kinds.index(r.point.kind), r.distance_km or 0.0, r.point.id))
    found = {r.point.kind for r in rows}
    return ServiceComparison(options["near"], kinds, tuple(rows), tuple(k for k in kinds if k not in found), gap)


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


register(ComparisonKind(name="nearby_services", build=build_services, check_options=check_options))
