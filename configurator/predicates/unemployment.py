"""Predicates of the becoming-unemployed life event.

The sensitive answers (debts, coping, retraining) are optional; a predicate about them is true
only when the person chose to tell, so nothing is shown or assumed about what they kept to
themselves.
"""
from __future__ import annotations

from datetime import date

from . import Answers, predicate

MIN_MEMBERSHIP_MONTHS = 12  # the fund membership condition counts the months of membership while working


def needs(answers: Answers) -> frozenset[str]:
    return frozenset(answers.get("needs") or ())


@predicate
def fund_member(answers: Answers, today: date) -> bool:
    return answers.get("fund_member") is True


@predicate
def earnings_related_eligible(answers: Answers, today: date) -> bool:
    """A fund member for at least 12 months gets the earnings-related allowance from the fund;
    otherwise Kela pays the flat benefit (Unemployment Security Act 1290/2002 ch. 5)."""
    return fund_member(answers, today) and (answers.get("membership_months") or 0) >= MIN_MEMBERSHIP_MONTHS


@predicate
def business_ended(answers: Answers, today: date) -> bool:
    """An entrepreneur is unemployed only once the business has ended or is no longer full-time."""
    return answers.get("reason") == "business_ended"


@predicate
def laid_off(answers: Answers, today: date) -> bool:
    return answers.get("reason") == "laid_off"


@predicate
def pays_for_housing(answers: Answers, today: date) -> bool:
    """Renting or owning: general housing allowance can help with housing costs."""
    return answers.get("housing") in ("renting", "owning")


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
