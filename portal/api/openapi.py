"""The OpenAPI 3.1 document of the API, generated from its models (``/api/v2/openapi.json``).

Why generated: the schemas are pydantic's JSON Schemas of the very models the views validate and answer with
(``models_json_schema`` with refs into ``#/components/schemas``), the query parameters are the fields of the
query models, and every example is the answer of a real call to the services with the example inputs (in
English), so neither a field nor an example can drift from what the API does. Only the paths table below is
written by hand: which operation takes which model and may answer which status.

The examples need the catalogue, so the document is built in an app and request context and kept per app.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from flask import current_app, g
from flask_babel import force_locale
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from ..context import life_events, today
from ..limits import DEFAULT_MAX_REQUEST_BYTES, TOO_LARGE
from ..rate_limits import TOO_MANY
from . import models as m
from . import organiser_models as om
from . import serialize, services
from .oauth import SCOPES, TOKEN_SECONDS, UNAUTHORIZED
from .problems import PROBLEM_JSON, ApiProblem, translate

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
REF = "#/components/schemas/{model}"
EXAMPLE_LANGUAGE = "en"
PLAN_EXAMPLE_BODY: dict[str, Any] = {  # a request, so written out; its answer is computed
    "answers": {
        "child_birth_date": "2025-03-15",
        "start_date": "2027-08-12",
        "hours_per_week": 30,
        "care_language": "fi",
        "shift_care": False,
        "sudden_need": False,
        "home": {"postal_code": "20100"},
        "work": {"postal_code": "20520", "lat": 60.4518, "lon": 22.2988},
        "family_size": 3,
        "income": "6 000,00",
        "other_children_in_ecec": 0,
        "consider_private": True,
    },
    "today": "2026-11-22",
    "filters": {"language": ["fi"], "max_km": 5, "room": False, "sort": "distance"},
}
PLAN_EXAMPLE_ROWS = 2  # the plan example keeps the first rows of each list of units or service points


@dataclass(frozen=True)
class Operation:
    """One row of the paths table."""

    path: str
    method: str
    operation_id: str
    tag: str
    summary: str
    response: type[BaseModel]
    example: Callable[[], BaseModel] | None = None
    query: type[m.Query] | None = None
    body: type[BaseModel] | None = None
    body_example: dict[str, Any] | None = None
    event_id: bool = False
    errors: dict[int, str] = field(default_factory=dict)
    limited: bool = False  # counted against the API's rate limit (429)
    description: str = ""
    path_params: tuple[str, ...] = ()  # integer ids in the path (unit_id, location_id, slot_id)
    scope: str | None = None  # needs a client credentials token with this scope (the organisers' API)
    idempotent_key: bool = False  # takes an Idempotency-Key header
    created: bool = False  # may answer 201
    limit_description: str = ""  # the rate limit (429) of an operation that is not a plan or calculator
    form_body: type[BaseModel] | None = None  # an application/x-www-form-urlencoded body (the token request)


def example_query(model: type[m.Query]) -> Any:
    """The query model with each field's example (what the document shows as the parameters' examples)."""
    values = {name: info.examples[0] for name, info in model.model_fields.items() if info.examples}
    return model.model_validate(values)


def trimmed_plan() -> m.Plan:
    """The answer to PLAN_EXAMPLE_BODY, with the first rows of each list of units or service points."""
    plan = services.plan(life_events()["ecec"], PLAN_EXAMPLE_BODY, today())
    for comparison in plan.comparisons:
        for name in ("rows", "other_rows"):
            if hasattr(comparison, name):
                setattr(comparison, name, getattr(comparison, name)[:PLAN_EXAMPLE_ROWS])
    return plan


def problem_of(call: Callable[[], Any]) -> m.Problem:
    """The problem details a real refused call answers with."""
    try:
        call()
    except ApiProblem as exc:
        return m.Problem(title=HTTPStatus(exc.status).phrase, status=exc.status, detail=exc.detail, errors=exc.errors)
    raise AssertionError("the example call was not refused")


LIMIT = (
    "Plans and calculators together, per client address (by default 60 a minute and 1,000 an hour, "
    "POLKU_RATE_LIMIT_API); wait the seconds of Retry-After."
)
OPERATIONS = [
    Operation(
        "/api/v2/life-events",
        "get",
        "listLifeEvents",
        "life events",
        "The life events the portal guides.",
        m.LifeEventList,
        lambda: serialize.life_event_list(life_events().values()),
        errors={400: "Unknown lang."},
    ),
    Operation(
        "/api/v2/life-events/{event_id}",
        "get",
        "getLifeEvent",
        "life events",
        "A life event with its steps and questions (what to answer for a plan).",
        m.LifeEvent,
        lambda: serialize.life_event(life_events()["ecec"], today()),
        event_id=True,
        errors={400: "Unknown lang.", 404: "No such life event."},
    ),
    Operation(
        "/api/v2/life-events/{event_id}/plan",
        "post",
        "makePlan",
        "life events",
        "A personal plan: the checklist with deadlines and the comparisons of the life event.",
        m.Plan,
        trimmed_plan,
        body=m.PlanRequest,
        body_example=PLAN_EXAMPLE_BODY,
        event_id=True,
        limited=True,
        errors={
            400: "Invalid, missing or wrongly typed answers (each named by its question, with the form "
            "input and the step), or a malformed body.",
            404: "No such life event.",
            413: "The body is larger than the portal takes.",
        },
        description="Answers are validated by the same rules as the portal's forms. Responses are sent "
        "with Cache-Control: no-store. The example answer keeps the first "
        f"{PLAN_EXAMPLE_ROWS} rows of each comparison.",
    ),
    Operation(
        "/api/v2/calculators/ecec-fee",
        "get",
        "ececFee",
        "calculators",
        "The monthly client fee of municipal early childhood education for one child.",
        m.EcecFeeCalculation,
        lambda: services.ecec_fee_calculation(example_query(m.EcecFeeQuery), today()),
        query=m.EcecFeeQuery,
        limited=True,
        errors={400: "A missing or invalid parameter, named in errors."},
        description="Act on early childhood education client fees 1503/2016 with dated figures; municipal "
        "part-time steps from the catalogue.",
    ),
    Operation(
        "/api/v2/calculators/business-start-costs",
        "get",
        "businessStartCosts",
        "calculators",
        "What starting a business costs: the registration fee, and whether VAT and YEL are obligatory.",
        m.BusinessStartCalculation,
        lambda: services.business_start_calculation(example_query(m.BusinessStartQuery), today()),
        query=m.BusinessStartQuery,
        limited=True,
        errors={400: "A missing or invalid parameter, named in errors."},
        description="PRH start-up notice fee, the VAT registration threshold (VAT Act 1501/1993) and the YEL "
        "minimum work income with a contribution estimate (Act 1272/2006), in force on the date.",
    ),
    Operation(
        "/api/v2/calculators/unemployment-allowance",
        "get",
        "unemploymentAllowance",
        "calculators",
        "The unemployment fund's earnings-related allowance and Kela's benefit for a day.",
        m.UnemploymentCalculation,
        lambda: services.unemployment_calculation(example_query(m.UnemploymentQuery), today()),
        query=m.UnemploymentQuery,
        limited=True,
        errors={400: "A missing or invalid parameter, named in errors."},
        description="Unemployment Security Act 1290/2002 with dated figures.",
    ),
    Operation(
        "/api/v2/ecec-units",
        "get",
        "ececUnitsNear",
        "catalogue",
        "The early childhood education units near a point, nearest first.",
        m.UnitPoints,
        lambda: services.units_near(example_query(m.EcecUnitsQuery), today()),
        query=m.EcecUnitsQuery,
        errors={400: "A missing or invalid parameter, or a point outside Finland, named in errors."},
        description=f"At most {m.MAX_UNITS} units, with their names in the requested language and others' "
        "experiences of each (the average rating and the share who found it easy from 5 answers on, and the "
        "comments an organiser published; null when there is nothing to show).",
    ),
]

ORGANISER_LIMIT = (
    "The organisers' writes, per client address (by default 60 a minute and 2,000 a day, "
    "POLKU_RATE_LIMIT_ORGANISER_EDITS); wait the seconds of Retry-After."
)
WRITE_ERRORS = {
    400: "An invalid body or parameter, each refused field named in errors (the same rules as the organiser pages).",
    401: "No valid bearer token.",
    403: "The token lacks the scope, or the unit or service point is not the client's organisation's.",
    404: "No such unit or service point (or time).",
}
READ_ERRORS = {k: v for k, v in WRITE_ERRORS.items() if k != 400} | {400: "Unknown lang."}
STALE_ERROR = {409: "Changed since the version sent: read again and send the change with the current version."}
IDEMPOTENCY = (
    " Send an Idempotency-Key header to make a retry safe: a request with a key this client used before changes "
    "nothing and answers the current state with Idempotent-Replayed: true. Every change is in the organisation's "
    "audit log with the channel api."
)
OPERATIONS += [
    Operation(
        "/api/v2/oauth/token",
        "post",
        "token",
        "organisers",
        "A client credentials token for an organiser's system (OAuth 2.0).",
        om.TokenResponse,
        form_body=om.TokenRequest,
        limited=True,
        errors={400: "An unsupported grant type or an invalid request.", 401: "Unknown client or wrong secret."},
        description=f"The token is a signed JWT, valid for {TOKEN_SECONDS} seconds. Errors are OAuth 2.0 error "
        "objects (RFC 6749 section 5.2), as OAuth client libraries expect.",
    ),
    Operation(
        "/api/v2/units/{unit_id}/availability",
        "get",
        "getUnitAvailability",
        "organisers",
        "A unit's free places and queue per age group, with the version a change must name.",
        om.UnitAvailability,
        path_params=("unit_id",),
        scope="availability",
        errors=READ_ERRORS,
    ),
    Operation(
        "/api/v2/units/{unit_id}/availability",
        "put",
        "putUnitAvailability",
        "organisers",
        "Set a unit's free places and queue for some or all of its age groups.",
        om.UnitAvailability,
        body=om.AvailabilityUpdate,
        body_example={"version": 2, "age_groups": {"under_3": {"free_places": 3, "queue_weeks": 0}}},
        path_params=("unit_id",),
        scope="availability",
        idempotent_key=True,
        errors=WRITE_ERRORS | STALE_ERROR,
        limit_description=ORGANISER_LIMIT,
        description="Citizens see the numbers at once, dated now." + IDEMPOTENCY,
    ),
    Operation(
        "/api/v2/units/{unit_id}/prices",
        "get",
        "getUnitPrices",
        "organisers",
        "A unit's monthly prices by the date they apply from, with their versions.",
        om.UnitPrices,
        path_params=("unit_id",),
        scope="prices",
        errors=READ_ERRORS,
    ),
    Operation(
        "/api/v2/units/{unit_id}/prices",
        "put",
        "putUnitPrice",
        "organisers",
        "Set a unit's full-time monthly price from a date on (today or later).",
        om.UnitPrices,
        body=om.PriceUpdate,
        body_example={"monthly_price": {"amount": "450.00", "currency": "EUR"}, "valid_from": "2027-01-01"},
        path_params=("unit_id",),
        scope="prices",
        idempotent_key=True,
        errors=WRITE_ERRORS | STALE_ERROR,
        limit_description=ORGANISER_LIMIT,
        description="A price from a future date applies on that date by itself. A date that has a price already "
        "is changed only with its version." + IDEMPOTENCY,
    ),
    Operation(
        "/api/v2/service-points/{location_id}/appointment-times",
        "get",
        "getAppointmentTimes",
        "organisers",
        "A service point's appointment times from today on, with their versions.",
        om.AppointmentTimes,
        path_params=("location_id",),
        scope="appointment-times",
        errors=READ_ERRORS,
    ),
    Operation(
        "/api/v2/service-points/{location_id}/appointment-times",
        "post",
        "addAppointmentTimes",
        "organisers",
        "Add times from a weekly schedule (closed days and public holidays skipped).",
        om.AddedTimes,
        body=om.ScheduleRequest,
        body_example={
            "weekdays": [0, 2],
            "times": ["09:00", "10:30"],
            "length_minutes": 45,
            "first_day": "2027-01-04",
            "last_day": "2027-01-17",
            "closed_days": ["2027-01-06"],
        },
        path_params=("location_id",),
        scope="appointment-times",
        idempotent_key=True,
        created=True,
        errors=WRITE_ERRORS,
        limit_description=ORGANISER_LIMIT,
        description="201 when times were added; sent again it adds nothing (200, already_there) because the "
        "times are there." + IDEMPOTENCY,
    ),
    Operation(
        "/api/v2/service-points/{location_id}/appointment-times/{slot_id}",
        "delete",
        "cancelAppointmentTime",
        "organisers",
        "Cancel a time (?version= as read) with its reservations; each person gets a message in their own space.",
        om.CancelledTime,
        path_params=("location_id", "slot_id"),
        scope="appointment-times",
        idempotent_key=True,
        errors=WRITE_ERRORS | STALE_ERROR,
        limit_description=ORGANISER_LIMIT,
        description="A time that has started cannot be cancelled." + IDEMPOTENCY,
    ),
]

PROBLEM_EXAMPLES: dict[str, Callable[[], Any]] = {
    "/api/v2/calculators/ecec-fee": lambda: services.ecec_fee_calculation(
        m.EcecFeeQuery.model_validate({"family_size": "3", "income": "6000", "hours_per_week": "30"}), today()
    ),
    "/api/v2/calculators/business-start-costs": lambda: services.business_start_calculation(
        m.BusinessStartQuery.model_validate(
            {"company_form": "toiminimi", "turnover": "1", "work_income": "1", "on": "1990-01-01"}
        ),
        today(),
    ),
    "/api/v2/calculators/unemployment-allowance": lambda: services.unemployment_calculation(
        m.UnemploymentQuery.model_validate({"fund_member": "true"}), today()
    ),
    "/api/v2/ecec-units": lambda: services.units_near(
        m.EcecUnitsQuery.model_validate({"lat": "48.85", "lon": "2.35"}), today()
    ),
    "/api/v2/life-events/{event_id}/plan": lambda: services.plan(
        life_events()["ecec"], {"answers": {**PLAN_EXAMPLE_BODY["answers"], "hours_per_week": 0}}, today()
    ),
}


def schemas() -> tuple[dict[tuple[type[BaseModel], str], dict[str, Any]], dict[str, Any]]:
    models: list[tuple[type[BaseModel], Any]] = [(op.response, "serialization") for op in OPERATIONS]
    models += [(op.body, "validation") for op in OPERATIONS if op.body is not None]
    models += [(op.form_body, "validation") for op in OPERATIONS if op.form_body is not None]
    models.append((om.OAuthError, "serialization"))
    models.append((m.Problem, "serialization"))
    refs, definitions = models_json_schema(models, ref_template=REF)
    return refs, definitions.get("$defs", {})


def parameters_of(model: type[m.Query]) -> list[dict[str, Any]]:
    """A query parameter per field of the query model, with the field's schema, description and example."""
    schema = model.model_json_schema(ref_template=REF)
    required = set(schema.get("required", []))
    parameters = []
    for name, prop in schema["properties"].items():
        prop = {k: v for k, v in prop.items() if k not in ("title", "default")}
        if schema["properties"][name].get("default") is not None:  # a query value is text, its default too
            prop["default"] = str(schema["properties"][name]["default"])
        description, examples = prop.pop("description", ""), prop.pop("examples", None)
        if name not in required:  # an empty value counts as left out (routes.query), as HTML forms send them
            default = prop.pop("default", None)
            prop = {"anyOf": [prop, {"type": "string", "maxLength": 0}]}
            if default is not None:
                prop["default"] = default
        parameter = {
            "name": name,
            "in": "query",
            "required": name in required,
            "description": description,
            "schema": prop,
        }
        if examples:
            parameter["example"] = examples[0]
        parameters.append(parameter)
    return parameters


def problem_response(description: str, example: m.Problem | None, **extra: Any) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": {"$ref": REF.format(model="Problem")}}
    if example is not None:
        media["example"] = example.model_dump(mode="json")
    return {"description": description, "content": {PROBLEM_JSON: media}, **extra}


FIXED_PROBLEMS: dict[int, tuple[str | None, str]] = {  # the organisers' API's refusals that name no model field
    401: (None, UNAUTHORIZED),
    403: ("location_id", om.NOT_YOURS),
    404: ("location_id", om.NO_SUCH),
    409: (None, om.STALE),
}


def fixed_problem(status: int, field_name: str | None, msgid: str, **values: Any) -> m.Problem:
    detail = translate(msgid, values)
    errors = [m.FieldProblem(field=field_name, detail=detail)] if field_name else []
    return m.Problem(title=HTTPStatus(status).phrase, status=status, detail=detail, errors=errors)


def operation(op: Operation, refs: dict[tuple[type[BaseModel], str], dict[str, Any]], examples: bool) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = []
    if op.event_id:
        parameters.append(
            {"name": "event_id", "in": "path", "required": True, "schema": {"type": "string"}, "example": "ecec"}
        )
    for name in op.path_params:
        parameters.append(
            {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0}, "example": 1001}
        )
    if op.query is not None:
        parameters += parameters_of(op.query)
    if op.method == "delete" and op.scope:
        parameters.append(
            {
                "name": "version",
                "in": "query",
                "required": True,
                "description": "The time's version as read (GET).",
                "schema": {"type": "string", "pattern": "^[0-9]{1,9}$"},
                "example": "1",
            }
        )
    if op.idempotent_key:
        parameters.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "A key of the client's own for this change (1 to 64 visible ASCII characters).",
                "schema": {"type": "string", "pattern": "^[!-~]{1,64}$"},
            }
        )
    if op.path != "/api/v2/openapi.json":
        parameters += [{"$ref": "#/components/parameters/lang"}, {"$ref": "#/components/parameters/AcceptLanguage"}]
    ok: dict[str, Any] = {"schema": refs[(op.response, "serialization")]}
    if examples and op.example is not None:
        ok["example"] = op.example().model_dump(mode="json", by_alias=True)
    responses: dict[str, Any] = {"200": {"description": "OK", "content": {JSON: ok}}}
    if op.created:
        responses["201"] = {"description": "Created", "content": {JSON: {"schema": ok["schema"]}}}
    for status, description in op.errors.items():
        example: m.Problem | None = None
        if op.form_body is not None:  # the OAuth token endpoint answers OAuth errors
            responses[str(status)] = {
                "description": description,
                "content": {JSON: {"schema": refs[(om.OAuthError, "serialization")]}},
            }
            continue
        if not examples:
            pass
        elif op.scope and status in FIXED_PROBLEMS:
            example = fixed_problem(status, *FIXED_PROBLEMS[status], id=999999)
        elif status == 400 and op.path in PROBLEM_EXAMPLES:
            example = problem_of(PROBLEM_EXAMPLES[op.path])
        elif status == 400:
            example = fixed_problem(
                400,
                "lang",
                "Unknown language {lang}. Use one of: {supported}.",
                lang="de",
                supported=", ".join(current_app.config["LANGUAGES"]),
            )
        elif status == 404:
            example = problem_of(lambda: services.event_or_404("x"))
        elif status == 413:
            example = fixed_problem(413, "body", TOO_LARGE, max_kib=DEFAULT_MAX_REQUEST_BYTES // 1024)
        responses[str(status)] = problem_response(description, example)
    if op.limited or op.limit_description:
        responses["429"] = problem_response(
            op.limit_description or LIMIT,
            fixed_problem(429, None, TOO_MANY, seconds=42) if examples else None,
            headers={
                "Retry-After": {
                    "description": "Seconds until calls are taken again.",
                    "schema": {"type": "integer", "minimum": 1},
                }
            },
        )
    result: dict[str, Any] = {"operationId": op.operation_id, "tags": [op.tag], "summary": op.summary}
    if op.description:
        result["description"] = op.description
    result["parameters"] = parameters
    if op.body is not None:
        result["requestBody"] = {
            "required": True,
            "content": {JSON: {"schema": refs[(op.body, "validation")], "example": op.body_example}},
        }
    if op.form_body is not None:
        result["requestBody"] = {
            "required": True,
            "content": {FORM: {"schema": refs[(op.form_body, "validation")]}},
        }
    if op.scope:
        result["security"] = [{"organiserClient": [op.scope]}]
    result["responses"] = responses
    return result


def build(examples: bool = True) -> dict[str, Any]:
    """The whole document, with the answers' examples computed in English (in an app and request context).
    Without them it needs no app: the models and the paths table alone (what schemathesis generates from)."""
    refs, components = schemas()
    paths: dict[str, Any] = {}
    if not examples:
        paths = {op.path: {} for op in OPERATIONS}
        for op in OPERATIONS:
            paths[op.path][op.method] = operation(op, refs, examples=False)
    else:
        with force_locale(EXAMPLE_LANGUAGE):
            previous = g.get("lang_code")
            g.lang_code = EXAMPLE_LANGUAGE
            try:
                for op in OPERATIONS:
                    paths.setdefault(op.path, {})[op.method] = operation(op, refs, examples=True)
            finally:
                g.lang_code = previous
    paths["/api/v2/openapi.json"] = {
        "get": {
            "operationId": "openapi",
            "tags": ["meta"],
            "summary": "This document.",
            "responses": {
                "200": {"description": "The OpenAPI 3.1 document.", "content": {JSON: {"schema": {"type": "object"}}}}
            },
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Polku API",
            "version": "2",
            "description": "Life events, personal plans, fee calculators and the early childhood education units "
            "of the Polku portal. Texts come in Finnish, Swedish or English (lang or "
            "Accept-Language); codes and numbers do not change with the language. Money is always "
            'an object {"amount": "80.90", "currency": "EUR"}: a decimal string with two '
            "decimals. Query parameters take Finnish or English notation ('1 234,50' or "
            "'1234.50'). Dates are YYYY-MM-DD; date-times are ISO 8601 with the Europe/Helsinki "
            "offset. Errors are RFC 9457 problem details (application/problem+json) naming each "
            "refused input in errors[].field. Demo catalogue data is flagged with is_demo.",
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": "life events"},
            {"name": "calculators"},
            {"name": "catalogue"},
            {
                "name": "organisers",
                "description": "Free places, prices and appointment times, written by the "
                "organisers' own systems with a client credentials token.",
            },
            {"name": "meta"},
        ],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "organiserClient": {
                    "type": "oauth2",
                    "description": "An organiser's system (an ECEC system, a booking system) with client credentials "
                    "given by the portal's operator; scoped to its organisations.",
                    "flows": {
                        "clientCredentials": {"tokenUrl": "/api/v2/oauth/token", "scopes": dict(SCOPES)},
                    },
                }
            },
            "parameters": {
                "lang": {
                    "name": "lang",
                    "in": "query",
                    "required": False,
                    "schema": {"enum": ["fi", "sv", "en"]},
                    "description": "Language of the texts; default the best Accept-Language match, else fi.",
                },
                "AcceptLanguage": {
                    "name": "Accept-Language",
                    "in": "header",
                    "required": False,
                    "description": "Used when lang is not given.",
                    "schema": {"type": "string"},
                },
            },
        },
    }


def document() -> dict[str, Any]:
    """The document of the current app, built at its first request for it (the examples read the catalogue)."""
    cached = current_app.extensions.get("polku.openapi")
    if cached is None:
        cached = current_app.extensions["polku.openapi"] = build()
    return cached


def document_json() -> str:
    return json.dumps(document(), ensure_ascii=False)
