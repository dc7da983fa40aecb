"""What every demo catalogue file shares: the demo region, organisations and places (ECEC units and
service points alike), and the cross-entry checks both files need.

Why the region box: a unit outside it is a typo (swapped latitude and longitude, a dropped digit), not a
real place.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any, Literal

from pydantic import model_validator

from .errors import Problem
from .types import (
    Accessibility,
    FileModel,
    LanguageList,
    Link,
    MunicipalityCode,
    OpeningHoursList,
    PostalCode,
    Text,
)

# Generous box around the five demo municipalities; Finland's for the postal centroids.
REGION_BBOX = {"lat": (60.30, 60.65), "lon": (21.90, 22.75)}
FINLAND_BBOX = {"lat": (59.5, 70.1), "lon": (19.0, 31.6)}

OrganisationKind = Literal["municipality", "company", "association", "state"]


def inside(lat: float, lon: float, box: dict[str, tuple[float, float]]) -> bool:
    """Whether (lat, lon) lies in ``box``."""
    return box["lat"][0] <= lat <= box["lat"][1] and box["lon"][0] <= lon <= box["lon"][1]


class PlaceEntry(FileModel):
    """Where a service is given: address, coordinates in the demo region, languages, hours, accessibility.

    A place without phone, e-mail or web address inherits its organisation's (the loader fills them in).
    """

    name: Text
    name_sv: Text | None = None
    municipality: MunicipalityCode
    street_address: Text
    postal_code: PostalCode
    latitude: float
    longitude: float
    languages: LanguageList
    opening_hours: OpeningHoursList
    accessibility: Accessibility = Accessibility()
    phone: Text | None = None
    email: Text | None = None
    web_url: Link = None
    eservice_url: Link = None

    @model_validator(mode="after")
    def _in_region_and_named(self) -> PlaceEntry:
        if not inside(self.latitude, self.longitude, REGION_BBOX):
            raise ValueError(f"coordinates ({self.latitude}, {self.longitude}) are outside the demo region")
        if "sv" in self.languages and not self.name_sv:
            raise ValueError("a Swedish-language place needs name_sv")
        return self


def duplicates(values: Iterable[tuple[str, Hashable]], what: str) -> list[Problem]:
    """A problem at each (path, value) whose value came before."""
    seen: set[Hashable] = set()
    problems = []
    for path, value in values:
        if value in seen:
            problems.append(Problem(path, f"duplicate {what} {value!r}"))
        seen.add(value)
    return problems


def unknown(path: str, value: Any, known: Sequence[Any] | set[Any], what: str) -> list[Problem]:
    """A problem when ``value`` is not among ``known`` (a key referring to another entry)."""
    return [] if value in known else [Problem(path, f"unknown {what} {value!r}")]
