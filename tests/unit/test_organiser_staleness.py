"""The staleness rules of the organiser front page (portal/organisers/staleness.py), on hand-picked dates."""

from __future__ import annotations

from datetime import date, datetime

from portal.organisers.staleness import (
    APPOINTMENT_HORIZON_DAYS,
    AVAILABILITY_STALE_DAYS,
    availability_stale,
    first_of_next_month,
    no_appointments_soon,
    price_missing_next_month,
)

TODAY = date(2026, 11, 15)


def test_thresholds() -> None:
    assert AVAILABILITY_STALE_DAYS == 14 and APPOINTMENT_HORIZON_DAYS == 14


def test_availability_confirmed_13_days_ago_is_fresh_14_days_ago_is_stale() -> None:
    assert not availability_stale([datetime(2026, 11, 2, 23, 59)], TODAY)  # 13 days
    assert availability_stale([datetime(2026, 11, 1, 0, 1)], TODAY)  # 14 days


def test_the_oldest_age_group_counts_and_none_at_all_is_stale() -> None:
    assert availability_stale([datetime(2026, 11, 14, 9), datetime(2026, 10, 20, 9)], TODAY)
    assert availability_stale([], TODAY)


def test_first_of_next_month_turns_the_year() -> None:
    assert first_of_next_month(date(2026, 11, 15)) == date(2026, 12, 1)
    assert first_of_next_month(date(2026, 12, 31)) == date(2027, 1, 1)
    assert first_of_next_month(date(2027, 1, 31)) == date(2027, 2, 1)


def test_a_price_valid_on_the_first_of_next_month_counts() -> None:
    assert not price_missing_next_month([date(2026, 12, 1)], TODAY)
    assert not price_missing_next_month([date(2025, 8, 1)], TODAY)  # an old price still valid
    assert price_missing_next_month([date(2026, 12, 2)], TODAY)  # only from the 2nd
    assert price_missing_next_month([], TODAY)


def test_appointment_times_count_from_today_to_today_plus_14_days() -> None:
    assert not no_appointments_soon([datetime(2026, 11, 15, 8)], TODAY)  # today
    assert not no_appointments_soon([datetime(2026, 11, 29, 16)], TODAY)  # day 14
    assert no_appointments_soon([datetime(2026, 11, 30, 8)], TODAY)  # day 15
    assert no_appointments_soon([datetime(2026, 11, 14, 12)], TODAY)  # yesterday
    assert no_appointments_soon([], TODAY)
