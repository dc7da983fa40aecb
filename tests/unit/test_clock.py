"""The one clock: Europe/Helsinki whatever the machine's time zone is.

The tests run the process in UTC (as the servers and CI do) and stand at chosen moments by replacing
``configurator.clock._system_utc_now``, the only place that reads the system clock.
"""

from __future__ import annotations

import os
import re
import time as system_time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from configurator import clock

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def utc_process() -> Iterator[None]:
    """The process's local time zone is UTC during each test, like on the servers."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    system_time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        system_time.tzset()


@pytest.fixture()
def at(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Stand at a moment given as UTC ISO text (``"2026-12-31T22:30:00"``)."""

    def stand(utc: str) -> None:
        moment = datetime.fromisoformat(utc).replace(tzinfo=UTC)
        monkeypatch.setattr(clock, "_system_utc_now", lambda: moment)

    return stand


def offset_hours(moment: datetime) -> float:
    return moment.utcoffset() / timedelta(hours=1)


def test_the_process_runs_in_utc() -> None:
    """The premise of the other tests: the machine's local time here is UTC, not Helsinki."""
    assert system_time.localtime().tm_gmtoff == 0
    assert datetime.now().astimezone().utcoffset() == timedelta(0)


def test_new_year_comes_at_helsinki_midnight_not_utc_midnight(at) -> None:
    at("2026-12-31T22:30:00")
    now = clock.now()
    assert now.tzinfo is clock.HELSINKI
    assert (now.replace(tzinfo=None), offset_hours(now)) == (datetime(2027, 1, 1, 0, 30), 2)
    assert clock.today() == date(2027, 1, 1)


def test_the_day_before_helsinki_midnight_is_still_the_old_year(at) -> None:
    at("2026-12-31T21:59:59")
    assert clock.today() == date(2026, 12, 31)
    assert clock.now().replace(tzinfo=None) == datetime(2026, 12, 31, 23, 59, 59)


def test_the_real_clock_is_helsinki_time_on_a_utc_machine() -> None:
    """Without a replaced source: the same moment as the system's UTC clock, shown in Helsinki."""
    now, utc = clock.now(), datetime.now(UTC)
    assert now.tzinfo is clock.HELSINKI and offset_hours(now) in (2, 3)
    assert abs(now - utc) < timedelta(seconds=5)
    assert clock.today() == utc.astimezone(clock.HELSINKI).date()


# Summer time in 2027 starts on the last Sunday of March and ends on the last Sunday of October,
# both at 01:00 UTC (EU Directive 2000/84/EC).
@pytest.mark.parametrize(
    "utc, wall, hours",
    [
        ("2027-03-28T00:59:59", datetime(2027, 3, 28, 2, 59, 59), 2),
        ("2027-03-28T01:00:00", datetime(2027, 3, 28, 4, 0), 3),
        ("2027-10-31T00:59:59", datetime(2027, 10, 31, 3, 59, 59), 3),
        ("2027-10-31T01:00:00", datetime(2027, 10, 31, 3, 0), 2),
        ("2027-10-30T21:30:00", datetime(2027, 10, 31, 0, 30), 3),  # already Sunday in Helsinki
        ("2027-03-27T22:30:00", datetime(2027, 3, 28, 0, 30), 2),
    ],
)
def test_summer_time_boundaries(at, utc: str, wall: datetime, hours: int) -> None:
    at(utc)
    now = clock.now()
    assert (now.replace(tzinfo=None), offset_hours(now)) == (wall, hours)
    assert clock.today() == wall.date()
    assert clock.local_naive(now) == wall


def test_a_fixed_date_keeps_the_real_helsinki_time_of_day(at) -> None:
    at("2026-12-31T22:30:00")  # 00:30 in Helsinki; the UTC time of day would be 22:30
    now = clock.now(date(2026, 11, 22))
    assert (now.replace(tzinfo=None), offset_hours(now)) == (datetime(2026, 11, 22, 0, 30), 2)
    assert clock.today(date(2026, 11, 22)) == date(2026, 11, 22)


def test_a_fixed_summer_date_has_the_summer_offset(at) -> None:
    at("2027-01-10T07:00:00")  # 09:00 in Helsinki
    now = clock.now(date(2027, 6, 14))
    assert (now.replace(tzinfo=None), offset_hours(now)) == (datetime(2027, 6, 14, 9, 0), 3)


def test_a_fixed_date_moves_a_skipped_wall_time_on_by_the_hour(at) -> None:
    at("2027-01-10T01:30:00")  # 03:30 in Helsinki, a time 28 March 2027 does not have
    now = clock.now(date(2027, 3, 28))
    assert (now.replace(tzinfo=None), offset_hours(now)) == (datetime(2027, 3, 28, 4, 30), 3)


def test_local_naive_is_the_helsinki_wall_time() -> None:
    assert clock.local_naive(datetime(2027, 1, 15, 7, 30, tzinfo=UTC)) == datetime(2027, 1, 15, 9, 30)
    assert clock.local_naive(datetime(2027, 6, 15, 7, 30, tzinfo=UTC)) == datetime(2027, 6, 15, 10, 30)


def test_local_naive_refuses_a_naive_value() -> None:
    with pytest.raises(ValueError):
        clock.local_naive(datetime(2027, 1, 15, 9, 0))


def test_aware_reads_a_stored_wall_time_in_helsinki() -> None:
    winter, summer = clock.aware(datetime(2027, 3, 1, 9, 0)), clock.aware(datetime(2027, 7, 1, 9, 0))
    assert winter == datetime(2027, 3, 1, 7, 0, tzinfo=UTC)
    assert summer == datetime(2027, 7, 1, 6, 0, tzinfo=UTC)
    assert clock.aware(datetime(2027, 3, 1, 7, 0, tzinfo=UTC)) == winter
    assert clock.aware(datetime(2027, 3, 1, 7, 0, tzinfo=UTC)).tzinfo is clock.HELSINKI


def test_aware_reads_the_repeated_autumn_hour_as_summer_time() -> None:
    assert offset_hours(clock.aware(datetime(2027, 10, 31, 3, 30))) == 3


def test_local_naive_and_aware_round_trip() -> None:
    for utc in (datetime(2027, 1, 15, 7, 30, tzinfo=UTC), datetime(2027, 6, 15, 7, 30, tzinfo=UTC)):
        assert clock.aware(clock.local_naive(utc)) == utc


@pytest.mark.parametrize(
    "stored, text",
    [
        (datetime(2027, 3, 1, 9, 0), "2027-03-01T09:00:00+02:00"),
        (datetime(2027, 8, 1, 9, 0), "2027-08-01T09:00:00+03:00"),
        (datetime(2027, 8, 1, 6, 0, tzinfo=UTC), "2027-08-01T09:00:00+03:00"),
    ],
)
def test_iso_carries_the_helsinki_offset(stored: datetime, text: str) -> None:
    assert clock.iso(stored) == text


def test_the_clock_module_does_not_import_flask() -> None:
    source = (ROOT / "configurator" / "clock.py").read_text(encoding="utf-8")
    assert not re.search(r"^\s*(from|import)\s+flask", source, re.M)


SYSTEM_CLOCK = re.compile(r"\b(datetime\.now|datetime\.today|date\.today|datetime\.utcnow|utcnow)\(")


def test_nothing_else_reads_the_local_system_clock() -> None:
    """Only configurator/clock.py reads the system clock: anything else would be UTC on the servers."""
    readers = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("portal", "configurator")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != ROOT / "configurator" / "clock.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SYSTEM_CLOCK.search(line)
    ]
    assert readers == []
