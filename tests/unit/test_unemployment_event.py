"""The becoming-unemployed life event: its data file, predicates, figures, checklist and income comparison.

Figures are derived by hand from /work/shared/reference/rules-facts.md section 2 (the arithmetic is in
the comments), never copied from the code's output:

* Kela: 37.21 € a day, general support ("yleistuki") from 2026-05-01, basic allowance before;
  a month is 21.5 paid days, so 37.21 × 21.5 = 800.015 → 800.02.
* Earnings-related, 3000 € a month: the 2026 statutory deduction is unconfirmed, so the 2024 figure
  3.76 % is used (an estimate). Daily wage = 3000 × (1 − 0.0376) / 21.5 = 2887.20 / 21.5 = 134.288372…;
  the breakpoint 95 × 37.21 / 21.5 = 164.42 € a day is not reached, so
  allowance = 37.21 + 45 % × (134.288372… − 37.21) = 37.21 + 43.685267… = 80.895267… → 80.90;
  the 90 % cap (120.86) does not bind. Step-downs: 80 % → 64.716214… → 64.72; 75 % → 60.671451… → 60.67.
* Waiting period 7 weekdays; 400 paid days for a work history over 3 years; apply within 3 months.

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
from configurator.comparisons.income import REASON_SHORT_MEMBERSHIP, IncomeComparison, build_income
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
    "reason": "business_ended", "first_day-day": "1", "first_day-month": "12", "first_day-year": "2026",
    "fund_member": "no", "work_years": "12", "monthly_wage": "", "age": "35",
    "housing": "renting", "home-postal_code": "20100",
    "needs": "debts,coping",
}

# The same answers typed, as journey.walk returns them.
MATTI: dict[str, Any] = {
    "reason": "business_ended", "first_day": FIRST_DAY, "fund_member": False, "work_years": 12,
    "monthly_wage": None, "age": 35, "housing": "renting", "home": HOME, "needs": ("debts", "coping"),
}
MEMBER = {"fund_member": True, "membership_months": 30, "monthly_wage": D(3000)}


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
        "employment_services", "debt_advice", "health_centre", "mental_health"]
    assert dict(unemployment.codes) == {"life_event": "KE8", "target_group": "KR1", "service_class": "P10"}
    assert [i.id for i in unemployment.checklist] == [
        "register_as_jobseeker", "apply_for_earnings_related_allowance", "apply_for_kela_benefit",
        "plan_waiting_period", "search_for_jobs", "apply_for_housing_allowance", "end_business",
        "get_debt_advice", "talk_about_coping", "book_health_check", "ask_about_training"]


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
    assert optional == {"monthly_wage", "needs"}  # the sensitive and the unknown-to-some answers
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


def test_membership_months_is_asked_only_of_fund_members() -> None:
    state = walk(event(), {**MATTI_RAW, "fund_member": "yes"}, TODAY, PLACES)
    assert not state.complete and state.first_incomplete.id == "work"
    state = walk(event(), {**MATTI_RAW, "fund_member": "yes", "membership_months": "30"}, TODAY, PLACES)
    assert state.complete and state.answers["membership_months"] == 30


@pytest.mark.parametrize("changes, step", [
    ({"first_day-year": "2025", "first_day-month": "11", "first_day-day": "21"}, "situation"),  # over a year ago
    ({"first_day-year": "2027", "first_day-month": "11", "first_day-day": "23"}, "situation"),  # over a year ahead
    ({"reason": "retired"}, "situation"),
    ({"work_years": "61"}, "work"),
    ({"monthly_wage": "-1"}, "work"),
    ({"age": "14"}, "work"),
    ({"housing": "tent"}, "home"),
])
def test_invalid_answers_stop_at_their_step(changes: dict, step: str) -> None:
    state = walk(event(), {**MATTI_RAW, **changes}, TODAY, PLACES)
    assert state.first_incomplete is not None and state.first_incomplete.id == step


# --- predicates ------------------------------------------------------------------------------------------


def test_fund_member_only_when_yes() -> None:
    assert predicates.fund_member({"fund_member": True}, TODAY) is True
    assert predicates.fund_member({"fund_member": False}, TODAY) is False
    assert predicates.fund_member({}, TODAY) is False
    assert predicates.fund_member({"fund_member": "yes"}, TODAY) is False  # typed answers only


@pytest.mark.parametrize("answers, eligible", [
    ({"fund_member": True, "membership_months": 12}, True),    # exactly the 12 months
    ({"fund_member": True, "membership_months": 30}, True),
    ({"fund_member": True, "membership_months": 11}, False),   # one month short
    ({"fund_member": True, "membership_months": 0}, False),
    ({"fund_member": True}, False),                            # months not given yet
    ({"fund_member": True, "membership_months": None}, False),
    ({"fund_member": False, "membership_months": 30}, False),  # months without membership do not count
    ({}, False),
])
def test_earnings_related_eligible_needs_membership_and_12_months(answers: dict, eligible: bool) -> None:
    assert predicates.earnings_related_eligible(answers, TODAY) is eligible
    assert evaluate("not earnings_related_eligible", answers, TODAY) is not eligible


@pytest.mark.parametrize("reason, ended, laid_off", [
    ("business_ended", True, False), ("laid_off", False, True), ("dismissal", False, False),
    ("fixed_term", False, False), (None, False, False),
])
def test_reason_predicates(reason: str | None, ended: bool, laid_off: bool) -> None:
    answers = {"reason": reason} if reason else {}
    assert predicates.business_ended(answers, TODAY) is ended
    assert predicates.laid_off(answers, TODAY) is laid_off


@pytest.mark.parametrize("housing, pays", [("renting", True), ("owning", True), ("with_parents", False), (None, False)])
def test_pays_for_housing(housing: str | None, pays: bool) -> None:
    assert predicates.pays_for_housing({"housing": housing}, TODAY) is pays


@pytest.mark.parametrize("needs, debts, coping, retraining", [
    (("debts",), True, False, False),
    (("coping",), False, True, False),
    (("retraining",), False, False, True),
    (("debts", "coping", "retraining"), True, True, True),
    (None, False, False, False),  # the question was left empty
    ((), False, False, False),
])
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
    assert FIGURES["earnings_related_allowance"](matti(monthly_wage=None), TODAY) == ()
    steps = FIGURES["earnings_related_allowance"](matti(monthly_wage=D(3000)), TODAY)
    total = steps[-1]
    # 80.895267… → 80.90 a day; 80.90 × 21.5 = 1739.35 a month (derivation in the module docstring)
    assert total.amount == D("80.90")
    assert total.values["monthly"] == D("1739.35")
    assert steps[0].values["daily_wage"] == D("134.29")  # 2887.20 / 21.5 = 134.288… shown to the cent
    assert steps[0].estimate is True  # the 2026 statutory deduction is not confirmed: 3.76 % of 2024 used


def test_earnings_related_figure_uses_the_first_day_not_today() -> None:
    # first day 2024-10-01: the 2024 deduction is verified, so no estimate; same amount
    steps = FIGURES["earnings_related_allowance"](matti(monthly_wage=D(3000), first_day=date(2024, 10, 1)), TODAY)
    assert steps[-1].amount == D("80.90")
    assert not any(s.estimate for s in steps)


@pytest.mark.parametrize("first_day, kind_text", [
    (FIRST_DAY, "General support (yleistuki)"),                             # after 2026-05-01
    (date(2026, 4, 30), "Basic unemployment allowance or labour market subsidy"),  # the day before
    (None, "General support (yleistuki)"),                                  # no answer yet: today, 2026-11-22
])
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
        "2026-12-07", "2026-12-15", "2026-12-16")


def test_job_applications_figure() -> None:
    (only,) = FIGURES["job_applications"](MATTI, TODAY)
    assert only.values == {"count": 4}  # in principle 4 applications a month (rules-facts section 2)
    assert only.valid_from == date(2025, 1, 1)


# --- the checklist ---------------------------------------------------------------------------------------


def test_matti_gets_exactly_the_items_that_apply() -> None:
    items = checklist(MATTI)
    assert list(items) == [  # the file's order
        "register_as_jobseeker", "apply_for_kela_benefit", "plan_waiting_period", "search_for_jobs",
        "apply_for_housing_allowance", "end_business", "get_debt_advice", "talk_about_coping",
        "book_health_check"]
    due = {item_id: entry.due for item_id, entry in items.items()}
    assert due == {
        "register_as_jobseeker": FIRST_DAY,                 # by the first day without work
        "apply_for_kela_benefit": date(2027, 3, 1),         # 1.12.2026 + 3 months
        "plan_waiting_period": FIRST_DAY,
        "search_for_jobs": date(2027, 1, 1),                # 1.12.2026 + 1 month
        "apply_for_housing_allowance": date(2026, 12, 31),  # end of the month the work ends
        "end_business": FIRST_DAY,
        "get_debt_advice": TODAY,                           # as soon as you can
        "talk_about_coping": TODAY,
        "book_health_check": None,                          # no deadline
    }
    assert not any(entry.overdue for entry in items.values())


def test_matti_checklist_figures() -> None:
    items = checklist(MATTI)
    (waiting,) = items["plan_waiting_period"].figures
    assert (waiting.values["start"], waiting.values["end"], waiting.values["first_paid_day"]) == (
        "2026-12-01", "2026-12-09", "2026-12-10")
    kela = items["apply_for_kela_benefit"].figures
    assert kela[0].amount == D("37.21") and "General support" in kela[0].label  # 1.12.2026 is after 1.5.2026
    assert kela[-1].values["monthly"] == D("800.02")
    assert items["search_for_jobs"].figures[0].values["count"] == 4
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
    assert (kela.name, kela.name_msgid, kela.url, kela.phone) == (
        None, "Kela", "https://www.kela.fi/unemployment", "020 692 210")
    assert items["end_business"].contact.url == "https://www.ytj.fi/en"
    assert {a for a in directory.asked if a[0] == "municipality"} == set()  # every local organisation has a kind
    assert ("service", "employment_services", TURKU) in directory.asked


def test_contact_falls_back_to_the_file_outside_the_directory() -> None:
    elsewhere = LocationAnswer(Place(65.0121, 25.4651, "564", "90100"))  # Oulu: the fake knows only Turku
    contact = checklist(matti(home=elsewhere))["register_as_jobseeker"].contact
    assert contact.name is None and contact.name_msgid == "The employment services of your area"


def test_fund_member_of_30_months_applies_to_the_fund_not_kela() -> None:
    items = checklist(matti(**MEMBER))
    assert "apply_for_earnings_related_allowance" in items and "apply_for_kela_benefit" not in items
    entry = items["apply_for_earnings_related_allowance"]
    assert entry.due == date(2027, 3, 1)  # within three months of 1.12.2026
    assert entry.contact.name_msgid == "Your unemployment fund"
    assert entry.figures[-1].amount == D("80.90")  # the derivation in the module docstring


def test_fund_member_of_6_months_applies_to_kela() -> None:
    items = checklist(matti(fund_member=True, membership_months=6, monthly_wage=D(3000)))
    assert "apply_for_kela_benefit" in items and "apply_for_earnings_related_allowance" not in items


def test_living_with_parents_gets_no_housing_allowance_item() -> None:
    assert "apply_for_housing_allowance" not in checklist(matti(housing="with_parents"))
    assert "apply_for_housing_allowance" in checklist(matti(housing="owning"))


@pytest.mark.parametrize("needs", [None, ()])
def test_no_support_needs_gives_no_support_items(needs) -> None:
    items = checklist(matti(needs=needs))
    assert not {"get_debt_advice", "talk_about_coping", "book_health_check", "ask_about_training"} & set(items)
    assert "register_as_jobseeker" in items  # the rest of the plan is there


def test_needs_missing_altogether_gives_no_support_items() -> None:
    answers = {k: v for k, v in MATTI.items() if k != "needs"}
    assert not {"get_debt_advice", "talk_about_coping", "book_health_check", "ask_about_training"} & set(
        checklist(answers))


def test_retraining_gives_the_training_item_only() -> None:
    items = checklist(matti(needs=("retraining",)))
    assert "ask_about_training" in items and items["ask_about_training"].due is None
    assert not {"get_debt_advice", "talk_about_coping", "book_health_check"} & set(items)


def test_a_job_that_ended_other_than_by_business_has_no_business_item() -> None:
    assert "end_business" not in checklist(matti(reason="dismissal"))


def test_a_deadline_passed_is_flagged() -> None:
    # first day 2026-10-01, over a month ago: registering (by 1.10.) is overdue, Kela (by 1.1.2027) is not
    items = checklist(matti(first_day=date(2026, 10, 1)))
    assert items["register_as_jobseeker"].overdue is True
    assert items["apply_for_kela_benefit"].overdue is False and items["apply_for_kela_benefit"].due == date(2027, 1, 1)


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
        7, FIRST_DAY, date(2026, 12, 9), date(2026, 12, 10))
    assert tl.application_deadline == date(2027, 3, 1)
    (period,) = tl.periods
    # paid day 400 is weekday no. 407 from Tue 1.12.2026: 406 = 81 weeks + 1 day;
    # 1.12.2026 + 567 days = Tue 20.6.2028 (2028 is a leap year), + 1 weekday = Wed 21.6.2028
    assert (period.first_paid_day, period.last_paid_day, period.start, period.end) == (
        1, 400, date(2026, 12, 10), date(2028, 6, 21))


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
    assert earnings.allowance.daily_allowance == D("80.90")  # 80.895267… (module docstring)
    assert earnings.allowance.monthly_estimate == D("1739.35")  # 80.90 × 21.5
    assert earnings.allowance.daily_wage == D("134.29")
    assert cmp.note is None
    assert cmp.estimate is True  # the 2026 statutory deduction is not confirmed


def test_member_timeline_steps_down_after_40_and_170_paid_days() -> None:
    tl = income(matti(**MEMBER)).options[0].timeline
    assert tl.kind == "earnings_related" and tl.max_paid_days == 400
    spans = [(p.first_paid_day, p.last_paid_day, p.daily_allowance, p.step_down_percent) for p in tl.periods]
    assert spans == [
        (1, 40, D("80.90"), 100),
        (41, 170, D("64.72"), 80),    # 0.80 × 80.895267… = 64.716214… → 64.72
        (171, 400, D("60.67"), 75),   # 0.75 × 80.895267… = 60.671451… → 60.67
    ]
    assert tl.periods[1].monthly_estimate == D("1391.48")  # 64.72 × 21.5
    assert tl.periods[2].monthly_estimate == D("1304.41")  # 60.67 × 21.5 = 1304.405 → 1304.41 (half up)
    # paid day 40 = weekday no. 47 from Tue 1.12.2026: 46 = 9 weeks + 1 → Tue 2.2.2027 + 1 = Wed 3.2.2027;
    # paid day 170 = weekday no. 177: 176 = 35 weeks + 1 → Tue 3.8.2027 + 1 = Wed 4.8.2027
    assert [(p.start, p.end) for p in tl.periods] == [
        (date(2026, 12, 10), date(2027, 2, 3)),
        (date(2027, 2, 4), date(2027, 8, 4)),
        (date(2027, 8, 5), date(2028, 6, 21)),
    ]


def test_member_of_6_months_sees_both_with_the_short_membership_note() -> None:
    cmp = income(matti(fund_member=True, membership_months=6, monthly_wage=D(3000)))
    assert [(o.kind, o.applies) for o in cmp.options] == [("earnings_related", False), ("general_support", True)]
    assert cmp.options[0].allowance.daily_allowance == D("80.90")  # what membership would be worth
    assert cmp.note == REASON_SHORT_MEMBERSHIP
    assert cmp.note_values == {"months": 12}
    assert "{months} months" in cmp.note


def test_member_without_a_wage_is_told_to_give_it() -> None:
    cmp = income(matti(fund_member=True, membership_months=30, monthly_wage=None))
    assert [o.kind for o in cmp.options] == ["general_support"]
    assert cmp.note == REASON_NO_WAGE


@pytest.mark.parametrize("missing", ["first_day", "fund_member", "work_years", "age"])
def test_income_needs_the_first_day_and_the_work_answers(missing: str) -> None:
    answers = {k: v for k, v in MATTI.items() if k != missing}
    with pytest.raises(KeyError):
        income(answers)
    assert try_comparison(event(), answers, TODAY, Sources()) is None


def test_try_comparison_gives_the_income_once_the_work_step_is_answered() -> None:
    situation_and_work = {k: MATTI[k] for k in
                          ("reason", "first_day", "fund_member", "work_years", "monthly_wage", "age")}
    cmp = try_comparison(event(), situation_and_work, TODAY, Sources())
    assert isinstance(cmp, IncomeComparison)
    assert cmp.options[0].allowance.monthly_estimate == D("800.02")
    assert try_comparison(event(), {"reason": "business_ended", "first_day": FIRST_DAY}, TODAY, Sources()) is None


def test_comparison_kinds_are_registered() -> None:
    assert COMPARISONS["unemployment_income"].build is build_income
    assert "nearby_services" in COMPARISONS
