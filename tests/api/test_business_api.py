"""The JSON API for the starting-a-business life event: Liisa's plan, the business-start-costs calculator,
and the OpenAPI contract of both.

Figures are derived by hand from /work/shared/reference/rules-facts.md section 3 and its "Corrections and
additions, checked 2026-12" (arithmetic in the comments): start-up notice 70 € (toiminimi) / 280 € (oy, ay,
ky), confirmed for 2024, the 2024 figure as an estimate after, except an oy from 2026-01-01: 320 € (PRH's
current list, start date unconfirmed: an estimate; guided founding 240 €, paper 380 €); VAT liability OVER
20 000 € a year from 2025-01-01 (15 000 € before; from 2025 the previous calendar year counts too), general
rate 25.5 %; YEL for ages 18-68 from AT LEAST 9 010.28 € (2024) / 9 208.43 € (2025) / 9 423.09 € (2026),
contribution 24.10 % (2024, 2025; 25.60 % at ages 53-62) / 24.40 % (2026, all ages), first-time entrepreneurs
22 % off for 48 months, within 6 months of starting; food premises notice 4 weeks before starting (an
approval instead for food of animal origin); alcohol licence 1 365 € (2024 tariff, an estimate after);
corporate income tax 20 %, 18 % from 2027 (an estimate). A deadline on a Saturday, Sunday or public holiday
moves to the next weekday (Act 150/1930); one that is the start day itself, or today, does not.
"Today" is 2026-11-22, a Sunday (tests/conftest.py).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient

from configurator.comparisons import COMPARISONS
from tests.api.shapes import eur, problem_fields
from tests.conftest import TODAY

PLAN_URL = "/api/v2/life-events/business/plan"
COSTS_URL = "/api/v2/calculators/business-start-costs"

# Liisa (tests/helpers.py LIISA_STEPS) in the API's JSON types; she processes no food of animal origin.
LIISA_ANSWERS: dict[str, Any] = {
    "industries": ["food_service", "food_retail", "farming", "animals"],
    "organic": True,
    "animal_origin": False,
    "alcohol": True,
    "full_time": True,
    "unemployed": False,
    "partners": "alone",
    "company_form": "help",
    "turnover": 85000,
    "work_income": 24000,
    "employees": 1,
    "premises": {"postal_code": "21420"},
    "start_date": "2027-03-01",
}

# Liisa's checklist as the plan lists it: by due date, undated last, ties in the event's order.
# Start 2027-03-01 (a Monday). Practical advice moves to the weekday before, legal limits to the next weekday:
# alcohol licence (advice) − 2 months = 2027-01-01, New Year's Day (Friday) → Thursday 2026-12-31; food premises
# notice (law) − 4 weeks (28 days) = 2027-02-01 (Monday); company form − 2 weeks = 02-15 (Monday); start-up notice
# and prepayment − 1 week = 02-22 (Monday); start-up grant (advice) − 1 day = 2027-02-28 (February 2027 has 28
# days), a Sunday → Friday 2027-02-26; YEL + 6 months = 2027-09-01 (Wednesday).
LIISA_PLAN = [
    ("get_business_advice", "2026-11-22"),  # today, a Sunday: "as soon as you can" does not move
    ("apply_for_alcohol_licence", "2026-12-31"),
    ("notify_food_premises", "2027-02-01"),
    ("choose_company_form", "2027-02-15"),
    ("file_start_up_notice", "2027-02-22"),
    ("register_prepayment", "2027-02-22"),
    ("apply_for_start_up_grant", "2027-02-26"),
    ("register_for_vat", "2027-03-01"),  # 85 000 € > 20 000 €
    ("register_as_employer", "2027-03-01"),  # 1 employee
    ("take_out_myel", "2027-03-01"),  # farming: MYEL with Mela
    ("insure_employees", "2027-03-01"),
    ("consider_other_insurance", "2027-03-01"),
    ("notify_primary_production", "2027-03-01"),  # the farm's own notice
    ("join_organic_control", "2027-03-01"),
    ("register_animal_keeper", "2027-03-01"),
    ("arrange_bookkeeping", "2027-03-01"),
    ("file_vat_returns", "2027-05-12"),  # March's VAT by the 12th of the second month after it, then monthly
    ("take_out_yel", "2027-09-01"),  # 24 000 € ≥ 9 423.09 €
    ("apply_for_farm_subsidies", None),
]


def post_plan(client: FlaskClient, answers: dict[str, Any] | None = None, lang: str = "en", **body: Any) -> Any:
    return client.post(
        f"{PLAN_URL}?lang={lang}", json={"answers": LIISA_ANSWERS if answers is None else answers, **body}
    )


def liisa_with(**changes: Any) -> dict[str, Any]:
    answers = {**LIISA_ANSWERS, **changes}
    return {k: v for k, v in answers.items() if v is not None}


def costs(client: FlaskClient, **params: Any) -> Any:
    params.setdefault("lang", "en")
    return client.get(f"{COSTS_URL}?{urlencode(params)}")


def comparison(body: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(c for c in body["comparisons"] if c["kind"] == kind)


# --- life events ----------------------------------------------------------------------------------------


def test_life_events_lists_ecec_and_business(client: FlaskClient) -> None:
    events = {e["id"]: e for e in client.get("/api/v2/life-events?lang=en").get_json()["life_events"]}
    assert {"ecec", "business"} <= set(events)
    business = events["business"]
    assert business["title"] == "Start a business"
    # Finnish startups (KR2.8), establishing an enterprise (P11.1); no life-event code (KE7 is divorce, P18 geodata)
    assert business["codes"] == {"target_group": "KR2.8", "service_class": "P11.1"}
    assert business["links"] == {"self": "/api/v2/life-events/business", "plan": PLAN_URL}


def test_business_event_describes_its_questions(client: FlaskClient) -> None:
    body = client.get("/api/v2/life-events/business?lang=en").get_json()
    assert [s["id"] for s in body["steps"]] == ["idea", "founder", "money", "premises", "start"]
    idea = {q["id"]: q for q in body["steps"][0]["questions"]}
    assert idea["industries"]["type"] == "choices"
    assert [o["value"] for o in idea["industries"]["options"]][:4] == [
        "food_service",
        "food_retail",
        "farming",
        "animals",
    ]
    assert idea["alcohol"]["show_if"] == ["serves_food"] and idea["organic"]["show_if"] == ["produces_food"]
    assert list(idea) == ["industries", "organic", "animal_origin", "alcohol"]
    assert (idea["animal_origin"]["type"], idea["animal_origin"]["required"], idea["animal_origin"]["show_if"]) == (
        "yesno",
        True,
        ["food_business"],
    )
    founder = {q["id"]: q for q in body["steps"][1]["questions"]}
    age = founder["age"]
    assert (age["type"], age["required"], age["rules"]) == ("number", False, {"min": 15, "max": 100})
    # the hint names the YEL ages from the parameters, filled in
    assert (
        age["hint"].startswith("YEL pension insurance covers entrepreneurs aged 18 to 68,") and "{" not in age["hint"]
    )


# --- Liisa's plan ---------------------------------------------------------------------------------------


def test_liisas_plan_checklist_and_due_dates(client: FlaskClient) -> None:
    response = post_plan(client)
    assert response.status_code == 200, response.get_json()
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["life_event"] == "business" and body["today"] == TODAY.isoformat()
    assert [(e["id"], e["due"]) for e in body["checklist"]] == LIISA_PLAN
    entries = {e["id"]: e for e in body["checklist"]}
    assert entries["notify_food_premises"]["title"] == "Send the food premises registration notice"
    assert entries["notify_food_premises"]["channel"] == "eservice"
    assert not any(e["overdue"] for e in body["checklist"])
    # the texts name the figures in force, filled in: 4 weeks, 6 months
    notice = entries["notify_food_premises"]
    assert notice["due_explanation"] == "At least 4 weeks before you start."
    assert "at least 4 weeks before you start" in notice["why"]
    assert entries["take_out_yel"]["due_explanation"] == "Within 6 months of starting."
    assert not any("{" in (e["why"] + (e["how"] or "") + (e["due_explanation"] or "")) for e in body["checklist"])
    # farming: MYEL with Mela; the alcohol licence from the Finnish Supervisory Agency since 2026
    assert entries["take_out_myel"]["responsible"]["url"] == "https://www.mela.fi/en"
    assert "Lupa- ja valvontavirasto" in entries["apply_for_alcohol_licence"]["responsible"]["name"]
    # the farm subsidies: a yearly application period whose dates the Finnish Food Authority publishes
    subsidies = entries["apply_for_farm_subsidies"]
    assert subsidies["due"] is None and subsidies["due_explanation"] is None
    assert "once a year" in subsidies["how"] and not re.search(r"\d", subsidies["how"] + subsidies["why"])


def test_liisas_plan_checklist_figures(client: FlaskClient) -> None:
    entries = {e["id"]: e for e in post_plan(client).get_json()["checklist"]}
    fee = entries["file_start_up_notice"]["figures"]
    # "help me choose", alone: the fitting forms toiminimi (70 €, the 2024 figure as an estimate) and oy (320 €,
    # PRH's current list from 2026-01-01, unconfirmed start: an estimate; guided 240 € and paper 380 € named)
    assert [(f["amount"], f["valid_from"], f["estimate"]) for f in fee] == [
        (eur(70), "2024-01-01", True),
        (eur(320), "2026-01-01", True),
        (None, "2026-01-01", True),
    ]
    assert fee[2]["values"] == {"guided": 240, "paper": 380}
    assert all(f["source"] and "{" not in f["text"] for f in fee)
    vat = entries["register_for_vat"]["figures"]
    # obligatory; from 2025 the previous calendar year counts too; then the 25.5 % rate
    assert vat[0]["values"] == {"turnover": 85000, "threshold": 20000}
    assert vat[1]["values"] == {"threshold": 20000} and "previous calendar year" in vat[1]["text"]
    assert vat[2]["values"] == {"rate": 25.5}
    # 1 365 € (950 € reduced), the 2024 tariff, an estimate for 2027
    alcohol = entries["apply_for_alcohol_licence"]["figures"]
    assert [(f["amount"], f["valid_from"], f["estimate"]) for f in alcohol] == [(eur(1365), "2024-01-01", True)]
    assert alcohol[0]["values"] == {"fee": 1365, "reduced": 950}
    # 24 000 × 24.40 % = 5 856 €; × (1 − 22 %) = 4 567.68 €
    assert [f["amount"] for f in entries["take_out_yel"]["figures"]][2:] == [eur(5856), eur("4567.68")]
    # 37.21 €/day; 37.21 × 21.5 = 800.015 → about 800 € a month
    assert [f["amount"] for f in entries["apply_for_start_up_grant"]["figures"]][:2] == [eur("37.21"), eur(800)]
    assert entries["arrange_bookkeeping"]["figures"] == []


def test_liisas_plan_company_forms(client: FlaskClient) -> None:
    body = post_plan(client).get_json()
    assert [c["kind"] for c in body["comparisons"]] == ["company_forms", "nearby_services"]
    assert body["comparisons"][0] == body["comparisons"][0]
    forms = comparison(body, "company_forms")
    assert forms["start"] == "2027-03-01" and forms["chosen"] is None and forms["costs"] is None
    assert forms["estimate"] is True
    # alone: a sole trader and a limited company fit; the partnerships need two partners
    # 2027: toiminimi 70 €, oy 320 €, ay / ky 280 €
    assert [(f["form"], f["fits"], f["chosen"], f["registration_fee"]) for f in forms["forms"]] == [
        ("toiminimi", True, False, eur(70)),
        ("oy", True, False, eur(320)),
        ("ay", False, False, eur(280)),
        ("ky", False, False, eur(280)),
    ]
    oy = forms["forms"][1]
    assert oy["minimum_capital"] == eur(0) and forms["forms"][0]["minimum_capital"] is None
    # a 2027 start: corporate income tax 18 % (from 2027-01-01, enactment unconfirmed); placeholders filled
    assert "18 %" in oy["taxation"] and "20 %" not in oy["taxation"] and "{" not in oy["pension"]
    assert any("20,000 €" in reason for reason in oy["reasons"])  # over the VAT threshold


def test_liisas_plan_nearby_services(client: FlaskClient) -> None:
    body = post_plan(client).get_json()
    services = comparison(body, "nearby_services")
    # full time, food and farming: all four kinds, in the event's order
    assert services["near"] == "premises"
    assert services["kinds"] == ["business_advice", "employment_services", "food_control", "rural_business"]
    rows = services["rows"]
    assert rows and {r["kind"] for r in rows} | set(services["missing_kinds"]) == set(services["kinds"])
    order = [(services["kinds"].index(r["kind"]), r["distance_km"]) for r in rows]
    assert order == sorted(order)  # grouped by kind, nearest first
    food = [r for r in rows if r["kind"] == "food_control"]
    assert food and food[0]["kind_label"] == "Food control authority"
    for row in rows:
        assert row["is_demo"] is True and isinstance(row["distance_km"], (int, float))
        if row["next_free_appointment"] is not None:
            assert datetime.fromisoformat(row["next_free_appointment"]).date() >= TODAY
    # the food-control tasks name the same organisation as the food-control table
    for task_id in ("notify_food_premises", "notify_primary_production"):
        task = next(e for e in body["checklist"] if e["id"] == task_id)
        assert task["responsible"]["name"] == "The food control authority of your municipality"
        assert task["responsible"]["organisation"] == food[0]["organisation"]


def test_plan_with_food_of_animal_origin_asks_for_the_approval(client: FlaskClient) -> None:
    body = post_plan(client, liisa_with(animal_origin=True)).get_json()
    due = {e["id"]: e["due"] for e in body["checklist"]}
    assert "notify_food_premises" not in due  # the notice is not enough
    assert due["apply_for_food_premises_approval"] == "2027-03-01"  # granted before the start (a Monday)
    approval = next(e for e in body["checklist"] if e["id"] == "apply_for_food_premises_approval")
    assert approval["due_explanation"] == "The approval must be granted before you start."
    assert approval["responsible"]["name"] == "The food control authority of your municipality"


def test_plan_with_a_chosen_form_gives_its_costs(client: FlaskClient) -> None:
    body = post_plan(client, liisa_with(company_form="toiminimi")).get_json()
    forms = comparison(body, "company_forms")
    assert forms["chosen"] == "toiminimi" and [f["chosen"] for f in forms["forms"]] == [True, False, False, False]
    c = forms["costs"]
    # 70 €; 85 000 € > 20 000 € → VAT; 24 000 € ≥ 9 423.09 € → YEL (2027: the 2026 figures as estimates):
    # 24 000 × 24.40 % = 5 856 €, × (1 − 22 %) = 4 567.68 €
    assert (c["company_form"], c["registration_fee"], c["vat_required"], c["yel_required"], c["yel_applies"]) == (
        "toiminimi",
        eur(70),
        True,
        True,
        True,
    )
    assert (c["yel_contribution"], c["yel_contribution_first_entrepreneur"]) == (eur(5856), eur("4567.68"))
    entries = {e["id"]: e for e in body["checklist"]}
    assert [f["amount"] for f in entries["file_start_up_notice"]["figures"]] == [eur(70)]


def test_plan_of_a_part_time_consultant(client: FlaskClient) -> None:
    # services only (the follow-up questions are hidden, so their answers are ignored), part time, alone,
    # sole trader, 15 000 € turnover (≤ 20 000 €), 12 000 € work income (≥ 9 423.09 €), no employees;
    # start 2027-01-15 (Friday): company form (advice) − 2 weeks = 2027-01-01, New Year's Day (Friday) → Thursday
    # 2026-12-31;
    # start-up notice − 1 week = 2027-01-08 (Friday); YEL + 6 months = 2027-07-15 (Thursday)
    answers = liisa_with(
        industries="services",
        organic=True,
        animal_origin=True,
        alcohol=True,
        full_time=False,
        company_form="toiminimi",
        turnover="15000",
        work_income="12000",
        employees=0,
        premises={"postal_code": "20100"},
        start_date="2027-01-15",
    )
    response = post_plan(client, answers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert [(e["id"], e["due"]) for e in body["checklist"]] == [
        ("get_business_advice", "2026-11-22"),
        ("choose_company_form", "2026-12-31"),
        ("file_start_up_notice", "2027-01-08"),
        ("register_prepayment", "2027-01-08"),
        ("consider_other_insurance", "2027-01-15"),
        ("arrange_bookkeeping", "2027-01-15"),
        ("take_out_yel", "2027-07-15"),
    ]
    assert comparison(body, "nearby_services")["kinds"] == ["business_advice"]
    c = comparison(body, "company_forms")["costs"]
    assert (c["registration_fee"], c["vat_required"], c["yel_required"]) == (eur(70), False, True)


# --- invalid answers ------------------------------------------------------------------------------------


def errors_of(response: Any) -> dict[str, dict[str, Any]]:
    assert response.status_code == 400, response.get_json()
    return {e["field"]: e for e in response.get_json()["errors"]}


@pytest.mark.parametrize(
    "changes, field, input_, step, message",
    [
        (dict(industries=None), "industries", "industries", "idea", "Select what your business will do"),
        (dict(industries=[]), "industries", "industries", "idea", "Select what your business will do"),
        (
            dict(industries=["food_service", "bakery"]),
            "industries",
            "industries",
            "idea",
            "Select only the options shown",
        ),
        (
            dict(industries=["farming"], organic=None),
            "organic",
            "organic",
            "idea",
            "Select yes if you will produce or sell organic food",
        ),
        (
            dict(animal_origin=None),
            "animal_origin",
            "animal_origin",
            "idea",
            "Select yes if you will process food of animal origin",
        ),
        (dict(animal_origin="sometimes"), "animal_origin", "animal_origin", "idea", "Select yes or no"),
        (dict(alcohol=None), "alcohol", "alcohol", "idea", "Select yes if you will serve alcoholic drinks"),
        (dict(alcohol="maybe"), "alcohol", "alcohol", "idea", "Select yes or no"),
        (dict(partners="three"), "partners", "partners", "founder", "Select one of the options"),
        (dict(age=14), "age", "age", "founder", "Enter an age of at least 15"),
        (dict(age=101), "age", "age", "founder", "Enter an age of at most 100"),
        (dict(age=30.5), "age", "age", "founder", "Enter your age as a whole number, like 26"),
        (
            dict(company_form=None),
            "company_form",
            "company_form",
            "founder",
            'Select a company form, or "Help me choose"',
        ),
        (dict(turnover=-1), "turnover", "turnover", "money", "The sales cannot be negative"),
        (dict(turnover="lots"), "turnover", "turnover", "money", "Enter the sales in euros, like 45000"),
        (dict(work_income=None), "work_income", "work_income", "money", "Enter a yearly pay for your work, or 0"),
        (
            dict(employees=1.5),
            "employees",
            "employees",
            "money",
            "Enter the number of employees as a whole number, like 2",
        ),
        (
            dict(premises={"postal_code": "00001"}),
            "premises",
            "premises-postal_code",
            "premises",
            "Enter a postal code that exists in Finland",
        ),
        (
            dict(premises={"postal_code": "2142"}),
            "premises",
            "premises-postal_code",
            "premises",
            "Enter a postal code of five digits, like 20100",
        ),
        # A point near Helsinki, far from every known centroid, without a postal code: only the postal code is asked
        (
            dict(premises={"lat": 60.17, "lon": 24.94}),
            "premises",
            "premises-postal_code",
            "premises",
            "Enter the postal code as well: the point on the map does not tell which municipality it is in",
        ),
        (
            dict(premises=None),
            "premises",
            "premises-postal_code",
            "premises",
            "Enter the postal code of your premises, or choose the place on the map",
        ),
        (
            dict(start_date="2026-11-21"),
            "start_date",
            "start_date-day",
            "start",
            "The start date must be today or in the future",
        ),
        # today + 3 years = 2029-11-22 is the last allowed day
        (
            dict(start_date="2029-11-23"),
            "start_date",
            "start_date-day",
            "start",
            "The start date must be within three years from today",
        ),
        (
            dict(start_date="1.3.2027"),
            "start_date",
            "start_date-day",
            "start",
            "Enter a real date, for example 27 3 2025",
        ),
    ],
)
def test_plan_rejects_missing_and_invalid_answers(
    client: FlaskClient, changes: dict, field: str, input_: str, step: str, message: str
) -> None:
    errors = errors_of(post_plan(client, liisa_with(**changes)))
    assert set(errors) == {field}
    assert (errors[field]["input"], errors[field]["step"], errors[field]["detail"]) == (input_, step, message)


def test_plan_for_premises_outside_the_demo_area_lists_no_services_and_says_why(client: FlaskClient) -> None:
    """99999 (Korvatunturi, Rovaniemi 698) exists but has no centroid and lies outside the catalogue's area: the
    plan is made (no longer "choose a point on the map instead"), its checklist and company forms as anywhere,
    and the services comparison lists nothing, with the reason and the municipalities covered."""
    response = post_plan(client, liisa_with(premises={"postal_code": "99999"}))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    services = comparison(body, "nearby_services")
    assert services["rows"] == [] and services["missing_kinds"] == []
    assert services["coverage_gap"] == {
        "reason": "outside",
        "municipality_code": "698",
        "municipality": "Rovaniemi",
        "postal_code": "99999",
        "covered_municipalities": ["Kaarina", "Lieto", "Naantali", "Raisio", "Turku"],
    }
    assert comparison(body, "company_forms")["forms"]
    assert [entry["id"] for entry in body["checklist"]][0] == "get_business_advice"


def test_plan_accepts_the_last_allowed_start_date(client: FlaskClient) -> None:
    assert post_plan(client, liisa_with(start_date="2029-11-22")).status_code == 200


def test_plan_reports_every_error_and_unknown_questions(client: FlaskClient) -> None:
    answers = liisa_with(industries=None, turnover=-5, revenue=100)
    errors = errors_of(post_plan(client, answers))
    assert set(errors) == {"industries", "turnover", "revenue"}
    assert errors["revenue"]["step"] is None and "revenue" in errors["revenue"]["detail"]


def test_plan_without_answers_names_every_required_question(client: FlaskClient) -> None:
    errors = errors_of(post_plan(client, {}))
    assert set(errors) == {
        "industries",
        "full_time",
        "unemployed",
        "partners",
        "company_form",
        "turnover",
        "work_income",
        "employees",
        "premises",
        "start_date",
    }


# --- the business-start-costs calculator ----------------------------------------------------------------


def test_costs_at_the_vat_and_yel_thresholds(client: FlaskClient) -> None:
    response = costs(client, company_form="toiminimi", turnover=20000, work_income="9423.09", on="2026-03-01")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    # 20 000 € is not OVER 20 000 €: no VAT; 9 423.09 € is AT LEAST the 2026 minimum: YEL.
    # 9 423.09 × 24.40 % = 2 299.23396 → 2 299.23 €; × 0.78 = 1 793.40249 → 1 793.40 €
    assert (body["registration_fee"], body["vat_required"], body["yel_required"], body["yel_applies"]) == (
        eur(70),
        False,
        True,
        True,
    )  # {"amount": "70.00", "currency": "EUR"}: the one shape of money
    assert (body["vat_threshold"], body["yel_threshold"]) == (eur(20000), eur("9423.09"))
    assert (body["yel_contribution"], body["yel_contribution_first_entrepreneur"]) == (eur("2299.23"), eur("1793.40"))
    assert body["estimate"] is True  # the 70 € fee is confirmed for 2024 only
    assert body["on"] == "2026-03-01"
    inputs = body["inputs"]
    assert {k: inputs[k] for k in ("company_form", "turnover", "work_income")} == {
        "company_form": "toiminimi",
        "turnover": eur(20000),
        "work_income": eur("9423.09"),
    }
    assert all(inputs[k] is None for k in set(inputs) - {"company_form", "turnover", "work_income"})  # not given
    breakdown = body["breakdown"]
    for item in breakdown:
        assert date.fromisoformat(item["valid_from"]) <= date(2026, 3, 1)
        assert item["source"] and item["rule"] and "{" not in item["text"]
    # the fee; VAT voluntary, and the current-or-previous-year rule of 2025; the role; YEL (the 4 months of
    # activity), the 6 months to insure, the contribution and the discount; one rate for all ages in 2026
    assert [b["text"] for b in breakdown] == [
        "Start-up notice fee for a sole trader (toiminimi) in the YTJ e-service: 70 €",
        "Yearly turnover 20,000 € is not more than the VAT registration threshold of 20,000 €: registering for VAT "
        "is voluntary",
        "You are liable for VAT when your turnover exceeds 20,000 € in the current or the previous calendar year; "
        "the liability starts when the threshold is exceeded",
        "A sole trader is insured under YEL",
        "Work income 9,423.09 € a year is at least the YEL minimum of 9,423.09 €: YEL insurance is obligatory when "
        "your business work lasts at least 4 months",
        "Take out YEL insurance within 6 months of starting the business",
        "Estimated yearly YEL contribution: 9,423.09 € × 24.4 % = 2,299.23 €",
        "As a first-time entrepreneur you get a 22 % discount for the first 48 months: 9,423.09 € × 24.4 % × "
        "(100 % − 22 %) = 1,793.40 €",  # cents always with two decimals
    ]
    assert (breakdown[0]["amount"], breakdown[0]["valid_from"], breakdown[0]["estimate"]) == (
        eur(70),
        "2024-01-01",
        True,
    )
    assert not any(b["estimate"] for b in breakdown[1:])  # the 2026 VAT and YEL figures are confirmed


@pytest.mark.parametrize(
    "turnover, required", [("20000", False), ("20001", True), ("20000.01", True), ("20 000,01", True), ("0", False)]
)
def test_costs_vat_switches_over_20000(client: FlaskClient, turnover: str, required: bool) -> None:
    body = costs(client, company_form="oy", turnover=turnover, work_income=0, on="2026-03-01").get_json()
    assert body["vat_required"] is required and body["vat_threshold"] == eur(20000)
    rate_steps = [b for b in body["breakdown"] if b["values"].get("rate") == 25.5]
    assert len(rate_steps) == (1 if required else 0)  # 25.5 % general rate only when obligatory


@pytest.mark.parametrize(
    "work_income, on, required",
    [
        ("9010.27", "2024-06-01", False),
        ("9010.28", "2024-06-01", True),  # 2024 minimum 9 010.28 €
        ("9208.42", "2025-06-01", False),
        ("9208.43", "2025-06-01", True),  # 2025 minimum 9 208.43 €
        ("9423.08", "2026-03-01", False),
        ("9423.09", "2026-03-01", True),  # 2026 minimum 9 423.09 €
        ("9300", "2026-03-01", False),
        ("9300", "2025-06-01", True),
        ("9423.08", "2027-02-01", False),
        ("9423.09", "2027-02-01", True),  # 2027: the 2026 figure as an estimate
    ],
)
def test_costs_yel_threshold_by_year(client: FlaskClient, work_income: str, on: str, required: bool) -> None:
    body = costs(client, company_form="toiminimi", turnover=0, work_income=work_income, on=on).get_json()
    assert body["yel_required"] is required
    assert (body["yel_contribution"] is None) is (not required)  # a rate is recorded for every year from 2024


@pytest.mark.parametrize(
    "on, work_income, contribution, discounted, threshold, estimate",
    [
        # 2024: 9 010.28 × 24.10 % = 2 171.47748 → 2 171.48 €; × 0.78 = 1 693.7524344 → 1 693.75 €
        ("2024-06-01", "9010.28", "2171.48", "1693.75", "9010.28", False),
        # 2025: 9 208.43 × 24.10 % = 2 219.23163 → 2 219.23 €; × 0.78 = 1 730.9986714 → 1 731.00 €
        ("2025-06-01", "9208.43", "2219.23", "1731.00", "9208.43", False),
        # 2026: 24 000 × 24.40 % = 5 856.00 €; × 0.78 = 4 567.68 €
        ("2026-03-01", "24000", "5856.00", "4567.68", "9423.09", False),
        # 2027: neither the minimum nor the rate is known: the 2026 ones as estimates, 24 000 × 24.40 % = 5 856.00 €
        ("2027-02-01", "24000", "5856.00", "4567.68", "9423.09", True),
    ],
)
def test_costs_yel_contribution_by_year(
    client: FlaskClient, on: str, work_income: str, contribution: str, discounted: str, threshold: str, estimate: bool
) -> None:
    body = costs(client, company_form="toiminimi", turnover=0, work_income=work_income, on=on).get_json()
    assert (body["yel_contribution"], body["yel_contribution_first_entrepreneur"]) == (
        eur(contribution),
        eur(discounted),
    )
    assert body["yel_threshold"] == eur(threshold)
    yel_steps = [b for b in body["breakdown"] if "YEL minimum" in b["text"] or "YEL contribution" in b["text"]]
    assert yel_steps and all(b["estimate"] is estimate for b in yel_steps)
    # before 2026 the rate of ages 53-62 (25.60 %) is named, since no age is given; in 2026 one rate for all
    older = [b for b in body["breakdown"] if b["values"].get("rate") == 25.6]
    assert len(older) == (1 if on < "2026" else 0)


@pytest.mark.parametrize("form, fee, yel_applies", [("oy", 320, None), ("ay", 280, True), ("ky", 280, True)])
def test_costs_other_forms(client: FlaskClient, form: str, fee: int, yel_applies: bool | None) -> None:
    # 2026: an oy 320 € (PRH's current list, an estimate); ay and ky the 2024 figure 280 €, an estimate
    body = costs(client, company_form=form, turnover=1000, work_income=24000, on="2026-03-01").get_json()
    assert (body["company_form"], body["registration_fee"], body["yel_applies"]) == (form, eur(fee), yel_applies)
    assert body["breakdown"][0]["estimate"] is True


@pytest.mark.parametrize(
    "on, fee, valid_from, estimate",
    [
        ("2024-06-01", 280, "2024-01-01", False),  # regulation 1247/2023
        ("2025-06-01", 280, "2024-01-01", True),  # the 2024 figure, not confirmed for 2025
        ("2025-12-31", 280, "2024-01-01", True),
        ("2026-01-01", 320, "2026-01-01", True),  # PRH's current list, start date unconfirmed
        ("2027-06-01", 320, "2026-01-01", True),
    ],
)
def test_costs_oy_fee_by_year(client: FlaskClient, on: str, fee: int, valid_from: str, estimate: bool) -> None:
    body = costs(client, company_form="oy", turnover=0, work_income=0, on=on).get_json()
    assert body["registration_fee"] == eur(fee)
    first = body["breakdown"][0]
    assert (first["amount"], first["valid_from"], first["estimate"]) == (eur(fee), valid_from, estimate)
    channels = [b for b in body["breakdown"] if "guided founding" in b["text"]]
    if on >= "2026":
        assert [c["values"] for c in channels] == [{"guided": 240, "paper": 380}]
        assert channels[0]["text"] == (
            "With YTJ's guided founding (model articles, online only) 240 €; a start-up notice on paper 380 €"
        )
    else:
        assert channels == []


def test_costs_date_defaults_to_today(client: FlaskClient) -> None:
    body = costs(client, company_form="toiminimi", turnover=0, work_income=0).get_json()
    assert body["on"] == TODAY.isoformat() and body["yel_threshold"] == eur("9423.09")


def test_costs_in_2024_use_the_2024_vat_threshold_and_yel_minimum(client: FlaskClient) -> None:
    """2024: VAT over 15 000 €, the YEL minimum 9 010.28 € (recorded now, so no longer null)."""
    response = costs(client, company_form="toiminimi", turnover=16000, work_income=0, on="2024-06-01")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["vat_required"] is True and body["vat_threshold"] == eur(15000) and body["registration_fee"] == eur(70)
    # 0 € < 9 010.28 €: not obligatory, with the 2024 minimum named
    assert body["yel_required"] is False and body["yel_threshold"] == eur("9010.28")
    assert body["estimate"] is False  # every 2024 figure is confirmed
    # 2024 counts the year's own turnover only: no current-or-previous-year step
    assert not any("previous calendar year" in b["text"] for b in body["breakdown"])


@pytest.fixture()
def document(client: FlaskClient) -> dict[str, Any]:
    return client.get("/api/v2/openapi.json").get_json()


def declares(document: dict[str, Any], name: str) -> bool:
    operation = document["paths"]["/api/v2/calculators/business-start-costs"]["get"]
    return name in {parameter.get("name") for parameter in operation["parameters"]}


def test_costs_with_the_founders_age(client: FlaskClient, document: dict[str, Any]) -> None:
    assert declares(document, "age")
    # 2025, 24 000 €: at 55, 25.60 %: 6 144.00 €, × 0.78 = 4 792.32 €; at 30, 24.10 %: 5 784.00 €
    at_55 = costs(client, company_form="toiminimi", turnover=0, work_income=24000, on="2025-06-01", age=55).get_json()
    assert (at_55["yel_required"], at_55["yel_contribution"], at_55["yel_contribution_first_entrepreneur"]) == (
        True,
        eur(6144),
        eur("4792.32"),
    )
    at_30 = costs(client, company_form="toiminimi", turnover=0, work_income=24000, on="2025-06-01", age=30).get_json()
    assert at_30["yel_contribution"] == eur(5784)
    # 2026: 24.40 % for all ages: 5 856.00 € at 55 too
    assert costs(client, company_form="toiminimi", turnover=0, work_income=24000, on="2026-03-01", age=55).get_json()[
        "yel_contribution"
    ] == eur(5856)
    # 17 and 69: not obligatory, with the reason; 18 and 68: obligatory
    for age, required in ((17, False), (18, True), (68, True), (69, False)):
        body = costs(
            client, company_form="toiminimi", turnover=0, work_income=24000, on="2026-03-01", age=age
        ).get_json()
        assert body["yel_required"] is required, age
        if not required:
            assert body["yel_contribution"] is None
            assert f"At {age} YEL insurance is not obligatory: it covers entrepreneurs aged 18 to 68" in [
                b["text"] for b in body["breakdown"]
            ]


def test_costs_with_last_years_turnover(client: FlaskClient, document: dict[str, Any]) -> None:
    assert declares(document, "previous_year_turnover"), "the OpenAPI document does not declare last year's turnover"
    # 2025: this year 10 000 €, last year 25 000 € > 20 000 € → liable this year too
    body = costs(
        client, company_form="toiminimi", turnover=10000, work_income=0, on="2025-06-01", previous_year_turnover=25000
    ).get_json()
    assert body["vat_required"] is True
    assert (
        "Last year's turnover 25,000 € was more than the VAT registration threshold of 20,000 €: you are "
        "liable for VAT this year too"
    ) in [b["text"] for b in body["breakdown"]]
    # 2024: only the year's own turnover counts (15 000 € threshold)
    body = costs(
        client, company_form="toiminimi", turnover=10000, work_income=0, on="2024-06-01", previous_year_turnover=25000
    ).get_json()
    assert body["vat_required"] is False


@pytest.mark.parametrize(
    "params, field",
    [
        (dict(turnover=1, work_income=1), "company_form"),
        (dict(company_form="osuuskunta", turnover=1, work_income=1), "company_form"),
        (dict(company_form="OY", turnover=1, work_income=1), "company_form"),
        (dict(company_form="help", turnover=1, work_income=1), "company_form"),
        (dict(company_form="oy", work_income=1), "turnover"),
        (dict(company_form="oy", turnover=-1, work_income=1), "turnover"),
        (dict(company_form="oy", turnover="abc", work_income=1), "turnover"),
        (dict(company_form="oy", turnover="1e5", work_income=1), "turnover"),
        (dict(company_form="oy", turnover="NaN", work_income=1), "turnover"),
        (dict(company_form="oy", turnover="2000000000", work_income=1), "turnover"),
        (dict(company_form="oy", turnover=1), "work_income"),
        (dict(company_form="oy", turnover=1, work_income="-0.01"), "work_income"),
        (dict(company_form="oy", turnover=1, work_income=1, on="2026-02-30"), "on"),
        (dict(company_form="oy", turnover=1, work_income=1, on="1.3.2026"), "on"),
        (dict(company_form="oy", turnover=1, work_income=1, on="2023-06-01"), "on"),  # before any recorded figure
        (dict(company_form="oy", turnover=1, work_income=1, lang="de"), "lang"),
    ],
)
def test_costs_errors_name_the_parameter(client: FlaskClient, params: dict, field: str) -> None:
    response = costs(client, **params)
    assert response.status_code == 400 and problem_fields(response) == [field]


def test_costs_error_messages(client: FlaskClient) -> None:
    assert costs(client, company_form="x", turnover=1, work_income=1).get_json()["detail"] == (
        "Use one of these values: toiminimi, oy, ay, ky."
    )
    assert costs(client, company_form="oy", turnover=-1, work_income=1).get_json()["detail"] == (
        "Turnover cannot be negative."
    )


def test_costs_in_finnish_format_numbers_and_translate_every_step(app: Flask, client: FlaskClient) -> None:
    from flask_babel import force_locale

    from portal.i18n import translate_with

    params = dict(company_form="toiminimi", turnover=20000, work_income="9423.09", on="2026-03-01")
    english = costs(client, **params).get_json()
    response = costs(client, **params, lang="fi")
    assert response.headers["Content-Language"] == "fi"
    finnish = response.get_json()
    assert [b["label"] for b in finnish["breakdown"]] == [b["label"] for b in english["breakdown"]]  # ids stay
    assert finnish["registration_fee"] == english["registration_fee"] == eur(70)  # amounts do not change
    # the texts are the Finnish catalog's, filled with Finnish number formats (9 423,09 with a no-break space)
    with app.test_request_context("/fi/"), force_locale("fi"):
        from flask import g

        g.lang_code = "fi"
        for item in finnish["breakdown"]:
            raw_values = {k: v for k, v in item["values"].items()}
            assert item["text"] == translate_with(item["label"], raw_values)
    yel = next(b for b in finnish["breakdown"] if b["values"].get("threshold") == 9423.09)
    assert "9\u00a0423,09" in yel["text"] and "9,423.09" not in yel["text"]
    assert "9,423.09" in next(b for b in english["breakdown"] if b["values"].get("threshold") == 9423.09)["text"]


# --- the OpenAPI contract (the document is generated from the models: tests/api/test_openapi.py) -------------


def test_the_plan_model_has_every_comparison_kind() -> None:
    from portal.api import models, serialize

    plan = models.Plan.model_json_schema()
    union = plan["properties"]["comparisons"]["items"]
    assert set(union["discriminator"]["mapping"]) == set(COMPARISONS) == set(serialize.COMPARISONS)
