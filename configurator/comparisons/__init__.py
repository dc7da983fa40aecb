"""Comparisons a life event can name in its data file ("comparisons: - kind: ecec_units").

A comparison kind is code (it computes availability and cost), registered under the name that
data files use. The engine knows only this interface: it builds each comparison the event names
from the answers, and a kind whose answers are not all there yet raises KeyError (see
configurator.plan.try_comparison). The portal renders a kind with templates/comparisons/<kind>.html.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any


class ComparisonOptionsError(ValueError):
    """A life event gives a comparison options it does not understand (checked by the loader)."""


@dataclass(frozen=True)
class PublishedComment:
    """A comment an organiser published to the comparison: its text and the day it was given, never who gave it."""

    text: str
    given_on: date


@dataclass(frozen=True)
class Experiences:
    """Others' experiences of one unit or service point, as the portal counted them from the feedback it keeps.

    The portal decides what may be shown (``portal/feedback/experiences.py``): ``average_rating`` (1..5, one
    decimal) and ``rating_count`` are None when too few people have rated, ``easy_percent`` (0..100) when too
    few answered the effort question; ``comments`` are the published ones, newest first.
    """

    average_rating: Decimal | None = None
    rating_count: int | None = None
    easy_percent: int | None = None
    comments: tuple[PublishedComment, ...] = ()

    @property
    def rated(self) -> bool:
        return self.average_rating is not None


# location ids -> the experiences of those that have something to show (one look-up for a whole comparison)
ExperienceLookup = Callable[[Collection[int]], Mapping[int, Experiences]]


@dataclass(frozen=True)
class Sources:
    """Where comparisons read the catalogue from: the ECEC units index and the service points."""

    ecec: Any = None  # configurator.catalogue.EcecCatalogue
    services: Any = None  # configurator.service_points.ServiceCatalogue
    now: datetime | None = None  # for "next free appointment": naive Helsinki wall time, as slots are stored
    coverage: Any = None  # configurator.geo.Coverage: which municipalities the catalogue has data for
    experiences: ExperienceLookup | None = None  # others' ratings and published comments; None: none shown


Builder = Callable[[Mapping[str, Any], Mapping[str, Any], date, Sources, Any], Any]
OptionsCheck = Callable[[Mapping[str, Any], Mapping[str, Any]], None]


@dataclass(frozen=True)
class ComparisonKind:
    """A registered comparison: how to build it, how to read its filters, how to check its options."""

    name: str
    build: Builder
    filters_from_query: Callable[[Mapping[str, list[str]]], Any] | None = None
    check_options: OptionsCheck | None = None


COMPARISONS: dict[str, ComparisonKind] = {}


def register(kind: ComparisonKind) -> ComparisonKind:
    COMPARISONS[kind.name] = kind
    return kind


from . import company_forms, ecec, income, services  # noqa: E402,F401  (register the kinds)
