"""The becoming-unemployed life event: its data file, predicates, figures, checklist and income comparison.

Figures are derived by hand from /work/shared/reference/rules-facts.md section 2 (the arithmetic is in
the comments), never copied from the code's output:

* Kela: 37.21 € a day, general support ("yleistuki") from 2026-05-01, basic allowance before;
  a month is 21.5 paid days, so 37.21 × 21.5 = 800.015 → 800.02.
* Earnings-related, an employee with 3000 € a month, first day in 2026: the statutory deduction of
  2026 is 3.83 % (published; the year of the first day is used when the year of the work condition is not
  asked). Daily wage = 3000 × (1 − 0.0383) / 21.5 = 2885.10 / 21.5 = 134.190698…; the breakpoint
  95 × 37.21 / 21.5 = 164.42 € a day is not reached, so
  allowance = 37.21 + 45 % × (134.190698… − 37.21) = 37.21 + 43.641314… = 80.851314… → 80.85, a month
  80.85 × 21.5 = 1738.275 → 1738.28; the 90 % cap (120.77) does not bind.
  Step-downs: 80 % → 64.681051… → 64.68 (× 21.5 = 1390.62); 75 % → 60.638486… → 60.64 (× 21.5 = 1303.76).
* Entrepreneur whose business ended (an entrepreneurs' fund), confirmed YEL work income 26,000 € a year,
  no statutory deduction (Yrittäjäkassa's example): 26000 / 12 = 2166.67 a month, / 21.5 = 100.775194… a day;
  allowance = 37.21 + 0.45 × (100.775194… − 37.21) = 37.21 + 28.604337… = 65.814337… → 65.81, a month
  65.81 × 21.5 = 1414.915 → 1414.92.
* Waiting period 7 weekdays; 400 paid days for a work history over 3 years; apply within 3 months.
* Work condition: 12 months for employees (from 2024-09-02; 6 before, unconfirmed), 15 for entrepreneurs.
* Deadlines (Act 150/1930, configurator/legal_calendar.py): a counted time limit that ends on a Saturday,
  Sunday or holiday moves to the next weekday; a deadline that is the answered date itself or today stays.

"Today" is 2026-11-22, as in tests/conftest.py; Matti's first day without work, 2026-12-01, is a Tuesday.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from configurator.answers import LocationAnswer
from configurator.checklist import Contact, build_checklist
from configurator.comparisons import COMPARISONS, Sources
from configurator.comparisons.income import (
    REASON_NO_YEL_INCOME,
    REASON_SHORT_ENTREPRENEUR,
    REASON_SHORT_MEMBERSHIP,
    IncomeComparison,
    build_income,
)
from configurator.figures import FIGURES
from configurator.geo import Place, StaticPlaces
from configurator.journey import parse_step, walk
from configurator.lifeevents import EVENTS_DIR, default_life_events, load_life_events
from configurator.plan import try_comparison
from configurator.predicates import PREDICATES, evaluate
from configurator.predicates import unemployment as predicates
from configurator.rules.unemployment import REASON_NO_WAGE, REASON_NOT_FUND_MEMBER

TODAY = date(2026, 11, 22)
FIRST_DAY = date(2026, 12, 1)  # a Tuesday
TURKU = "853"
HOME = LocationAnswer(Place(60.4518, 22.2666, TURKU, "20100"))
PLACES = StaticPlaces({"20100": Place(60.4518, 22.2666, TURKU, "20100")})

# Matti (tests/helpers.py MATTI_STEPS) as the raw fields the form posts.
MATTI_RAW = {
    "reason": "business_ended",
    "first_day-day": "1",
    "first_day-month": "12",
    "first_day-year": "2026",
    "fund_member": "no",
    "work_years": "12",
    "yel_income": "",
    "age": "35",
    "housing": "renting",
    "home-postal_code": "20100",
    "needs": "debts,coping",
}

# The same answers typed, as journey.walk returns them.
MATTI: dict[str, Any] = {
    "reason": "business_ended",
    "first_day": FIRST_DAY,
    "fund_member": False,
    "work_years": 12,
    "yel_income": None,
    "age": 35,
    "housing": "renting",
    "home": HOME,
    "needs": ("debts", "coping"),
}
# A dismissed employee in a fund for 30 months with 3000 € a month (monthly_wage is asked of employees only).
MEMBER = {"reason": "dismissal", "fund_member": True, "membership_months": 30, "monthly_wage": D(3000)}
# Matti as a member of an entrepreneurs' fund for 30 months with 26,000 € of confirmed YEL work income.
ENTREPRENEUR_MEMBER = {"fund_member": True, "membership_months": 30, "yel_income": D(26000)}


def matti(**changes: Any) -> dict[str, Any]:
    return {**MATTI, **changes}


def event():
    return default_life_events()["unemployment"]


class FakeDirectory:
    """The catalogue's contacts: one per service kind in Turku, nothing elsewhere; remembers what was asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str, str]] = []

    def municipality_contact(self, municipality_code: str, service: str) -> Contact | None:
        self.asked.append(("municipality", municipality_code, service))
        return Contact(name="Turku", url="https://www.turku.fi") if municipality_code == TURKU else None

    def service_contact(self, kind: str, municipality_code: str) -> Contact | None:
        self.asked.append(("service", kind, municipality_code))
        if municipality_code != TURKU:
            return None
        return Contact(name=f"Turku {kind}", url=f"https://{kind}.turku.example", phone="02 000 0000")


def checklist(answers: dict[str, Any], directory: FakeDirectory | None = None) -> dict[str, Any]:
    entries = build_checklist(event(), answers, TODAY, directory or FakeDirectory())
    return {entry.item.id: entry for entry in entries}


def filled(step) -> str:
    return step.label.format(**step.values)


# --- the event file ------------------------------------------------------------------------------------


def test_event_file_loads_with_its_steps_and_comparisons() -> None:
    events = load_life_events(EVENTS_DIR)
    unemployment = events["unemployment"]
    assert unemployment.id == "unemployment"
    assert unemployment.title == "Cope when you lose your job"
    assert [s.id for s in unemployment.steps] == ["situation", "work", "home", "support"]
    assert [c.kind for c in unemployment.comparisons] == ["unemployment_income", "nearby_services"]
    assert unemployment.comparison.kind == "unemployment_income"  # the one the running estimate shows
    assert [s["kind"] for s in unemployment.comparisons[1].options["services"]] == [
        "employment_services",
        "debt_advice",
        "health_centre",
        "mental_health",
    ]
    assert dict(unemployment.codes) == {"life_event": "KE8", "target_group": "KR1", "service_class": "P10.6"}
    assert [i.id for i in unemployment.checklist] == [
        "register_as_jobseeker",
        "apply_for_earnings_related_allowance",
        "apply_for_entrepreneur_allowance",
        "apply_for_kela_benefit",
        "plan_waiting_period",
        "explain_resignation",
        "apply_for_pay_security",
        "search_for_jobs",
        "apply_for_housing_allowance",
        "end_business",
        "get_debt_advice",
        "talk_about_coping",
        "book_health_check",
        "ask_about_training",
    ]
    assert unemployment.step("situation").questions[0].option_values == (
        "dismissal",
        "fixed_term",
        "resigned",
        "employer_bankrupt",
        "laid_off",
        "hours_reduced",
        "business_ended",
    )


def test_every_condition_and_figure_of_the_event_exists() -> None:
    unemployment = event()
    names = [q.show_if for q in unemployment.questions()] + [i.show_if for i in unemployment.checklist]
    for condition in filter(None, names):
        for name in [condition] if isinstance(condition, str) else condition:
            assert name.removeprefix("not ").strip() in PREDICATES, name
    for item in unemployment.checklist:
        assert set(item.figures) <= set(FIGURES), item.id
    assert set(unemployment.organisations) >= {i.responsible for i in unemployment.checklist}


def test_questions_required_and_shown_as_the_file_says() -> None:
    unemployment = event()
    questions = {q.id: q for q in unemployment.questions()}
    optional = {qid for qid, q in questions.items() if not q.required}
    assert optional == {"monthly_wage", "yel_income", "needs"}  # the sensitive and the unknown-to-some answers
    assert questions["monthly_wage"].show_if == "not business_ended"  # an employee's wage
    assert questions["yel_income"].show_if == "business_ended"  # an entrepreneur's YEL work income
    assert questions["yel_income"].type == "money"
    assert questions["needs"].type == "choices"
    assert questions["needs"].option_values == ("debts", "coping", "retraining")
    assert questions["membership_months"].show_if == "fund_member"
    assert questions["first_day"].rules == {"max_years_before_today": 1, "max_years_after_today": 1}


def test_the_needs_question_can_be_left_empty() -> None:
    support = event().step("support")
    result = parse_step(support, {}, {}, TODAY, PLACES)
    assert result.ok and result.answers == {"needs": None}
    state = walk(event(), {**MATTI_RAW, "needs": ""}, TODAY, PLACES)
    assert state.complete and state.answers["needs"] is None


def test_an_unknown_need_is_an_error() -> None:
    result = parse_step(event().step("support"), {"needs": "debts,gambling"}, {}, TODAY, PLACES)
    assert not result.ok and result.errors[0][0].id == "needs"


def test_matti_walks_to_the_end_with_typed_answers() -> None:
    state = walk(event(), MATTI_RAW, TODAY, PLACES)
    assert state.complete
    assert state.answers == {**MATTI, "home": LocationAnswer(PLACES.by_postal_code("20100"))}
    assert "membership_months" not in state.answers  # hidden: not a fund member
    assert "monthly_wage" not in state.answers  # hidden: his own business ended, the YEL income is asked


def test_an_employee_is_asked_the_wage_not_the_yel_income() -> None:
    raw = {**MATTI_RAW, "reason": "dismissal", "monthly_wage": "3000", "yel_income": "26000"}
    state = walk(event(), raw, TODAY, PLACES)
    assert state.complete
    assert state.answers["monthly_wage"] == D(3000) and "yel_income" not in state.answers


def test_a_wage_sent_for_a_hidden_question_is_ignored() -> None:
    state = walk(event(), {**MATTI_RAW, "monthly_wage": "-1"}, TODAY, PLACES)  # not asked of Matti
    assert state.complete and "monthly_wage" not in state.answers


def test_membership_months_is_asked_only_of_fund_members() -> None:
    state = walk(event(), {**MATTI_RAW, "fund_member": "yes"}, TODAY, PLACES)
    assert not state.complete and state.first_incomplete.id == "work"
    state = walk(event(), {**MATTI_RAW, "fund_member": "yes", "membership_months": "30"}, TODAY, PLACES)
    assert state.complete and state.answers["membership_months"] == 30


@pytest.mark.parametrize(
    "changes, step",
    [
        ({"first_day-year": "2025", "first_day-month": "11", "first_day-day": "21"}, "situation"),  # over a year ago
        ({"first_day-year": "2027", "first_day-month": "11", "first_day-day": "23"}, "situation"),  # over a year ahead
        ({"reason": "retired"}, "situation"),
        ({"work_years": "61"}, "work"),
        ({"yel_income": "-1"}, "work"),
        ({"yel_income": "26 000 a year"}, "work"),
        ({"reason": "dismissal", "monthly_wage": "-1"}, "work"),
        ({"age": "14"}, "work"),
        ({"housing": "tent"}, "home"),
    ],
)
def test_invalid_answers_stop_at_their_step(changes: dict, step: str) -> None:
    state = walk(event(), {**MATTI_RAW, **changes}, TODAY, PLACES)
    assert state.first_incomplete is not None and state.first_incomplete.id == step


# --- predicates ------------------------------------------------------------------------------------------


def test_fund_member_only_when_yes() -> None:
    assert predicates.fund_member({"fund_member": True}, TODAY) is True
    assert predicates.fund_member({"fund_member": False}, TODAY) is False
    assert predicates.fund_member({}, TODAY) is False
    assert predicates.fund_member({"fund_member": "yes"}, TODAY) is False  # typed answers only


@pytest.mark.parametrize(
    "answers, eligible",
    [
        ({"fund_member": True, "membership_months": 12}, True),  # exactly the 12 months
        ({"fund_member": True, "membership_months": 30}, True),
        ({"fund_member": True, "membership_months": 11}, False),  # one month short
        ({"fund_member": True, "membership_months": 0}, False),
        ({"fund_member": True}, False),  # months not given yet
        ({"fund_member": True, "membership_months": None}, False),
        ({"fund_member": False, "membership_months": 30}, False),  # months without membership do not count
        ({}, False),
    ],
)
def test_earnings_related_eligible_needs_membership_and_12_months(answers: dict, eligible: bool) -> None:
    # no first day given: today (2026-11-22) picks the employee's work condition, 12 months
    assert predicates.earnings_related_eligible(answers, TODAY) is eligible
    assert evaluate("not earnings_related_eligible", answers, TODAY) is not eligible


@pytest.mark.parametrize(
    "reason, months, eligible",
    [
        ("business_ended", 14, False),  # an entrepreneur needs 15 months
        ("business_ended", 15, True),
        ("business_ended", 30, True),
        ("dismissal", 12, True),  # an employee 12
        ("dismissal", 11, False),
        ("resigned", 12, True),
        ("hours_reduced", 12, True),
    ],
)
def test_work_condition_entrepreneur_15_months_employee_12(reason: str, months: int, eligible: bool) -> None:
    answers = {"reason": reason, "first_day": FIRST_DAY, "fund_member": True, "membership_months": months}
    assert predicates.earnings_related_eligible(answers, TODAY) is eligible
    assert predicates.work_condition_months(answers, TODAY) == (15 if reason == "business_ended" else 12)


@pytest.mark.parametrize(
    "first_day, months",
    [
        (date(2024, 9, 1), 6),  # before the 2.9.2024 amendment: 26 weeks, about 6 months (unconfirmed)
        (date(2024, 9, 2), 12),  # from 2.9.2024: 12 months
        (date(2026, 12, 1), 12),
    ],
)
def test_employee_work_condition_by_first_day(first_day: date, months: int) -> None:
    answers = {"reason": "dismissal", "first_day": first_day, "fund_member": True}
    assert predicates.work_condition_months(answers, TODAY) == months
    assert predicates.earnings_related_eligible({**answers, "membership_months": months}, TODAY) is True
    assert predicates.earnings_related_eligible({**answers, "membership_months": months - 1}, TODAY) is False
    # the entrepreneur's 15 months did not change on 2.9.2024
    assert predicates.work_condition_months({**answers, "reason": "business_ended"}, TODAY) == 15


REASON_PREDICATES = ("business_ended", "laid_off", "hours_reduced", "resigned", "employer_bankrupt")


@pytest.mark.parametrize(
    "reason, true_one",
    [
        ("business_ended", "business_ended"),
        ("laid_off", "laid_off"),
        ("hours_reduced", "hours_reduced"),
        ("resigned", "resigned"),
        ("employer_bankrupt", "employer_bankrupt"),
        ("dismissal", None),
        ("fixed_term", None),
        (None, None),
    ],
)
def test_reason_predicates(reason: str | None, true_one: str | None) -> None:
    answers = {"reason": reason} if reason else {}
    for name in REASON_PREDICATES:
        assert PREDICATES[name](answers, TODAY) is (name == true_one), name


@pytest.mark.parametrize(
    "housing, first_day, possible",
    [
        ("renting", date(2024, 12, 31), True),
        ("renting", date(2025, 1, 1), True),
        ("renting", FIRST_DAY, True),
        ("owning", date(2024, 6, 3), True),  # owner-occupied homes qualified until 31.12.2024
        ("owning", date(2024, 12, 31), True),
        ("owning", date(2025, 1, 1), False),  # not paid for owner-occupied homes from 1.1.2025
        ("owning", FIRST_DAY, False),
        ("with_parents", date(2024, 6, 3), False),
        ("with_parents", FIRST_DAY, False),
        (None, FIRST_DAY, False),
    ],
)
def test_housing_allowance_possible(housing: str | None, first_day: date, possible: bool) -> None:
    assert predicates.housing_allowance_possible({"housing": housing, "first_day": first_day}, TODAY) is possible


def test_housing_allowance_for_owners_without_a_first_day_follows_today() -> None:
    assert predicates.housing_allowance_possible({"housing": "owning"}, TODAY) is False  # 2026
    assert predicates.housing_allowance_possible({"housing": "owning"}, date(2024, 11, 22)) is True
    assert "pays_for_housing" not in PREDICATES  # replaced: owning no longer means it can be paid


@pytest.mark.parametrize(
    "needs, debts, coping, retraining",
    [
        (("debts",), True, False, False),
        (("coping",), False, True, False),
        (("retraining",), False, False, True),
        (("debts", "coping", "retraining"), True, True, True),
        (None, False, False, False),  # the question was left empty
        ((), False, False, False),
    ],
)
def test_told_predicates_follow_only_what_was_chosen(needs, debts: bool, coping: bool, retraining: bool) -> None:
    answers = {"needs": needs}
    assert predicates.told_debts(answers, TODAY) is debts
    assert predicates.told_coping(answers, TODAY) is coping
    assert predicates.told_retraining(answers, TODAY) is retraining


def test_told_predicates_are_false_when_needs_is_missing() -> None:
    for name in ("told_debts", "told_coping", "told_retraining"):
        assert PREDICATES[name]({}, TODAY) is False, name
        assert PREDICATES[name]({"reason": "business_ended", "fund_member": False}, TODAY) is False, name


def test_unemployment_not_started() -> None:
    assert predicates.unemployment_not_started({"first_day": FIRST_DAY}, TODAY) is True
    assert predicates.unemployment_not_started({"first_day": TODAY}, TODAY) is False  # today has started
    assert predicates.unemployment_not_started({"first_day": date(2026, 11, 1)}, TODAY) is False
    assert predicates.unemployment_not_started({}, TODAY) is False


# --- figures ---------------------------------------------------------------------------------------------


def test_earnings_related_figure_needs_the_wage() -> None:
    assert FIGURES["earnings_related_allowance"](matti(**{**MEMBER, "monthly_wage": None}), TODAY) == ()
    steps = FIGURES["earnings_related_allowance"](matti(**MEMBER), TODAY)
    total = steps[-1]
    # 80.851314… → 80.85 a day; 80.85 × 21.5 = 1738.275 → 1738.28 a month (module docstring)
    assert total.amount == D("80.85")
    assert total.values["monthly"] == D("1738.28")
    assert steps[0].values["daily_wage"] == D("134.19")  # 2885.10 / 21.5 = 134.1906… shown to the cent
    assert steps[0].values["deduction"] == D("3.83") and steps[0].values["year"] == "2026"
    assert "the year of your first day without work" in steps[0].label  # the work condition year is not asked
    assert not any(s.estimate for s in steps)  # 3.83 % for 2026 is published


@pytest.mark.parametrize(
    "first_day, daily, estimate",
    [
        # 2024: 3000 × 0.9624 / 21.5 = 134.288372…; 37.21 + 0.45 × 97.078372… = 80.895267… → 80.90
        (date(2024, 10, 1), "80.90", False),
        # 2025: 3000 × 0.9646 / 21.5 = 134.595349…; 37.21 + 0.45 × 97.385349… = 81.033407… → 81.03
        (date(2025, 10, 1), "81.03", False),
        # 2027: not published, 3.83 % of 2026 as an estimate → 80.85
        (date(2027, 10, 1), "80.85", True),
    ],
)
def test_earnings_related_figure_uses_the_first_day_not_today(first_day: date, daily: str, estimate: bool) -> None:
    steps = FIGURES["earnings_related_allowance"](matti(**MEMBER, first_day=first_day), TODAY)
    assert steps[-1].amount == D(daily)
    assert any(s.estimate for s in steps) is estimate


def test_entrepreneur_allowance_figure() -> None:
    assert FIGURES["entrepreneur_allowance"](MATTI, TODAY) == ()  # no YEL income given
    steps = FIGURES["entrepreneur_allowance"](matti(**ENTREPRENEUR_MEMBER), TODAY)
    # 26000 / 12 / 21.5 = 100.775194… → 100.78; 65.814337… → 65.81; 65.81 × 21.5 = 1414.92 (module docstring)
    assert steps[0].values["daily_wage"] == D("100.78") and steps[0].values["monthly"] == D("2166.67")
    assert steps[-1].amount == D("65.81") and steps[-1].values["monthly"] == D("1414.92")
    assert not any("deduction" in s.values for s in steps)


@pytest.mark.parametrize(
    "first_day, kind_text",
    [
        (FIRST_DAY, "General support (yleistuki)"),  # after 2026-05-01
        (date(2026, 4, 30), "Basic unemployment allowance or labour market subsidy"),  # the day before
        (None, "General support (yleistuki)"),  # no answer yet: today, 2026-11-22
    ],
)
def test_kela_benefit_figure(first_day: date | None, kind_text: str) -> None:
    answers = matti(first_day=first_day) if first_day else {k: v for k, v in MATTI.items() if k != "first_day"}
    steps = FIGURES["kela_benefit"](answers, TODAY)
    assert filled(steps[0]).startswith(kind_text)
    assert steps[0].amount == D("37.21")
    assert steps[-1].values["monthly"] == D("800.02")  # 37.21 × 21.5 = 800.015 → 800.02


def test_waiting_period_figure_has_the_dates() -> None:
    # Tue 1.12., Wed 2, Thu 3, Fri 4, Mon 7, Tue 8, Wed 9: seven weekdays; first paid day Thu 10.12.2026
    (only,) = FIGURES["waiting_period"](MATTI, TODAY)
    assert only.values == {"days": 7, "start": "2026-12-01", "end": "2026-12-09", "first_paid_day": "2026-12-10"}
    assert only.amount is None and only.valid_from == date(2024, 1, 1)


def test_waiting_period_figure_from_a_saturday() -> None:
    # Sat 5.12.2026: the weekdays are Mon 7 … Fri 11, Mon 14, Tue 15; first paid day Wed 16.12.
    (only,) = FIGURES["waiting_period"](matti(first_day=date(2026, 12, 5)), TODAY)
    assert (only.values["start"], only.values["end"], only.values["first_paid_day"]) == (
        "2026-12-07",
        "2026-12-15",
        "2026-12-16",
    )


def test_job_applications_figure() -> None:
    # Matti's business ended: in principle 4 applications a month; his first day 1.12.2026 is after the
    # sanctions of 1.3.2026, so the figure also says what an omission costs (7 days; 6 weeks within 12 months)
    count, omission = FIGURES["job_applications"](MATTI, TODAY)
    assert count.values == {"count": 4}
    assert count.valid_from == date(2024, 1, 1)
    assert omission.values == {"days": 7, "months": 12, "weeks": 6}
    assert omission.valid_from == date(2026, 3, 1)


# --- the checklist ---------------------------------------------------------------------------------------


def test_matti_gets_exactly_the_items_that_apply() -> None:
    items = checklist(MATTI)
    assert list(items) == [  # the file's order
        "register_as_jobseeker",
        "apply_for_kela_benefit",
        "plan_waiting_period",
        "search_for_jobs",
        "apply_for_housing_allowance",
        "end_business",
        "get_debt_advice",
        "talk_about_coping",
        "book_health_check",
    ]
    due = {item_id: entry.due for item_id, entry in items.items()}
    assert due == {
        "register_as_jobseeker": FIRST_DAY,  # by the first day without work (Tue)
        "apply_for_kela_benefit": date(2027, 3, 1),  # 1.12.2026 + 3 months = Mon 1.3.2027, a weekday
        "plan_waiting_period": FIRST_DAY,
        # 1.12.2026 + 1 month = Fri 1.1.2027, New Year's Day → Sat 2, Sun 3 → Mon 4.1.2027
        "search_for_jobs": date(2027, 1, 4),
        # 1.12.2026 + 1 month (granted up to one month back) = 1.1.2027, end of that month Sun 31.1.2027
        # → Fri 29.1.2027 (a month's end moves back: an application on 1.2. would reach back only to 1.1.)
        "apply_for_housing_allowance": date(2027, 1, 29),
        "end_business": FIRST_DAY,
        "get_debt_advice": TODAY,  # as soon as you can (a Sunday: today is not moved)
        "talk_about_coping": TODAY,
        "book_health_check": None,  # no deadline
    }
    assert not any(entry.overdue for entry in items.values())


def test_matti_checklist_figures() -> None:
    items = checklist(MATTI)
    (waiting,) = items["plan_waiting_period"].figures
    assert (waiting.values["start"], waiting.values["end"], waiting.values["first_paid_day"]) == (
        "2026-12-01",
        "2026-12-09",
        "2026-12-10",
    )
    kela = items["apply_for_kela_benefit"].figures
    assert kela[0].amount == D("37.21") and "General support" in kela[0].label  # 1.12.2026 is after 1.5.2026
    assert kela[-1].values["monthly"] == D("800.02")
    assert items["search_for_jobs"].figures[0].values["count"] == 4
    housing = items["apply_for_housing_allowance"].figures
    assert [h.values for h in housing] == [{"share": D(70)}, {"months": 1}]  # 70 % above the deductible; 1 month back
    assert items["register_as_jobseeker"].figures == ()


def test_matti_contacts_come_from_the_directory_by_service_kind() -> None:
    directory = FakeDirectory()
    items = checklist(MATTI, directory)
    jobseeker = items["register_as_jobseeker"].contact
    assert jobseeker.name == "Turku employment_services"
    assert jobseeker.name_msgid == "The employment services of your area"  # the file's name, translated later
    assert items["get_debt_advice"].contact.name == "Turku debt_advice"
    assert items["talk_about_coping"].contact.name == "Turku mental_health"
    assert items["book_health_check"].contact.name == "Turku health_centre"
    kela = items["apply_for_kela_benefit"].contact
    # the fake directory names no page language: the Finnish versions of the sites
    assert (kela.name, kela.name_msgid, kela.url, kela.phone) == (
        None,
        "Kela",
        "https://www.kela.fi/tyottomyyden-aikana",
        "020 692 210",
    )
    assert items["end_business"].contact.url == "https://www.ytj.fi"
    assert {a for a in directory.asked if a[0] == "municipality"} == set()  # every local organisation has a kind
    assert ("service", "employment_services", TURKU) in directory.asked


def test_contact_falls_back_to_the_file_outside_the_directory() -> None:
    elsewhere = LocationAnswer(Place(65.0121, 25.4651, "564", "90100"))  # Oulu: the fake knows only Turku
    contact = checklist(matti(home=elsewhere))["register_as_jobseeker"].contact
    assert contact.name is None and contact.name_msgid == "The employment services of your area"


def test_fund_member_of_30_months_applies_to_the_fund_not_kela() -> None:
    items = checklist(matti(**MEMBER))
    assert "apply_for_earnings_related_allowance" in items and "apply_for_kela_benefit" not in items
    assert "apply_for_entrepreneur_allowance" not in items and "end_business" not in items
    entry = items["apply_for_earnings_related_allowance"]
    assert entry.due == date(2027, 3, 1)  # 1.12.2026 + 3 months = Mon 1.3.2027
    assert entry.contact.name_msgid == "Your unemployment fund"
    assert entry.figures[-1].amount == D("80.85")  # the derivation in the module docstring
    assert entry.due_rule.explanation.format(**entry.values) == "Within 3 months of your first day without work."


def test_entrepreneur_member_applies_to_the_entrepreneurs_fund_without_pay_slips() -> None:
    items = checklist(matti(**ENTREPRENEUR_MEMBER))
    assert "apply_for_entrepreneur_allowance" in items
    assert not {"apply_for_earnings_related_allowance", "apply_for_kela_benefit"} & set(items)
    entry = items["apply_for_entrepreneur_allowance"]
    assert entry.due == date(2027, 3, 1)  # 1.12.2026 + 3 months = Mon 1.3.2027
    assert "no pay slips" in entry.item.how and "pay slips" not in entry.item.how.replace("no pay slips", "")
    assert entry.figures[-1].amount == D("65.81")  # Yrittäjäkassa's example (module docstring)
    assert "end_business" in items


@pytest.mark.parametrize(
    "months, task",
    [
        (14, "apply_for_kela_benefit"),  # one month short of the entrepreneur's 15
        (15, "apply_for_entrepreneur_allowance"),
    ],
)
def test_entrepreneur_needs_15_months(months: int, task: str) -> None:
    items = checklist(matti(**{**ENTREPRENEUR_MEMBER, "membership_months": months}))
    (other,) = {"apply_for_kela_benefit", "apply_for_entrepreneur_allowance"} - {task}
    assert task in items and other not in items


def test_fund_member_of_6_months_applies_to_kela() -> None:
    items = checklist(matti(**{**MEMBER, "membership_months": 6}))
    assert "apply_for_kela_benefit" in items and "apply_for_earnings_related_allowance" not in items


def test_living_with_parents_gets_no_housing_allowance_item() -> None:
    assert "apply_for_housing_allowance" not in checklist(matti(housing="with_parents"))
    assert "apply_for_housing_allowance" in checklist(matti(housing="renting"))


def test_owners_get_no_housing_allowance_item_from_2025() -> None:
    # Matti's first day 1.12.2026: owner-occupied homes no longer qualify
    assert "apply_for_housing_allowance" not in checklist(matti(housing="owning"))
    # first day Mon 3.6.2024, still in 2024: the owner gets the task; 3.6.2024 + 1 month = 3.7.2024,
    # end of that month Wed 31.7.2024, a weekday
    items = checklist(matti(housing="owning", first_day=date(2024, 6, 3)))
    assert items["apply_for_housing_allowance"].due == date(2024, 7, 31)
    assert "apply_for_housing_allowance" not in checklist(matti(housing="owning", first_day=date(2025, 1, 1)))


@pytest.mark.parametrize("needs", [None, ()])
def test_no_support_needs_gives_no_support_items(needs) -> None:
    items = checklist(matti(needs=needs))
    assert not {"get_debt_advice", "talk_about_coping", "book_health_check", "ask_about_training"} & set(items)
    assert "register_as_jobseeker" in items  # the rest of the plan is there


def test_needs_missing_altogether_gives_no_support_items() -> None:
    answers = {k: v for k, v in MATTI.items() if k != "needs"}
    assert not {"get_debt_advice", "talk_about_coping", "book_health_check", "ask_about_training"} & set(
        checklist(answers)
    )


def test_retraining_gives_the_training_item_only() -> None:
    items = checklist(matti(needs=("retraining",)))
    assert "ask_about_training" in items and items["ask_about_training"].due is None
    assert not {"get_debt_advice", "talk_about_coping", "book_health_check"} & set(items)


def test_a_job_that_ended_other_than_by_business_has_no_business_item() -> None:
    assert "end_business" not in checklist(matti(reason="dismissal"))


def test_a_deadline_passed_is_flagged() -> None:
    # first day Thu 1.10.2026, over a month ago: registering (by 1.10.) is overdue; Kela is not:
    # 1.10.2026 + 3 months = Fri 1.1.2027, New Year's Day → Sat 2, Sun 3 → Mon 4.1.2027
    items = checklist(matti(first_day=date(2026, 10, 1)))
    assert items["register_as_jobseeker"].overdue is True
    assert items["apply_for_kela_benefit"].overdue is False and items["apply_for_kela_benefit"].due == date(2027, 1, 4)
    # the job search: 1.10.2026 + 1 month = Sun 1.11.2026 → Mon 2.11.2026, before today 22.11.: overdue
    assert items["search_for_jobs"].due == date(2026, 11, 2) and items["search_for_jobs"].overdue is True


# --- the income comparison ---------------------------------------------------------------------------------


def income(answers: dict[str, Any]) -> IncomeComparison:
    spec = event().comparisons[0]
    return build_income(spec.options, answers, TODAY, Sources())


def test_matti_gets_only_kelas_general_support() -> None:
    cmp = income(MATTI)
    assert cmp.first_day == FIRST_DAY
    (kela,) = cmp.options
    assert kela.kind == "general_support" and kela.applies is True  # 1.12.2026 is after 1.5.2026
    assert kela.allowance.daily_allowance == D("37.21")
    assert kela.allowance.monthly_estimate == D("800.02")  # 37.21 × 21.5 = 800.015 → 800.02
    assert kela.timeline.max_paid_days == 400  # 12 years of work is more than 3
    assert cmp.note == REASON_NOT_FUND_MEMBER and cmp.note_values == {}
    assert cmp.estimate is False  # Kela amounts are frozen and known through 2027


def test_matti_timeline_dates() -> None:
    (kela,) = income(MATTI).options
    tl = kela.timeline
    assert (tl.waiting_weekdays, tl.waiting_period_start, tl.waiting_period_end, tl.first_paid_date) == (
        7,
        FIRST_DAY,
        date(2026, 12, 9),
        date(2026, 12, 10),
    )
    assert tl.application_deadline == date(2027, 3, 1)
    (period,) = tl.periods
    # paid day 400 is weekday no. 407 from Tue 1.12.2026: 406 = 81 weeks + 1 day;
    # 1.12.2026 + 567 days = Tue 20.6.2028 (2028 is a leap year), + 1 weekday = Wed 21.6.2028
    assert (period.first_paid_day, period.last_paid_day, period.start, period.end) == (
        1,
        400,
        date(2026, 12, 10),
        date(2028, 6, 21),
    )


def test_matti_with_a_wage_but_no_membership_still_gets_kela_only() -> None:
    cmp = income(matti(monthly_wage=D(3000)))
    assert [o.kind for o in cmp.options] == ["general_support"]
    assert cmp.note == REASON_NOT_FUND_MEMBER


def test_kela_before_general_support_is_the_basic_allowance() -> None:
    cmp = income(matti(first_day=date(2026, 4, 20)))
    assert [o.kind for o in cmp.options] == ["basic_allowance"]
    assert cmp.options[0].allowance.daily_allowance == D("37.21")


def test_a_short_work_history_gets_300_days() -> None:
    assert income(matti(work_years=3)).options[0].timeline.max_paid_days == 300  # at most 3 years
    assert income(matti(work_years=4)).options[0].timeline.max_paid_days == 400


def test_member_of_30_months_gets_the_earnings_related_allowance_first() -> None:
    cmp = income(matti(**MEMBER))
    assert [(o.kind, o.applies) for o in cmp.options] == [("earnings_related", True), ("general_support", False)]
    earnings = cmp.options[0]
    assert earnings.allowance.daily_allowance == D("80.85")  # 80.851314… (module docstring)
    assert earnings.allowance.monthly_estimate == D("1738.28")  # 80.85 × 21.5 = 1738.275 → 1738.28
    assert earnings.allowance.daily_wage == D("134.19")
    assert cmp.note is None
    assert cmp.estimate is False  # the 2026 statutory deduction (3.83 %) is published


def test_a_first_day_in_2027_makes_the_income_an_estimate() -> None:
    cmp = income(matti(**MEMBER, first_day=date(2027, 1, 12)))
    assert cmp.options[0].allowance.daily_allowance == D("80.85")  # 2026's 3.83 % stands in for 2027
    assert cmp.estimate is True


def test_member_timeline_steps_down_after_40_and_170_paid_days() -> None:
    tl = income(matti(**MEMBER)).options[0].timeline
    assert tl.kind == "earnings_related" and tl.max_paid_days == 400
    spans = [(p.first_paid_day, p.last_paid_day, p.daily_allowance, p.step_down_percent) for p in tl.periods]
    assert spans == [
        (1, 40, D("80.85"), 100),
        (41, 170, D("64.68"), 80),  # 0.80 × 80.851314… = 64.681051… → 64.68
        (171, 400, D("60.64"), 75),  # 0.75 × 80.851314… = 60.638486… → 60.64
    ]
    assert tl.periods[1].monthly_estimate == D("1390.62")  # 64.68 × 21.5
    assert tl.periods[2].monthly_estimate == D("1303.76")  # 60.64 × 21.5
    # paid day 40 = weekday no. 47 from Tue 1.12.2026: 46 = 9 weeks + 1 → Tue 2.2.2027 + 1 = Wed 3.2.2027;
    # paid day 170 = weekday no. 177: 176 = 35 weeks + 1 → Tue 3.8.2027 + 1 = Wed 4.8.2027
    assert [(p.start, p.end) for p in tl.periods] == [
        (date(2026, 12, 10), date(2027, 2, 3)),
        (date(2027, 2, 4), date(2027, 8, 4)),
        (date(2027, 8, 5), date(2028, 6, 21)),
    ]


def test_member_of_6_months_sees_both_with_the_short_membership_note() -> None:
    cmp = income(matti(**{**MEMBER, "membership_months": 6}))
    assert [(o.kind, o.applies) for o in cmp.options] == [("earnings_related", False), ("general_support", True)]
    assert cmp.options[0].allowance.daily_allowance == D("80.85")  # what membership would be worth
    assert cmp.note == REASON_SHORT_MEMBERSHIP
    assert cmp.note_values == {"months": 12}
    assert "{months} months" in cmp.note


def test_member_without_a_wage_is_told_to_give_it() -> None:
    cmp = income(matti(**{**MEMBER, "monthly_wage": None}))
    assert [o.kind for o in cmp.options] == ["general_support"]
    assert cmp.note == REASON_NO_WAGE


def test_entrepreneur_member_gets_the_allowance_from_the_yel_income() -> None:
    cmp = income(matti(**ENTREPRENEUR_MEMBER))
    assert [(o.kind, o.applies) for o in cmp.options] == [("earnings_related", True), ("general_support", False)]
    earnings = cmp.options[0]
    # Yrittäjäkassa: 100.78 a day of daily wage, 65.81 a day, 1414.92 a month (module docstring)
    assert (earnings.allowance.daily_wage, earnings.allowance.daily_allowance, earnings.allowance.monthly_estimate) == (
        D("100.78"),
        D("65.81"),
        D("1414.92"),
    )
    # step-downs: 0.80 × 65.814337… = 52.651470… → 52.65; 0.75 × 65.814337… = 49.360753… → 49.36
    assert [p.daily_allowance for p in earnings.timeline.periods] == [D("65.81"), D("52.65"), D("49.36")]
    assert cmp.note is None and cmp.estimate is False


def test_entrepreneur_wage_answer_is_not_used() -> None:
    # a monthly wage left in the answers (asked only of employees) does not replace the YEL income
    cmp = income(matti(**ENTREPRENEUR_MEMBER, monthly_wage=D(3000)))
    assert cmp.options[0].allowance.daily_allowance == D("65.81")
    no_yel = income(matti(**{**ENTREPRENEUR_MEMBER, "yel_income": None}, monthly_wage=D(3000)))
    assert [o.kind for o in no_yel.options] == ["general_support"]
    assert no_yel.note == REASON_NO_YEL_INCOME


def test_entrepreneur_of_12_months_sees_the_15_month_note() -> None:
    cmp = income(matti(**{**ENTREPRENEUR_MEMBER, "membership_months": 12}))
    assert [(o.kind, o.applies) for o in cmp.options] == [("earnings_related", False), ("general_support", True)]
    assert cmp.options[0].allowance.daily_allowance == D("65.81")
    assert cmp.note == REASON_SHORT_ENTREPRENEUR
    assert cmp.note_values == {"months": 15}


@pytest.mark.parametrize("missing", ["first_day", "fund_member", "work_years", "age"])
def test_income_needs_the_first_day_and_the_work_answers(missing: str) -> None:
    answers = {k: v for k, v in MATTI.items() if k != missing}
    with pytest.raises(KeyError):
        income(answers)
    assert try_comparison(event(), answers, TODAY, Sources()) is None


def test_try_comparison_gives_the_income_once_the_work_step_is_answered() -> None:
    situation_and_work = {
        k: MATTI[k] for k in ("reason", "first_day", "fund_member", "work_years", "yel_income", "age")
    }
    cmp = try_comparison(event(), situation_and_work, TODAY, Sources())
    assert isinstance(cmp, IncomeComparison)
    assert cmp.options[0].allowance.monthly_estimate == D("800.02")
    assert try_comparison(event(), {"reason": "business_ended", "first_day": FIRST_DAY}, TODAY, Sources()) is None


def test_comparison_kinds_are_registered() -> None:
    assert COMPARISONS["unemployment_income"].build is build_income
    assert "nearby_services" in COMPARISONS
