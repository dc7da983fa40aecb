"""One clock for the whole product, in Europe/Helsinki.

Finnish law and the services count days in Helsinki time: a deadline falls on a Helsinki date, an
appointment starts at a Helsinki wall-clock time, and "today" turns at Helsinki midnight. The servers
(and CI) run in UTC, where midnight comes two hours later in winter and three in summer, so nothing in
the product may ask the operating system for the local time: every date and moment comes from here.

The database keeps naive Helsinki wall times (appointment slots, created_at and the like); convert at
the boundary with ``local_naive`` (aware → stored) and ``aware`` (stored → aware), and give date-times
to other systems with their offset (``iso``).

This module is the only place that reads the system clock (``_system_utc_now``), so tests replace that
one function to stand anywhere in time. No Flask here: the portal adds its POLKU_TODAY setting.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")


def _system_utc_now() -> datetime:
    """The real moment, aware in UTC: UTC because it does not depend on the machine's TZ setting."""
    return datetime.now(UTC)


def now(fixed_today: date | None = None) -> datetime:
    """The moment now, aware in Europe/Helsinki.

    ``fixed_today`` (POLKU_TODAY in demos and tests) puts the moment on that date at the real Helsinki
    time of day, so "today" is fixed while times still move. A wall time the fixed date does not have
    (the hour skipped when summer time starts) is moved on by the skipped hour, as the clocks are.
    """
    moment = _system_utc_now().astimezone(HELSINKI)
    if fixed_today is None:
        return moment
    return datetime.combine(fixed_today, moment.timetz()).astimezone(UTC).astimezone(HELSINKI)


def today(fixed_today: date | None = None) -> date:
    """The date in Helsinki (not on the server), or ``fixed_today`` when a demo or test fixes it."""
    return fixed_today if fixed_today is not None else now().date()


def local_naive(moment: datetime) -> datetime:
    """The naive Helsinki wall time the database stores for an aware moment.

    A naive value is refused: it could be UTC or Helsinki, and guessing is how clocks drift apart.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"local_naive needs an aware datetime, not {moment!r}")
    return moment.astimezone(HELSINKI).replace(tzinfo=None)


def aware(naive_local: datetime) -> datetime:
    """The aware Helsinki moment of a stored naive Helsinki wall time (an aware value is converted).

    A wall time that occurs twice (the hour repeated when summer time ends) is read as the first one,
    in summer time, as ``fold=0`` does.
    """
    if naive_local.tzinfo is not None and naive_local.utcoffset() is not None:
        return naive_local.astimezone(HELSINKI)
    return naive_local.replace(tzinfo=HELSINKI)


def iso(moment: datetime) -> str:
    """ISO 8601 with the Helsinki offset (``2027-03-01T09:00:00+02:00``), for the API and data downloads:
    a date-time without its offset means different moments to a reader in UTC and one in Helsinki."""
    return aware(moment).isoformat()
