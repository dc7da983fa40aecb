"""Every error of the API as RFC 9457 problem details (application/problem+json), in the requested language.

Why one place: a refused query parameter, a malformed plan body, an unknown life event, a body too large, a
rate limit and a wrong method all answer in the same shape (``models.Problem``): ``detail`` for people and
``errors`` naming each refused input as ``{field, detail}``, so a client has one error format to read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from flask import Response, current_app, g, request
from flask_babel import force_locale
from pydantic import BaseModel
from werkzeug.exceptions import HTTPException

from configurator.i18n import N_

from ..i18n import translate_with
from ..limits import TOO_LARGE, max_kib
from ..rate_limits import TOO_MANY, retry_after_seconds
from .models import FieldProblem, Message, Problem

PROBLEM_JSON = "application/problem+json"
REQUIRED = N_("This parameter is required.")
MAX_ECHO = 60  # at most this much of a name the client sent is repeated in an error


class ApiProblem(Exception):
    """A request the API refuses: the HTTP status and the refused inputs (or none)."""

    def __init__(
        self,
        status: int,
        errors: list[FieldProblem],
        detail: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail or (errors[0].detail if errors else HTTPStatus(status).phrase))
        self.status = status
        self.errors = errors
        self.detail = str(self)
        self.headers = dict(headers or {})

    def response(self) -> Response:
        return problem_response(self.status, self.detail, self.errors, self.headers)


def translate(msgid: str, values: Mapping[str, Any] | None = None) -> str:
    """A domain msgid in the current language with its placeholders filled (None values are dropped: babel
    cannot format them)."""
    return translate_with(msgid, {k: v for k, v in (values or {}).items() if v is not None})


def field_problem(field: str, msgid: str, **values: Any) -> FieldProblem:
    return FieldProblem(field=field, detail=translate(msgid, values))


def refused(status: int, field: str, msgid: str, **values: Any) -> ApiProblem:
    """One refused input, e.g. ``raise refused(400, "on", N_("The figures are not known for {on}."), on=on)``."""
    return ApiProblem(status, [field_problem(field, msgid, **values)])


def problem_response(
    status: int, detail: str, errors: Iterable[FieldProblem] = (), headers: Mapping[str, str] | None = None
) -> Response:
    body = Problem(title=HTTPStatus(status).phrase, status=status, detail=detail, errors=list(errors))
    response = current_app.response_class(
        json.dumps(body.model_dump(mode="json"), ensure_ascii=False), status=status, mimetype=PROBLEM_JSON
    )
    response.headers.update(headers or {})
    return response


def field_of(loc: tuple[int | str, ...], known: Iterable[str] = ()) -> str:
    """The refused input of a pydantic error location: the longest dotted prefix of its names that the model
    names in ``known`` (``filters.max_km``, not ``filters.max_km.int``: pydantic adds union branch tags and
    list indexes), else the top-level field."""
    names = [part for part in loc if isinstance(part, str)]
    known = set(known)
    for end in range(len(names), 1, -1):
        if ".".join(names[:end]) in known:
            return ".".join(names[:end])
    return names[0] if names else "body"


def validation_problems(errors: Iterable[Any], model: type[BaseModel]) -> list[FieldProblem]:
    """One problem per refused field of pydantic's ``ValidationError.errors()``, in the order of the fields: the type's own message (``types.refuse``),
    else the model's message for the field ('path:error_type' first), else 'This parameter is required.'."""
    messages: Mapping[str, Message] = getattr(model, "messages", {})
    found: dict[str, FieldProblem] = {}
    for item in errors:
        field = field_of(item["loc"], (key.split(":")[0] for key in messages))
        if field in found:
            continue
        ctx = item.get("ctx") or {}
        if item["type"] == "polku":
            msgid, values = ctx["msgid"], ctx["values"]
        else:
            msgid, values = messages.get(f"{field}:{item['type']}") or messages.get(field) or (REQUIRED, {})
        found[field] = field_problem(field[:MAX_ECHO], msgid, **values)
    return list(found.values())


def requested_language() -> str:
    """?lang= when given (and supported), else the best Accept-Language match, else the default (fi)."""
    supported = tuple(current_app.config["LANGUAGES"])
    lang = request.args.get("lang")
    if lang is None:
        return request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]
    if lang not in supported:
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            raise refused(
                400,
                "lang",
                N_("Unknown language {lang}. Use one of: {supported}."),
                lang=lang[:20],
                supported=", ".join(supported),
            )
    return lang


def safe_language() -> str:
    """The requested language, or the default one when the request names none we have (an error page must
    not fail on the language)."""
    try:
        return requested_language()
    except ApiProblem:
        return current_app.config["BABEL_DEFAULT_LOCALE"]


def http_problem(exc: HTTPException) -> Response:
    """Errors raised outside the views' own checks (404, 405, 413, 429, 500) as problem details in the
    request's language: the size and rate limits say what to do; 405 names the methods that work."""
    status = exc.code or 500
    lang = g.get("lang_code") or safe_language()
    headers: dict[str, str] = {"Content-Language": lang}
    errors: list[FieldProblem] = []
    with force_locale(lang):
        if status == 413:
            errors = [field_problem("body", TOO_LARGE, max_kib=max_kib())]
            detail = errors[0].detail
        elif status == 429:
            seconds = retry_after_seconds()
            detail = translate(TOO_MANY, {"seconds": seconds})
            headers["Retry-After"] = str(seconds)
        else:
            detail = exc.description or HTTPStatus(status).phrase
    methods = getattr(exc, "valid_methods", None)
    if status == 405 and methods:
        headers["Allow"] = ", ".join(sorted(methods))
    return problem_response(status, detail, errors, headers)
