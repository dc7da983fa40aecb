"""Predicates of the early-childhood-education life event."""

from __future__ import annotations

from datetime import date

from ..parameters import default_parameters
from . import Answers, age_in_years, predicate


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


@predicate
def child_under_3_at_start(answers: Answers, today: date) -> bool:
    """The child is still under the home care age limit (3) when care starts: flexible care allowance can apply."""
    birth = answers.get("child_birth_date")
    if birth is None:
        return False
    start = answers.get("start_date") or today
    limit = default_parameters().at("kela_home_care.age_limit_years", start)
    return age_in_years(birth, start) < int(limit.value)
