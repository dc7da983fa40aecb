"""Named predicates that life-event data files use in show-if and when conditions.

Content authors write a name ("sudden_need", "not income_given"); the logic
lives in this package, one module per life event, small and unit-tested, and the
loader rejects names that do not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

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


from . import business, ecec, moving, unemployment  # noqa: E402,F401  (register the predicates)
