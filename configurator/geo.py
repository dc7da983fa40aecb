"""Places: postal-code areas and distances.

Distances are great-circle distances; a route planner would be better but needs
network data the portal must not fetch at run time.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

EARTH_RADIUS_KM = 6371.0088
# Rough bounding box of Finland, used to reject map points that cannot be a Finnish address.
FINLAND_BBOX = (59.5, 19.0, 70.2, 31.6)


@dataclass(frozen=True)
class Place:
    """A resolved location: where the person is and which municipality serves them."""

    latitude: float
    longitude: float
    municipality_code: str
    postal_code: str | None = None
    precise: bool = False  # True for a map point, False for a postal-area centroid


class PlaceResolver(Protocol):
    """Looks up postal-code areas; the portal implements it over the database."""

    def by_postal_code(self, postal_code: str) -> Place | None: ...

    def postal_code_exists(self, postal_code: str) -> bool: ...

    def nearest(self, latitude: float, longitude: float) -> Place | None: ...


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """A lat/lon box that contains the circle, so a database index can prefilter."""
    dlat = radius_km / 111.32
    dlon = radius_km / (111.32 * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lon - dlon, lat + dlat, lon + dlon


def in_finland(lat: float, lon: float) -> bool:
    s, w, n, e = FINLAND_BBOX
    return s <= lat <= n and w <= lon <= e


@dataclass
class StaticPlaces:
    """An in-memory PlaceResolver for tests and the API's examples."""

    places: dict[str, Place]
    known_codes: frozenset[str] = frozenset()

    def by_postal_code(self, postal_code: str) -> Place | None:
        return self.places.get(postal_code)

    def postal_code_exists(self, postal_code: str) -> bool:
        return postal_code in self.places or postal_code in self.known_codes

    def nearest(self, latitude: float, longitude: float) -> Place | None:
        if not self.places:
            return None
        best = min(self.places.values(), key=lambda p: distance_km(latitude, longitude, p.latitude, p.longitude))
        return best
