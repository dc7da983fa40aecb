"""The JSON API: fee figures derived by hand from the rules, the plan built by the journey's own rules, the contract.

Fee expectations are worked out by hand from /work/shared/reference/rules-facts.md
(the arithmetic is in the comments), never copied from the code's output, so a
wrong parameter or rounding rule fails here. "Today" is 2026-11-22 (tests/conftest.py).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.catalogue_repo import SqlEcecCatalogue
from portal.extensions import db
from tests.api.shapes import eur, problem_fields
from tests.conftest import TODAY

FEE_URL = "/api/v2/calculators/ecec-fee"
PLAN_URL = "/api/v2/life-events/ecec/plan"
TURKU = "853"

# The answers of tests/helpers.py ECEC_STEPS, in the API's JSON types.
ECEC_ANSWERS: dict[str, Any] = {
    "child_birth_date": "2025-03-15",
    "start_date": "2027-08-12",
    "hours_per_week": 30,
    "care_language": "fi",
    "shift_care": False,
    "sudden_need": False,
    "home": {"postal_code": "20100"},
    "work": {"postal_code": "20520"},
    "family_size": 3,
    "income": 6000,
    "other_children_in_ecec": 0,
    "consider_private": True,
}
START = date(2027, 8, 12)


def fee(client: FlaskClient, **params: Any) -> Any:
    return client.get(f"{FEE_URL}?{urlencode(params)}")


def post_plan(client: FlaskClient, lang: str = "en", **body: Any) -> Any:
    body.setdefault("answers", ECEC_ANSWERS)
    return client.post(f"{PLAN_URL}?lang={lang}", json=body)


def answers_with(**changes: Any) -> dict[str, Any]:
    answers = {**ECEC_ANSWERS, **changes}
    return {k: v for k, v in answers.items() if v is not None}


def half_up(x: Decimal) -> int:
    return int(x.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def turku_coefficient(app: Flask, hours: int, on: date) -> Decimal:
    """Turku's part-time step for these hours, read from the demo catalogue (not hard-coded)."""
    with app.app_context():
        pricing = SqlEcecCatalogue(db.session, on).municipal_pricing(TURKU, on)
    assert pricing is not None
    return next(coefficient for max_hours, coefficient in pricing.part_time_steps if hours <= max_hours)


def nearest_km(row: dict[str, Any]) -> float:
    return min(d for d in (row["distance_home_km"], row["distance_work_km"]) if d is not None)


# --- the fee calculator: figures by hand -----------------------------------------------------------

HAND_COMPUTED = [
    # 1.8.2024 period: limit(3) 5245, 10.7 %: 0.107 × (6000 − 5245) = 0.107 × 755 = 80.785 → 81
    (dict(family_size=3, income=6000, hours_per_week=40, on="2025-01-01"), 81, False),
    # 1.8.2026 (Ministry notice 1028/2025): limit(3) 5635: 0.107 × (6000 − 5635) = 0.107 × 365 = 39.055 → 39
    (dict(family_size=3, income=6000, hours_per_week=40, on="2026-09-01"), 39, False),
    # the same family one day earlier, in the 1.8.2024 period: 81 (42 € more)
    (dict(family_size=3, income=6000, hours_per_week=40, on="2026-07-31"), 81, False),
    # limit(2) 4066: 0.107 × (10000 − 4066) = 0.107 × 5934 = 634.938 → 635 > max 311 → 311
    (dict(family_size=2, income=10000, hours_per_week=40, on="2025-01-01"), 311, False),
    # 1.8.2026: limit(2) 4369: 0.107 × (10000 − 4369) = 602.517 → 603 > max 335 → 335
    (dict(family_size=2, income=10000, hours_per_week=40, on="2026-09-01"), 335, False),
    # 1.8.2026: family of 2 at 4663: 0.107 × (4663 − 4369) = 31.458 → 31 < minimum 32 → not charged
    (dict(family_size=2, income=4663, hours_per_week=40, on="2026-09-01"), 0, False),
    # 1.8.2028 figures are not published: the 1.8.2026 ones, flagged as an estimate → 39
    (dict(family_size=3, income=6000, hours_per_week=40, on="2028-09-01"), 39, True),
    # second child: base 0.107 × (10000 − 5245) = 508.785 → 509 → capped 311; 40 % × 311 = 124.4 → 124, max 124
    (dict(family_size=3, income=10000, hours_per_week=40, child_rank=2, on="2025-01-01"), 124, False),
    # second child, low base: 40 % × 81 = 32.4 → 32 (above the minimum 30)
    (dict(family_size=3, income=6000, hours_per_week=40, child_rank=2, on="2025-01-01"), 32, False),
    # third child: limit(4) 5956: 0.107 × 4044 = 432.708 → 433 → capped 311; 20 % × 311 = 62.2 → 62
    (dict(family_size=4, income=10000, hours_per_week=40, child_rank=3, on="2025-01-01"), 62, False),
    # family of 8: limit 7376 + 2 × 275 = 7926; 0.107 × (9000 − 7926) = 0.107 × 1074 = 114.918 → 115
    (dict(family_size=8, income=9000, hours_per_week=40, on="2025-01-01"), 115, False),
    # at most 20 h: at most 60 % by law: 0.6 × 81 = 48.6 → 49 (no municipality needed)
    (dict(family_size=3, income=6000, hours_per_week=20, on="2025-01-01"), 49, False),
    # income under the limit: no fee
    (dict(family_size=3, income=5000, hours_per_week=40, on="2025-01-01"), 0, False),
    # minimum fee: 0.107 × (5500 − 5245) = 0.107 × 255 = 27.285 → 27 < 30 → not charged: 0
    (dict(family_size=3, income=5500, hours_per_week=40, on="2025-01-01"), 0, False),
    # 2023 period: limit(3) 4998: 0.107 × (6000 − 4998) = 0.107 × 1002 = 107.214 → 107 (max 295)
    (dict(family_size=3, income=6000, hours_per_week=40, on="2024-01-01"), 107, False),
    # Finnish notation for income: "6000,00" is 6000 → 81
    (dict(family_size=3, income="6000,00", hours_per_week=40, on="2025-01-01"), 81, False),
    # on defaults to today (1.8.2026 period): as the 2026-09-01 case → 39
    (dict(family_size=3, income=6000, hours_per_week=40), 39, False),
]


@pytest.mark.parametrize("params, expected, estimate", HAND_COMPUTED)
def test_fee_matches_hand_computation(client: FlaskClient, params: dict, expected: int, estimate: bool) -> None:
    response = fee(client, **params)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["monthly_fee"] == eur(expected)  # {"amount": "81.00", "currency": "EUR"}
    assert body["minimum"] == body["maximum"] == eur(expected)
    assert body["estimate"] is estimate
    assert body["on"] == params.get("on", TODAY.isoformat())


def test_minimum_fee_step_explains_the_zero(client: FlaskClient) -> None:
    # 27 € computed (see above) is below the 30 € minimum of the 1.8.2024 period
    body = fee(client, family_size=3, income=5500, hours_per_week=40, on="2025-01-01", lang="en").get_json()
    last = body["breakdown"][-1]
    assert last["values"] == {"fee": 27, "min_fee": 30}
    assert last["amount"] == eur(0)
    assert "30" in last["text"] and "{" not in last["text"]


def test_breakdown_items_have_text_msgid_values_and_provenance(client: FlaskClient) -> None:
    body = fee(client, family_size=3, income=6000, hours_per_week=40, on="2025-01-01", lang="en").get_json()
    limit, base, time = body["breakdown"]
    assert limit["label"] == "Income limit for a family of {family_size}: {limit} €"
    assert limit["values"] == {"family_size": 3, "limit": 5245}
    assert limit["text"] == "Income limit for a family of 3: 5,245 €"
    assert limit["valid_from"] == "2024-08-01" and limit["estimate"] is False and limit["source"]
    assert base["values"]["raw"] == 80.785 and base["amount"] == eur(81)  # 0.107 × 755
    assert time["amount"] is None and time["values"]["hours"] == 40
    for item in body["breakdown"]:
        assert set(item) == {"text", "label", "values", "amount", "rule", "valid_from", "source", "estimate"}


def test_breakdown_text_is_formatted_for_the_language(client: FlaskClient) -> None:
    fi = fee(client, family_size=3, income=6000, hours_per_week=40, on="2025-01-01", lang="fi").get_json()
    assert "5\u00a0245" in fi["breakdown"][0]["text"]  # Finnish thousands separator


def test_estimate_is_flagged_on_the_step_that_used_an_older_figure(client: FlaskClient) -> None:
    body = fee(client, family_size=3, income=6000, hours_per_week=40, on="2028-09-01").get_json()
    limit = body["breakdown"][0]
    assert limit["estimate"] is True and limit["valid_from"] == "2026-08-01"
    confirmed = fee(client, family_size=3, income=6000, hours_per_week=40, on="2026-09-01").get_json()
    assert confirmed["breakdown"][0]["estimate"] is False and confirmed["breakdown"][0]["valid_from"] == "2026-08-01"


def test_part_time_uses_the_municipal_step_from_the_catalogue(app: Flask, client: FlaskClient) -> None:
    on = date(2025, 1, 1)
    coefficient = turku_coefficient(app, 30, on)
    # full-time fee 81 (0.107 × 755 = 80.785 → 81), then Turku's step for 30 h, rounded half up
    expected = half_up(coefficient * 81)
    body = fee(client, family_size=3, income=6000, hours_per_week=30, municipality=TURKU, on=on.isoformat()).get_json()
    assert body["monthly_fee"] == eur(expected)
    assert body["municipality"] == TURKU
    steps = body["breakdown"]
    assert steps[-1]["values"]["share"] == float(coefficient * 100)
    assert steps[-1]["amount"] == eur(expected)
    assert "demo" in steps[-1]["source"]  # cites the catalogue's (demo) municipal decision


def test_part_time_when_the_base_fee_is_zero_still_needs_the_municipality(client: FlaskClient) -> None:
    response = fee(client, family_size=3, income=1000, hours_per_week=30, on="2025-01-01")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "municipality"


def test_full_time_does_not_need_a_priced_municipality(client: FlaskClient) -> None:
    body = fee(client, family_size=3, income=6000, hours_per_week=40, municipality="999", on="2025-01-01").get_json()
    assert body["monthly_fee"] == eur(81) and body["municipality"] == "999"


BAD_PARAMETERS = [
    ({"income": 6000, "hours_per_week": 40}, "family_size"),
    ({"family_size": 3, "hours_per_week": 40}, "income"),
    ({"family_size": 3, "income": 6000}, "hours_per_week"),
    ({"family_size": "", "income": 6000, "hours_per_week": 40}, "family_size"),
    ({"family_size": "three", "income": 6000, "hours_per_week": 40}, "family_size"),
    ({"family_size": "2.5", "income": 6000, "hours_per_week": 40}, "family_size"),
    ({"family_size": 1, "income": 6000, "hours_per_week": 40}, "family_size"),
    ({"family_size": 0, "income": 6000, "hours_per_week": 40}, "family_size"),
    ({"family_size": "9" * 12, "income": 6000, "hours_per_week": 40}, "family_size"),
    ({"family_size": 3, "income": "lots", "hours_per_week": 40}, "income"),
    ({"family_size": 3, "income": -1, "hours_per_week": 40}, "income"),
    ({"family_size": 3, "income": "1e999", "hours_per_week": 40}, "income"),
    ({"family_size": 3, "income": "NaN", "hours_per_week": 40}, "income"),
    ({"family_size": 3, "income": "Infinity", "hours_per_week": 40}, "income"),
    ({"family_size": 3, "income": "9" * 40, "hours_per_week": 40}, "income"),
    ({"family_size": 3, "income": 6000, "hours_per_week": 0}, "hours_per_week"),
    ({"family_size": 3, "income": 6000, "hours_per_week": -5}, "hours_per_week"),
    ({"family_size": 3, "income": 6000, "hours_per_week": 169}, "hours_per_week"),
    ({"family_size": 3, "income": 6000, "hours_per_week": "1e2"}, "hours_per_week"),
    ({"family_size": 3, "income": 6000, "hours_per_week": "full"}, "hours_per_week"),
    ({"family_size": 3, "income": 6000, "hours_per_week": 40, "child_rank": 0}, "child_rank"),
    ({"family_size": 3, "income": 6000, "hours_per_week": 40, "child_rank": 3}, "child_rank"),
    ({"family_size": 2, "income": 6000, "hours_per_week": 40, "child_rank": 2}, "child_rank"),
    ({"family_size": 3, "income": 6000, "hours_per_week": 40, "child_rank": "first"}, "child_rank"),
    ({"family_size": 3, "income": 6000, "hours_per_week": 40, "on": "2025-13-01"}, "on"),
    ({"family_size": 3, "income": 6000, "hours_per_week": 40, "on": "2025-02-30"}, "on"),
    ({"family_size": 3, "income": 6000, "hours_per_week": 40, "on": "1.1.2025"}, "on"),
    ({"family_size": 3, "income": 6000, "hours_per_week": 40, "on": "tomorrow"}, "on"),
    # before the first parameter period (2023-03-01): no figures, not a guess
    ({"family_size": 3, "income": 6000, "hours_per_week": 40, "on": "2023-01-01"}, "on"),
    ({"family_size": 3, "income": 6000, "hours_per_week": 30}, "municipality"),
    ({"family_size": 3, "income": 6000, "hours_per_week": 21}, "municipality"),
    ({"family_size": 3, "income": 6000, "hours_per_week": "34.5"}, "municipality"),
    ({"family_size": 3, "income": 6000, "hours_per_week": 30, "municipality": "999"}, "municipality"),
    ({"family_size": 3, "income": 6000, "hours_per_week": 40, "municipality": "85"}, "municipality"),
    ({"family_size": 3, "income": 6000, "hours_per_week": 40, "municipality": "Turku"}, "municipality"),
    ({"family_size": 3, "income": 6000, "hours_per_week": 40, "lang": "de"}, "lang"),
]


@pytest.mark.parametrize("params, field", BAD_PARAMETERS)
def test_bad_parameters_are_400_naming_the_field(client: FlaskClient, params: dict, field: str) -> None:
    response = fee(client, **params)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert problem_fields(response) == [field]


# --- languages --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, headers, expected",
    [
        ("?lang=sv", {}, "sv"),
        ("?lang=en", {"Accept-Language": "sv"}, "en"),
        ("", {"Accept-Language": "sv-FI,sv;q=0.9,en;q=0.5"}, "sv"),
        ("", {"Accept-Language": "de"}, "fi"),
        ("", {}, "fi"),
    ],
)
def test_language_from_lang_then_accept_language_then_finnish(
    client: FlaskClient, query: str, headers: dict, expected: str
) -> None:
    response = client.get(f"/api/v2/life-events{query}", headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == expected


def test_swedish_strings_are_served(client: FlaskClient) -> None:
    """Catalogs may still be untranslated: the point is that lang=sv works end to end."""
    event = client.get("/api/v2/life-events/ecec?lang=sv").get_json()
    assert event["title"] and event["steps"][0]["questions"][0]["label"]
    plan = post_plan(client, lang="sv")
    assert plan.status_code == 200
    assert plan.get_json()["checklist"][0]["title"]


def test_unknown_lang_is_400(client: FlaskClient) -> None:
    response = client.post(f"{PLAN_URL}?lang=xx", json={"answers": ECEC_ANSWERS})
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "lang"


# --- life events -------------------------------------------------------------------------------------


def test_life_event_list_has_ecec_with_its_codes(client: FlaskClient) -> None:
    response = client.get("/api/v2/life-events?lang=en")
    assert response.status_code == 200
    events = {e["id"]: e for e in response.get_json()["life_events"]}
    ecec = events["ecec"]
    assert ecec["codes"] == {"life_event": "KE1", "target_group": "KR1.2", "service_class": "P3.4"}
    assert ecec["title"] and ecec["summary"]
    assert ecec["links"] == {"self": "/api/v2/life-events/ecec", "plan": PLAN_URL}
    assert client.get(ecec["links"]["self"]).status_code == 200


def test_life_event_has_steps_and_questions(client: FlaskClient) -> None:
    event = client.get("/api/v2/life-events/ecec?lang=en").get_json()
    assert [s["id"] for s in event["steps"]] == ["child", "care", "places", "family", "providers"]
    questions = {q["id"]: q for s in event["steps"] for q in s["questions"]}
    assert set(questions) == set(ECEC_ANSWERS) | {"younger_children_in_ecec"}
    for question in questions.values():
        assert set(question) == {"id", "type", "required", "label", "hint", "options", "show_if", "rules"}
    assert questions["hours_per_week"]["rules"] == {"min": 1, "max": 80, "decimals": 1}
    assert [o["value"] for o in questions["care_language"]["options"]] == ["fi", "sv", "en"]
    assert questions["younger_children_in_ecec"]["show_if"] == ["has_other_children_in_ecec"]
    assert questions["work"]["required"] is False and questions["home"]["type"] == "location"


def test_unknown_life_event_is_404_json(client: FlaskClient) -> None:
    for response in (
        client.get("/api/v2/life-events/nope"),
        client.post("/api/v2/life-events/nope/plan", json={"answers": {}}),
    ):
        assert response.status_code == 404
        assert response.is_json and response.get_json()["errors"][0]["field"] == "life_event"


# --- the plan ------------------------------------------------------------------------------------------


def test_plan_checklist_deadlines(client: FlaskClient) -> None:
    response = post_plan(client)
    assert response.status_code == 200, response.get_json()
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["life_event"] == "ecec" and body["today"] == TODAY.isoformat()
    items = {i["id"]: i for i in body["checklist"]}
    # four months before the start 2027-08-12
    assert items["apply_for_ecec"]["due"] == "2027-04-12"
    assert items["apply_for_ecec"]["overdue"] is False
    assert items["apply_for_ecec"]["responsible"]["organisation"] == "Turku"
    assert items["apply_for_ecec"]["channel"] == "eservice"
    assert "apply_for_voucher" in items  # consider_private: yes
    dated = [i["due"] for i in body["checklist"] if i["due"]]
    assert dated == sorted(dated)


def test_sudden_need_gives_two_weeks(client: FlaskClient) -> None:
    body = post_plan(client, answers=answers_with(sudden_need=True)).get_json()
    items = {i["id"]: i for i in body["checklist"]}
    assert items["apply_for_ecec"]["due"] == "2027-07-29"  # 2027-08-12 − 14 days


def test_plan_comparison_rows_in_reach_sorted_by_distance(client: FlaskClient) -> None:
    comparison = post_plan(client).get_json()["comparisons"][0]
    rows = comparison["rows"]
    assert rows and comparison["in_reach"] == len(rows)
    assert comparison["age_group"] == "under_3"  # born 2025-03-15, 2 years old on 2027-08-12
    assert comparison["start"] == START.isoformat() and comparison["reach_km"] == 10
    assert all(nearest_km(r) <= 10 for r in rows)
    distances = [nearest_km(r) for r in rows]
    assert distances == sorted(distances)
    for row in rows:
        assert {
            "id",
            "name",
            "care_type",
            "provider_type",
            "languages",
            "free_places",
            "queue_weeks",
            "has_room",
            "cost",
            "shift_care",
            "opening_hours",
            "accessibility",
            "address",
            "postal_code",
            "municipality_code",
            "lat",
            "lon",
        } <= set(row)


def test_plan_fee_agrees_with_the_calculator(app: Flask, client: FlaskClient) -> None:
    """Plan and calculator are one rule set: Turku 30 h for the start date, income 6000, family of 3."""
    comparison = post_plan(client, answers=answers_with(income=7000)).get_json()["comparisons"][0]
    calculated = fee(
        client, family_size=3, income=7000, hours_per_week=30, municipality=TURKU, on=START.isoformat()
    ).get_json()
    # 1.8.2026 period: 0.107 × (7000 − 5635) = 146.055 → 146, then Turku's 30 h step, rounded half up
    assert calculated["monthly_fee"] == eur(half_up(turku_coefficient(app, 30, START) * 146))
    assert comparison["municipal_fee"]["monthly_fee"] == calculated["monthly_fee"]
    assert comparison["municipal_fee"]["estimate"] is False
    municipal = [r for r in comparison["rows"] if r["provider_type"] == "municipal"]
    assert municipal and all(r["cost"]["monthly"] == calculated["monthly_fee"] for r in municipal)


def test_filter_language(client: FlaskClient) -> None:
    everything = post_plan(client).get_json()["comparisons"][0]["rows"]
    swedish = post_plan(client, filters={"language": ["sv"]}).get_json()["comparisons"][0]
    assert swedish["rows"] and len(swedish["rows"]) < len(everything)
    assert all("sv" in r["languages"] for r in swedish["rows"])
    assert swedish["filters"]["language"] == ["sv"]


@pytest.mark.parametrize(
    "filters, check",
    [
        ({"room": True}, lambda r: r["has_room"]),
        ({"max_km": 2}, lambda r: nearest_km(r) <= 2),
        ({"care_type": ["family_day_care"]}, lambda r: r["care_type"] == "family_day_care"),
        ({"provider": ["municipal", "purchased"]}, lambda r: r["provider_type"] in ("municipal", "purchased")),
    ],
)
def test_filters(client: FlaskClient, filters: dict, check: Any) -> None:
    rows = post_plan(client, filters=filters).get_json()["comparisons"][0]["rows"]
    assert rows and all(check(r) for r in rows)


def test_sort_by_name(client: FlaskClient) -> None:
    rows = post_plan(client, filters={"sort": "name"}).get_json()["comparisons"][0]["rows"]
    names = [r["name"].casefold() for r in rows]
    assert names == sorted(names)


@pytest.mark.parametrize(
    "filters, field",
    [
        ({"language": ["de"]}, "filters.language"),
        ({"care_type": "nursery"}, "filters.care_type"),
        ({"provider": [1]}, "filters.provider"),
        ({"max_km": "near"}, "filters.max_km"),
        ({"max_km": 0}, "filters.max_km"),
        ({"room": "yes"}, "filters.room"),
        ({"sort": "price"}, "filters.sort"),
        (["sv"], "filters"),
    ],
)
def test_bad_filters_are_400(client: FlaskClient, filters: Any, field: str) -> None:
    response = post_plan(client, filters=filters)
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == field


INVALID_ANSWERS = [
    (dict(hours_per_week=0), "hours_per_week", "hours_per_week"),
    (dict(hours_per_week="many"), "hours_per_week", "hours_per_week"),
    (dict(hours_per_week=True), "hours_per_week", "hours_per_week"),
    (dict(child_birth_date="2025-02-30"), "child_birth_date", "child_birth_date-day"),
    (dict(child_birth_date="15.3.2025"), "child_birth_date", "child_birth_date-day"),
    (dict(child_birth_date="2027-01-01"), "child_birth_date", "child_birth_date-day"),  # after today
    (dict(start_date="2026-01-01"), "start_date", "start_date-day"),  # before today
    (dict(start_date=None), "start_date", "start_date-day"),  # missing
    (dict(home={"postal_code": "1234"}), "home", "home-postal_code"),
    (dict(home={"lat": 48.85, "lon": 2.35}), "home", "home-postal_code"),  # Paris is not in Finland
    (dict(home=None), "home", "home-postal_code"),
    (dict(care_language="de"), "care_language", "care_language"),
    (dict(shift_care="maybe"), "shift_care", "shift_care"),
    (dict(family_size=1), "family_size", "family_size"),
    (dict(income=-5), "income", "income"),
    (dict(income="a lot"), "income", "income"),
    (dict(other_children_in_ecec=5), "other_children_in_ecec", "other_children_in_ecec"),  # family of 3
    (dict(consider_private=None), "consider_private", "consider_private"),
    (dict(favourite_colour="blue"), "favourite_colour", "favourite_colour"),
]


@pytest.mark.parametrize("changes, field, raw_input", INVALID_ANSWERS)
def test_invalid_answers_are_400_naming_the_question(
    client: FlaskClient, changes: dict, field: str, raw_input: str
) -> None:
    response = post_plan(client, answers=answers_with(**changes))
    assert response.status_code == 400, response.get_json()
    assert response.headers["Cache-Control"] == "no-store"
    errors = response.get_json()["errors"]
    assert [(e["field"], e["input"]) for e in errors] == [(field, raw_input)]
    assert errors[0]["detail"] and "{" not in errors[0]["detail"]


def test_answer_errors_use_the_life_events_own_messages(client: FlaskClient) -> None:
    """The same rule set as the HTML form: the message is the event file's error for this rule."""
    errors = post_plan(client, answers=answers_with(hours_per_week=0)).get_json()["errors"]
    assert errors[0]["detail"] == "Enter at least 1 hour a week"
    assert errors[0]["step"] == "care"


def test_every_missing_answer_is_reported_at_once(client: FlaskClient) -> None:
    errors = post_plan(client, answers={}).get_json()["errors"]
    fields = {e["field"] for e in errors}
    assert fields == set(ECEC_ANSWERS) - {"work", "income"}  # the optional ones are not required


def test_json_answer_types(client: FlaskClient) -> None:
    """Yes/no as strings too, money as Finnish text, a map point without a postal code."""
    answers = answers_with(
        shift_care="no", income="6 000,00", home={"lat": 60.4518, "lon": 22.2666}, younger_children_in_ecec=0
    )  # hidden (no other children): ignored, as in the form
    response = post_plan(client, answers=answers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["comparisons"][0]["municipal_fee"]["monthly_fee"] is not None


def test_today_in_the_body(client: FlaskClient) -> None:
    body = post_plan(client, today="2027-05-01").get_json()
    items = {i["id"]: i for i in body["checklist"]}
    assert body["today"] == "2027-05-01"
    assert items["apply_for_ecec"]["overdue"] is True  # 2027-04-12 has passed


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"data": "answers=1", "content_type": "application/x-www-form-urlencoded"}, "body"),
        ({"data": "{not json", "content_type": "application/json"}, "body"),
        ({"json": ["a", "list"]}, "body"),
        ({"json": {"answers": ["a", "list"]}}, "answers"),
        ({"json": {"answers": ECEC_ANSWERS, "today": "22.11.2026"}}, "today"),
    ],
)
def test_malformed_requests_are_400(client: FlaskClient, kwargs: dict, field: str) -> None:
    response = client.post(PLAN_URL, **kwargs)
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == field


def test_start_date_without_figures_is_an_answer_error_not_a_500(client: FlaskClient) -> None:
    # with "today" in 2022 the start date lies before the first fee period (2023-03-01)
    answers = answers_with(child_birth_date="2021-03-15", start_date="2022-08-01")
    response = post_plan(client, answers=answers, today="2022-01-10")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "start_date"


def test_json_responses_carry_the_security_headers(client: FlaskClient) -> None:
    for response in (client.get("/api/v2/life-events"), post_plan(client), fee(client, family_size="x")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert response.mimetype in ("application/json", "application/problem+json")


def test_no_csrf_token_or_session_needed(client: FlaskClient) -> None:
    response = post_plan(client)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


# --- errors as problem details --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("GET", "/api/v2/nothing-here", 404),
        ("GET", "/api/v2/life-events/ecec/plan", 405),
    ],
)
def test_api_routing_errors_are_problem_details(client: FlaskClient, method: str, path: str, status: int) -> None:
    response = client.open(path, method=method)
    assert response.status_code == status and problem_fields(response) == []
