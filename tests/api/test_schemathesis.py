"""Schemathesis over the API's own OpenAPI document (issue 13: "zero 5xx, zero schema violations").

The audit ran schemathesis against a live portal and found 212 responses that broke the document
(``availability_updated_at`` without its zone). This runs the same checks in-process on every test run,
bounded in time: every operation of ``GET /api/v2/openapi.json`` gets valid and invalid requests, and each
response must be no server error, a status code the document lists for the operation, the content type it
lists, and a body its schema accepts; invalid requests must be refused with a 4xx; a method the document does
not list gets 405 with Allow.

One check is off: ``positive_data_acceptance`` (a request the schema accepts must get a 2xx). The API's rules
tie parameters together where JSON Schema cannot (child_rank at most family_size − 1, work_condition_year not
after the first day of unemployment, a municipality for part-time hours, dates before a figure's first
period), and its numbers are plain decimals with at most two digits after the point (1e-5 is refused, as the
forms refuse it): such requests get the 400 problem details naming the field that every operation lists.

Derandomized (the same examples every run, so a failure is reproducible and the run takes the same time) and
with no deadline (the shared machine is slow at times); rate limits are off in this app, so that the budget
of the API cannot refuse the hundreds of requests with a 429.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from configurator.lifeevents import default_life_events
from portal.api import openapi
from tests.conftest import build_app

EXAMPLES_PER_OPERATION = 50
DOCUMENT = "/api/v2/openapi.json"


# The document as the models and the paths table generate it, without the answers' examples (those call the
# services, which read an app's catalogue: building an app whenever the suite is collected would be slow).
# The first test checks that the API serves this document plus the examples; tests/api/test_openapi.py checks
# the examples.
schema = schemathesis.openapi.from_dict(openapi.build(examples=False))
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=EXAMPLES_PER_OPERATION,
    deterministic=True,
    database="none",
)


@pytest.fixture(scope="module")
def api_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """An app of its own, with rate limits off (a 429 would be a limit reached, not a finding)."""
    database = tmp_path_factory.mktemp("schemathesis") / "polku.db"
    return build_app(f"sqlite:///{database}", POLKU_RATE_LIMITS_ENABLED=False)


def without_answer_examples(document: dict[str, Any]) -> dict[str, Any]:
    """The document less the examples of its responses (parameter and request examples stay)."""
    for item in document["paths"].values():
        for operation in item.values():
            for response in operation["responses"].values():
                for media in response.get("content", {}).values():
                    media.pop("example", None)
    return document


def test_the_api_serves_the_document_under_test(api_app: Flask) -> None:
    response = api_app.test_client().get(DOCUMENT)
    assert response.status_code == 200
    assert without_answer_examples(response.get_json()) == json.loads(json.dumps(openapi.build(examples=False)))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_to_its_document(case: schemathesis.Case, api_app: Flask) -> None:
    case.call_and_validate(app=api_app, excluded_checks=[positive_data_acceptance])


PLAN = schema["/api/v2/life-events/{event_id}/plan"]["POST"]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
@pytest.mark.parametrize("event_id", sorted(default_life_events()))
def test_the_plan_of_every_life_event_keeps_to_its_document(
    event_id: str, mode: GenerationMode, api_app: Flask
) -> None:
    """The document's event_id is any text, so the run above mostly asks for life events that do not exist
    (404): here every life event's plan gets its own bodies."""

    @given(case=PLAN.as_strategy(generation_mode=mode, path_parameters={"event_id": event_id}))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(app=api_app, excluded_checks=[positive_data_acceptance])

    check()


@pytest.mark.parametrize(
    "path, allowed",
    [
        ("/api/v2/life-events/ecec/plan", "OPTIONS, POST"),
        ("/api/v2/ecec-units", "GET, HEAD, OPTIONS"),
        ("/en/own/plans/1/share", "OPTIONS, POST"),
    ],
)
def test_a_wrong_method_names_the_methods_that_work(api_app: Flask, path: str, allowed: str) -> None:
    """What schemathesis found first: a 405 without Allow (RFC 9110 s. 15.5.6), under /api and on pages."""
    response = api_app.test_client().open(path, method="TRACE")
    assert response.status_code == 405
    assert response.headers["Allow"] == allowed
