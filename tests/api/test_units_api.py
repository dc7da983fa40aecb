"""GET /api/v2/ecec-units: the units near a point, for the map picker's orientation layer.

Expectations come from the database rows and a distance computed here (haversine), not from
the endpoint's own code, so a wrong filter, order or name choice fails.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.api import models as api_models
from portal.extensions import db
from portal.models import EcecUnit, ServiceLocation
from tests.api.shapes import problem_fields

URL = "/api/v2/ecec-units"
TURKU_CENTRE = (60.4518, 22.2666)  # the market square
FIELDS = {
    "id",
    "name",
    "lat",
    "lon",
    "care_type",
    "provider_type",
    "languages",
    "municipality_code",
    "postal_code",
    "experiences",  # others' ratings: figures after ratings posted through the pages in tests/web/test_service_ratings.py
}


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (mean Earth radius 6371.0088 km)."""
    p1, p2, dp, dl = map(math.radians, (lat1, lat2, lat2 - lat1, lon2 - lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def units(client: FlaskClient, headers: dict[str, str] | None = None, **params: Any) -> Any:
    return client.get(f"{URL}?{urlencode(params)}", headers=headers or {})


@pytest.fixture(scope="module")
def rows(app: Flask) -> list[Any]:
    """Every ECEC unit of the demo catalogue, straight from the tables."""
    with app.app_context():
        return list(
            db.session.execute(
                select(
                    ServiceLocation.id,
                    ServiceLocation.name,
                    ServiceLocation.name_sv,
                    ServiceLocation.latitude,
                    ServiceLocation.longitude,
                    ServiceLocation.municipality_code,
                    ServiceLocation.postal_code,
                    ServiceLocation.languages,
                    EcecUnit.care_type,
                    EcecUnit.provider_type,
                ).join(EcecUnit, EcecUnit.location_id == ServiceLocation.id)
            )
        )


def ids_within(rows: list[Any], lat: float, lon: float, radius: float) -> tuple[set[int], set[int]]:
    """The ids surely inside and surely outside the circle (a metre's margin for rounding at the edge)."""
    inside = {r.id for r in rows if km(lat, lon, r.latitude, r.longitude) < radius - 0.001}
    outside = {r.id for r in rows if km(lat, lon, r.latitude, r.longitude) > radius + 0.001}
    return inside, outside


@pytest.mark.parametrize("radius", [1, 2.5, 5, 12])
def test_only_units_within_the_radius(client: FlaskClient, rows: list[Any], radius: float) -> None:
    inside, outside = ids_within(rows, *TURKU_CENTRE, radius)
    assert inside and outside, "the demo data should have units on both sides of the circle"
    body = units(client, lat=TURKU_CENTRE[0], lon=TURKU_CENTRE[1], radius_km=radius).get_json()
    found = {u["id"] for u in body["units"]}
    assert inside <= found
    assert not found & outside
    assert body["count"] == len(body["units"])


def test_nearest_first(client: FlaskClient) -> None:
    lat, lon = 60.4600, 22.2900
    body = units(client, lat=lat, lon=lon, radius_km=25).get_json()
    distances = [km(lat, lon, u["lat"], u["lon"]) for u in body["units"]]
    assert len(distances) > 10
    assert distances == sorted(distances)


def test_radius_defaults_to_5_km(client: FlaskClient, rows: list[Any]) -> None:
    inside, outside = ids_within(rows, *TURKU_CENTRE, 5)
    found = {u["id"] for u in units(client, lat=TURKU_CENTRE[0], lon=TURKU_CENTRE[1]).get_json()["units"]}
    assert inside <= found and not found & outside


def test_at_most_the_cap_and_the_nearest_ones(
    client: FlaskClient, rows: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api_models, "MAX_UNITS", 3)
    lat, lon = TURKU_CENTRE
    nearest = sorted(rows, key=lambda r: km(lat, lon, r.latitude, r.longitude))[:3]
    body = units(client, lat=lat, lon=lon, radius_km=25).get_json()
    assert [u["id"] for u in body["units"]] == [r.id for r in nearest]
    assert body["count"] == 3


def test_unit_fields_come_from_the_catalogue(client: FlaskClient, rows: list[Any]) -> None:
    row = rows[0]
    body = units(client, lat=row.latitude, lon=row.longitude, radius_km=0.1, lang="fi").get_json()
    unit = next(u for u in body["units"] if u["id"] == row.id)
    assert set(unit) == FIELDS
    del unit["experiences"]  # other tests' ratings may reach this unit; tests/web/test_service_ratings.py has its own
    assert unit == {
        "id": row.id,
        "name": row.name,
        "lat": row.latitude,
        "lon": row.longitude,
        "care_type": row.care_type,
        "provider_type": row.provider_type,
        "languages": [lang for lang in row.languages.split(",") if lang],
        "municipality_code": row.municipality_code,
        "postal_code": row.postal_code,
    }


@pytest.fixture(scope="module")
def swedish(rows: list[Any]) -> Any:
    row = next((r for r in rows if r.name_sv and r.name_sv != r.name), None)
    assert row is not None, "the demo catalogue should have a unit with a Swedish name"
    return row


@pytest.mark.parametrize(
    "query, headers, want_swedish",
    [
        ({"lang": "sv"}, {}, True),
        ({}, {"Accept-Language": "sv-FI,sv;q=0.9"}, True),
        ({"lang": "fi"}, {"Accept-Language": "sv"}, False),
        ({"lang": "en"}, {}, False),
        ({}, {}, False),
    ],
)
def test_swedish_names_for_swedish(
    client: FlaskClient, swedish: Any, query: dict, headers: dict, want_swedish: bool
) -> None:
    response = units(client, headers, lat=swedish.latitude, lon=swedish.longitude, radius_km=0.5, **query)
    assert response.status_code == 200
    unit = next(u for u in response.get_json()["units"] if u["id"] == swedish.id)
    assert unit["name"] == (swedish.name_sv if want_swedish else swedish.name)
    assert response.headers["Content-Language"] == ("sv" if want_swedish else query.get("lang", "fi"))


def test_a_unit_without_a_swedish_name_keeps_its_name_in_swedish(client: FlaskClient, rows: list[Any]) -> None:
    row = next(r for r in rows if not r.name_sv)
    body = units(client, lat=row.latitude, lon=row.longitude, radius_km=0.1, lang="sv").get_json()
    assert next(u for u in body["units"] if u["id"] == row.id)["name"] == row.name


def test_a_point_in_finland_without_units_is_an_empty_list(client: FlaskClient) -> None:
    response = units(client, lat=68.9, lon=27.0, radius_km=25)  # Inari, far from the demo region
    assert response.status_code == 200
    assert response.get_json() == {"units": [], "count": 0}


BAD = [
    ({"lon": 22.27}, "lat"),
    ({"lat": 60.45}, "lon"),
    ({"lat": "", "lon": 22.27}, "lat"),
    ({}, ["lat", "lon"]),  # every refused parameter at once
    ({"lat": "north", "lon": 22.27}, "lat"),
    ({"lat": 60.45, "lon": "22.27E"}, "lon"),
    ({"lat": "NaN", "lon": 22.27}, "lat"),
    ({"lat": 60.45, "lon": "Infinity"}, "lon"),
    ({"lat": "6e1", "lon": 22.27}, "lat"),
    ({"lat": "9" * 40, "lon": 22.27}, "lat"),
    ({"lat": 59.33, "lon": 22.27}, "lat"),  # in the sea south of Finland
    ({"lat": 71.0, "lon": 25.0}, "lat"),  # north of Finland
    ({"lat": 0, "lon": 0}, "lat"),
    ({"lat": 60.45, "lon": 18.07}, "lon"),  # Sweden
    ({"lat": 60.45, "lon": 32.5}, "lon"),  # Russia
    ({"lat": 60.45, "lon": 22.27, "radius_km": 0}, "radius_km"),
    ({"lat": 60.45, "lon": 22.27, "radius_km": -1}, "radius_km"),
    ({"lat": 60.45, "lon": 22.27, "radius_km": 0.05}, "radius_km"),
    ({"lat": 60.45, "lon": 22.27, "radius_km": 25.5}, "radius_km"),
    ({"lat": 60.45, "lon": 22.27, "radius_km": 100}, "radius_km"),
    ({"lat": 60.45, "lon": 22.27, "radius_km": "far"}, "radius_km"),
    ({"lat": 60.45, "lon": 22.27, "lang": "de"}, "lang"),
]


@pytest.mark.parametrize("params, field", BAD)
def test_bad_parameters_are_400_naming_the_field(client: FlaskClient, params: dict, field: str | list[str]) -> None:
    response = units(client, **params)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert problem_fields(response) == ([field] if isinstance(field, str) else field)


def test_error_messages_follow_the_language(client: FlaskClient) -> None:
    fi = units(client, lat=59.0, lon=22.27).get_json()["detail"]
    sv = units(client, lat=59.0, lon=22.27, lang="sv").get_json()["detail"]
    assert fi != sv and "Finland" in sv


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "60,4518", "lon": "22,2666"},  # decimal comma, as typed in Finnish
        {"lat": 60.4518, "lon": 22.2666, "radius_km": 25},
        {"lat": 60.4518, "lon": 22.2666, "radius_km": "0.1"},
    ],
)
def test_accepted_forms_of_the_numbers(client: FlaskClient, params: dict) -> None:
    assert units(client, **params).status_code == 200


def test_the_openapi_document_describes_the_endpoint(client: FlaskClient) -> None:
    document = client.get("/api/v2/openapi.json").get_json()
    operation = document["paths"]["/api/v2/ecec-units"]["get"]
    params = {p["name"]: p for p in operation["parameters"] if "name" in p}
    assert {"lat", "lon", "radius_km"} <= set(params) and params["lat"]["required"] and params["lon"]["required"]
    schema = document["components"]["schemas"]["UnitPoint"]
    assert set(schema["required"]) == FIELDS == set(schema["properties"])
    example = operation["responses"]["200"]["content"]["application/json"]["example"]
    assert set(example["units"][0]) == FIELDS and example["count"] == len(example["units"])
    assert params["radius_km"]["schema"]["default"] == "5"
    assert "0.1 to 25" in params["radius_km"]["description"]
