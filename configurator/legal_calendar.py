"""Dates as Finnish law counts them.

Act on the computation of statutory time limits 150/1930, s. 5: when the last
day of a time limit falls on a Saturday, a Sunday or another public holiday,
Independence Day, May Day, Christmas Eve or Midsummer Eve, the act may still be
done on the next weekday. A checklist that showed a Sunday as the last day would
tell people to hurry for nothing (or to do something on a day the office is
closed), so every deadline moves the way the law moves it. The holidays come
from the `holidays` library (Finland's calendar, including Midsummer Eve and
Christmas Eve), not from a hand-kept list that would need yearly edits.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

_SATURDAY = 5


@lru_cache(maxsize=1)
def _finnish_holidays() -> holidays.HolidayBase:
    return holidays.country_holidays("FI")


def is_business_day(day: date) -> bool:
    """Monday to Friday and not a Finnish public holiday, Midsummer Eve or Christmas Eve."""
    return day.weekday() < _SATURDAY and day not in _finnish_holidays()


def holiday_name(day: date) -> str | None:
    """The holiday's (English) name, for tests and explanations; None on ordinary days."""
    return _finnish_holidays().get(day)


def last_business_day_on_or_before(day: date) -> date:
    """``day`` itself on a business day, otherwise the business day before: for advice ("two weeks
    before you start"), which must not end up later than advised."""
    while not is_business_day(day):
        day -= timedelta(days=1)
    return day


def last_day_of_time_limit(day: date) -> date:
    """``day`` itself on a business day, otherwise the next business day (Act 150/1930 s. 5)."""
    while not is_business_day(day):
        day += timedelta(days=1)
    return day
