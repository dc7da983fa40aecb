"""Request size limits: a bound on what one request may make the portal read, parse and answer.

Without one, a single 19 MB JSON body made the process grow by ~690 MB and answer with 150 MB. Every form
and API body of the portal is a few kilobytes, so 64 KiB (POLKU_MAX_REQUEST_BYTES, also from the environment)
leaves room for any real answer while no request can hold the memory of another. A larger body is refused
before it is read: a translated HTML page for people, a JSON error for the API.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, Response, current_app, g, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import RequestEntityTooLarge

from configurator.i18n import N_

DEFAULT_MAX_REQUEST_BYTES = 64 * 1024
DEFAULT_MAX_FORM_PARTS = 256  # the longest form (the business idea's industries) has a few dozen fields
TOO_LARGE = N_("The request is too large: send at most {max_kib} KiB.")


def _setting(app: Flask, name: str, default: int) -> int:
    """A positive whole number from the app's configuration, else the environment, else the default."""
    value: Any = app.config.get(name) or os.environ.get(name) or default
    number = int(value)
    if number <= 0:
        raise ValueError(f"{name} must be a positive number of bytes or parts, not {value!r}")
    return number


def init_limits(app: Flask) -> None:
    """Bound every request body (Flask's MAX_CONTENT_LENGTH, MAX_FORM_MEMORY_SIZE and MAX_FORM_PARTS) and answer
    a larger one with 413 (the handler is registered with the other error pages, portal/pages/errors.py)."""
    limit = _setting(app, "POLKU_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES)
    app.config["POLKU_MAX_REQUEST_BYTES"] = limit
    app.config["MAX_CONTENT_LENGTH"] = limit
    app.config["MAX_FORM_MEMORY_SIZE"] = limit
    app.config["MAX_FORM_PARTS"] = _setting(app, "POLKU_MAX_FORM_PARTS", DEFAULT_MAX_FORM_PARTS)
    app.before_request(refuse_oversized)


def refuse_oversized() -> None:
    """Refuse a body declared larger than the limit before anything reads it, also on routes that take no body
    (Werkzeug checks only when a view reads the form or the data; a stream without a length is cut off there)."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()


def _language() -> str:
    """The page's language from its path (/fi/…), the API's from ?lang= or Accept-Language, else the default:
    a body can be refused before the handlers that set the language have run."""
    supported = tuple(current_app.config["LANGUAGES"])
    first = request.path.strip("/").split("/", 1)[0]
    if first in supported:
        return first
    asked = request.args.get("lang")
    if asked in supported:
        return asked
    return request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]


def max_kib() -> int:
    return current_app.config["MAX_CONTENT_LENGTH"] // 1024


def too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """The 413 page in the request's language (under /api the API's problem details answer instead)."""
    lang = _language()
    g.lang_code = g.get("lang_code") or lang
    return Response(render_template("errors/413.html", max_kib=max_kib()), 413, mimetype="text/html")
