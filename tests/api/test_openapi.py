"""The OpenAPI document generated from the API's models: a valid OpenAPI 3.1 document, every route in it, and
every example the answer of a real call (tests/api/test_schemathesis.py checks the answers against it)."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from portal.api import models, openapi

DOCUMENT = "/api/v2/openapi.json"


@pytest.fixture()
def document(client: FlaskClient) -> dict[str, Any]:
    response = client.get(DOCUMENT)
    assert response.status_code == 200 and response.mimetype == "application/json"
    return json.loads(response.get_data(as_text=True))


def operation(document: dict[str, Any], path: str, method: str = "get") -> dict[str, Any]:
    return document["paths"][path][method]


def example(document: dict[str, Any], path: str, method: str = "get", status: str = "200") -> Any:
    content = operation(document, path, method)["responses"][status]["content"]
    return next(iter(content.values()))["example"]


def example_query(document: dict[str, Any], path: str) -> dict[str, str]:
    """The query of a calculator as the document's parameter examples give it."""
    return {
        p["name"]: p["example"]
        for p in operation(document, path)["parameters"]
        if "example" in p and p.get("in") == "query"
    }


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    validate(document)  # raises on any violation of the OpenAPI 3.1 schema


def test_the_validator_would_notice_a_broken_document(document: dict[str, Any]) -> None:
    """A control: the same check fails on a document whose response lost its description."""
    del operation(document, "/api/v2/calculators/ecec-fee")["responses"]["200"]["description"]
    with pytest.raises(OpenAPIValidationError):
        validate(document)


def test_every_api_route_is_in_the_document(app: Flask, document: dict[str, Any]) -> None:
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
            assert path.startswith("/api/v2/")
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert routes == documented


def test_schemas_are_the_models(document: dict[str, Any]) -> None:
    """One edit to a model changes the document: the component is the model's own JSON Schema."""
    schemas = document["components"]["schemas"]
    money = schemas["Money"]
    assert money["required"] == ["amount"] and money["properties"]["amount"]["pattern"] == r"^-?[0-9]+\.[0-9]{2}$"
    assert set(schemas["EcecFeeCalculation"]["properties"]) == set(models.EcecFeeCalculation.model_fields)
    fee = schemas["EcecFeeCalculation"]["properties"]["monthly_fee"]
    assert fee == {"$ref": "#/components/schemas/Money"}
    assert set(schemas["Problem"]["required"]) >= {"title", "status", "detail"}


def test_query_parameters_are_the_query_models_fields(document: dict[str, Any]) -> None:
    params = {p["name"]: p for p in operation(document, "/api/v2/calculators/ecec-fee")["parameters"] if "name" in p}
    assert set(params) == set(models.EcecFeeQuery.model_fields)
    assert [name for name, p in params.items() if p["required"]] == ["family_size", "income", "hours_per_week"]
    income = params["income"]["schema"]
    assert income["type"] == "string" and re.fullmatch(income["pattern"].strip("^$"), "1 234,50")
    assert re.fullmatch(income["pattern"].strip("^$"), "1234.50") and not re.fullmatch(income["pattern"], "1e3")
    assert not re.fullmatch(income["pattern"].strip("^$"), "١٢٣")  # ASCII digits only


def test_bounds_come_from_the_models(document: dict[str, Any]) -> None:
    plan = document["components"]["schemas"]["PlanRequest"]
    assert plan["properties"]["answers"]["maxProperties"] == models.MAX_ANSWERS == 100
    units = document["components"]["schemas"]["UnitPoints"]
    assert units["properties"]["units"]["maxItems"] == models.MAX_UNITS == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/calculators/ecec-fee",
        "/api/v2/calculators/business-start-costs",
        "/api/v2/calculators/unemployment-allowance",
        "/api/v2/ecec-units",
    ],
)
def test_each_calculator_example_equals_the_real_answer(
    client: FlaskClient, document: dict[str, Any], path: str
) -> None:
    query = example_query(document, path)
    assert query, path
    real = client.get(f"{path}?{urlencode({**query, 'lang': 'en'})}")
    assert real.status_code == 200, real.get_json()
    assert example(document, path) == real.get_json()


def test_the_fee_example_is_the_hand_computed_fee(document: dict[str, Any]) -> None:
    """Family of 3, 6,000 € on 2025-01-01: 10.7 % × (6000 − 5245) = 80.785 → 81 €, full time (40 h)."""
    body = example(document, "/api/v2/calculators/ecec-fee")
    assert body["on"] == "2025-01-01" and body["inputs"]["hours_per_week"] == 40
    assert body["monthly_fee"] == {"amount": "81.00", "currency": "EUR"}


def test_the_life_event_examples_are_real(client: FlaskClient, document: dict[str, Any]) -> None:
    assert example(document, "/api/v2/life-events") == client.get("/api/v2/life-events?lang=en").get_json()
    assert (
        example(document, "/api/v2/life-events/{event_id}") == client.get("/api/v2/life-events/ecec?lang=en").get_json()
    )


def test_the_plan_example_is_the_real_plan_for_the_example_request(
    client: FlaskClient, document: dict[str, Any]
) -> None:
    plan = operation(document, "/api/v2/life-events/{event_id}/plan", "post")
    request = plan["requestBody"]["content"]["application/json"]["example"]
    real = client.post("/api/v2/life-events/ecec/plan?lang=en", json=request)
    assert real.status_code == 200, real.get_json()
    body, shown = real.get_json(), example(document, "/api/v2/life-events/{event_id}/plan", "post")
    for comparison in body["comparisons"]:
        for name in ("rows", "other_rows"):
            if name in comparison:
                comparison[name] = comparison[name][: openapi.PLAN_EXAMPLE_ROWS]
    assert shown == body


@pytest.mark.parametrize(
    "path, method",
    [
        ("/api/v2/calculators/ecec-fee", "get"),
        ("/api/v2/ecec-units", "get"),
        ("/api/v2/life-events/{event_id}/plan", "post"),
    ],
)
def test_the_problem_examples_are_real_refusals(document: dict[str, Any], path: str, method: str) -> None:
    shown = example(document, path, method, "400")
    assert shown["status"] == 400 and shown["title"] == "Bad Request" and shown["errors"]
    assert all(error["field"] and error["detail"] and "{" not in error["detail"] for error in shown["errors"])


def test_the_rate_limited_operations_document_429(document: dict[str, Any]) -> None:
    with_429 = {
        (path, method)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if "429" in op["responses"]
    }
    assert with_429 == {
        ("/api/v2/life-events/{event_id}/plan", "post"),
        ("/api/v2/calculators/ecec-fee", "get"),
        ("/api/v2/calculators/business-start-costs", "get"),
        ("/api/v2/calculators/unemployment-allowance", "get"),
        ("/api/v2/oauth/token", "post"),  # with plans and calculators
        # the organisers' writes, on a budget of their own
        ("/api/v2/units/{unit_id}/availability", "put"),
        ("/api/v2/units/{unit_id}/prices", "put"),
        ("/api/v2/service-points/{location_id}/appointment-times", "post"),
        ("/api/v2/service-points/{location_id}/appointment-times/{slot_id}", "delete"),
    }
    described = operation(document, "/api/v2/calculators/ecec-fee")["responses"]["429"]
    assert described["headers"]["Retry-After"]["schema"] == {"type": "integer", "minimum": 1}
    assert "application/problem+json" in described["content"]
