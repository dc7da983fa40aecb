"""The API's views: read the request into its model, call the service, answer with the response model.

Why so thin: the models (``models.py``) are the contract and the document is generated from them; a view only
chooses the language, maps a refused request to problem details and sets the caching and rate limits.
Every user-facing string is translated into the requested language (?lang=, else Accept-Language, else
Finnish); codes stay codes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, current_app, g, request
from flask_babel import force_locale
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import HTTPException

from ..context import life_events, today
from ..rate_limits import limited
from . import bp, openapi, serialize, services
from . import models as m
from .problems import ApiProblem, http_problem, requested_language, validation_problems

Q = TypeVar("Q", bound=BaseModel)


def json_response(body: BaseModel, status: int = 200) -> Response:
    """The model as JSON in its fields' order, UTF-8 unescaped."""
    return current_app.response_class(body.model_dump_json(by_alias=True), status=status, mimetype="application/json")


def localized(view: Callable[..., Response]) -> Callable[..., Response]:
    """Run a view in the requested language, turning ApiProblem into problem details in that language."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        try:
            lang = requested_language()
        except ApiProblem as exc:
            return exc.response()
        g.lang_code = lang  # the directory and unit names follow it too
        with force_locale(lang):
            try:
                response = view(*args, **kwargs)
            except ApiProblem as exc:
                response = exc.response()
        response.headers["Content-Language"] = lang
        return response

    return wrapper


def query(model: type[Q]) -> Q:
    """The query string as ``model``; an empty value counts as left out, as the HTML forms send them."""
    values = {name: value for name, value in request.args.items() if value != ""}
    try:
        return model.model_validate(values)
    except ValidationError as error:
        raise ApiProblem(400, validation_problems(error.errors(), model)) from None


def json_body() -> Any:
    try:
        return request.get_json(silent=True)
    except RecursionError:  # '[[[[…' nested deeper than the parser's stack: malformed, not a server error
        return None


@bp.after_request
def _no_store_plans(response: Response) -> Response:
    """A plan is built from personal answers: no cache may keep it (errors included, they echo answers)."""
    if request.endpoint == "api.plan":
        response.headers["Cache-Control"] = "no-store"
    return response


bp.register_error_handler(HTTPException, http_problem)
for _code in (400, 404, 405, 413, 429, 500):  # the app's code handlers would win over a class handler
    bp.register_error_handler(_code, http_problem)


@bp.get("/life-events")
@localized
def life_event_list() -> Response:
    return json_response(serialize.life_event_list(life_events().values()))


@bp.get("/life-events/<event_id>")
@localized
def life_event(event_id: str) -> Response:
    return json_response(serialize.life_event(services.event_or_404(event_id), today()))


@bp.post("/life-events/<event_id>/plan")
@limited("api")  # plans and calculators share one budget per client address
@localized
def plan(event_id: str) -> Response:
    """Validate the answers with the journey's own rules and return the checklist and the comparisons."""
    event = services.event_or_404(event_id)
    return json_response(services.plan(event, json_body(), today()))


@bp.get("/calculators/ecec-fee")
@limited("api")
@localized
def ecec_fee_calculator() -> Response:
    return json_response(services.ecec_fee_calculation(query(m.EcecFeeQuery), today()))


@bp.get("/calculators/business-start-costs")
@limited("api")
@localized
def business_start_costs_calculator() -> Response:
    return json_response(services.business_start_calculation(query(m.BusinessStartQuery), today()))


@bp.get("/calculators/unemployment-allowance")
@limited("api")
@localized
def unemployment_allowance_calculator() -> Response:
    return json_response(services.unemployment_calculation(query(m.UnemploymentQuery), today()))


@bp.get("/ecec-units")
@localized
def ecec_units() -> Response:
    """The ECEC units near a point, for orientation on the journey's map picker."""
    return json_response(services.units_near(query(m.EcecUnitsQuery), today()))


@bp.get("/openapi.json", endpoint="openapi")
def openapi_document() -> Response:
    """The OpenAPI 3.1 document generated from the models (``openapi.py``)."""
    return current_app.response_class(openapi.document_json(), mimetype="application/json")
