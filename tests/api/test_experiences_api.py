"""Others' experiences in the API (issue 16, item 1): the OpenAPI document describes them from the models, the
rating filter's bounds are checked like every other input, and the demo's figures come back hand-derived.

The figures after ratings posted through the pages are tested in tests/web/test_experiences.py."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.api.shapes import problem_fields
from tests.api.test_api import ECEC_ANSWERS, PLAN_URL

METSATAHTI, NUPPU, MYYRA = 1014, 1019, 1011  # portal/demo/demo_feedback.yaml


@pytest.fixture()
def document(client: FlaskClient) -> dict[str, Any]:
    return json.loads(client.get("/api/v2/openapi.json").get_data(as_text=True))


def test_the_document_describes_the_experiences(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    experiences = schemas["Experiences"]
    assert set(experiences["properties"]) == {"average_rating", "rating_count", "easy_share", "comments"}
    assert set(schemas["PublishedComment"]["properties"]) == {"text", "date"}  # never who wrote it
    for row in ("EcecRow", "ServicePoint", "UnitPoint"):  # the plan's rows and /ecec-units
        field = schemas[row]["properties"]["experiences"]
        assert {"$ref": "#/components/schemas/Experiences"} in field["anyOf"], field
    rating = schemas["PlanFilters"]["properties"]["min_rating"]
    bounds = [part for part in rating["anyOf"] if part.get("type") != "null"]
    assert bounds and all(part.get("minimum") == 1 and part.get("maximum") == 5 for part in bounds), rating
    assert "rating" in schemas["PlanFilters"]["properties"]["sort"]["enum"]
    # the nearby services comparison says which sort and rating filter it applied
    applied = schemas["ServiceComparison"]["properties"]["filters"]
    assert applied == {"$ref": "#/components/schemas/AppliedServiceFilters"}, applied
    assert schemas["AppliedServiceFilters"]["properties"]["sort"]["enum"] == ["distance", "rating", "next_free"]
    assert set(schemas["AppliedServiceFilters"]["required"]) == {"sort", "min_rating", "serves_in"}


def test_the_demo_units_figures(client: FlaskClient) -> None:
    response = client.post(f"{PLAN_URL}?lang=fi", json={"answers": ECEC_ANSWERS, "filters": {"sort": "rating"}})
    assert response.status_code == 200
    comparison = response.get_json()["comparisons"][0]
    rows = comparison["rows"]
    # 35/8 = 4.375 -> 4.4 (6 of 7 effort answers 5..7: 86 %), then 23/6 = 3.83 -> 3.8 (3 of 6: 50 %)
    assert [row["id"] for row in rows[:2]] == [METSATAHTI, NUPPU]
    first, second = rows[0]["experiences"], rows[1]["experiences"]
    assert (first["average_rating"], first["rating_count"], first["easy_share"]) == (4.4, 8, 86)
    assert (second["average_rating"], second["rating_count"], second["easy_share"], second["comments"]) == (
        3.8,
        6,
        50,
        [],
    )
    assert [c["date"] for c in first["comments"]] == ["2026-10-06", "2026-09-14"]  # published only, newest first
    assert "julkaisematon" not in response.get_data(as_text=True)
    by_id = {row["id"]: row for row in rows}
    assert by_id[MYYRA]["experiences"] is None  # three ratings are not enough
    unrated = [
        i for i, row in enumerate(rows) if row["experiences"] is None or row["experiences"]["rating_count"] is None
    ]
    assert unrated == list(range(len(rows) - len(unrated), len(rows)))  # the units without enough ratings come last
    assert comparison["filters"]["sort"] == "rating" and comparison["filters"]["min_rating"] is None


@pytest.mark.parametrize("bad", [0, 5.5, "4", True])
def test_a_rating_filter_out_of_bounds_is_refused(client: FlaskClient, bad: Any) -> None:
    response = client.post(f"{PLAN_URL}?lang=en", json={"answers": ECEC_ANSWERS, "filters": {"min_rating": bad}})
    assert response.status_code == 400
    assert problem_fields(response) == ["filters.min_rating"]


def test_a_rating_filter_keeps_only_units_rated_that_well(client: FlaskClient) -> None:
    response = client.post(f"{PLAN_URL}?lang=en", json={"answers": ECEC_ANSWERS, "filters": {"min_rating": 4}})
    comparison = response.get_json()["comparisons"][0]
    assert [row["id"] for row in comparison["rows"]] == [METSATAHTI]
    assert comparison["filters"]["min_rating"] == 4
