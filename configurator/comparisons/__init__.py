"""Comparisons a life event can name in its data file ("comparisons: - kind: ecec_units").

A comparison kind is code (it computes availability and cost), registered under the name that
data files use. The engine knows only this interface: it builds each comparison the event names
from the answers, and a kind whose answers are not all there yet raises KeyError (see
configurator.plan.try_comparison). The portal renders a kind with templates/comparisons/<kind>.html.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


class ComparisonOptionsError(ValueError):
    """A life event gives a comparison options it does not understand (checked by the loader)."""


@dataclass(frozen=True)
class Sources:
    """Where comparisons read the catalogue from: the ECEC units index and the service points."""

    ecec: Any = None  # configurator.catalogue.EcecCatalogue
    services: Any = None  # configurator.service_points.ServiceCatalogue
    now: datetime | None = None  # for "next free appointment": naive Helsinki wall time, as slots are stored
    coverage: Any = None  # configurator.geo.Coverage: which municipalities the catalogue has data for


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
