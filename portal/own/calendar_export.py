"""Deadlines as an iCalendar file (RFC 5545): one all-day event per task with a date.

UIDs are stable per plan and task, so importing the file again after a change updates the events
instead of duplicating them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, timedelta

from flask_babel import gettext
from icalendar import Alarm, Calendar, Event

from configurator import clock
from configurator.checklist import ChecklistEntry

from ..i18n import translate_with


def plan_calendar(
    name: str, entries: Iterable[ChecklistEntry], uid_prefix: str, url: str | None = None, done: Iterable[str] = ()
) -> bytes:
    """The calendar of a plan's deadlines in the request's language; ticked tasks say so and get no alarm."""
    calendar = Calendar()
    calendar.add("prodid", "-//Polku//Life event plan//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
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
