"""Deadlines as an iCalendar file (RFC 5545): one all-day event per task with a date.

UIDs are stable per plan and task, so importing the file again after a change updates the events
instead of duplicating them. A recurring task (configurator.checklist.Recurrence) is one event with an RRULE
from its next date on: FREQ and INTERVAL from its interval, UNTIL from its end date (or from the last date of a
schedule that ends after a number of times), COUNT from the times left. A fixed schedule's dates move off
weekends the way its first date does, which no RRULE can say: the RRULE keeps the schedule's day of the month
(or weekday), and the dates of the next SCHEDULE_AHEAD occurrences that differ from it are corrected with
EXDATE (the rule's date) and RDATE (the real one), so a calendar shows the dates the plan page shows.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from dateutil import rrule
from flask_babel import format_date, gettext, ngettext
from icalendar import Alarm, Calendar, Event, vRecur

from configurator import clock
from configurator.checklist import ChecklistEntry, Recurrence

from ..i18n import translate_with

FREQUENCIES = {"days": "DAILY", "weeks": "WEEKLY", "months": "MONTHLY", "years": "YEARLY"}
_RRULE_FREQ = {"DAILY": rrule.DAILY, "WEEKLY": rrule.WEEKLY, "MONTHLY": rrule.MONTHLY, "YEARLY": rrule.YEARLY}
# How often a subscribed calendar should fetch the address again (RFC 7986 REFRESH-INTERVAL, and the older
# X-PUBLISHED-TTL that some applications read instead).
REFRESH = timedelta(hours=1)


def repeat_text(recurrence: Recurrence) -> str:
    """ "Every 12 months" in the page's language (Babel's plural forms for the number)."""
    n, unit = recurrence.interval, recurrence.unit
    if unit == "days":
        return gettext("Every day") if n == 1 else ngettext("Every %(num)d day", "Every %(num)d days", n)
    if unit == "weeks":
        return gettext("Every week") if n == 1 else ngettext("Every %(num)d week", "Every %(num)d weeks", n)
    if unit == "years":
        return gettext("Every year") if n == 1 else ngettext("Every %(num)d year", "Every %(num)d years", n)
    return gettext("Every month") if n == 1 else ngettext("Every %(num)d month", "Every %(num)d months", n)


def repeat_lines(recurrence: Recurrence) -> list[str]:
    """What a recurring task says of itself: how often, until when, and when it was last ticked done."""
    lines = [repeat_text(recurrence)]
    if recurrence.until is not None:
        lines.append(gettext("Until %(date)s", date=format_date(recurrence.until, format="long")))
    if recurrence.last_done is not None:
        lines.append(gettext("Last done on %(date)s", date=format_date(recurrence.last_done, format="long")))
    if recurrence.ended:
        lines.append(gettext("No more times."))
    return lines


def recurrence_rule(first: date, recurrence: Recurrence) -> tuple[vRecur, list[date], list[date]]:
    """The RRULE of a recurring task whose next date is ``first``, and the EXDATE and RDATE dates that make its
    dates those of the plan (see the module's docstring)."""
    freq = FREQUENCIES[recurrence.unit]
    parts: dict[str, Any] = {"FREQ": freq, "INTERVAL": recurrence.interval}
    fixed = recurrence.repeat.count_from == "due" and recurrence.anchor is not None
    if fixed and freq in ("MONTHLY", "YEARLY"):
        parts["BYMONTHDAY"] = -1 if recurrence.month_end else recurrence.anchor.day  # type: ignore[union-attr]
        if freq == "YEARLY":
            parts["BYMONTH"] = recurrence.anchor.month  # type: ignore[union-attr]
    elif fixed and freq == "WEEKLY":
        parts["BYDAY"] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[recurrence.anchor.weekday()]  # type: ignore[union-attr]
    planned = list(recurrence.upcoming) if fixed else [first]
    if recurrence.until is not None:
        parts["UNTIL"] = recurrence.until
    elif recurrence.remaining is not None and len(planned) >= recurrence.remaining:
        parts["UNTIL"] = planned[-1]  # the last date: a COUNT would count DTSTART, which the rule may not produce
    elif recurrence.remaining is not None:
        parts["COUNT"] = recurrence.remaining
    if not fixed:
        return vRecur(parts), [], []
    rule_dates = set(_expand(parts, first, planned[-1]))
    wanted = set(planned)
    return vRecur(parts), sorted(rule_dates - wanted), sorted(wanted - rule_dates)


def _expand(parts: dict[str, Any], first: date, last: date) -> list[date]:
    """The RRULE's dates up to ``last`` as dateutil reads it (DTSTART counted only when the rule produces it)."""
    options: dict[str, Any] = {"interval": parts["INTERVAL"], "dtstart": datetime(first.year, first.month, first.day)}
    if "BYMONTHDAY" in parts:
        options["bymonthday"] = parts["BYMONTHDAY"]
    if "BYMONTH" in parts:
        options["bymonth"] = parts["BYMONTH"]
    if "BYDAY" in parts:
        options["byweekday"] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU").index(parts["BYDAY"])
    if "UNTIL" in parts:
        until = parts["UNTIL"]
        options["until"] = datetime(until.year, until.month, until.day)
    if "COUNT" in parts:
        options["count"] = parts["COUNT"]
    end = datetime(last.year, last.month, last.day)
    return [
        moment.date()
        for moment in itertools.takewhile(lambda m: m <= end, rrule.rrule(_RRULE_FREQ[parts["FREQ"]], **options))
    ]


def plan_calendar(
    name: str,
    entries: Iterable[ChecklistEntry],
    uid_prefix: str,
    url: str | None = None,
    done: Iterable[str] = (),
    refresh: bool = False,
) -> bytes:
    """The calendar of a plan's deadlines in the request's language; ticked tasks say so and get no alarm.

    ``refresh`` (a subscribed address) asks calendars to fetch it again every REFRESH.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Polku//Life event plan//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    if refresh:
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", REFRESH)
    stamp = clock.now().astimezone(UTC).replace(microsecond=0)  # RFC 5545 DTSTAMP is in UTC
    finished = set(done)
    for entry in entries:
        if entry.due is None:
            continue
        event = Event()
        event.add("uid", f"{uid_prefix}-{entry.item.id}@polku")
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.due)
        event.add("dtend", entry.due + timedelta(days=1))
        event.add("summary", gettext(entry.item.title))
        description = [gettext("Done")] if entry.item.id in finished else []
        if entry.recurrence is not None:
            description.append(". ".join(line.rstrip(".") for line in repeat_lines(entry.recurrence)) + ".")
            rule, exdates, rdates = recurrence_rule(entry.due, entry.recurrence)
            event.add("rrule", rule)
            if exdates:
                event.add("exdate", exdates)
            if rdates:
                event.add("rdate", rdates)
        description.append(translate_with(entry.item.why, dict(entry.values)))
        if entry.item.how:
            description.append(translate_with(entry.item.how, dict(entry.values)))
        event.add("description", "\n\n".join(description))
        event.add("transp", "TRANSPARENT")
        if url:
            event.add("url", f"{url}#task-{entry.item.id}")
        if entry.item.id not in finished:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", gettext(entry.item.title))
            alarm.add("trigger", timedelta(days=-3))
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()
