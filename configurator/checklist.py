"""The personal checklist: which tasks apply, by when, with whom, through which channel, and why."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Protocol, cast

from dateutil.relativedelta import relativedelta

from .answers import LocationAnswer
from .figures import FIGURES
from .legal_calendar import last_business_day_on_or_before, last_day_of_time_limit
from .lifeevents import PERIOD_UNITS, ChecklistItem, DueRule, LifeEvent, OrganisationRef
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


@dataclass(frozen=True)
class ChecklistEntry:
    item: ChecklistItem
    due: date | None
    due_rule: DueRule | None
    overdue: bool
    contact: Contact
    figures: tuple[BreakdownStep, ...] = ()
    values: Mapping[str, Any] = field(default_factory=dict)  # the event's figures for this task's {braces}


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
    anchor = today if rule.anchor == "today" else answers.get(rule.anchor)
    if anchor is None:
        return None
    # A practical offset moves the anchor first ("the last working day" is the day before the first
    # day without work), then the legal period counts from there, as Act 150/1930 s. 3 counts months.
    day = anchor + _delta(rule.offset)
    if rule.period:
        figure = (params or default_parameters()).at(rule.period, anchor)
        unit = PERIOD_UNITS[(params or default_parameters()).unit(rule.period)]
        day += _delta({unit: rule.sign * int(figure.value)})
    if rule.align == "end_of_month":
        day = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    elif rule.align == "start_of_month":
        day = day.replace(day=1)
    if rule.period and rule.align is None:
        return last_day_of_time_limit(day)
    if rule.offset or rule.period or rule.align is not None:
        return last_business_day_on_or_before(day)
    return day


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
    event: LifeEvent, answers: Mapping[str, Any], today: date, directory: Directory
) -> list[ChecklistEntry]:
    """Applicable items in the event's order, each with its due date from the first matching rule."""
    entries = []
    for item in event.checklist:
        if not evaluate(item.show_if, answers, today):
            continue
        rule = next((r for r in item.due if evaluate(r.when, answers, today)), None)
        due = due_date(rule, answers, today) if rule else None
        org = event.organisations[item.responsible]
        figures = tuple(step for name in item.figures for step in FIGURES[name](answers, today))
        anchor = answers.get(rule.anchor) if rule is not None and rule.anchor != "today" else None
        entries.append(
            ChecklistEntry(
                item,
                due,
                rule,
                due is not None and due < today,
                _contact(org, answers, directory, event.id),
                figures,
                text_values(event, anchor or today),
            )
        )
    return entries


def _delta(parts: Mapping[str, int]) -> relativedelta:
    """A relativedelta from named parts ({"months": -1}); its type stub cannot tell keyword parts from the two
    dates it also takes, so the parts are passed as plain keywords."""
    return relativedelta(**cast("dict[str, Any]", dict(parts)))
