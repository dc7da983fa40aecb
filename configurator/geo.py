"""Places: postal-code areas, municipalities, distances and which municipalities the catalogue covers.

Distances are great-circle distances; a route planner would be better but needs
network data the portal must not fetch at run time.

Every Finnish postal code names its municipality (Posti's postal code file), so the home
municipality is always known. Coordinates are not: no kept package ships postal-area or
municipality centroids, so a point is known only where demo data supplies a centroid or the
person chose a point on the map. A place without a point is still a place (it decides the
checklist's municipality); only comparisons that measure distances need the point, and they say so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from .names import Localized

EARTH_RADIUS_KM = 6371.0088
# Rough bounding box of Finland, used to reject map points that cannot be a Finnish address.
FINLAND_BBOX = (59.5, 19.0, 70.2, 31.6)


class Point(NamedTuple):
    latitude: float
    longitude: float


# A place name in Finnish and, where it has one, in Swedish (English pages use the Finnish name): the
# portal's one per-language value type, shared with unit, service and organisation names and links.
Name = Localized


@dataclass(frozen=True)
class Place:
    """A resolved location: which municipality serves the person and, where known, where they are.

    ``latitude``/``longitude`` are None when no coordinates are known (a postal code without a centroid):
    never invented, never 0,0. ``precise`` is True for a point chosen on the map, False for a postal-area
    centroid. ``area`` is the postal area's name, ``municipality`` the municipality's, where the resolver knows them.
    """

    latitude: float | None
    longitude: float | None
    municipality_code: str
    postal_code: str | None = None
    precise: bool = False
    area: Name | None = None
    municipality: Name | None = None

    @property
    def point(self) -> Point | None:
        if self.latitude is None or self.longitude is None:
            return None
        return Point(self.latitude, self.longitude)

    def area_label(self, locale: str) -> str | None:
        """The postal area as people write it, "20100 Turku"; the code alone when its name is not known."""
        if self.postal_code is None:
            return None
        return f"{self.postal_code} {self.area.display(locale)}" if self.area else self.postal_code

    def municipality_name(self, locale: str) -> str:
        return self.municipality.display(locale) if self.municipality else self.municipality_code


@dataclass(frozen=True)
class Coverage:
    """Which municipalities the catalogue has data for: ``ecec`` those with ECEC units, ``services`` those that
    service points serve. ``names`` names each of them (and may name others)."""

    ecec: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()
    names: Mapping[str, Name] = field(default_factory=dict, hash=False)

    @property
    def municipalities(self) -> frozenset[str]:
        """Every municipality with ECEC units or service points: what the coverage notes list."""
        return self.ecec | self.services

    def covers(self, municipality_code: str) -> bool:
        return municipality_code in self.municipalities

    def display_names(self, locale: str, codes: Iterable[str] | None = None) -> list[str]:
        """The covered municipalities' names in the page's language, alphabetically."""
        chosen = self.municipalities if codes is None else codes
        names = [self.names[c].display(locale) if c in self.names else c for c in chosen]
        return sorted(names, key=str.casefold)


# Why a comparison that measures distances has none for a place (CoverageGap.reason).
OUTSIDE = "outside"  # the catalogue has no data for the place's municipality
NO_POINT = "no_point"  # the municipality is covered, but the place has no coordinates


@dataclass(frozen=True)
class CoverageGap:
    """A comparison that needs distances cannot measure them for this place; the page says why, plainly."""

    reason: str  # OUTSIDE or NO_POINT
    place: Place
    covered: tuple[str, ...] = ()  # the municipality codes the comparison has data for
    coverage: Coverage | None = None

    def covered_names(self, locale: str) -> list[str]:
        return self.coverage.display_names(locale, self.covered) if self.coverage else list(self.covered)


def coverage_gap(place: Place, coverage: Coverage | None, covered: Iterable[str] | None = None) -> CoverageGap | None:
    """Whether a comparison that covers the municipalities ``covered`` (default: all the catalogue covers) can
    measure distances from ``place``; None when it can. Without a coverage only the missing point counts."""
    codes = frozenset(covered) if covered is not None else (coverage.municipalities if coverage else None)
    if codes is not None and place.municipality_code not in codes:
        return CoverageGap(OUTSIDE, place, tuple(sorted(codes)), coverage)
    if place.point is None:
        return CoverageGap(NO_POINT, place, tuple(sorted(codes or ())), coverage)
    return None


class PlaceResolver(Protocol):
    """Looks up postal-code areas; the portal implements it over the database."""

    def by_postal_code(self, postal_code: str) -> Place | None:
        """The postal area of an existing code (without a point where no centroid is known); None if unknown."""
        ...

    def postal_code_exists(self, postal_code: str) -> bool: ...

    def nearest(self, latitude: float, longitude: float) -> Place | None:
        """The nearest postal area with a known centroid, if one is near enough to name the municipality."""
        ...


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def distance_from(latitude: float, longitude: float) -> Callable[[float, float], float]:
    """distance_km from a fixed point, with the point's own terms computed once: the same arithmetic in the same
    order, so the same kilometres to the last bit, for the thousands of units in reach of a large catalogue."""
    p1 = math.radians(latitude)
    cos_p1, lon1 = math.cos(p1), longitude
    radians, sin, cos, asin, sqrt = math.radians, math.sin, math.cos, math.asin, math.sqrt

    def distance(lat2: float, lon2: float) -> float:
        p2 = radians(lat2)
        a = sin((p2 - p1) / 2) ** 2 + cos_p1 * cos(p2) * sin(radians(lon2 - lon1) / 2) ** 2
        return 2 * EARTH_RADIUS_KM * asin(sqrt(a))

    return distance


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """A lat/lon box that contains the circle, so a database index can prefilter."""
    dlat = radius_km / 111.32
    dlon = radius_km / (111.32 * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lon - dlon, lat + dlat, lon + dlon


def in_finland(lat: float, lon: float) -> bool:
    s, w, n, e = FINLAND_BBOX
    return s <= lat <= n and w <= lon <= e


NEAREST_AREA_KM = 10.0  # farther than this from every known centroid, a map point's municipality is not guessed


@dataclass
class StaticPlaces:
    """An in-memory PlaceResolver for tests and the API's examples: every known code is in ``places``
    (a Place without a point for a code whose centroid is not known)."""

    places: dict[str, Place]

    def by_postal_code(self, postal_code: str) -> Place | None:
        return self.places.get(postal_code)

    def postal_code_exists(self, postal_code: str) -> bool:
        return postal_code in self.places

    def nearest(self, latitude: float, longitude: float) -> Place | None:
        located = [(p, p.point) for p in self.places.values() if p.point is not None]
        if not located:
            return None
        best, point = min(located, key=lambda pair: distance_km(latitude, longitude, *pair[1]))
        return best if distance_km(latitude, longitude, *point) <= NEAREST_AREA_KM else None
