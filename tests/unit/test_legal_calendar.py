"""Deadlines as the law counts them (Act 150/1930 s. 5): a time limit whose last day is a Saturday,
Sunday, public holiday, Midsummer Eve or Christmas Eve ends on the next weekday. The holiday dates
below are read off the 2026-2027 calendar by hand."""

from __future__ import annotations

from datetime import date

import pytest

from configurator.checklist import due_date
from configurator.legal_calendar import is_business_day, last_day_of_time_limit
from configurator.lifeevents import DueRule
from configurator.rules.ecec_application import application_timing


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2027, 3, 3), date(2027, 3, 3)),  # a Wednesday stays
        (date(2027, 3, 6), date(2027, 3, 8)),  # Saturday → Monday
        (date(2027, 3, 7), date(2027, 3, 8)),  # Sunday → Monday
        (date(2027, 3, 26), date(2027, 3, 30)),  # Good Friday → (Easter Monday 29.3) → Tuesday
        (date(2027, 5, 1), date(2027, 5, 3)),  # May Day on a Saturday → Monday
        (date(2027, 5, 6), date(2027, 5, 7)),  # Ascension Day (Thursday) → Friday
        (date(2027, 6, 25), date(2027, 6, 28)),  # Midsummer Eve (Friday), Midsummer Day → Monday
        (date(2027, 12, 6), date(2027, 12, 7)),  # Independence Day (Monday) → Tuesday
        (date(2026, 12, 24), date(2026, 12, 28)),  # Christmas Eve, Christmas, Boxing Day, Sunday → Monday
        (date(2027, 1, 1), date(2027, 1, 4)),  # New Year's Day (Friday) → Monday
        (date(2027, 1, 6), date(2027, 1, 7)),  # Epiphany (Wednesday) → Thursday
    ],
)
def test_last_day_moves_to_the_next_weekday(day: date, expected: date) -> None:
    assert last_day_of_time_limit(day) == expected
    assert is_business_day(expected)


def test_counted_deadlines_move_and_answered_dates_do_not() -> None:
    start = date(2027, 10, 25)
    # 25.10.2027 − 4 months = 25.6.2027, Midsummer Eve → Monday 28.6.2027
    before = DueRule(anchor="start_date", period="ecec_application.lead_time_months", sign=-1)
    assert due_date(before, {"start_date": start}, date(2027, 1, 1)) == date(2027, 6, 28)
    # "by the day you start" is the answered date itself, even on a Sunday
    sunday = date(2027, 10, 24)
    assert due_date(DueRule(anchor="start_date"), {"start_date": sunday}, date(2027, 1, 1)) == sunday


def test_end_of_month_moves_back_off_a_weekend() -> None:
    # first day 15.6.2027 + 1 month = 15.7.2027 → end of July 31.7.2027 (Saturday) → Friday 30.7.2027:
    # an application arriving in August would reach back only to July, so a month's end moves back
    rule = DueRule(anchor="first_day", period="kela_housing_allowance.backdating_months", align="end_of_month")
    assert due_date(rule, {"first_day": date(2027, 6, 15)}, date(2027, 6, 1)) == date(2027, 7, 30)


def test_ecec_application_on_time() -> None:
    # start 12.8.2027 − 4 months = 12.4.2027 (Monday); asked on 3.12.2026: on time
    timing = application_timing(date(2027, 8, 12), False, date(2026, 12, 3))
    assert (timing.deadline, timing.late, timing.earliest_start) == (date(2027, 4, 12), False, None)
    assert timing.breakdown[0].values == {"deadline": "2027-04-12", "count": 4}


def test_late_ecec_application_is_explained_with_the_earliest_start() -> None:
    # start 1.2.2027 − 4 months = 1.10.2026 (Thursday), already past on 3.12.2026:
    # apply now, the municipality must arrange a place within 4 months → 3.4.2027 at the earliest
    timing = application_timing(date(2027, 2, 1), False, date(2026, 12, 3))
    assert timing.late and timing.deadline == date(2026, 10, 1)
    assert timing.earliest_start == date(2027, 4, 3)
    text = timing.breakdown[0].label.format(**timing.breakdown[0].values)
    assert "has passed" in text and "2027-04-03" in text and "4 months" in text


def test_late_sudden_need_counts_two_weeks_from_the_application() -> None:
    # sudden need: start 10.12.2026 − 2 weeks = 26.11.2026, past on 3.12.2026 → 3.12 + 2 weeks = 17.12.2026
    timing = application_timing(date(2026, 12, 10), True, date(2026, 12, 3))
    assert timing.late and (timing.deadline, timing.earliest_start) == (date(2026, 11, 26), date(2026, 12, 17))
    assert "2 weeks" in timing.breakdown[0].label.format(**timing.breakdown[0].values)


def test_practical_advice_moves_to_the_weekday_before() -> None:
    # "two weeks before you start" is advice, not law: 15.1.2027 − 2 weeks = 1.1.2027 (New Year's Day)
    # → Thursday 31.12.2026, so following it is never later than advised
    advice = DueRule(anchor="start_date", offset={"weeks": -2})
    assert due_date(advice, {"start_date": date(2027, 1, 15)}, date(2026, 12, 3)) == date(2026, 12, 31)
    # "by the end of the month care starts" (a municipal practice): 31.7.2027 is a Saturday → Friday 30.7.2027
    month_end = DueRule(anchor="start_date", align="end_of_month")
    assert due_date(month_end, {"start_date": date(2027, 7, 12)}, date(2026, 12, 3)) == date(2027, 7, 30)
