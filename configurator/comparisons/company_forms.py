"""The company forms side by side for this founder: fee, capital, liability, tax, pension, work, fit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ..predicates.business import food_business, serves_alcohol
from ..rules.business_start import (
    BusinessStartCosts,
    CompanyFormFacts,
    FormRecommendation,
    StartUpTotal,
    business_start_costs,
    company_form_facts,
    recommend_company_forms,
    start_up_total,
)
from . import ComparisonKind, Sources, register


@dataclass(frozen=True)
class CompanyFormRow:
    facts: CompanyFormFacts
    recommendation: FormRecommendation
    chosen: bool


@dataclass(frozen=True)
class CompanyFormComparison:
    """Every form with its facts and whether it fits; ``costs`` for the chosen form (None with "help") and
    ``total``, what it costs to start and run the first year in that form."""

    start: date
    rows: tuple[CompanyFormRow, ...]
    chosen: str | None
    costs: BusinessStartCosts | None
    estimate: bool
    total: StartUpTotal | None = None


def build_company_forms(
    options: Mapping[str, Any], answers: Mapping[str, Any], today: date, sources: Sources, filters: Any = None
) -> CompanyFormComparison:
    """Needs the partners answer; turnover and work income refine it when they are given."""
    start: date = answers.get("start_date") or today
    partners = answers["partners"] == "partners"
    turnover: Decimal | None = answers.get("turnover")
    recommendations = {
        r.form: r
        for r in recommend_company_forms(
            partners=partners,
            on=start,
            turnover=turnover,
            employees=(answers.get("employees") or 0) > 0,
            risky_activity=serves_alcohol(answers, today) or food_business(answers, today),
        )
    }
    chosen = answers.get("company_form")
    chosen = chosen if chosen in recommendations else None
    rows = tuple(
        CompanyFormRow(facts, recommendations[facts.form], facts.form == chosen)
        for facts in company_form_facts(start, None)
    )
    costs = total = None
    if chosen is not None and turnover is not None and answers.get("work_income") is not None:
        # The age the founder gave sets the YEL rate, as in the checklist's YEL figure.
        costs = business_start_costs(chosen, turnover, answers["work_income"], start, age=answers.get("age"))
        total = start_up_total(costs, start, serves_alcohol=serves_alcohol(answers, today))
    estimate = (
        any(row.facts.estimate for row in rows) or bool(costs and costs.estimate) or bool(total and total.estimate)
    )
    return CompanyFormComparison(start, rows, chosen, costs, estimate, total)


register(ComparisonKind(name="company_forms", build=build_company_forms))
