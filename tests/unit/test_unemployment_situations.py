"""The becoming-unemployed checklist by situation (issue 11): why the work ends, the job search obligation
and its sanctions, pay security, resigning, housing allowance, and deadlines moved off weekends and holidays.

Facts from /work/shared/reference/rules-facts.md ("Corrections and additions, checked 2026-12"):

* job search: 4 applications a month in principle; temporarily laid off only after 3 months of lay-off;
  part-time workers and the partially laid off 1 application per 3 months; while working part-time 50 % of
  the gross wages reduce the allowance;
* sanctions from 2026-03-01: first omission 7 days without benefit, a second one within 12 months a 6-week
  work requirement; resigning without a valid reason 45 days without benefit;
* pay security (Pay Security Act 866/1998 s. 8): apply within 3 months of the day the pay fell due; the
  task counts from the last working day: first day without work + 3 months − 1 day;
* general housing allowance: not for owner-occupied homes from 2025-01-01, granted up to one month back, so
  the task is due at the end of the month after the first day's month; 70 % of the acceptable costs above
  the basic deductible (from 2024-04-01).

Deadlines (Act 150/1930 s. 5, configurator/legal_calendar.py): a counted time limit (an offset, a legal
period or a month-end alignment) that ends on a Saturday, a Sunday or a holiday (Midsummer Eve and
Christmas Eve included) moves to the next weekday; a deadline that is the answered date itself
("by your first day without work") or today stays as it is. Each expected date below is derived by hand.

"Today" is 2026-11-22 (a Sunday), as in tests/conftest.py; the first day 2026-12-01 is a Tuesday.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from configurator.checklist import build_checklist
from configurator.figures import FIGURES
from configurator.legal_calendar import holiday_name, is_business_day
from configurator.lifeevents import default_life_events
from tests.unit.test_unemployment_event import MATTI, TODAY, FakeDirectory

FIRST_DAY = date(2026, 12, 1)  # Tuesday
OTHER_REASONS = ("dismissal", "fixed_term", "resigned", "employer_bankrupt", "business_ended")
SITUATION_TASKS = {
    "explain_resignation": "resigned",
    "apply_for_pay_security": "employer_bankrupt",
    "end_business": "business_ended",
}


def answers(**changes: Any) -> dict[str, Any]:
    return {**MATTI, **changes}


def checklist(**changes: Any) -> dict[str, Any]:
    entries = build_checklist(default_life_events()["unemployment"], answers(**changes), TODAY, FakeDirectory())
    return {entry.item.id: entry for entry in entries}


def filled(step) -> str:
    return step.label.format(**step.values)


# --- tasks by situation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reason",
    ["dismissal", "fixed_term", "resigned", "employer_bankrupt", "laid_off", "hours_reduced", "business_ended"],
)
def test_each_reason_gets_only_its_own_situation_task(reason: str) -> None:
    items = checklist(reason=reason)
    for task, owner in SITUATION_TASKS.items():
        assert (task in items) is (reason == owner), (reason, task)
    assert {"register_as_jobseeker", "apply_for_kela_benefit", "plan_waiting_period", "search_for_jobs"} <= set(items)


def test_resigned_gets_the_explanation_task_and_the_45_days() -> None:
    entry = checklist(reason="resigned")["explain_resignation"]
    assert entry.due == FIRST_DAY  # "when you register": the answered date itself, not moved
    assert entry.contact.name_msgid == "The employment services of your area"
    assert "no benefit is paid for the first 45 days" in entry.item.why.format(**entry.values)
    (period,) = entry.figures
    # 45 days from Tue 1.12.2026: 1.12. + 44 days = 31.12. (+30) + 14 = Thu 14.1.2027
    assert period.values == {"days": 45, "start": "2026-12-01", "end": "2027-01-14"}
    assert period.valid_from == date(2024, 1, 1)


def test_resigned_on_a_saturday_keeps_the_answered_date() -> None:
    # first day Sat 5.12.2026: "by your first day" and "when you register" are the date itself, not moved
    items = checklist(reason="resigned", first_day=date(2026, 12, 5))
    assert items["explain_resignation"].due == date(2026, 12, 5)
    assert items["register_as_jobseeker"].due == date(2026, 12, 5)
    # 45 days: 5.12. + 44 days = 31.12. (+26) + 18 = 18.1.2027
    assert items["explain_resignation"].figures[0].values["end"] == "2027-01-18"


def test_employer_bankrupt_gets_pay_security() -> None:
    items = checklist(reason="employer_bankrupt")
    entry = items["apply_for_pay_security"]
    # 1.12.2026 + 3 months = 1.3.2027, − 1 day = Sun 28.2.2027 → Mon 1.3.2027
    assert entry.due == date(2027, 3, 1)
    assert entry.contact.name_msgid == "The pay security authority (palkkaturva)"
    assert "Apply within 3 months of the day the pay fell due" in entry.item.why.format(**entry.values)
    assert entry.due_rule.explanation.format(**entry.values) == (
        "Within 3 months of your last working day, when your final pay fell due."
    )
    assert "end_business" not in items  # the employer's bankruptcy, not his own business


@pytest.mark.parametrize(
    "first_day, due",
    [
        # Tue 10.11.2026 + 3 months = Wed 10.2.2027, − 1 day = Tue 9.2.2027, a weekday
        (date(2026, 11, 10), date(2027, 2, 9)),
        # Fri 25.9.2026 + 3 months = 25.12.2026, − 1 day = Thu 24.12.2026, Christmas Eve → Christmas Day Fri 25,
        # St Stephen's Day Sat 26, Sun 27 → Mon 28.12.2026
        (date(2026, 9, 25), date(2026, 12, 28)),
    ],
)
def test_pay_security_due_dates(first_day: date, due: date) -> None:
    assert checklist(reason="employer_bankrupt", first_day=first_day)["apply_for_pay_security"].due == due


def test_pay_security_counts_three_months_from_the_last_working_day() -> None:
    # last working day Wed 30.9.2026 (first day Thu 1.10.2026): 30.9. + 3 months = Wed 30.12.2026.
    # The product gives 1.10. + 3 months − 1 day = Thu 31.12.2026, a day late.
    assert checklist(reason="employer_bankrupt", first_day=date(2026, 10, 1))["apply_for_pay_security"].due == date(
        2026, 12, 30
    )


# --- the job search obligation ----------------------------------------------------------------------------


def test_laid_off_searches_only_after_three_months() -> None:
    entry = checklist(reason="laid_off")["search_for_jobs"]
    assert entry.due == date(2027, 3, 1)  # 1.12.2026 + 3 months = Mon 1.3.2027
    assert entry.due_rule.explanation.format(**entry.values) == (
        "Only after 3 months of lay-off; until then you need not apply for jobs."
    )
    laid_off, omission = entry.figures
    assert laid_off.values == {"months": 3, "count": 4}
    assert "no job search obligation for the first 3 months" in filled(laid_off)
    assert omission.values == {"days": 7, "months": 12, "weeks": 6}


def test_hours_reduced_one_application_per_three_months() -> None:
    entry = checklist(reason="hours_reduced")["search_for_jobs"]
    assert entry.due == date(2027, 3, 1)  # 1.12.2026 + 3 months (the review period) = Mon 1.3.2027
    explanation = entry.due_rule.explanation.format(**entry.values)
    assert explanation.startswith("By the end of your first review period") and "{" not in explanation
    part_time, adjusted, omission = entry.figures
    assert part_time.values == {"count": 1, "months": 3}
    assert adjusted.values == {"rate": D(50)}  # 50 % of the gross wages reduce the allowance
    assert adjusted.valid_from == date(2024, 4, 1)  # the protected amount was removed then
    assert omission.values == {"days": 7, "months": 12, "weeks": 6}


@pytest.mark.parametrize("reason", OTHER_REASONS)
def test_others_four_applications_a_month(reason: str) -> None:
    entry = checklist(reason=reason)["search_for_jobs"]
    # 1.12.2026 + 1 month = Fri 1.1.2027, New Year's Day → Sat 2, Sun 3 → Mon 4.1.2027
    assert entry.due == date(2027, 1, 4)
    assert (
        entry.due_rule.explanation.format(**entry.values)
        == "By the end of your first month, and every month after that."
    )
    count, omission = entry.figures
    assert count.values == {"count": 4}
    assert omission.values == {"days": 7, "months": 12, "weeks": 6}


@pytest.mark.parametrize("reason", ["dismissal", "laid_off", "hours_reduced"])
def test_no_sanction_step_before_march_2026(reason: str) -> None:
    # first day Fri 27.2.2026: the 7-day and 6-week sanctions are in force only from 1.3.2026
    steps = FIGURES["job_applications"](answers(reason=reason, first_day=date(2026, 2, 27)), TODAY)
    assert not any("weeks" in s.values for s in steps)
    assert len(steps) == {"dismissal": 1, "laid_off": 1, "hours_reduced": 2}[reason]


@pytest.mark.parametrize("first_day", [date(2026, 3, 1), date(2026, 3, 2), FIRST_DAY])
def test_sanction_step_from_march_2026(first_day: date) -> None:
    steps = FIGURES["job_applications"](answers(reason="dismissal", first_day=first_day), TODAY)
    omission = steps[-1]
    assert omission.values == {"days": 7, "months": 12, "weeks": 6}
    assert filled(omission) == (
        "If you do not apply as agreed: the first time no benefit for 7 days; a second "
        "time within 12 months, no benefit until you have worked for 6 weeks"
    )
    assert omission.valid_from == date(2026, 3, 1)


# --- housing allowance ------------------------------------------------------------------------------------


def test_housing_allowance_task_and_figure_for_a_tenant() -> None:
    entry = checklist(housing="renting")["apply_for_housing_allowance"]
    # 1.12.2026 + 1 month = 1.1.2027; the end of that month Sun 31.1.2027 → Fri 29.1.2027: an application
    # arriving on 1.2. would be a February application, granted back to 1.1. only, so a month's end moves back
    assert entry.due == date(2027, 1, 29)
    share, back = entry.figures
    assert share.values == {"share": D(70)} and share.valid_from == date(2024, 4, 1)
    assert back.values == {"months": 1}
    assert "It is not paid for a home you own." in entry.item.why


def test_housing_allowance_due_at_a_weekday_month_end() -> None:
    # Tue 10.11.2026 + 1 month = 10.12.2026; the end of that month Thu 31.12.2026 (not a holiday in Finland)
    assert checklist(first_day=date(2026, 11, 10))["apply_for_housing_allowance"].due == date(2026, 12, 31)


@pytest.mark.parametrize(
    "first_day, offered",
    [
        (date(2024, 11, 4), True),  # 2024: owner-occupied homes still qualified
        (date(2024, 12, 31), True),
        (date(2025, 1, 1), False),  # from 1.1.2025: not for owner-occupied homes
        (date(2026, 12, 1), False),
    ],
)
def test_housing_allowance_for_owners_before_and_after_2025(first_day: date, offered: bool) -> None:
    assert ("apply_for_housing_allowance" in checklist(housing="owning", first_day=first_day)) is offered
    assert "apply_for_housing_allowance" in checklist(housing="renting", first_day=first_day)
    assert "apply_for_housing_allowance" not in checklist(housing="with_parents", first_day=first_day)


# --- deadlines moved off weekends and holidays --------------------------------------------------------------


@pytest.mark.parametrize(
    "first_day, kela_due",
    [
        # Sat 26.12.2026 + 3 months = Fri 26.3.2027, Good Friday → Sat 27, Easter Sunday 28, Easter Monday 29
        # → Tue 30.3.2027
        (date(2026, 12, 26), date(2027, 3, 30)),
        # Thu 25.3.2027 + 3 months = Fri 25.6.2027, Midsummer Eve → Midsummer Day Sat 26, Sun 27 → Mon 28.6.2027
        (date(2027, 3, 25), date(2027, 6, 28)),
        # Mon 6.9.2027 + 3 months = Mon 6.12.2027, Independence Day → Tue 7.12.2027
        (date(2027, 9, 6), date(2027, 12, 7)),
        # Sat 31.10.2026 + 3 months = Sun 31.1.2027 → Mon 1.2.2027
        (date(2026, 10, 31), date(2027, 2, 1)),
        # Tue 1.12.2026 + 3 months = Mon 1.3.2027, a weekday: no shift
        (date(2026, 12, 1), date(2027, 3, 1)),
    ],
)
def test_benefit_application_deadline_moves_off_weekends_and_holidays(first_day: date, kela_due: date) -> None:
    items = checklist(first_day=first_day)
    assert items["apply_for_kela_benefit"].due == kela_due
    assert is_business_day(kela_due)


def test_the_holidays_of_these_derivations() -> None:
    # the calendar the derivations above rely on (the holidays library's Finnish calendar)
    assert holiday_name(date(2027, 3, 26)) and holiday_name(date(2027, 3, 29))  # Good Friday, Easter Monday
    assert holiday_name(date(2027, 6, 25)) and holiday_name(date(2027, 6, 26))  # Midsummer Eve and Day
    assert holiday_name(date(2026, 12, 24)) and holiday_name(date(2027, 12, 6))  # Christmas Eve, Independence Day
    assert holiday_name(date(2027, 1, 1)) and holiday_name(date(2026, 12, 31)) is None


def test_job_search_deadline_moves_off_christmas() -> None:
    # Tue 24.11.2026 + 1 month = Thu 24.12.2026, Christmas Eve → Christmas Day Fri 25, St Stephen's Day Sat 26,
    # Sun 27 → Mon 28.12.2026
    assert checklist(reason="dismissal", first_day=date(2026, 11, 24))["search_for_jobs"].due == date(2026, 12, 28)


def test_a_first_day_on_a_holiday_is_not_moved_but_what_counts_from_it_is() -> None:
    # Sat 26.12.2026 (St Stephen's Day): registering "by your first day" stays on that day; the waiting
    # period task too; the Kela application (counted: + 3 months) moves, see above
    items = checklist(first_day=date(2026, 12, 26))
    assert items["register_as_jobseeker"].due == date(2026, 12, 26)
    assert items["plan_waiting_period"].due == date(2026, 12, 26)
    assert items["end_business"].due == date(2026, 12, 26)
    # the job search: 26.12.2026 + 1 month = Tue 26.1.2027, a weekday
    assert items["search_for_jobs"].due == date(2027, 1, 26)


def test_today_is_not_moved_even_on_a_sunday() -> None:
    assert TODAY.weekday() == 6  # 22.11.2026 is a Sunday
    assert checklist()["get_debt_advice"].due == TODAY


# --- the texts' figures -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reason",
    ["dismissal", "fixed_term", "resigned", "employer_bankrupt", "laid_off", "hours_reduced", "business_ended"],
)
def test_every_text_is_filled_from_the_events_values(reason: str) -> None:
    for entry in checklist(reason=reason, housing="renting", needs=("debts", "coping", "retraining")).values():
        # the figures the checklist's texts name (the file may name more, for its question hints)
        named = {"application_months": 3, "resignation_days": 45, "pay_security_months": 3, "laid_off_after_months": 3}
        assert {key: entry.values.get(key) for key in named} == named, entry.item.id
        assert all(type(v) is int for v in entry.values.values())  # "3 months", never "3.0 months"
        texts = [entry.item.why, entry.item.how, entry.due_rule.explanation if entry.due_rule else None]
        for text in filter(None, texts):
            assert "{" not in text.format(**entry.values), (entry.item.id, text)


def test_kela_explanation_names_the_months() -> None:
    entry = checklist()["apply_for_kela_benefit"]
    assert entry.due_rule.explanation == "Within {application_months} months of your first day without work."
    assert entry.due_rule.period == "unemployment.application_deadline_months"  # the figure is a parameter
    assert entry.due_rule.explanation.format(**entry.values) == "Within 3 months of your first day without work."
