"""The nearby services' "next_free" sort in the OpenAPI document generated from the API's models: the plan
request's ``filters.sort`` takes every comparison's sorts, and the applied filters of the nearby services say
which of theirs was used (tests/web/test_service_sort_next_free.py calls the API with it)."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient


def schemas(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/v2/openapi.json")
    assert response.status_code == 200
    return response.get_json()["components"]["schemas"]


def test_the_plan_request_takes_next_free(client: FlaskClient) -> None:
    sort = schemas(client)["PlanFilters"]["properties"]["sort"]
    assert sort["enum"] == ["distance", "cost", "availability", "rating", "name", "next_free"]
    assert sort["default"] == "distance"
    assert "next_free (the soonest next free appointment first)" in sort["description"]


def test_the_applied_service_filters_name_it(client: FlaskClient) -> None:
    sort = schemas(client)["AppliedServiceFilters"]["properties"]["sort"]
    assert sort["enum"] == ["distance", "rating", "next_free"]
    assert "next_free: the soonest next free appointment first" in sort["description"]
