"""The JSON API for the becoming-unemployed life event: Matti's plan and the unemployment-allowance calculator.

Expected figures are worked out by hand from /work/shared/reference/rules-facts.md section 2 and its
"Corrections and additions, checked 2026-12", never copied from the code's output:

* Kela: 37.21 € a day (basic allowance, from 2026-05-01 general support); a month is 21.5 paid days:
  37.21 × 21.5 = 800.015 → 800.02.
* Earnings-related, 3000 € a month on 2024-10-01 (statutory deduction 3.76 %, verified for 2024):
  daily wage = 3000 × 0.9624 / 21.5 = 2887.20 / 21.5 = 134.288372… → shown 134.29;
  below the breakpoint 95 × 37.21 / 21.5 = 164.42 € a day, so
  allowance = 37.21 + 0.45 × (134.288372… − 37.21) = 37.21 + 43.685267… = 80.895267… → 80.90;
  a month 80.90 × 21.5 = 1739.35. Step-down (in force from 2024-09-02):
  after 40 paid days 0.80 × 80.895267… = 64.716214… → 64.72, a month 64.72 × 21.5 = 1391.48;
  after 170 paid days 0.75 × 80.895267… = 60.671451… → 60.67, a month 60.67 × 21.5 = 1304.405 → 1304.41.
* Earnings-related, 3000 € a month with a first day in 2026 (statutory deduction 3.83 %, published):
  daily wage = 3000 × 0.9617 / 21.5 = 2885.10 / 21.5 = 134.190698… → 134.19;
  allowance = 37.21 + 0.45 × (134.190698… − 37.21) = 37.21 + 43.641314… = 80.851314… → 80.85;
  a month 80.85 × 21.5 = 1738.275 → 1738.28; after 40 paid days 0.80 × 80.851314… = 64.681051… → 64.68;
  after 170 paid days 0.75 × 80.851314… = 60.638486… → 60.64. 2027 is not published: 3.83 % as an estimate.
* An entrepreneur (business ended) with 26,000 € of confirmed YEL work income, no statutory deduction:
  26000 / 12 / 21.5 = 100.775194… → 100.78; 37.21 + 0.45 × 63.565194… = 65.814337… → 65.81, a month
  65.81 × 21.5 = 1414.915 → 1414.92; stepped down 0.80 × … = 52.651470… → 52.65, 0.75 × … = 49.360753… → 49.36.
* Deadlines that end on a Saturday, Sunday or holiday move to the next weekday (Act 150/1930); a deadline
  that is the answered date itself, or today, stays.

"Today" is 2026-11-22 (tests/conftest.py). Matti's first day without work, 2026-12-01, is a Tuesday.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient

from tests.api.shapes import eur, problem_fields

PLAN_URL = "/api/v2/life-events/unemployment/plan"
CALCULATOR_URL = "/api/v2/calculators/unemployment-allowance"
SERVICE_KINDS = ["employment_services", "debt_advice", "health_centre", "mental_health"]

# tests/helpers.py MATTI_STEPS in the API's JSON types.
MATTI_ANSWERS: dict[str, Any] = {
    "reason": "business_ended",
    "first_day": "2026-12-01",
    "fund_member": False,
    "work_years": 12,
    "age": 35,
    "housing": "renting",
    "home": {"postal_code": "20100"},
    "needs": ["debts", "coping"],
}


def post_plan(client: FlaskClient, lang: str = "en", **changes: Any) -> Any:
    answers = {k: v for k, v in {**MATTI_ANSWERS, **changes}.items() if v is not None}
    return client.post(f"{PLAN_URL}?lang={lang}", json={"answers": answers})


def calculate(client: FlaskClient, **params: Any) -> Any:
    return client.get(f"{CALCULATOR_URL}?{urlencode(params)}")


def comparison(body: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(c for c in body["comparisons"] if c["kind"] == kind)


# --- Matti's plan ---------------------------------------------------------------------------------------


def test_matti_plan_has_both_comparisons(client: FlaskClient) -> None:
    response = post_plan(client)
    assert response.status_code == 200, response.get_json()
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["life_event"] == "unemployment" and body["today"] == "2026-11-22"
    assert [c["kind"] for c in body["comparisons"]] == ["unemployment_income", "nearby_services"]
    assert body["comparisons"][0]["kind"] == "unemployment_income"  # the first one


def test_event_description_fills_the_hints_and_lists_the_new_questions(client: FlaskClient) -> None:
    body = client.get("/api/v2/life-events/unemployment?lang=en").get_json()
    questions = {q["id"]: q for step in body["steps"] for q in step["questions"]}
    assert questions["work_years"]["hint"] == "Over 3 years of work gives a longer benefit."
    assert questions["yel_income"]["show_if"] == ["business_ended"] and questions["yel_income"]["required"] is False
    assert questions["monthly_wage"]["show_if"] == ["not business_ended"]
    assert [o["value"] for o in questions["reason"]["options"]] == [
        "dismissal",
        "fixed_term",
        "resigned",
        "employer_bankrupt",
        "laid_off",
        "hours_reduced",
        "business_ended",
    ]
    assert all("{" not in (q["hint"] or "") for q in questions.values())


def test_matti_checklist_by_due_date(client: FlaskClient) -> None:
    body = post_plan(client).get_json()
    # sorted by due date, undated last; the same date keeps the file's order
    assert [(i["id"], i["due"]) for i in body["checklist"]] == [
        ("get_debt_advice", "2026-11-22"),  # today (a Sunday, not moved): as soon as you can
        ("talk_about_coping", "2026-11-22"),
        ("register_as_jobseeker", "2026-12-01"),  # the first day without work
        ("plan_waiting_period", "2026-12-01"),
        ("end_business", "2026-12-01"),
        ("search_for_jobs", "2027-01-04"),  # 1.12.2026 + 1 month = Fri 1.1.2027 (New Year) → Mon 4.1.
        ("apply_for_housing_allowance", "2027-01-29"),  # 1.12. + 1 month, end of month: Sun 31.1.2027 → Fri 29.1.
        ("apply_for_kela_benefit", "2027-03-01"),  # 1.12.2026 + 3 months = Mon 1.3.2027
        ("book_health_check", None),
    ]
    items = {i["id"]: i for i in body["checklist"]}
    assert not any(i["overdue"] for i in body["checklist"])
    assert items["register_as_jobseeker"]["responsible"]["name"] == "The employment services of your area"
    assert items["register_as_jobseeker"]["responsible"]["organisation"]  # found in the catalogue for Turku
    assert items["apply_for_kela_benefit"]["responsible"]["phone"] == "020 692 210"
    waiting = items["plan_waiting_period"]["figures"][0]
    assert waiting["values"] == {"days": 7, "start": "2026-12-01", "end": "2026-12-09", "first_paid_day": "2026-12-10"}
    assert items["apply_for_kela_benefit"]["figures"][0]["amount"] == eur("37.21")
    # the texts' {placeholders} are filled from the event's parameters
    assert items["apply_for_kela_benefit"]["due_explanation"] == "Within 3 months of your first day without work."
    assert all("{" not in (i[key] or "") for i in body["checklist"] for key in ("why", "how", "due_explanation"))


def test_matti_income_option_and_timeline(client: FlaskClient) -> None:
    income = comparison(post_plan(client).get_json(), "unemployment_income")
    assert income["first_day"] == "2026-12-01"
    assert income["note"] == "The earnings-related allowance is paid only to members of an unemployment fund."
    assert income["estimate"] is False
    (option,) = income["options"]
    assert (option["kind"], option["applies"]) == ("general_support", True)  # 1.12.2026 is after 1.5.2026
    allowance = option["allowance"]
    assert (allowance["daily_allowance"]["amount"], allowance["monthly_estimate"]["amount"]) == ("37.21", "800.02")
    assert allowance["daily_wage"] is None and allowance["daily_allowance"]["currency"] == "EUR"
    timeline = option["timeline"]
    # waiting period Tue 1.12., Wed 2, Thu 3, Fri 4, Mon 7, Tue 8, Wed 9; first paid day Thu 10.12.
    assert (
        timeline["waiting_weekdays"],
        timeline["waiting_period_start"],
        timeline["waiting_period_end"],
        timeline["first_paid_date"],
    ) == (7, "2026-12-01", "2026-12-09", "2026-12-10")
    assert timeline["max_paid_days"] == 400  # 12 years of work is more than 3
    assert timeline["application_deadline"] == "2027-03-01"
    # paid day 400 = weekday no. 407 from Tue 1.12.2026: 406 = 81 weeks + 1 → Tue 20.6.2028 + 1 = Wed 21.6.2028
    assert timeline["periods"] == [
        {
            "first_paid_day": 1,
            "last_paid_day": 400,
            "start": "2026-12-10",
            "end": "2028-06-21",
            "daily_allowance": eur("37.21"),
            "monthly_estimate": eur("800.02"),
            "step_down_percent": 100,
        }
    ]
    texts = [s["text"] for s in timeline["breakdown"]]
    assert any("400" in t for t in texts) and all("{" not in t for t in texts)


def test_fund_member_plan_has_the_step_down_timeline(client: FlaskClient) -> None:
    body = post_plan(client, reason="dismissal", fund_member=True, membership_months=30, monthly_wage=3000).get_json()
    ids = [i["id"] for i in body["checklist"]]
    assert "apply_for_earnings_related_allowance" in ids and "apply_for_kela_benefit" not in ids
    assert "end_business" not in ids and "apply_for_entrepreneur_allowance" not in ids
    income = comparison(body, "unemployment_income")
    assert [(o["kind"], o["applies"]) for o in income["options"]] == [
        ("earnings_related", True),
        ("general_support", False),
    ]
    assert income["note"] is None
    assert income["estimate"] is False  # the 2026 statutory deduction 3.83 % is published
    earnings = income["options"][0]["allowance"]
    assert (
        earnings["daily_wage"]["amount"],
        earnings["daily_allowance"]["amount"],
        earnings["monthly_estimate"]["amount"],
    ) == ("134.19", "80.85", "1738.28")
    periods = income["options"][0]["timeline"]["periods"]
    # paid day 40 = weekday 47 from 1.12.2026 → Wed 3.2.2027; paid day 170 = weekday 177 → Wed 4.8.2027
    assert [
        (
            p["first_paid_day"],
            p["last_paid_day"],
            p["start"],
            p["end"],
            p["daily_allowance"]["amount"],
            p["step_down_percent"],
        )
        for p in periods
    ] == [
        (1, 40, "2026-12-10", "2027-02-03", "80.85", 100),
        (41, 170, "2027-02-04", "2027-08-04", "64.68", 80),
        (171, 400, "2027-08-05", "2028-06-21", "60.64", 75),
    ]


def test_entrepreneur_member_plan_uses_the_yel_income(client: FlaskClient) -> None:
    body = post_plan(client, fund_member=True, membership_months=30, yel_income=26000).get_json()
    items = {i["id"]: i for i in body["checklist"]}
    assert "apply_for_entrepreneur_allowance" in items
    assert not {"apply_for_earnings_related_allowance", "apply_for_kela_benefit"} & set(items)
    assert items["apply_for_entrepreneur_allowance"]["due"] == "2027-03-01"  # 1.12.2026 + 3 months, a Monday
    income = comparison(body, "unemployment_income")
    assert income["note"] is None and income["estimate"] is False
    (earnings, kela) = income["options"]
    assert (earnings["kind"], earnings["applies"], kela["kind"], kela["applies"]) == (
        "earnings_related",
        True,
        "general_support",
        False,
    )
    assert (
        earnings["allowance"]["daily_wage"]["amount"],
        earnings["allowance"]["daily_allowance"]["amount"],
        earnings["allowance"]["monthly_estimate"]["amount"],
    ) == ("100.78", "65.81", "1414.92")
    assert [p["daily_allowance"]["amount"] for p in earnings["timeline"]["periods"]] == ["65.81", "52.65", "49.36"]


def test_entrepreneur_of_12_months_gets_kela_and_the_15_month_note(client: FlaskClient) -> None:
    body = post_plan(client, fund_member=True, membership_months=12, yel_income=26000).get_json()
    ids = {i["id"] for i in body["checklist"]}
    assert "apply_for_kela_benefit" in ids and "apply_for_entrepreneur_allowance" not in ids
    income = comparison(body, "unemployment_income")
    assert "15 months" in income["note"] and "{" not in income["note"]
    assert [(o["kind"], o["applies"]) for o in income["options"]] == [
        ("earnings_related", False),
        ("general_support", True),
    ]


def test_an_employee_of_12_months_is_eligible(client: FlaskClient) -> None:
    body = post_plan(client, reason="dismissal", fund_member=True, membership_months=12, monthly_wage=3000).get_json()
    ids = {i["id"] for i in body["checklist"]}
    assert "apply_for_earnings_related_allowance" in ids and "apply_for_kela_benefit" not in ids


@pytest.mark.parametrize(
    "reason, task, due",
    [
        ("resigned", "explain_resignation", "2026-12-01"),  # when you register: the first day itself
        (
            "employer_bankrupt",
            "apply_for_pay_security",
            "2027-03-01",
        ),  # 1.12. + 3 months − 1 day = Sun 28.2. → Mon 1.3.
    ],
)
def test_situation_tasks_in_the_plan(client: FlaskClient, reason: str, task: str, due: str) -> None:
    items = {i["id"]: i for i in post_plan(client, reason=reason).get_json()["checklist"]}
    assert items[task]["due"] == due
    assert "end_business" not in items
    assert "{" not in items[task]["why"] and "{" not in (items[task]["due_explanation"] or "")


def test_laid_off_searches_for_jobs_after_three_months(client: FlaskClient) -> None:
    items = {i["id"]: i for i in post_plan(client, reason="laid_off").get_json()["checklist"]}
    search = items["search_for_jobs"]
    assert search["due"] == "2027-03-01"  # 1.12.2026 + 3 months = Mon 1.3.2027
    assert search["due_explanation"] == "Only after 3 months of lay-off; until then you need not apply for jobs."
    assert [f["values"] for f in search["figures"]] == [
        {"months": 3, "count": 4},
        {"days": 7, "months": 12, "weeks": 6},
    ]


def test_the_job_search_duty_recurs_every_review_period(client: FlaskClient) -> None:
    """Issue 18: a recurring task's interval and RRULE. Laid off: from Mon 1.3.2027 every month (the 1st);
    part-time: from Mon 1.3.2027 every 3 months; a one-off task has none."""
    items = {i["id"]: i for i in post_plan(client, reason="laid_off").get_json()["checklist"]}
    assert items["search_for_jobs"]["recurrence"] == {
        "unit": "months",
        "interval": 1,
        "text": "Every month",
        "count_from": "due",
        "until": None,
        "rrule": "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1",
    }
    assert items["register_as_jobseeker"]["recurrence"] is None
    part_time = {i["id"]: i for i in post_plan(client, reason="hours_reduced").get_json()["checklist"]}
    search = part_time["search_for_jobs"]
    assert search["due"] == "2027-03-01"  # 1.12.2026 + 3 months
    assert (search["recurrence"]["interval"], search["recurrence"]["text"]) == (3, "Every 3 months")


def test_owner_gets_no_housing_allowance_in_2026(client: FlaskClient) -> None:
    ids = {i["id"] for i in post_plan(client, housing="owning").get_json()["checklist"]}
    assert "apply_for_housing_allowance" not in ids  # not for owner-occupied homes from 1.1.2025


def test_matti_nearby_services(client: FlaskClient) -> None:
    services = comparison(post_plan(client).get_json(), "nearby_services")
    assert services["near"] == "home"
    assert services["kinds"] == SERVICE_KINDS and services["missing_kinds"] == []
    rows = services["rows"]
    kinds = [r["kind"] for r in rows]
    assert set(kinds) == set(SERVICE_KINDS)
    assert kinds == sorted(kinds, key=SERVICE_KINDS.index)  # grouped in the file's order
    for kind in SERVICE_KINDS:
        distances = [r["distance_km"] for r in rows if r["kind"] == kind]
        assert distances == sorted(distances), kind  # nearest first within a kind
    assert all(r["kind_label"] and r["name"] for r in rows)


def test_empty_needs_are_allowed_and_give_no_support_items(client: FlaskClient) -> None:
    for needs in ([], None):
        response = post_plan(client, needs=needs)
        assert response.status_code == 200, response.get_json()
        ids = {i["id"] for i in response.get_json()["checklist"]}
        assert not ids & {"get_debt_advice", "talk_about_coping", "book_health_check", "ask_about_training"}
        assert "register_as_jobseeker" in ids


def test_living_with_parents_has_no_housing_allowance(client: FlaskClient) -> None:
    ids = {i["id"] for i in post_plan(client, housing="with_parents").get_json()["checklist"]}
    assert "apply_for_housing_allowance" not in ids and "end_business" in ids


@pytest.mark.parametrize(
    "changes, field, raw_input",
    [
        (dict(first_day="2025-11-01"), "first_day", "first_day-day"),  # more than a year before today
        (dict(first_day="2027-12-01"), "first_day", "first_day-day"),  # more than a year ahead
        (dict(first_day="1.12.2026"), "first_day", "first_day-day"),
        (dict(first_day=None), "first_day", "first_day-day"),
        (dict(reason="retired"), "reason", "reason"),
        (dict(fund_member="maybe"), "fund_member", "fund_member"),
        (dict(fund_member=True), "membership_months", "membership_months"),  # asked of members, not given
        (dict(work_years=-1), "work_years", "work_years"),
        (dict(work_years="many"), "work_years", "work_years"),
        (dict(reason="dismissal", monthly_wage=-100), "monthly_wage", "monthly_wage"),
        (dict(yel_income=-100), "yel_income", "yel_income"),
        (dict(yel_income="lots"), "yel_income", "yel_income"),
        (dict(age=14), "age", "age"),
        (dict(housing="tent"), "housing", "housing"),
        (dict(home={"postal_code": "1234"}), "home", "home-postal_code"),
        (dict(needs=["debts", "gambling"]), "needs", "needs"),
        (dict(shoe_size=44), "shoe_size", "shoe_size"),
    ],
)
def test_invalid_answers_are_400_naming_the_question(
    client: FlaskClient, changes: dict, field: str, raw_input: str
) -> None:
    response = post_plan(client, **changes)
    assert response.status_code == 400, response.get_json()
    errors = response.get_json()["errors"]
    assert [(e["field"], e["input"]) for e in errors] == [(field, raw_input)]
    assert errors[0]["detail"] and "{" not in errors[0]["detail"]


def test_answer_errors_use_the_events_own_messages(client: FlaskClient) -> None:
    (error,) = post_plan(client, fund_member=True).get_json()["errors"]
    assert error["detail"] == "Enter the months of membership, or 0" and error["step"] == "work"


def test_every_missing_required_answer_is_reported(client: FlaskClient) -> None:
    response = client.post(f"{PLAN_URL}?lang=en", json={"answers": {}})
    assert response.status_code == 400
    fields = {e["field"] for e in response.get_json()["errors"]}
    # not the optional wage, YEL income or needs, nor membership_months (asked only of fund members)
    assert fields == {"reason", "first_day", "fund_member", "work_years", "age", "housing", "home"}


# --- the calculator ------------------------------------------------------------------------------------


def test_calculator_earnings_related_and_kela_in_2024(client: FlaskClient) -> None:
    response = calculate(client, monthly_wage=3000, fund_member="true", on="2024-10-01", lang="en")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["on"] == "2024-10-01"
    inputs = body["inputs"]
    assert (inputs["monthly_wage"], inputs["fund_member"], inputs["paid_days"]) == (eur(3000), True, 0)
    earnings = body["earnings_related"]
    assert earnings["kind"] == "earnings_related"
    assert earnings["daily_allowance"]["amount"] == "80.90"  # Money: a decimal string with two decimals
    assert earnings["monthly_estimate"]["amount"] == "1739.35"  # 80.90 × 21.5
    assert earnings["daily_wage"]["amount"] == "134.29"
    assert earnings["step_down_percent"] == 100 and earnings["estimate"] is False
    assert body["earnings_related_reason"] is None
    kela = body["kela"]
    assert (kela["kind"], kela["daily_allowance"]["amount"], kela["monthly_estimate"]["amount"]) == (
        "basic_allowance",
        "37.21",
        "800.02",
    )
    assert body["estimate"] is False
    texts = [s["text"] for s in earnings["breakdown"]]
    assert any("134.29" in t for t in texts) and all("{" not in t for t in texts)


def test_calculator_general_support_from_may_2026(client: FlaskClient) -> None:
    body = calculate(client, monthly_wage=3000, fund_member="true", on="2026-06-01", lang="en").get_json()
    assert body["kela"]["kind"] == "general_support"
    assert body["kela"]["daily_allowance"]["amount"] == "37.21"
    assert body["earnings_related"]["daily_allowance"]["amount"] == "80.85"  # 2026's 3.83 % (module docstring)
    assert body["earnings_related"]["daily_wage"]["amount"] == "134.19"
    assert body["earnings_related"]["estimate"] is False and body["estimate"] is False  # published


@pytest.mark.parametrize(
    "on, daily, monthly, estimate",
    [
        ("2024-10-01", "80.90", "1739.35", False),  # 3.76 %
        # 3.54 %: 3000 × 0.9646 / 21.5 = 134.595349…; 37.21 + 0.45 × 97.385349… = 81.033407… → 81.03;
        # 81.03 × 21.5 = 1742.145 → 1742.15
        ("2025-03-03", "81.03", "1742.15", False),
        ("2026-06-01", "80.85", "1738.28", False),  # 3.83 %
        ("2027-02-01", "80.85", "1738.28", True),  # 2027 not published: 3.83 % of 2026, flagged
    ],
)
def test_calculator_statutory_deduction_of_each_year(
    client: FlaskClient, on: str, daily: str, monthly: str, estimate: bool
) -> None:
    body = calculate(client, monthly_wage=3000, fund_member="true", on=on, lang="en").get_json()
    earnings = body["earnings_related"]
    assert (earnings["daily_allowance"]["amount"], earnings["monthly_estimate"]["amount"], earnings["estimate"]) == (
        daily,
        monthly,
        estimate,
    )
    assert body["estimate"] is estimate


def test_calculator_defaults_to_today(client: FlaskClient) -> None:
    body = calculate(client, monthly_wage=3000, fund_member="false", lang="en").get_json()
    assert body["on"] == "2026-11-22" and body["kela"]["kind"] == "general_support"


def test_calculator_non_member_gets_kela_only_with_a_reason(client: FlaskClient) -> None:
    body = calculate(client, monthly_wage=3000, fund_member="false", on="2024-10-01", lang="en").get_json()
    assert body["earnings_related"] is None
    assert body["earnings_related_reason"] == (
        "The earnings-related allowance is paid only to members of an unemployment fund."
    )
    assert body["kela"]["daily_allowance"]["amount"] == "37.21"


@pytest.mark.parametrize(
    "paid_days, daily, monthly, percent",
    [
        (39, "80.90", "1739.35", 100),  # the 40th paid day is still full
        (40, "64.72", "1391.48", 80),  # 0.80 × 80.895267… ; 64.72 × 21.5
        (169, "64.72", "1391.48", 80),
        (170, "60.67", "1304.41", 75),  # 0.75 × 80.895267… ; 60.67 × 21.5 = 1304.405 → 1304.41
    ],
)
def test_calculator_step_downs(client: FlaskClient, paid_days: int, daily: str, monthly: str, percent: int) -> None:
    body = calculate(
        client, monthly_wage=3000, fund_member="true", on="2024-10-01", paid_days=paid_days, lang="en"
    ).get_json()
    earnings = body["earnings_related"]
    assert (
        earnings["daily_allowance"]["amount"],
        earnings["monthly_estimate"]["amount"],
        earnings["step_down_percent"],
    ) == (daily, monthly, percent)
    assert body["inputs"]["paid_days"] == paid_days
    assert body["kela"]["daily_allowance"]["amount"] == "37.21"  # Kela's flat benefit does not step down


def test_calculator_accepts_finnish_notation(client: FlaskClient) -> None:
    body = calculate(client, monthly_wage="3 000,00", fund_member="TRUE", on="2024-10-01", lang="en").get_json()
    assert body["earnings_related"]["daily_allowance"]["amount"] == "80.90"


@pytest.mark.parametrize(
    "params, field",
    [
        ({"fund_member": "true"}, "monthly_wage"),  # missing
        ({"monthly_wage": "", "fund_member": "true"}, "monthly_wage"),
        ({"monthly_wage": "a lot", "fund_member": "true"}, "monthly_wage"),
        ({"monthly_wage": "-100", "fund_member": "true"}, "monthly_wage"),  # negative
        ({"monthly_wage": "20000000", "fund_member": "true"}, "monthly_wage"),  # over the cap
        ({"monthly_wage": "3000"}, "fund_member"),  # missing
        ({"monthly_wage": "3000", "fund_member": "yes"}, "fund_member"),
        ({"monthly_wage": "3000", "fund_member": "1"}, "fund_member"),
        ({"monthly_wage": "3000", "fund_member": "true", "paid_days": "-1"}, "paid_days"),
        ({"monthly_wage": "3000", "fund_member": "true", "paid_days": "ten"}, "paid_days"),
        ({"monthly_wage": "3000", "fund_member": "true", "paid_days": "500"}, "paid_days"),  # the longest maximum
        ({"monthly_wage": "3000", "fund_member": "true", "on": "2026-13-01"}, "on"),
        ({"monthly_wage": "3000", "fund_member": "true", "on": "1.12.2026"}, "on"),
        ({"monthly_wage": "3000", "fund_member": "true", "on": "2023-06-01"}, "on"),  # before the recorded rates
    ],
)
def test_calculator_errors_are_400_naming_the_field(client: FlaskClient, params: dict, field: str) -> None:
    response = calculate(client, lang="en", **params)
    assert response.status_code == 400, response.get_json()
    assert problem_fields(response) == [field]


def test_calculator_negative_paid_days_for_a_non_member_too(client: FlaskClient) -> None:
    response = calculate(client, monthly_wage=3000, fund_member="false", paid_days=-1, lang="en")
    assert response.status_code == 400 and response.get_json()["errors"][0]["field"] == "paid_days"


def test_calculator_in_finnish(client: FlaskClient) -> None:
    params = {"monthly_wage": 3000, "fund_member": "false", "on": "2024-10-01"}
    english = calculate(client, lang="en", **params)
    finnish = calculate(client, lang="fi", **params)
    assert finnish.status_code == 200 and finnish.headers["Content-Language"] == "fi"
    en, fi = english.get_json(), finnish.get_json()
    assert (
        fi["kela"]["daily_allowance"]["amount"] == en["kela"]["daily_allowance"]["amount"] == "37.21"
    )  # codes and figures stay
    assert fi["kela"]["kind"] == "basic_allowance"
    assert fi["earnings_related_reason"] and fi["earnings_related_reason"] != en["earnings_related_reason"]
    for fi_step, en_step in zip(fi["kela"]["breakdown"], en["kela"]["breakdown"]):
        assert fi_step["label"] == en_step["label"]  # the msgid for programs
        assert fi_step["text"] != en_step["text"]


def test_calculator_errors_in_finnish(client: FlaskClient) -> None:
    english = calculate(client, monthly_wage=3000, fund_member="maybe", lang="en").get_json()["errors"][0]
    finnish = calculate(client, monthly_wage=3000, fund_member="maybe", lang="fi").get_json()["errors"][0]
    assert finnish["field"] == english["field"] == "fund_member"
    assert finnish["detail"] != english["detail"]


def test_plan_in_finnish(client: FlaskClient) -> None:
    english, finnish = post_plan(client, "en").get_json(), post_plan(client, "fi").get_json()
    en_items = {i["id"]: i for i in english["checklist"]}
    fi_items = {i["id"]: i for i in finnish["checklist"]}
    assert set(fi_items) == set(en_items)
    assert fi_items["register_as_jobseeker"]["title"] != en_items["register_as_jobseeker"]["title"]
    assert comparison(finnish, "unemployment_income")["note"] != comparison(english, "unemployment_income")["note"]
