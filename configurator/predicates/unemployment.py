"""Predicates of the becoming-unemployed life event.

The sensitive answers (debts, coping, retraining) are optional; a predicate about them is true
only when the person chose to tell, so nothing is shown or assumed about what they kept to
themselves. Figures (work condition months, whether owners get housing allowance) come from the
dated parameters in force on the first day without work.
"""

from __future__ import annotations

from datetime import date

from ..parameters import default_parameters
from . import Answers, predicate

EMPLOYEE_WORK_CONDITION = "unemployment.earnings_related.work_condition_months"
ENTREPRENEUR_WORK_CONDITION = "unemployment.entrepreneur.work_condition_months"


def needs(answers: Answers) -> frozenset[str]:
    return frozenset(answers.get("needs") or ())


def first_day_or_today(answers: Answers, today: date) -> date:
    return answers.get("first_day") or today


def work_condition_months(answers: Answers, today: date) -> int:
    """Months as a fund member the person needs: the entrepreneur's condition when their business ended."""
    name = ENTREPRENEUR_WORK_CONDITION if business_ended(answers, today) else EMPLOYEE_WORK_CONDITION
    return int(default_parameters().at(name, first_day_or_today(answers, today)).value)


@predicate
def fund_member(answers: Answers, today: date) -> bool:
    return answers.get("fund_member") is True


@predicate
def earnings_related_eligible(answers: Answers, today: date) -> bool:
    """A fund member who has met the work condition as a member gets the earnings-related allowance
    from the fund (12 months for employees, 15 for entrepreneurs); otherwise Kela pays the flat
    benefit (Unemployment Security Act 1290/2002 ch. 5)."""
    return fund_member(answers, today) and (answers.get("membership_months") or 0) >= work_condition_months(
        answers, today
    )


@predicate
def business_ended(answers: Answers, today: date) -> bool:
    """An entrepreneur is unemployed only once the business has ended or is no longer full-time."""
    return answers.get("reason") == "business_ended"


@predicate
def laid_off(answers: Answers, today: date) -> bool:
    """Temporarily laid off in full: the job search obligation starts only after some months."""
    return answers.get("reason") == "laid_off"


@predicate
def hours_reduced(answers: Answers, today: date) -> bool:
    """Partly laid off or working part-time: a lighter job search obligation."""
    return answers.get("reason") == "hours_reduced"


@predicate
def resigned(answers: Answers, today: date) -> bool:
    """Resigned: without a valid reason there is a period without benefit."""
    return answers.get("reason") == "resigned"


@predicate
def employer_bankrupt(answers: Answers, today: date) -> bool:
    """The employer went bankrupt: unpaid wages come from pay security (palkkaturva)."""
    return answers.get("reason") == "employer_bankrupt"


@predicate
def housing_allowance_possible(answers: Answers, today: date) -> bool:
    """Renting, or owning while owner-occupied homes still qualified (not from 2025-01-01)."""
    housing = answers.get("housing")
    if housing == "renting":
        return True
    if housing != "owning":
        return False
    owners = default_parameters().at(
        "kela_housing_allowance.owner_occupied_eligible", first_day_or_today(answers, today)
    )
    return bool(owners.value)


@predicate
def told_debts(answers: Answers, today: date) -> bool:
    return "debts" in needs(answers)


@predicate
def told_coping(answers: Answers, today: date) -> bool:
    return "coping" in needs(answers)


@predicate
def told_retraining(answers: Answers, today: date) -> bool:
    return "retraining" in needs(answers)


@predicate
def unemployment_not_started(answers: Answers, today: date) -> bool:
    first_day = answers.get("first_day")
    return first_day is not None and first_day > today
