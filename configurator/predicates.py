"""Named predicates that life-event data files use in show-if and when conditions.

Content authors write a name ("sudden_need", "not income_given"); the logic
lives here, small and unit-tested, and the loader rejects names that do not exist.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable, Mapping

from dateutil.relativedelta import relativedelta

Answers = Mapping[str, Any]
Predicate = Callable[[Answers, date], bool]
PREDICATES: dict[str, Predicate] = {}


def predicate(func: Predicate) -> Predicate:
    """Register a predicate under its function name."""
    PREDICATES[func.__name__] = func
    return func


def age_in_years(birth: date, on: date) -> int:
    return relativedelta(on, birth).years


def evaluate(condition: str | list[str] | None, answers: Answers, today: date) -> bool:
    """True when every named predicate holds; 'not name' negates one. No condition is true."""
    if condition is None:
        return True
    names = [condition] if isinstance(condition, str) else condition
    for name in names:
        negate = name.startswith("not ")
        result = PREDICATES[name.removeprefix("not ").strip()](answers, today)
        if result == negate:
            return False
    return True


def condition_names(condition: str | list[str] | None) -> list[str]:
    if condition is None:
        return []
    names = [condition] if isinstance(condition, str) else condition
    return [name.removeprefix("not ").strip() for name in names]


@predicate
def sudden_need(answers: Answers, today: date) -> bool:
    """The need for care comes from sudden employment, study or training (Act 540/2018 s.17)."""
    return answers.get("sudden_need") is True


@predicate
def has_other_children_in_ecec(answers: Answers, today: date) -> bool:
    return (answers.get("other_children_in_ecec") or 0) > 0


@predicate
def considers_private(answers: Answers, today: date) -> bool:
    return answers.get("consider_private") is True


@predicate
def income_given(answers: Answers, today: date) -> bool:
    return answers.get("income") is not None


@predicate
def needs_shift_care(answers: Answers, today: date) -> bool:
    return answers.get("shift_care") is True


@predicate
def has_work_location(answers: Answers, today: date) -> bool:
    return answers.get("work") is not None


@predicate
def child_under_3_before_start(answers: Answers, today: date) -> bool:
    """The child is under three for some time before care starts, so home care allowance can apply."""
    birth = answers.get("child_birth_date")
    if birth is None:
        return False
    start = answers.get("start_date") or today
    return age_in_years(birth, max(today, birth)) < 3 and today < start


@predicate
def start_is_after_today(answers: Answers, today: date) -> bool:
    start = answers.get("start_date")
    return start is not None and start > today
