"""The personal checklist: which tasks apply, by when, with whom, through which channel, and why."""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Protocol, cast

from dateutil.relativedelta import relativedelta

from .answers import LocationAnswer
from .figures import FIGURES
from .legal_calendar import last_business_day_on_or_before, last_day_of_time_limit
from .lifeevents import PERIOD_UNITS, ChecklistItem, DueRule, LifeEvent, OrganisationRef, Repeat
from .money import as_percent
from .names import Localized
from .parameters import Parameters, default_parameters
from .predicates import evaluate
from .rules import BreakdownStep


@dataclass(frozen=True)
class Contact:
    """A responsible organisation as shown to the user; name_msgid is translated, name is a proper name.

    ``url`` is the address in the page's language (the directory's ``locale``), or the version the
    site has when it has none in that language; ``urls`` holds every language version there is.
    """

    name: str | None = None
    name_msgid: str | None = None
    url: str | None = None
    phone: str | None = None
    email: str | None = None
    urls: Localized | None = None


class Directory(Protocol):
    """Contact details of municipalities and service points; the portal implements it over the catalogue.

    ``locale`` is the language of the page (or API answer) the checklist is built for: it picks the
    language version of the organisations' addresses.
    """

    locale: str

    def municipality_contact(self, municipality_code: str, service: str) -> Contact | None: ...

    def service_contact(self, kind: str, municipality_code: str) -> Contact | None: ...


# How many dates of a fixed schedule a recurring entry lists ahead (the calendar export checks its RRULE's
# dates against them), and how far a schedule is followed at most to find the one a tick belongs to.
SCHEDULE_AHEAD = 24
SCHEDULE_LIMIT = 5000


@dataclass(frozen=True)
class Recurrence:
    """Where a recurring task stands for these answers and ticks.

    ``unit`` and ``interval`` are the interval in force for the next date ("every 12 months"); ``last_done`` the
    day it was last ticked; ``ended`` that no date is left (``until`` passed or ``times`` used): it is then done
    for good. ``upcoming`` are the next dates from the shown one on (a fixed schedule's, moved off weekends the
    way its first date is; a "from done" task lists only the shown one, as the next depends on the next tick).
    ``remaining`` counts the dates left, shown one included, when the schedule has a number of times.
    ``anchor`` is a fixed schedule's shown date before weekends moved it, and ``month_end`` that its dates are
    months' last days (a calendar's RRULE keeps that day of the month).
    """

    repeat: Repeat
    unit: str
    interval: int
    last_done: date | None = None
    ended: bool = False
    until: date | None = None
    remaining: int | None = None
    upcoming: tuple[date, ...] = ()
    anchor: date | None = None
    month_end: bool = False


@dataclass(frozen=True)
class ChecklistEntry:
    item: ChecklistItem
    due: date | None
    due_rule: DueRule | None
    overdue: bool
    contact: Contact
    figures: tuple[BreakdownStep, ...] = ()
    values: Mapping[str, Any] = field(default_factory=dict)  # the event's figures for this task's {braces}
    recurrence: Recurrence | None = None  # a recurring task's interval, last tick and next dates


def due_date(rule: DueRule, answers: Mapping[str, Any], today: date, params: Parameters | None = None) -> date | None:
    """The deadline of ``rule``: its anchor moved by the legal period in force on the anchor date
    (and any practical offset), aligned, then moved off weekends and holidays.

    A legal time limit whose last day is a weekend or holiday ends on the next weekday (Act
    150/1930). A practical lead time (a literal offset, advice rather than law) and a month's end
    (a benefit reaches back by calendar months, so a day later can cost a month) move to the
    weekday before, so following the date never makes anyone later than they should be. A deadline
    that is the answered date itself ("by the day you start") or today stays as it is: it is the day
    a right or duty begins, not the last day of a period.
    """
    day = _raw_due(rule, answers, today, params or default_parameters())
    return None if day is None else _settled(rule, day)


def _raw_due(rule: DueRule, answers: Mapping[str, Any], today: date, params: Parameters) -> date | None:
    """The deadline before weekends and holidays move it (a fixed schedule repeats from this day)."""
    anchor = today if rule.anchor == "today" else answers.get(rule.anchor)
    if anchor is None:
        return None
    # A practical offset moves the anchor first ("the last working day" is the day before the first
    # day without work), then the legal period counts from there, as Act 150/1930 s. 3 counts months.
    day = anchor + _delta(rule.offset)
    if rule.period:
        figure = params.at(rule.period, anchor)
        unit = PERIOD_UNITS[params.unit(rule.period)]
        day += _delta({unit: rule.sign * int(figure.value)})
    return _aligned(rule, day, anchor, params)


def _aligned(rule: DueRule, day: date, on: date, params: Parameters) -> date:
    """``day`` moved to its month's end or start, or to the legal day of the month in force on ``on``
    (the 12th for a VAT return; a month shorter than that day ends it)."""
    if rule.align == "end_of_month":
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if rule.align == "start_of_month":
        return day.replace(day=1)
    if rule.day_of_month:
        wanted = int(params.at(rule.day_of_month, on).value)
        return day.replace(day=min(wanted, calendar.monthrange(day.year, day.month)[1]))
    return day


def _settled(rule: DueRule, day: date) -> date:
    """A legal deadline (a period or a legal day of the month) on a weekend or holiday ends on the next weekday;
    advice and month ends move to the weekday before; an answered date stays (see ``due_date``)."""
    if (rule.period or rule.day_of_month) and rule.align is None:
        return last_day_of_time_limit(day)
    if rule.offset or rule.period or rule.align is not None:
        return last_business_day_on_or_before(day)
    return day


def _interval(repeat: Repeat, on: date, params: Parameters) -> tuple[str, int]:
    """The unit and length of one interval starting on ``on``: the practical ``every``, or the legal period
    in force that day."""
    if repeat.period:
        return PERIOD_UNITS[params.unit(repeat.period)], int(params.at(repeat.period, on).value)
    ((unit, amount),) = repeat.every.items()
    return unit, amount


def _schedule(
    rule: DueRule, repeat: Repeat, first: date, until: date | None, params: Parameters
) -> Iterator[tuple[date, date]]:
    """A fixed schedule's dates, (unmoved, moved off weekends), from the first due date on.

    Each date counts from the first one (``first`` + the intervals so far, in one unit), not from the one
    before, so a schedule from 31 January stays on the month's last day instead of drifting to the 28th; the
    interval is the one in force on the date it starts from.
    """
    unit, total, start = "", 0, first
    for index in range(SCHEDULE_LIMIT):
        if until is not None and start > until or repeat.times is not None and index >= repeat.times:
            return
        yield start, _settled(rule, start)
        unit, step = _interval(repeat, start, params)
        total += step
        start = _aligned(rule, first + _delta({unit: total}), start, params)


def recurrence(
    rule: DueRule,
    repeat: Repeat,
    answers: Mapping[str, Any],
    today: date,
    last_done: date | None,
    params: Parameters | None = None,
) -> tuple[date | None, Recurrence] | None:
    """A recurring task's next date and state, or None when its first date cannot be known yet.

    "done": the next date is one interval after the day it was last ticked (a check-up a year after the
    last one; a calendar date, not moved off weekends: a time to book, not a legal deadline), or the first
    due date before any tick. "due": the dates keep the first date's schedule; a tick counts for the
    scheduled date nearest to the day it was made (ticked a few days late or early, it is still that
    period's), and the next date is the one after it. Only the day of the last tick is kept, so this is how
    the tick is placed on the schedule.
    """
    params = params or default_parameters()
    first = _raw_due(rule, answers, today, params)
    if first is None:
        return None
    end = answers.get(repeat.until) if repeat.until else None
    until = end if isinstance(end, date) else None
    if repeat.count_from == "done":
        if last_done is None:
            unit, step = _interval(repeat, first, params)
            due = _settled(rule, first)
        else:
            unit, step = _interval(repeat, last_done, params)
            due = last_done + _delta({unit: step})
            if until is not None and due > until:
                return None, Recurrence(repeat, unit, step, last_done, ended=True, until=until)
            unit, step = _interval(repeat, due, params)
        return due, Recurrence(repeat, unit, step, last_done, until=until, upcoming=(due,))
    dates = _schedule(rule, repeat, first, until, params)
    shown = _after_tick(dates, last_done) if last_done is not None else dates
    ahead = [pair for _, pair in zip(range(SCHEDULE_AHEAD), shown, strict=False)]
    unit, step = _interval(repeat, ahead[0][0] if ahead else first, params)
    if not ahead:
        return None, Recurrence(repeat, unit, step, last_done, ended=True, until=until)
    remaining = None
    if repeat.times is not None:
        remaining = len(ahead) + sum(1 for _ in shown)
    return ahead[0][1], Recurrence(
        repeat,
        unit,
        step,
        last_done,
        until=until,
        remaining=remaining,
        upcoming=tuple(d for _, d in ahead),
        anchor=ahead[0][0],
        month_end=rule.align == "end_of_month",
    )


def _after_tick(dates: Iterator[tuple[date, date]], ticked: date) -> Iterator[tuple[date, date]]:
    """The schedule's dates after the one a tick on ``ticked`` counts for: the nearest (the later on a tie)."""
    previous: tuple[date, date] | None = None
    for pair in dates:
        if pair[1] > ticked:
            if previous is not None and ticked - previous[1] < pair[1] - ticked:
                yield pair  # the tick was for the earlier date: this one is the next
            yield from dates
            return
        previous = pair


def text_values(event: LifeEvent, on: date, params: Parameters | None = None) -> dict[str, Any]:
    """The event's named figures (``values:`` in its file) in force on ``on``, for its texts' {braces}.

    Ratios become percent numbers (the text writes "%"), as in breakdown steps; whole numbers become
    ints so "4 months" never reads "4.0 months".
    """
    params = params or default_parameters()
    found: dict[str, Any] = {}
    for key, name in event.values.items():
        value = params.at(name, on).value
        if params.unit(name) == "ratio":
            value = as_percent(value)
        found[key] = int(value) if value == int(value) else value
    return found


def _contact(org: OrganisationRef, answers: Mapping[str, Any], directory: Directory, service: str) -> Contact:
    if org.municipality_of:
        location = answers.get(org.municipality_of)
        if isinstance(location, LocationAnswer):
            code = location.place.municipality_code
            found = (
                directory.service_contact(org.service_kind, code)
                if org.service_kind
                else directory.municipality_contact(code, service)
            )
            if found is not None:
                return replace(found, name_msgid=org.name)
    urls = org.url
    locale = getattr(directory, "locale", None)  # a directory without one gets the Finnish (or only) version
    return Contact(name_msgid=org.name, url=urls.display(locale) if urls else None, phone=org.phone, urls=urls)


def build_checklist(
    event: LifeEvent,
    answers: Mapping[str, Any],
    today: date,
    directory: Directory,
    done: Mapping[str, date] | None = None,
) -> list[ChecklistEntry]:
    """Applicable items in the event's order, each with its due date from the first matching rule.

    ``done`` ({task id: day ticked}) moves a recurring task on to its next date; a one-off task's date does
    not depend on it.
    """
    entries = []
    values_on: dict[Any, dict[str, Any]] = {}  # text_values by date: the tasks share a handful of dates
    for item in event.checklist:
        if not evaluate(item.show_if, answers, today):
            continue
        rule = next((r for r in item.due if evaluate(r.when, answers, today)), None)
        due = due_date(rule, answers, today) if rule else None
        repeating = None
        repeat = (rule.repeat or item.repeat) if rule is not None else None
        if rule is not None and repeat is not None:
            found = recurrence(rule, repeat, answers, today, (done or {}).get(item.id))
            if found is not None:
                due, repeating = found
        org = event.organisations[item.responsible]
        figures = tuple(step for name in item.figures for step in FIGURES[name](answers, today))
        anchor = answers.get(rule.anchor) if rule is not None and rule.anchor != "today" else None
        on = anchor or today
        if on not in values_on:
            values_on[on] = text_values(event, on)
        entries.append(
            ChecklistEntry(
                item,
                due,
                rule,
                due is not None and due < today,
                _contact(org, answers, directory, event.id),
                figures,
                dict(values_on[on]),
                repeating,
            )
        )
    return entries


def _delta(parts: Mapping[str, int]) -> relativedelta:
    """A relativedelta from named parts ({"months": -1}); its type stub cannot tell keyword parts from the two
    dates it also takes, so the parts are passed as plain keywords."""
    return relativedelta(**cast("dict[str, Any]", dict(parts)))
