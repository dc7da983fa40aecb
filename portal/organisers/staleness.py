"""What is stale on an organiser's unit or service point (issue 15): small pure rules on dates, no Flask, no
database. The front page feeds them the rows and the portal's "today" (``portal.context.today``).

- availability not confirmed for ``AVAILABILITY_STALE_DAYS`` days (the oldest ``Availability.updated_at`` of the
  unit counts: one age group left unconfirmed is enough);
- no price valid for next month: no ``UnitPrice`` with ``valid_from`` on or before the first day of next month
  (only units that have a monthly price, i.e. private service-voucher units);
- no appointment times in the next ``APPOINTMENT_HORIZON_DAYS`` days (only service points that take
  appointments): no slot that is not cancelled and starts from today up to and including today + 14 days.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

AVAILABILITY_STALE_DAYS = 14
APPOINTMENT_HORIZON_DAYS = 14

AVAILABILITY = "availability"
PRICE = "price"
APPOINTMENTS = "appointments"
PROBLEMS = (AVAILABILITY, PRICE, APPOINTMENTS)


def first_of_next_month(today: date) -> date:
    return date(today.year + 1, 1, 1) if today.month == 12 else date(today.year, today.month + 1, 1)


def availability_stale(updated: Iterable[datetime], today: date) -> bool:
    """True when there is no availability at all, or its oldest confirmation is ``AVAILABILITY_STALE_DAYS`` or
    more days before today (confirmed on 1 Nov: stale from 15 Nov)."""
    dates = [moment.date() for moment in updated]
    return not dates or (today - min(dates)).days >= AVAILABILITY_STALE_DAYS


def price_missing_next_month(valid_from: Iterable[date], today: date) -> bool:
    """True when no price is valid on the first day of next month (a price valid from that day counts)."""
    start = first_of_next_month(today)
    return not any(day <= start for day in valid_from)


def no_appointments_soon(starts: Iterable[datetime], today: date) -> bool:
    """True when no (not cancelled) appointment time starts between today and today + 14 days, inclusive."""
    last = today + timedelta(days=APPOINTMENT_HORIZON_DAYS)
    return not any(today <= moment.date() <= last for moment in starts)
