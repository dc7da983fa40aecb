"""The organisers' write API (issue 15): a client credentials token from /api/v2/oauth/token, then the same
changes as the organiser pages, with their validation, versions, scope and audit log; a token for another
organisation gets 403; a replayed idempotency key changes nothing. The demo clients and their published secrets
are in portal/api/demo_clients.yaml. Each test has an app of its own (they change the data)."""

from __future__ import annotations

import base64
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

TURKU = ("turku-ecec-system", "demo-turku-ecec-secret")  # all Turku municipal units (1001 ...)
SATAKIELI = ("satakieli-booking", "demo-satakieli-secret")  # Satakieli Oy's private units only
ADVICE = ("business-advice-booking", "demo-business-advice-secret")  # business advice points 2001 and 2002
UNIT = 1001  # Päiväkoti Kurjenpesä, a Turku municipal unit


@pytest.fixture()
def own_app(tmp_path) -> Flask:
    from tests.conftest import build_app

    return build_app(f"sqlite:///{tmp_path / 'api.db'}")


@pytest.fixture()
def api(own_app: Flask) -> FlaskClient:
    return own_app.test_client()


def token(api: FlaskClient, client: tuple[str, str], scope: str | None = None) -> dict[str, str]:
    """The Authorization header of a fresh token (HTTP Basic client authentication, as RFC 6749 prefers)."""
    basic = base64.b64encode(f"{client[0]}:{client[1]}".encode()).decode()
    form = {"grant_type": "client_credentials"} | ({"scope": scope} if scope else {})
    answer = api.post("/api/v2/oauth/token", data=form, headers={"Authorization": f"Basic {basic}"})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900
    return {"Authorization": f"Bearer {body['access_token']}"}


def audit_rows(app: Flask, location_id: int) -> list[tuple[str, str | None, str | None, str, str, str | None]]:
    from portal.extensions import db
    from portal.models import AuditEntry

    with app.app_context():
        rows = db.session.scalars(
            select(AuditEntry).where(AuditEntry.location_id == location_id).order_by(AuditEntry.id)
        )
        return [(r.field, r.old_value, r.new_value, r.channel, r.actor_subject, r.request_id) for r in rows]


def test_the_turku_system_changes_free_places_and_the_citizen_sees_them(own_app, api) -> None:
    from tests.web.test_organiser_availability import citizen_free_places

    headers = token(api, TURKU)
    current = api.get(f"/api/v2/units/{UNIT}/availability", headers=headers).get_json()
    places = {g["age_group"]: g for g in current["age_groups"]}
    wanted = places["under_3"]["free_places"] + 4
    change = {"version": current["version"], "age_groups": {"under_3": {"free_places": wanted, "queue_weeks": 0}}}
    answer = api.put(f"/api/v2/units/{UNIT}/availability", json=change, headers=headers | {"Idempotency-Key": "a-1"})
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    after = {g["age_group"]: g for g in answer.get_json()["age_groups"]}
    assert after["under_3"]["free_places"] == wanted and after["under_3"]["queue_weeks"] == 0
    assert after["3_and_over"] == places["3_and_over"]  # not sent: unchanged
    assert answer.get_json()["version"] > current["version"]
    assert citizen_free_places(own_app) == wanted
    logged = [row for row in audit_rows(own_app, UNIT) if row[0] == "free_places.under_3"]
    assert logged == [
        (
            "free_places.under_3",
            str(places["under_3"]["free_places"]),
            str(wanted),
            "api",
            "api-client#turku-ecec-system",
            "idem:turku-ecec-system:a-1",
        )
    ]


def test_a_replayed_idempotency_key_changes_nothing(own_app, api) -> None:
    headers = token(api, TURKU) | {"Idempotency-Key": "same-key"}
    current = api.get(f"/api/v2/units/{UNIT}/availability", headers=headers).get_json()
    first = {"version": current["version"], "age_groups": {"under_3": {"free_places": 7, "queue_weeks": 1}}}
    assert api.put(f"/api/v2/units/{UNIT}/availability", json=first, headers=headers).status_code == 200
    logged = audit_rows(own_app, UNIT)
    again = {"version": current["version"], "age_groups": {"under_3": {"free_places": 9, "queue_weeks": 1}}}
    replay = api.put(f"/api/v2/units/{UNIT}/availability", json=again, headers=headers)
    assert replay.status_code == 200 and replay.headers["Idempotent-Replayed"] == "true"
    assert {g["age_group"]: g["free_places"] for g in replay.get_json()["age_groups"]}["under_3"] == 7
    assert audit_rows(own_app, UNIT) == logged
    # Without the key, the same old version is refused as stale, nothing changed.
    stale = api.put(f"/api/v2/units/{UNIT}/availability", json=again, headers=token(api, TURKU))
    assert stale.status_code == 409 and stale.mimetype == "application/problem+json"
    assert "Read it again" in stale.get_json()["detail"] or stale.get_json()["detail"]
    assert audit_rows(own_app, UNIT) == logged


def test_another_organisations_token_gets_403_and_an_unknown_unit_404(api) -> None:
    satakieli = token(api, SATAKIELI)
    refused = api.get(f"/api/v2/units/{UNIT}/availability", headers=satakieli)
    assert refused.status_code == 403 and refused.get_json()["errors"][0]["field"] == "location_id"
    change = {"version": 1, "age_groups": {"under_3": {"free_places": 1, "queue_weeks": 0}}}
    assert api.put(f"/api/v2/units/{UNIT}/availability", json=change, headers=satakieli).status_code == 403
    assert api.get("/api/v2/units/999999/availability", headers=satakieli).status_code == 404
    advice = token(api, ADVICE)  # a token without the availability scope
    assert api.get(f"/api/v2/units/{UNIT}/availability", headers=advice).status_code == 403


def test_no_token_a_wrong_secret_or_an_expired_token_gets_401(api, monkeypatch) -> None:
    answer = api.get(f"/api/v2/units/{UNIT}/availability")
    assert answer.status_code == 401 and answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert api.get(f"/api/v2/units/{UNIT}/availability", headers={"Authorization": "Bearer x.y.z"}).status_code == 401
    basic = base64.b64encode(b"turku-ecec-system:wrong").decode()
    wrong = api.post(
        "/api/v2/oauth/token", data={"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic}"}
    )
    assert wrong.status_code == 401 and wrong.get_json()["error"] == "invalid_client"
    headers = token(api, TURKU)
    later = time.time() + 901
    monkeypatch.setattr(time, "time", lambda: later)
    assert api.get(f"/api/v2/units/{UNIT}/availability", headers=headers).status_code == 401


def test_bad_input_is_refused_per_field_in_the_requested_language_and_nothing_saved(own_app, api) -> None:
    headers = token(api, TURKU)
    before = audit_rows(own_app, UNIT)
    bad = {"version": "x", "age_groups": {"under_3": {"free_places": -1, "queue_weeks": 0}}}
    answer = api.put(f"/api/v2/units/{UNIT}/availability?lang=en", json=bad, headers=headers)
    assert answer.status_code == 400 and answer.mimetype == "application/problem+json"
    assert {e["field"] for e in answer.get_json()["errors"]} == {"version", "age_groups"}
    past = {"monthly_price": {"amount": "450.00", "currency": "EUR"}, "valid_from": "2020-01-01"}
    answer = api.put(f"/api/v2/units/{UNIT}/prices?lang=fi", json=past, headers=headers)
    assert answer.status_code == 400
    assert answer.get_json()["errors"] == [
        {
            "field": "valid_from",
            "detail": "Hinta ei voi olla voimassa menneestä päivästä alkaen.",
            "input": None,
            "step": None,
        }
    ]
    assert audit_rows(own_app, UNIT) == before


def test_a_price_from_next_month_is_kept_with_its_date(own_app, api) -> None:
    headers = token(api, TURKU)
    price = {"monthly_price": {"amount": "412.50", "currency": "EUR"}, "valid_from": "2027-02-01"}
    answer = api.put(f"/api/v2/units/{UNIT}/prices", json=price, headers=headers)
    assert answer.status_code == 200
    entries = answer.get_json()["prices"]
    assert {
        "valid_from": "2027-02-01",
        "monthly_price": {"amount": "412.50", "currency": "EUR"},
        "version": 1,
    } in entries
    again = api.put(f"/api/v2/units/{UNIT}/prices", json=price, headers=headers)  # the date has a price: version
    assert again.status_code == 409
    changed = price | {"monthly_price": {"amount": "415.00", "currency": "EUR"}, "version": 1}
    assert api.put(f"/api/v2/units/{UNIT}/prices", json=changed, headers=headers).status_code == 200
    assert [r[1:3] for r in audit_rows(own_app, UNIT) if r[0] == "monthly_price"] == [
        (None, "412.50"),
        ("412.50", "415.00"),
    ]


def test_a_schedule_adds_times_once_and_a_time_can_be_cancelled(own_app, api) -> None:
    headers = token(api, ADVICE)
    # Mondays and Wednesdays at 9.00 and 10.30 from 4 to 17 January 2027: Mon 4, Wed 6, Mon 11, Wed 13; Wednesday
    # 6 January is Epiphany (and given as closed too): 3 days x 2 times = 6 times.
    schedule = {
        "weekdays": [0, 2],
        "times": ["09:00", "10:30"],
        "length_minutes": 45,
        "first_day": "2027-01-04",
        "last_day": "2027-01-17",
        "closed_days": ["2027-01-06"],
    }
    added = api.post("/api/v2/service-points/2001/appointment-times", json=schedule, headers=headers)
    assert added.status_code == 201
    assert len(added.get_json()["created"]) == 6 and added.get_json()["closed_days"] == ["2027-01-06"]
    again = api.post("/api/v2/service-points/2001/appointment-times", json=schedule, headers=headers)
    assert again.status_code == 200 and again.get_json() == {
        "created": [],
        "already_there": 6,
        "closed_days": ["2027-01-06"],
    }
    times = api.get("/api/v2/service-points/2001/appointment-times", headers=headers).get_json()["times"]
    first = next(t for t in times if t["id"] == added.get_json()["created"][0])
    assert first["starts_at"] == "2027-01-04T09:00:00+02:00" and not first["cancelled"]
    path = f"/api/v2/service-points/2001/appointment-times/{first['id']}"
    assert api.delete(f"{path}?version={first['version'] + 5}", headers=headers).status_code == 409
    cancelled = api.delete(f"{path}?version={first['version']}", headers=headers)
    assert cancelled.status_code == 200 and cancelled.get_json() == {"id": first["id"], "reservations_cancelled": 0}
    assert api.delete(path, headers=headers).status_code == 400  # no version
    assert api.post("/api/v2/service-points/1001/appointment-times", json=schedule, headers=headers).status_code == 403


def test_the_clients_file_is_checked_at_start(tmp_path: Path) -> None:
    from portal.api.oauth import ClientsFileError, load_clients

    wrong = tmp_path / "clients.yaml"
    wrong.write_text("clients:\n  - client_id: x\n    name: X\n    secret_hash: h\n    scopes: [everything]\n")
    with pytest.raises(ClientsFileError, match=r"clients\[0\]: unknown scopes \['everything'\]"):
        load_clients(wrong)
    wrong.write_text("clients:\n  - name: X\n")
    with pytest.raises(ClientsFileError, match=r"clients\[0\].*client_id"):
        load_clients(wrong)
