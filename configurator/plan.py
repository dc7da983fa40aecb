"""A person's plan for a life event: the checklist and the comparison built from their answers."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

from .checklist import ChecklistEntry, Directory, build_checklist
from .comparisons import COMPARISONS
from .lifeevents import LifeEvent


@dataclass(frozen=True)
class Plan:
    event: LifeEvent
    answers: Mapping[str, Any]
    today: date
    checklist: list[ChecklistEntry]
    comparison: Any  # the comparison kind's own result type, e.g. EcecComparison


def make_plan(event: LifeEvent, answers: Mapping[str, Any], today: date, catalogue: Any, directory: Directory,
              filters: Any = None) -> Plan:
    """Build the plan from complete, validated answers (see journey.walk)."""
    comparison = None
    if event.comparison is not None:
        builder = COMPARISONS[event.comparison.kind]
        comparison = builder(event.comparison.options, answers, today, catalogue, filters)
    return Plan(event, answers, today, build_checklist(event, answers, today, directory), comparison)


def try_comparison(event: LifeEvent, answers: Mapping[str, Any], today: date, catalogue: Any) -> Any | None:
    """The comparison for answers given so far, or None while an answer it needs is still missing.

    This is what lets every choice show availability and cost at once, before the journey ends.
    """
    if event.comparison is None:
        return None
    try:
        return COMPARISONS[event.comparison.kind](event.comparison.options, answers, today, catalogue, None)
    except KeyError:
        return None
