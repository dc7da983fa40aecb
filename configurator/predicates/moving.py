"""Predicates of the moving-to-a-new-municipality life event.

The household answer is a set of what moves along (children, a dog, a car), so each task about them
asks only whether that one thing was chosen. The health answers are optional and private (kept in the
browser session only): a predicate about them is true only when the person chose to tell, so no care
task is shown or assumed for someone who kept it to themselves. Whether an owner-occupied home gets
housing allowance comes from the dated parameter in force on the moving date.
"""

from __future__ import annotations

from datetime import date

from ..parameters import default_parameters
from . import Answers, predicate

OWNER_OCCUPIED = "kela_housing_allowance.owner_occupied_eligible"


def household(answers: Answers) -> frozenset[str]:
    return frozenset(answers.get("household") or ())


def care(answers: Answers) -> frozenset[str]:
    return frozenset(answers.get("care") or ())


def moving_date_or_today(answers: Answers, today: date) -> date:
    return answers.get("moving_date") or today


@predicate
def children_in_ecec(answers: Answers, today: date) -> bool:
    """A child in (or going to) early childhood education: the place does not move with the family."""
    return "children_ecec" in household(answers)


@predicate
def children_at_school(answers: Answers, today: date) -> bool:
    """A child of school age: the new municipality names the local school."""
    return "children_school" in household(answers)


@predicate
def has_dog(answers: Answers, today: date) -> bool:
    """Every dog is in the Finnish Food Authority's dog register (since 2023)."""
    return "dog" in household(answers)


@predicate
def has_car(answers: Answers, today: date) -> bool:
    return "car" in household(answers)


@predicate
def works_or_studies(answers: Answers, today: date) -> bool:
    """Working or studying: the place of work or study is asked (it helps the day care comparison)."""
    return answers.get("occupation") in {"working", "studying"}


@predicate
def housing_allowance_for_new_home(answers: Answers, today: date) -> bool:
    """Renting the new home, or owning it while owner-occupied homes still qualified (not from 2025-01-01),
    by the law in force on the moving date."""
    housing = answers.get("housing")
    if housing == "renting":
        return True
    if housing != "owning":
        return False
    return bool(default_parameters().at(OWNER_OCCUPIED, moving_date_or_today(answers, today)).value)


@predicate
def told_long_term_condition(answers: Answers, today: date) -> bool:
    """Said, privately, that a long-term illness with regular check-ups continues (e.g. type 2 diabetes)."""
    return "condition" in care(answers)


@predicate
def told_prescriptions(answers: Answers, today: date) -> bool:
    """Said, privately, that a prescription must be renewed."""
    return "prescriptions" in care(answers)
