"""The income a person can expect when unemployed: the fund's earnings-related allowance and Kela's
benefit side by side, per day and per month, and how each develops over time (waiting period,
step-downs, maximum duration), each with its breakdown and the rules' validity dates."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

from ..predicates.unemployment import MIN_MEMBERSHIP_MONTHS, earnings_related_eligible
from ..rules.unemployment import (
    REASON_NO_WAGE,
    REASON_NOT_FUND_MEMBER,
    AllowanceResult,
    AllowanceTimeline,
    allowance_timeline,
    earnings_related_allowance,
    kela_benefit,
)
from ..i18n import N_
from . import ComparisonKind, Sources, register

REASON_SHORT_MEMBERSHIP = N_("The fund pays the earnings-related allowance after {months} months of membership "
                             "while working. Until then Kela pays the basic benefit.")


@dataclass(frozen=True)
class IncomeOption:
    """One benefit: today's amount and its timeline. ``applies`` is whether this person gets it."""

    kind: str
    allowance: AllowanceResult
    timeline: AllowanceTimeline
    applies: bool


@dataclass(frozen=True)
class IncomeComparison:
    first_day: date
    options: tuple[IncomeOption, ...]
    note: str | None  # why the earnings-related allowance is not shown or does not apply
    note_values: dict[str, int]
    estimate: bool


def build_income(options: Mapping[str, Any], answers: Mapping[str, Any], today: date,
                 sources: Sources, filters: Any = None) -> IncomeComparison:
    """Needs the first day, fund membership, work history and age (KeyError until they are given)."""
    first_day: date = answers["first_day"]
    member: bool = answers["fund_member"]
    work_years = answers["work_years"]
    age = answers["age"]
    wage = answers.get("monthly_wage")
    eligible = earnings_related_eligible(answers, today)
    kela_timeline = allowance_timeline(None, first_day, False, work_years, age)
    result = [IncomeOption(kela_timeline.kind, kela_benefit(first_day), kela_timeline, not eligible)]
    note, values = None, {}
    if member and wage is not None:
        timeline = allowance_timeline(wage, first_day, True, work_years, age)
        result.insert(0, IncomeOption(timeline.kind, earnings_related_allowance(wage, first_day), timeline, eligible))
        if not eligible:
            note, values = REASON_SHORT_MEMBERSHIP, {"months": MIN_MEMBERSHIP_MONTHS}
    else:
        note = REASON_NO_WAGE if member else REASON_NOT_FUND_MEMBER
    estimate = any(o.allowance.estimate or o.timeline.estimate for o in result)
    return IncomeComparison(first_day, tuple(result), note, values, estimate)


register(ComparisonKind(name="unemployment_income", build=build_income))
