"""Recurring tasks (issue 18): the ``repeat:`` block of a checklist item, checked by the loader and moved on by
ticks. Dates worked out by hand from the calendar (weekdays noted where a weekend moves one)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from configurator.checklist import Contact, build_checklist
from configurator.lifeevents import LifeEventError, parse_life_event

BASE: dict[str, Any] = {
    "id": "checkups",
    "title": "Look after yourself",
    "summary": "A test event.",
    "parameters": ["unemployment"],
    "organisations": [{"id": "clinic", "name": "Your clinic"}],
    "steps": [
        {
            "id": "dates",
            "title": "Dates",
            "questions": [
                {"id": "start", "type": "date", "label": "Start"},
                {"id": "end", "type": "date", "label": "End", "required": False},
            ],
        }
    ],
    "checklist": [
        {
            "id": "checkup",
            "title": "Go to a check-up",
            "why": "It keeps you well.",
            "responsible": "clinic",
            "channel": "in_person",
            "due": [{"from": "start"}],
            "repeat": {"every": {"months": 12}, "count_from": "done"},
        }
    ],
}


class _Directory:
    locale = "en"

    def municipality_contact(self, municipality_code: str, service: str) -> Contact | None:
        return None

    def service_contact(self, kind: str, municipality_code: str) -> Contact | None:
        return None


def _event(**repeat: Any) -> Any:
    data = copy.deepcopy(BASE)
    item = data["checklist"][0]
    if "due" in repeat:
        item["due"] = repeat.pop("due")
    item["repeat"] = repeat
    return parse_life_event(data, "checkups.yaml")


def _entry(event: Any, answers: dict[str, Any], today: date, ticked: date | None = None) -> Any:
    done = {"checkup": ticked} if ticked else {}
    (entry,) = build_checklist(event, answers, today, _Directory(), done)
    return entry


# --- from the day it was ticked --------------------------------------------------------------------------


def test_before_any_tick_the_first_due_date_is_shown() -> None:
    entry = _entry(_event(every={"months": 12}, count_from="done"), {"start": date(2027, 3, 1)}, date(2027, 2, 1))
    assert entry.due == date(2027, 3, 1)
    assert entry.recurrence.last_done is None
    assert (entry.recurrence.unit, entry.recurrence.interval) == ("months", 12)
    assert not entry.recurrence.ended


def test_ticked_on_10_march_2027_every_12_months_comes_back_on_10_march_2028() -> None:
    event = _event(every={"months": 12}, count_from="done")
    entry = _entry(event, {"start": date(2027, 3, 1)}, date(2027, 3, 10), ticked=date(2027, 3, 10))
    assert entry.due == date(2028, 3, 10)
    assert entry.recurrence.last_done == date(2027, 3, 10)
    assert not entry.overdue


def test_ticked_on_31_january_every_month_comes_back_on_the_last_day_of_february() -> None:
    # 2027 is no leap year; 28 February 2027 is a Sunday and stays: a time to book, not a legal deadline.
    event = _event(every={"months": 1}, count_from="done")
    entry = _entry(event, {"start": date(2027, 1, 1)}, date(2027, 1, 31), ticked=date(2027, 1, 31))
    assert entry.due == date(2027, 2, 28)


def test_a_date_past_without_a_new_tick_is_overdue() -> None:
    event = _event(every={"weeks": 2}, count_from="done")
    entry = _entry(event, {"start": date(2027, 1, 4)}, date(2027, 2, 1), ticked=date(2027, 1, 11))
    assert entry.due == date(2027, 1, 25)
    assert entry.overdue


def test_until_a_date_answer_ends_the_task() -> None:
    event = _event(every={"months": 12}, count_from="done", until="end")
    answers = {"start": date(2027, 3, 1), "end": date(2028, 1, 1)}
    entry = _entry(event, answers, date(2027, 3, 10), ticked=date(2027, 3, 10))
    assert entry.recurrence.ended and entry.due is None
    answers["end"] = date(2028, 3, 10)  # the next date is the last day: still shown
    entry = _entry(event, answers, date(2027, 3, 10), ticked=date(2027, 3, 10))
    assert entry.due == date(2028, 3, 10) and entry.recurrence.until == date(2028, 3, 10)


# --- a fixed schedule ---------------------------------------------------------------------------------------

MONTHLY = {
    "due": [{"from": "start", "after": "unemployment.job_search.review_period_months"}],
    "period": "unemployment.job_search.review_period_months",
    "count_from": "due",
}


def test_a_fixed_schedule_keeps_the_month_end_and_moves_weekends_like_a_legal_limit() -> None:
    # start 31.12.2026 + 1 month = Sun 31.1.2027 -> Mon 1.2.; + 2 months = Sun 28.2. -> Mon 1.3.; + 3 months =
    # Wed 31.3. (counted from the first date: no drift to the 28th).
    entry = _entry(_event(**copy.deepcopy(MONTHLY)), {"start": date(2026, 12, 31)}, date(2027, 1, 15))
    assert entry.due == date(2027, 2, 1)
    assert entry.recurrence.upcoming[:3] == (date(2027, 2, 1), date(2027, 3, 1), date(2027, 3, 31))
    assert (entry.recurrence.unit, entry.recurrence.interval) == ("months", 1)


@pytest.mark.parametrize(
    "ticked, shown",
    [
        (date(2027, 1, 20), date(2027, 3, 1)),  # early for 1.2. (12 days before, 40 after): 1.2. is done
        (date(2027, 2, 3), date(2027, 3, 1)),  # 2 days late for 1.2.: still 1.2.'s
        (date(2027, 2, 20), date(2027, 3, 31)),  # 9 days before 1.3., 19 after 1.2.: 1.3. is done
        (date(2027, 2, 15), date(2027, 3, 31)),  # 14 days after 1.2. and 14 before 1.3.: the later one
    ],
)
def test_a_tick_counts_for_the_nearest_date_of_a_fixed_schedule(ticked: date, shown: date) -> None:
    entry = _entry(_event(**copy.deepcopy(MONTHLY)), {"start": date(2026, 12, 31)}, ticked, ticked=ticked)
    assert entry.due == shown
    assert entry.recurrence.last_done == ticked


def test_times_ends_a_fixed_schedule() -> None:
    event = _event(**copy.deepcopy(MONTHLY), times=2)
    entry = _entry(event, {"start": date(2026, 12, 31)}, date(2027, 1, 15))
    assert entry.recurrence.remaining == 2 and entry.recurrence.upcoming == (date(2027, 2, 1), date(2027, 3, 1))
    entry = _entry(event, {"start": date(2026, 12, 31)}, date(2027, 3, 1), ticked=date(2027, 3, 1))
    assert entry.recurrence.ended and entry.due is None


# --- the loader -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "repeat, message",
    [
        ({"every": {"months": 12}, "count_from": "done", "often": True}, "repeat.often: unknown key 'often'"),
        ({"every": {"fortnights": 1}, "count_from": "done"}, "bad interval fortnights"),
        ({"every": {"months": 0}, "count_from": "done"}, "bad interval months: 0"),
        ({"every": {"months": 1, "days": 2}, "count_from": "done"}, "bad interval"),
        ({"every": {"months": 12}, "count_from": "sometimes"}, "unknown count_from 'sometimes'"),
        ({"every": {"months": 12}}, "'count_from' is required"),
        ({"count_from": "done"}, "either 'every' an interval or by a legal 'period'"),
        (
            {"every": {"months": 1}, "period": "unemployment.job_search.review_period_months", "count_from": "due"},
            "either 'every' an interval or by a legal 'period'",
        ),
        ({"period": "unemployment.no_such_period", "count_from": "due"}, "repeat.period"),
        ({"period": "unemployment.job_search.applications_per_month", "count_from": "due"}, "not a time unit"),
        ({"every": {"months": 12}, "count_from": "done", "until": "nowhere"}, "'until' must name a date question"),
        ({"every": {"months": 12}, "count_from": "done", "times": 3}, "'times' needs a fixed schedule"),
        ({"every": {"months": 12}, "count_from": "due", "times": 3, "until": "end"}, "not both"),
        ({"every": {"months": 12}, "count_from": "done", "due": []}, "needs a first due date"),
    ],
)
def test_the_loader_names_a_broken_repeat(repeat: dict[str, Any], message: str) -> None:
    with pytest.raises(LifeEventError) as error:
        _event(**repeat)
    assert message in str(error.value)
    assert "checkups.yaml: checklist[0]" in str(error.value)


def test_a_due_rule_may_carry_its_own_repeat_and_the_loader_checks_it() -> None:
    data = copy.deepcopy(BASE)
    data["checklist"][0]["due"] = [
        {"from": "start", "repeat": {"period": "unemployment.nothing_here", "count_from": "due"}},
    ]
    with pytest.raises(LifeEventError) as error:
        parse_life_event(data, "checkups.yaml")
    assert "checkups.yaml: checklist[0].due[0].repeat.period" in str(error.value)
    data["checklist"][0]["due"][0]["repeat"] = {"every": {"weeks": 2}, "count_from": "done"}
    (entry,) = build_checklist(
        parse_life_event(data, "checkups.yaml"),
        {"start": date(2027, 1, 4)},
        date(2027, 1, 4),
        _Directory(),
        {"checkup": date(2027, 1, 5)},
    )
    assert (entry.due, entry.recurrence.unit, entry.recurrence.interval) == (date(2027, 1, 19), "weeks", 2)


# --- the shipped events: the job-search duty and the VAT returns ------------------------------------------------


def _shipped(event_id: str, item_id: str) -> Any:
    from configurator.lifeevents import load_life_events

    return next(i for i in load_life_events()[event_id].checklist if i.id == item_id)


def test_the_job_search_duty_comes_back_every_review_period() -> None:
    from configurator.checklist import recurrence

    item = _shipped("unemployment", "search_for_jobs")
    answers = {"first_day": date(2026, 12, 1)}
    default = item.due[-1]  # the full-time jobseeker: a review period of 1 month
    # 1.12.2026 + 1 month = Fri 1.1.2027, New Year's Day -> Mon 4.1.2027; then Mon 1.2. and Mon 1.3.
    due, state = recurrence(default, default.repeat or item.repeat, answers, date(2026, 12, 1), None)
    assert due == date(2027, 1, 4) and state.upcoming[:3] == (date(2027, 1, 4), date(2027, 2, 1), date(2027, 3, 1))
    assert (state.unit, state.interval) == ("months", 1)
    # ticked on 2.2.2027, a day after the 1.2. date: the next is 1.3.
    due, state = recurrence(default, default.repeat or item.repeat, answers, date(2027, 2, 2), date(2027, 2, 2))
    assert due == date(2027, 3, 1) and state.last_done == date(2027, 2, 2)
    part_time = item.due[1]  # hours_reduced: one application per 3 months (the part-time review period)
    assert part_time.when == "hours_reduced"
    due, state = recurrence(part_time, part_time.repeat or item.repeat, answers, date(2026, 12, 1), None)
    # 1.12.2026 + 3 months = Mon 1.3.2027; + 6 months = Tue 1.6.2027
    assert due == date(2027, 3, 1) and state.upcoming[:2] == (date(2027, 3, 1), date(2027, 6, 1))
    assert (state.unit, state.interval) == ("months", 3)


def test_the_vat_return_is_due_on_the_12th_of_the_second_month_after_each_month() -> None:
    from configurator.checklist import recurrence

    item = _shipped("business", "file_vat_returns")
    rule = item.due[0]
    answers = {"start_date": date(2027, 3, 1)}
    # March's VAT by Wed 12.5.2027 (the Tax Administration's own example); April's 12.6.2027 is a Saturday ->
    # Mon 14.6.; May's by Mon 12.7.
    due, state = recurrence(rule, item.repeat, answers, date(2027, 3, 1), None)
    assert state.upcoming[:3] == (date(2027, 5, 12), date(2027, 6, 14), date(2027, 7, 12))
    assert due == date(2027, 5, 12)
    # filed two days early for 12.5.: the next is April's, 14.6.
    due, state = recurrence(rule, item.repeat, answers, date(2027, 5, 10), date(2027, 5, 10))
    assert due == date(2027, 6, 14) and state.anchor == date(2027, 6, 12)
    # a business starting on 31 January: January's VAT by Fri 12.3.2027
    due, _ = recurrence(rule, item.repeat, {"start_date": date(2027, 1, 31)}, date(2027, 1, 31), None)
    assert due == date(2027, 3, 12)
