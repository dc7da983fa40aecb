"""A person's plan for a life event: the checklist and the comparisons built from their answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .checklist import ChecklistEntry, Directory, build_checklist
from .comparisons import COMPARISONS, Sources
from .lifeevents import ComparisonSpec, LifeEvent


@dataclass(frozen=True)
class ComparisonResult:
    spec: ComparisonSpec
    result: Any  # the kind's own result type, e.g. EcecComparison

    @property
    def kind(self) -> str:
        return self.spec.kind


@dataclass(frozen=True)
class Plan:
    event: LifeEvent
    answers: Mapping[str, Any]
    today: date
    checklist: list[ChecklistEntry]
    comparisons: tuple[ComparisonResult, ...]

    @property
    def comparison(self) -> Any | None:
        """The first comparison's result (the one the running estimate shows)."""
        return self.comparisons[0].result if self.comparisons else None

    def comparison_of(self, kind: str) -> Any | None:
        return next((c.result for c in self.comparisons if c.kind == kind), None)


def make_plan(
    event: LifeEvent,
    answers: Mapping[str, Any],
    today: date,
    sources: Sources,
    directory: Directory,
    filters: Mapping[str, Any] | None = None,
) -> Plan:
    """Build the plan from complete, validated answers (see journey.walk); ``filters`` by comparison kind."""
    filters = filters or {}
    comparisons = tuple(
        ComparisonResult(
            spec, COMPARISONS[spec.kind].build(spec.options, answers, today, sources, filters.get(spec.kind))
        )
        for spec in event.comparisons
    )
    return Plan(event, answers, today, build_checklist(event, answers, today, directory), comparisons)


def filters_from_query(event: LifeEvent, query: Mapping[str, list[str]]) -> dict[str, Any]:
    """Each comparison's filters read from the page's query string (kinds without filters get none)."""
    kinds = (COMPARISONS[spec.kind] for spec in event.comparisons)
    return {kind.name: kind.filters_from_query(query) for kind in kinds if kind.filters_from_query}


def try_comparison(event: LifeEvent, answers: Mapping[str, Any], today: date, sources: Sources) -> Any | None:
    """The first comparison for answers given so far, or None while an answer it needs is still missing.

    This is what lets every choice show availability and cost at once, before the journey ends.
    """
    spec = event.comparison
    if spec is None:
        return None
    try:
        return COMPARISONS[spec.kind].build(spec.options, answers, today, sources, None)
    except KeyError:
        return None
