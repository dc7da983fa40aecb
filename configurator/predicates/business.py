"""Predicates of the starting-a-business life event.

Thresholds (VAT, YEL) are looked up in the dated parameters for the planned start date, so the
checklist follows the law in force when the business starts, not when the user asks.
"""

from __future__ import annotations

from datetime import date

from . import Answers, predicate

FOOD_INDUSTRIES = frozenset({"food_service", "food_retail"})


def industries(answers: Answers) -> frozenset[str]:
    return frozenset(answers.get("industries") or ())


def start_or_today(answers: Answers, today: date) -> date:
    return answers.get("start_date") or today


@predicate
def serves_food(answers: Answers, today: date) -> bool:
    """A restaurant or café: serving food and possibly alcohol."""
    return "food_service" in industries(answers)


@predicate
def food_business(answers: Answers, today: date) -> bool:
    """Serving or selling food needs a food premises registration notice (Food Act 297/2021 s.10)."""
    return bool(industries(answers) & FOOD_INDUSTRIES)


@predicate
def produces_food(answers: Answers, today: date) -> bool:
    """Farming or food: the organic question is relevant."""
    return bool(industries(answers) & (FOOD_INDUSTRIES | {"farming"}))


@predicate
def farming(answers: Answers, today: date) -> bool:
    return "farming" in industries(answers)


@predicate
def keeps_animals(answers: Answers, today: date) -> bool:
    return "animals" in industries(answers)


@predicate
def organic(answers: Answers, today: date) -> bool:
    return answers.get("organic") is True and produces_food(answers, today)


@predicate
def animal_origin_approval(answers: Answers, today: date) -> bool:
    """Premises that handle food of animal origin beyond retail (cutting meat, making cheese) need an
    approval before starting (Food Act 297/2021 s. 11), not just the registration notice."""
    return answers.get("animal_origin") is True and food_business(answers, today)


@predicate
def food_notice_enough(answers: Answers, today: date) -> bool:
    """A food business whose premises need only the registration notice."""
    return food_business(answers, today) and not animal_origin_approval(answers, today)


@predicate
def serves_alcohol(answers: Answers, today: date) -> bool:
    return answers.get("alcohol") is True and serves_food(answers, today)


@predicate
def full_time(answers: Answers, today: date) -> bool:
    return answers.get("full_time") is True


@predicate
def unemployed(answers: Answers, today: date) -> bool:
    return answers.get("unemployed") is True


@predicate
def has_employees(answers: Answers, today: date) -> bool:
    return (answers.get("employees") or 0) > 0


@predicate
def with_partners(answers: Answers, today: date) -> bool:
    return answers.get("partners") == "partners"


@predicate
def needs_form_advice(answers: Answers, today: date) -> bool:
    """The founder asked for help choosing the company form."""
    return answers.get("company_form") == "help"


@predicate
def vat_registration_required(answers: Answers, today: date) -> bool:
    """Turnover over the VAT threshold in force on the start date."""
    from ..rules.business_start import vat_required

    turnover = answers.get("turnover")
    return turnover is not None and vat_required(turnover, start_or_today(answers, today)).required


@predicate
def yel_insurance_required(answers: Answers, today: date) -> bool:
    """Work income at least the YEL threshold in force on the start date, and business besides farming:
    farming work is insured under MYEL with Mela, so a founder who only farms needs no YEL."""
    if not industries(answers) - {"farming"}:
        return False
    from ..rules.business_start import yel_required

    income = answers.get("work_income")
    return income is not None and yel_required(income, start_or_today(answers, today), age=answers.get("age")).required
