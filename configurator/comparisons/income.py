"""The income a person can expect when unemployed: the fund's earnings-related allowance and Kela's
benefit side by side, per day and per month, and how each develops over time (waiting period,
step-downs, maximum duration), each with its breakdown and the rules' validity dates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..i18n import N_
from ..predicates.unemployment import business_ended, earnings_related_eligible, work_condition_months
from ..rules.unemployment import (
    REASON_NO_WAGE,
    REASON_NOT_FUND_MEMBER,
    AllowanceResult,
    AllowanceTimeline,
    allowance_timeline,
    earnings_related_allowance,
    entrepreneur_allowance,
    kela_benefit,
)
from . import ComparisonKind, Sources, register

REASON_SHORT_MEMBERSHIP = N_(
    "The fund pays the earnings-related allowance after {months} months of membership "
    "while working. Until then Kela pays the basic benefit."
)
REASON_SHORT_ENTREPRENEUR = N_(
    "An entrepreneurs' fund pays the earnings-related allowance once you have been a "
    "member for {months} months while working full-time as an entrepreneur insured under "
    "YEL. Until then Kela pays the basic benefit."
)
REASON_NO_YEL_INCOME = N_("Enter your confirmed YEL work income to compute the earnings-related allowance.")


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


def build_income(
    options: Mapping[str, Any], answers: Mapping[str, Any], today: date, sources: Sources, filters: Any = None
) -> IncomeComparison:
    """Needs the first day, fund membership, work history and age (KeyError until they are given).

    An entrepreneur whose business ended is computed from the confirmed YEL work income, an
    employee from the wage; each needs its own length of membership.
    """
    first_day: date = answers["first_day"]
    member: bool = answers["fund_member"]
    work_years = answers["work_years"]
    age = answers["age"]
    entrepreneur = business_ended(answers, today)
    wage = None if entrepreneur else answers.get("monthly_wage")
    yel_income = answers.get("yel_income") if entrepreneur else None
    eligible = earnings_related_eligible(answers, today)
    kela_timeline = allowance_timeline(None, first_day, False, work_years, age)
    result = [IncomeOption(kela_timeline.kind, kela_benefit(first_day), kela_timeline, not eligible)]
    note, values = None, {}
    income_base = yel_income if yel_income is not None else wage
    if member and income_base is not None:
        timeline = allowance_timeline(wage, first_day, True, work_years, age, yel_income=yel_income)
        allowance = (
            entrepreneur_allowance(income_base, first_day)
            if yel_income is not None
            else earnings_related_allowance(income_base, first_day)
        )
        result.insert(0, IncomeOption(timeline.kind, allowance, timeline, eligible))
        if not eligible:
            note = REASON_SHORT_ENTREPRENEUR if entrepreneur else REASON_SHORT_MEMBERSHIP
            values = {"months": work_condition_months(answers, today)}
    elif not member:
        note = REASON_NOT_FUND_MEMBER
    else:
        note = REASON_NO_YEL_INCOME if entrepreneur else REASON_NO_WAGE
    estimate = any(o.allowance.estimate or o.timeline.estimate for o in result)
    return IncomeComparison(first_day, tuple(result), note, values, estimate)


register(ComparisonKind(name="unemployment_income", build=build_income))
