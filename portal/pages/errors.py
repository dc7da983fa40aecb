"""Error pages (404, 405, 413, 429, CSRF, 500) for the whole app, in the language of the path; under /api the API's
problem details (RFC 9457): a routing error has no blueprint, so the API's own handlers never see it."""

from __future__ import annotations

from flask import Flask, current_app, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    RequestEntityTooLarge,
    ServiceUnavailable,
    TooManyRequests,
)

from ..api.problems import http_problem
from ..extensions import db
from ..limits import too_large
from ..rate_limits import too_many_requests


def _error_page(status: int, template: str) -> ResponseReturnValue:
    return render_template(template), status


def unavailable_page() -> ResponseReturnValue:
    """503 when the database cannot be reached (portal/sessions.py): the 500 page, which says the answers are kept,
    with ``Retry-After``; nothing was changed. A response, not an error handler: it is the same page as the 500
    one (the accessibility manifest's server-error state), only its status differs."""
    headers = {"Retry-After": "10"}
    if request.path.startswith("/api/"):
        return http_problem(ServiceUnavailable()), headers
    return render_template("errors/500.html"), 503, headers


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(404)
    def not_found(error: Exception) -> ResponseReturnValue:
        if request.path.startswith("/api/") and isinstance(error, HTTPException):
            return http_problem(error)
        return _error_page(404, "errors/404.html")

    @app.errorhandler(405)
    def wrong_method(error: Exception) -> ResponseReturnValue:
        # RFC 9110 s. 15.5.6: a 405 names the methods the resource takes (the routing error knows them).
        if request.path.startswith("/api/") and isinstance(error, HTTPException):
            return http_problem(error)  # with Allow
        methods = getattr(error, "valid_methods", None)
        allow = {"Allow": ", ".join(sorted(methods))} if methods else {}
        return render_template("errors/404.html"), 405, allow

    @app.errorhandler(RequestEntityTooLarge)
    def body_too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
        return http_problem(error) if request.path.startswith("/api/") else too_large(error)

    @app.errorhandler(TooManyRequests)
    def over_the_limit(error: TooManyRequests) -> ResponseReturnValue:
        # a code handler: it wins over the API blueprint's HTTPException one, so the API's shape is chosen here
        return http_problem(error) if request.path.startswith("/api/") else too_many_requests(error)

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> ResponseReturnValue:
        return _error_page(400, "errors/csrf.html")

    @app.errorhandler(500)
    def server_error(error: Exception) -> ResponseReturnValue:
        # The request's transaction may have failed (a unique constraint lost to another request, a connection
        # lost in a database restart), and the page's header reads the database (unread messages): without a
        # rollback the error page fails too, and gunicorn answers a bare 500 without the error reference.
        try:
            db.session.rollback()
        except SQLAlchemyError:  # the database is gone: the header then shows no person (own/views.py)
            current_app.logger.warning("the failed request's transaction could not be rolled back", exc_info=True)
        if request.path.startswith("/api/"):
            return http_problem(error if isinstance(error, HTTPException) else InternalServerError())
        return _error_page(500, "errors/500.html")

    @app.before_request
    def _lang_from_path() -> None:
        first = request.path.strip("/").split("/", 1)[0]
        if first in app.config["LANGUAGES"]:
            g.lang_code = first
