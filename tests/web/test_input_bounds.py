"""Input bounds (issue 13, holes 3 and 4, and the date-times of hole 8): what one request may send, and that no
answer, typed or stored, can make a page of a journey fail.

The audit's cases: a 19 MB JSON body answered with 150 MB; a '²' or a 20-digit number in a date field gave a 500
and, as the raw answer was stored before it was checked, every page of the life event failed after it (the
"Start again" link sat on a page that itself failed); ``"filters": {"language": [{}]}`` gave a 500;
``availability_updated_at`` was sent without its offset.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from configurator.answers import DEFAULT_ERRORS
from portal.limits import DEFAULT_MAX_REQUEST_BYTES, TOO_LARGE
from tests.api.test_api import ECEC_ANSWERS
from tests.api.test_business_api import LIISA_ANSWERS
from tests.helpers import ECEC_STEPS, LIISA_STEPS, MATTI_STEPS, complete_ecec, translated

PLAN_URL = "/api/v2/life-events/ecec/plan"
TOO_MUCH = DEFAULT_MAX_REQUEST_BYTES + 1024  # just past the 64 KiB limit


# --- the request size limit ----------------------------------------------------------------------------------


def test_the_limit_is_64_kib_by_default(app: Flask) -> None:
    assert DEFAULT_MAX_REQUEST_BYTES == 64 * 1024
    assert app.config["MAX_CONTENT_LENGTH"] == app.config["MAX_FORM_MEMORY_SIZE"] == 64 * 1024


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_an_oversized_form_is_413_with_the_page_in_its_language(
    app: Flask, csrf_off_client: FlaskClient, lang: str
) -> None:
    data = {**ECEC_STEPS["child"], "child_birth_date-day": "1" * TOO_MUCH}
    response = csrf_off_client.post(f"/{lang}/events/ecec/steps/child", data=data)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}"' in page
    assert translated(app, lang, "What you sent is too long") in page
    assert "64 KiB" in page
    # nothing of the oversized answer was kept: the journey starts from the beginning
    assert csrf_off_client.get(f"/{lang}/events/ecec/check").status_code == 302


def test_an_oversized_form_with_csrf_on_is_413_not_a_csrf_error(client: FlaskClient) -> None:
    response = client.post("/fi/feedback/", data={"comment": "x" * TOO_MUCH})
    assert response.status_code == 413


def test_a_multipart_form_of_too_many_fields_is_413(csrf_off_client: FlaskClient) -> None:
    """MAX_FORM_PARTS bounds a multipart form (an urlencoded one is bounded by its 64 KiB)."""
    response = csrf_off_client.post(
        "/en/events/ecec/steps/child", data={f"f{i}": "1" for i in range(300)}, content_type="multipart/form-data"
    )
    assert response.status_code == 413


def test_an_oversized_json_body_is_413_json_in_the_requested_language(app: Flask, client: FlaskClient) -> None:
    """The audit's 19 MB body: unknown answer keys, each echoed back in the old error list."""
    answers = {f"unknown_{i}": "x" * 100 for i in range(1000)}
    body = json.dumps({"answers": {**ECEC_ANSWERS, **answers}})
    assert len(body) > DEFAULT_MAX_REQUEST_BYTES
    response = client.post(f"{PLAN_URL}?lang=fi", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"  # RFC 9457 problem details
    assert response.headers["Content-Language"] == "fi"
    problem = response.get_json()
    assert [error["field"] for error in problem["errors"]] == ["body"]
    assert (
        problem["detail"]
        == problem["errors"][0]["detail"]
        == translated(app, "fi", TOO_LARGE).replace("{max_kib}", "64")
    )
    assert len(response.get_data()) < 500


def test_a_body_under_the_limit_with_unknown_keys_answers_briefly(client: FlaskClient) -> None:
    """Under the limit, unknown keys are errors naming each key, cut to 60 characters: no long echo."""
    long_key = "k" * 5000
    response = client.post(f"{PLAN_URL}?lang=en", json={"answers": {**ECEC_ANSWERS, long_key: 1}})
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert [e["field"] for e in errors] == ["k" * 60]
    assert len(response.get_data()) < 1000


def test_more_answers_than_any_life_event_asks_is_400(client: FlaskClient) -> None:
    answers = {**ECEC_ANSWERS, **{f"q{i}": 1 for i in range(101)}}
    response = client.post(f"{PLAN_URL}?lang=en", json={"answers": answers})
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "answers"


# --- the API: types, lists, lengths --------------------------------------------------------------------------


def post_plan(client: FlaskClient, **body: Any) -> Any:
    body.setdefault("answers", ECEC_ANSWERS)
    return client.post(f"{PLAN_URL}?lang=en", json=body)


@pytest.mark.parametrize(
    "filters, field",
    [
        ({"language": [{}]}, "filters.language"),
        ({"language": [["fi"]]}, "filters.language"),
        ({"care_type": [None]}, "filters.care_type"),
        ({"provider": [1]}, "filters.provider"),
        ({"language": ["fi"] * 50}, "filters.language"),
    ],
)
def test_a_filter_list_item_that_is_no_option_is_400_naming_the_filter(
    client: FlaskClient, filters: dict, field: str
) -> None:
    response = post_plan(client, filters=filters)
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == field


@pytest.mark.parametrize(
    "question, value",
    [
        ("hours_per_week", {}),
        ("hours_per_week", [30]),
        ("hours_per_week", True),
        ("hours_per_week", "3" * 300),
        ("income", {"amount": 6000}),
        ("care_language", ["fi"]),
        ("care_language", 1),
        ("child_birth_date", 20250315),
        ("child_birth_date", {"year": 2025}),
        ("shift_care", ["no"]),
        ("home", ["20100"]),
        ("home", {"postal_code": {"code": "20100"}}),
        ("home", {"postal_code": "20100", "country": "FI"}),
        ("home", {"lat": "60.45", "lon": {}}),
    ],
)
def test_an_answer_of_the_wrong_type_is_400_naming_its_question(client: FlaskClient, question: str, value: Any) -> None:
    response = post_plan(client, answers={**ECEC_ANSWERS, question: value})
    assert response.status_code == 400, response.get_json()
    errors = response.get_json()["errors"]
    assert [e["field"] for e in errors] == [question]  # the wrong type only, not also "missing"
    assert errors[0]["input"] == question and errors[0]["step"] is not None
    assert "{" not in errors[0]["detail"]


def test_not_a_number_and_infinity_are_wrong_types(client: FlaskClient) -> None:
    """Python's JSON reads NaN and Infinity, which JSON itself has not."""
    for text in ("NaN", "Infinity", "-Infinity"):
        body = json.dumps({"answers": ECEC_ANSWERS})[:-2] + f', "family_size": {text}}}}}'
        response = client.post(f"{PLAN_URL}?lang=en", data=body, content_type="application/json")
        assert response.status_code == 400, text
        assert [e["field"] for e in response.get_json()["errors"]] == ["family_size"]


def test_a_choices_answer_longer_than_its_options_is_400(client: FlaskClient) -> None:
    answers = {**LIISA_ANSWERS, "industries": ["farming"] * 100}
    response = client.post("/api/v2/life-events/business/plan?lang=en", json={"answers": answers})
    assert response.status_code == 400
    assert [e["field"] for e in response.get_json()["errors"]] == ["industries"]


@pytest.mark.parametrize("text", ["²025-03-15", "١٢٣٤-03-15", "99999-03-15", "12345678901234567890-1-1"])
def test_an_api_date_that_is_no_ascii_date_is_the_questions_error(client: FlaskClient, text: str) -> None:
    response = post_plan(client, answers={**ECEC_ANSWERS, "child_birth_date": text})
    assert response.status_code == 400
    assert [e["field"] for e in response.get_json()["errors"]] == ["child_birth_date"]


@pytest.mark.parametrize("today", ["9999-12-31", "0001-01-01", "²026-11-22"])
def test_a_today_far_outside_the_rules_is_400_naming_today(client: FlaskClient, today: str) -> None:
    response = post_plan(client, today=today)
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "today"


def test_json_nested_past_the_parsers_stack_is_400(client: FlaskClient) -> None:
    body = "[" * 20000 + "]" * 20000
    response = client.post(f"{PLAN_URL}?lang=en", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "body"


@pytest.mark.parametrize(
    "query",
    [
        "family_size=٣&income=6000&hours_per_week=40",
        "family_size=3&income=6000&hours_per_week=٤٠",
        "family_size=3&income=٦٠٠٠&hours_per_week=40",
    ],
)
def test_the_fee_calculator_takes_ascii_digits_only(client: FlaskClient, query: str) -> None:
    response = client.get(f"/api/v2/calculators/ecec-fee?{query}&lang=en")
    assert response.status_code == 400


# --- date-times carry their offset ------------------------------------------------------------------------


DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T")
WITH_OFFSET = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?[+-][0-9]{2}:[0-9]{2}")


def date_times(value: Any, path: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in date_times(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [found for item in value for found in date_times(item, path)]
    return [(path, value)] if isinstance(value, str) and DATE_TIME.match(value) else []


@pytest.mark.parametrize("event, answers", [("ecec", ECEC_ANSWERS), ("business", LIISA_ANSWERS)])
def test_every_date_time_the_api_sends_has_its_offset(client: FlaskClient, event: str, answers: dict) -> None:
    response = client.post(f"/api/v2/life-events/{event}/plan?lang=en", json={"answers": answers})
    assert response.status_code == 200
    found = date_times(response.get_json())
    assert found, "the plan has availability or appointment times"
    assert [(path, text) for path, text in found if not WITH_OFFSET.fullmatch(text)] == []
    if event == "ecec":
        assert any(path.endswith("availability_updated_at") for path, _ in found)


# --- dates on the step pages -----------------------------------------------------------------------------


DATE_FIELDS = [  # (event, step, question, the step's valid answers, the pages before it)
    ("ecec", "child", "child_birth_date", ECEC_STEPS["child"], {}),
    ("ecec", "child", "start_date", ECEC_STEPS["child"], {}),
    (
        "business",
        "start",
        "start_date",
        LIISA_STEPS["start"],
        {name: data for name, data in LIISA_STEPS.items() if name != "start"},
    ),
    ("unemployment", "situation", "first_day", MATTI_STEPS["situation"], {}),
]
BAD_PARTS = [
    ("day", "²"),
    ("month", "١٢"),
    ("day", "12345678901234567890"),
    ("month", "12345678901234567890"),
    ("year", "12345678901234567890"),
    ("year", "99999"),
    ("year", "1e309"),
    ("day", "NaN"),
    ("month", "inf"),
    ("year", "2" * 200),
    ("year", "²⁰²⁵"),
]


@pytest.mark.parametrize(
    "event, step, question, data, before", DATE_FIELDS, ids=lambda v: v if isinstance(v, str) else ""
)
@pytest.mark.parametrize("part, text", BAD_PARTS)
def test_a_date_part_that_is_no_ascii_number_is_the_fields_error_and_the_journey_goes_on(
    csrf_off_client: FlaskClient, event: str, step: str, question: str, data: dict, before: dict, part: str, text: str
) -> None:
    client = csrf_off_client
    for name, earlier in before.items():
        assert client.post(f"/en/events/{event}/steps/{name}", data=earlier).status_code == 302
    response = client.post(f"/en/events/{event}/steps/{step}", data={**data, f"{question}-{part}": text})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'class="error-summary"' in page
    # out-of-range parts name the year or the day; a part that is no number names itself
    named = re.findall(r'<li><a href="#([a-z_]+-(?:day|month|year))">', page)
    assert named and named[0].startswith(f"{question}-")
    # the bad text is shown again as typed (cut to the form's 200 characters), never parsed into a crash
    assert f'value="{text[:200]}"' in page
    for url in (f"/en/events/{event}/", f"/en/events/{event}/check", f"/en/events/{event}/steps/{step}"):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/en/events/{event}/plan", follow_redirects=True).status_code == 200
    assert client.post(f"/en/events/{event}/preview", data={}).status_code == 200


def test_the_day_error_is_the_real_date_message(app: Flask, csrf_off_client: FlaskClient) -> None:
    data = {**ECEC_STEPS["child"], "child_birth_date-day": "²"}
    page = csrf_off_client.post("/en/events/ecec/steps/child", data=data).get_data(as_text=True)
    assert '<a href="#child_birth_date-day">' in page
    assert translated(app, "en", DEFAULT_ERRORS["invalid.date"]) in page


# --- a corrupt stored answer ------------------------------------------------------------------------------


CORRUPT_ANSWERS = [
    {"child_birth_date-day": 15, "child_birth_date-month": ["3"], "child_birth_date-year": None},
    {"hours_per_week": {"a": 1}, "income": 10**30, "home-postal_code": 20100, "home-lat": float("inf")},
    {"hours_per_week": "3" * 5000, "family_size": "٣", "income": "9" * 150},
    {"child_birth_date-year": "99999", "start_date-day": "²", "home-lat": "1e309", "home-lon": "nan"},
    {"1": "x", "care_language": True, "sudden_need": 0.5},
]


def _every_page_answers(client: FlaskClient) -> None:
    for url in (
        "/en/events/ecec/",
        "/en/events/ecec/check",
        "/en/events/ecec/steps/child",
        "/en/events/ecec/steps/care",
        "/en/events/ecec/steps/places",
        "/en/events/ecec/steps/family",
    ):
        assert client.get(url).status_code < 400, url
    assert client.get("/en/events/ecec/plan", follow_redirects=True).status_code == 200
    assert client.get("/en/events/ecec/calendar.ics", follow_redirects=True).status_code == 200
    assert client.post("/en/events/ecec/preview", data={"hours_per_week": "²"}).status_code == 200


@pytest.mark.parametrize("corrupt", CORRUPT_ANSWERS)
def test_a_corrupt_stored_answer_is_unanswered_and_start_again_works(
    csrf_off_client: FlaskClient, corrupt: dict
) -> None:
    """A value an older version kept (or a hand-edited store) is treated as no answer on every page."""
    client = csrf_off_client
    complete_ecec(client)
    with client.session_transaction() as session:
        answers = dict(session["answers"])
        answers["ecec"] = {**answers["ecec"], **corrupt}
        session["answers"] = answers
    _every_page_answers(client)
    # the corrupt answer is asked again: the plan sends the person to the first step with it
    response = client.get("/en/events/ecec/plan")
    assert response.status_code == 302 and "/steps/" in response.headers["Location"]
    restart = client.post("/en/events/ecec/restart")
    assert restart.status_code == 302 and restart.headers["Location"].endswith("/en/events/ecec/")
    with client.session_transaction() as session:
        assert session["answers"]["ecec"] == {}
    complete_ecec(client)
    assert client.get("/en/events/ecec/plan").status_code == 200


@pytest.mark.parametrize(
    "key, value",
    [
        ("answers", "not a table"),
        ("answers", {"ecec": ["x"]}),
        ("answers", {"ecec": None}),
        ("plan_links", {"ecec": "x"}),
        ("plan_links", []),
        ("acting_for", {"ecec": "child-1"}),
        ("acting_for", {"ecec": {"key": 5, "name": []}}),
        ("typed_before_sign_in", "x"),
    ],
)
def test_a_corrupt_session_table_reads_as_empty(csrf_off_client: FlaskClient, key: str, value: Any) -> None:
    client = csrf_off_client
    with client.session_transaction() as session:
        session[key] = value
    _every_page_answers(client)
    assert client.post("/en/events/ecec/restart").status_code == 302
    complete_ecec(client)
    assert client.get("/en/events/ecec/plan").status_code == 200


@pytest.mark.parametrize("query", ["page=²", "page=١", "compare=²&compare=1", "page=99999999999999999999"])
def test_a_plan_page_number_that_is_no_ascii_number_is_page_one(csrf_off_client: FlaskClient, query: str) -> None:
    complete_ecec(csrf_off_client)
    assert csrf_off_client.get(f"/en/events/ecec/plan?{query}").status_code == 200


def test_the_fee_calculator_answers_the_same_query_in_ascii_digits(client: FlaskClient) -> None:
    """The ASCII twin of the queries above is a fee: they fail on the digits alone."""
    assert client.get("/api/v2/calculators/ecec-fee?family_size=3&income=6000&hours_per_week=40").status_code == 200


# --- the OpenAPI document says the same ---------------------------------------------------------------------


def test_the_openapi_document_states_the_bounds(client: FlaskClient) -> None:
    document = client.get("/api/v2/openapi.json").get_json()
    plan = document["paths"]["/api/v2/life-events/{event_id}/plan"]["post"]
    assert plan["responses"]["413"]["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }
    schemas = document["components"]["schemas"]
    answers = schemas["PlanRequest"]["properties"]["answers"]
    assert answers["maxProperties"] == 100
    assert {"type": "string", "maxLength": 200} in answers["additionalProperties"]["anyOf"]
    assert schemas["LocationAnswer"]["additionalProperties"] is False
    language = schemas["PlanFilters"]["properties"]["language"]["anyOf"][0]
    assert language["maxItems"] == 3  # fi, sv and en: no more items than options
    for path, kind in (("EcecRow", "availability_updated_at"), ("ServicePoint", "next_free_appointment")):
        assert schemas[path]["properties"][kind]["anyOf"][0]["format"] == "date-time"


def test_an_oversized_body_to_an_unknown_api_path_is_problem_details_too(app: Flask, client: FlaskClient) -> None:
    """A path no API route takes has no blueprint, so the app-wide 413 handler must choose the API's shape:
    one error format under /api, never the old {"error": ...} body."""
    body = json.dumps({"padding": "x" * (DEFAULT_MAX_REQUEST_BYTES + 1)})
    response = client.post("/api/v2/no-such-operation?lang=sv", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert "error" not in problem
    assert [error["field"] for error in problem["errors"]] == ["body"]
    assert problem["detail"] == translated(app, "sv", TOO_LARGE).replace("{max_kib}", "64")
