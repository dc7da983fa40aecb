"""The unemployment-allowance calculator's newer parameters: ``work_condition_year`` (the statutory deduction
of the year the work condition was met) and ``yel_income`` (an entrepreneur's confirmed YEL work income a
year, used instead of the wage, without the statutory deduction).

Figures derived by hand (rules-facts, "Corrections and additions, checked 2026-12"):

* 3000 € a month, deduction 3.54 % (2025): 3000 × 0.9646 / 21.5 = 2893.80 / 21.5 = 134.595349… → 134.60;
  37.21 + 0.45 × (134.595349… − 37.21) = 37.21 + 43.823407… = 81.033407… → 81.03; a month 81.03 × 21.5
  = 1742.145 → 1742.15.
* 3000 € a month, deduction 3.83 % (2026): 3000 × 0.9617 / 21.5 = 134.190698…; 37.21 + 0.45 × 96.980698…
  = 80.851314… → 80.85.
* Yrittäjäkassa's example, 26,000 € a year: 26000 / 12 = 2166.67 a month, / 21.5 = 100.775194… → 100.78 a day;
  37.21 + 0.45 × (100.775194… − 37.21) = 37.21 + 28.604337… = 65.814337… → 65.81; a month 65.81 × 21.5 =
  1414.915 → 1414.92; after 40 paid days 0.80 × 65.814337… = 52.651470… → 52.65.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient

from tests.api.shapes import eur

CALCULATOR_URL = "/api/v2/calculators/unemployment-allowance"


def calculate(client: FlaskClient, **params: Any) -> Any:
    return client.get(f"{CALCULATOR_URL}?{urlencode({'lang': 'en', **params})}")


def test_work_condition_year_picks_that_years_deduction(client: FlaskClient) -> None:
    response = calculate(client, monthly_wage=3000, fund_member="true", on="2026-06-01", work_condition_year=2025)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    earnings = body["earnings_related"]
    assert (
        earnings["daily_wage"]["amount"],
        earnings["daily_allowance"]["amount"],
        earnings["monthly_estimate"]["amount"],
    ) == ("134.60", "81.03", "1742.15")
    assert body["inputs"]["work_condition_year"] == 2025
    first = earnings["breakdown"][0]["text"]
    assert "3.54" in first and "2025" in first and "the year your work condition was met" in first


def test_without_work_condition_year_the_first_days_year_is_used_and_said(client: FlaskClient) -> None:
    body = calculate(client, monthly_wage=3000, fund_member="true", on="2026-06-01").get_json()
    assert body["earnings_related"]["daily_allowance"]["amount"] == "80.85"
    assert body["inputs"]["work_condition_year"] is None
    first = body["earnings_related"]["breakdown"][0]["text"]
    assert "2026" in first and "the year of your first day without work" in first


def test_a_published_work_condition_year_in_2027_is_no_estimate(client: FlaskClient) -> None:
    estimated = calculate(client, monthly_wage=3000, fund_member="true", on="2027-02-01").get_json()
    known = calculate(
        client, monthly_wage=3000, fund_member="true", on="2027-02-01", work_condition_year=2026
    ).get_json()
    assert (
        estimated["earnings_related"]["daily_allowance"]["amount"]
        == known["earnings_related"]["daily_allowance"]["amount"]
        == "80.85"
    )
    assert estimated["estimate"] is True and known["estimate"] is False


def test_work_condition_year_after_the_first_day_is_400(client: FlaskClient) -> None:
    response = calculate(client, monthly_wage=3000, fund_member="true", on="2026-06-01", work_condition_year=2027)
    assert response.status_code == 400
    error = response.get_json()["errors"][0]
    assert error["field"] == "work_condition_year"
    assert "2026" in error["detail"] and "2,026" not in error["detail"] and "{" not in error["detail"]


@pytest.mark.parametrize("value", ["soon", "2025.5"])
def test_work_condition_year_must_be_a_year(client: FlaskClient, value: str) -> None:
    response = calculate(client, monthly_wage=3000, fund_member="true", on="2026-06-01", work_condition_year=value)
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "work_condition_year"


def test_entrepreneur_yrittajakassa_example(client: FlaskClient) -> None:
    response = calculate(client, yel_income=26000, fund_member="true", on="2026-12-01")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    earnings = body["earnings_related"]
    assert (
        earnings["daily_wage"]["amount"],
        earnings["daily_allowance"]["amount"],
        earnings["monthly_estimate"]["amount"],
    ) == ("100.78", "65.81", "1414.92")
    assert body["inputs"]["yel_income"] == eur(26000)
    assert "no statutory deduction" in earnings["breakdown"][0]["text"]
    assert body["kela"]["kind"] == "general_support" and body["estimate"] is False


def test_entrepreneur_step_down(client: FlaskClient) -> None:
    body = calculate(client, yel_income=26000, fund_member="true", on="2026-12-01", paid_days=40).get_json()
    assert (body["earnings_related"]["daily_allowance"]["amount"], body["earnings_related"]["step_down_percent"]) == (
        "52.65",
        80,
    )


def test_entrepreneur_not_in_a_fund_gets_kela_only(client: FlaskClient) -> None:
    body = calculate(client, yel_income=26000, fund_member="false", on="2026-12-01").get_json()
    assert body["earnings_related"] is None
    assert body["earnings_related_reason"] == (
        "The earnings-related allowance is paid only to members of an unemployment fund."
    )


@pytest.mark.parametrize("value", ["-1", "a lot"])
def test_yel_income_must_be_an_amount(client: FlaskClient, value: str) -> None:
    response = calculate(client, yel_income=value, fund_member="true", on="2026-12-01")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "yel_income"


def test_work_condition_year_without_a_recorded_deduction_blames_the_year(client: FlaskClient) -> None:
    response = calculate(client, monthly_wage=3000, fund_member="true", on="2026-06-01", work_condition_year=2022)
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "work_condition_year"
