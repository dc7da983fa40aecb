"""Pages outside any journey: the front page, language negotiation, the accessibility statement, the privacy
notice, errors."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError

from ..context import life_events
from ..i18n import add_lang_code, pull_lang_code, select_language

bp = Blueprint("pages", __name__)


@bp.url_value_preprocessor
def _pull(endpoint: str | None, values: dict | None) -> None:
    pull_lang_code(endpoint, values)


bp.url_defaults(add_lang_code)


@bp.get("/")
def root() -> ResponseReturnValue:
    """Send the visitor to their browser's preferred language (Accept-Language)."""
    return redirect(url_for("pages.home", lang_code=select_language()))


@bp.get("/<any(fi,sv,en):lang_code>/")
def home() -> ResponseReturnValue:
    return render_template("pages/home.html", events=list(life_events().values()))


@bp.get("/<any(fi,sv,en):lang_code>/accessibility")
def accessibility() -> ResponseReturnValue:
    """The accessibility statement generated from the test evidence (portal/accessibility_statement.py)."""
    from ..accessibility_statement import KIND_TEXTS, SC_TITLES, OTHER_CHECKS

    return render_template(
        "pages/accessibility.html", statement=current_app.extensions["polku.accessibility_statement"],
        kind_texts=KIND_TEXTS, criterion_titles=SC_TITLES | OTHER_CHECKS,
    )


@bp.get("/<any(fi,sv,en):lang_code>/privacy")
def privacy() -> ResponseReturnValue:
    """The privacy notice, rendered from portal/content/privacy.yaml (checked against the tables in the tests)
    with the session timeouts, the controller and the map tile server this instance is configured with."""
    from ..privacy import contact, notice_of, private_questions, retention_values
    from ..security import tile_origin

    config = current_app.config
    return render_template(
        "pages/privacy.html", notice=notice_of(current_app), retention=retention_values(config),
        contact=contact(config), private_questions=private_questions(life_events().values()),
        tile_origin=tile_origin(config.get("MAP_TILE_URL", "")),
    )


def _error_page(status: int, template: str) -> ResponseReturnValue:
    return render_template(template), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(404)
    def not_found(error: Exception) -> ResponseReturnValue:
        if request.path.startswith("/api/"):
            return {"error": {"field": None, "message": "Not found"}}, 404
        return _error_page(404, "errors/404.html")

    @app.errorhandler(405)
    def wrong_method(error: Exception) -> ResponseReturnValue:
        # RFC 9110 s. 15.5.6: a 405 names the methods the resource takes (the routing error knows them).
        methods = getattr(error, "valid_methods", None)
        allow = {"Allow": ", ".join(sorted(methods))} if methods else {}
        if request.path.startswith("/api/"):
            return {"error": {"field": None, "message": "Method not allowed"}}, 405, allow
        return render_template("errors/404.html"), 405, allow

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> ResponseReturnValue:
        return _error_page(400, "errors/csrf.html")

    @app.errorhandler(500)
    def server_error(error: Exception) -> ResponseReturnValue:
        if request.path.startswith("/api/"):
            return {"error": {"field": None, "message": "Internal error"}}, 500
        return _error_page(500, "errors/500.html")

    @app.before_request
    def _lang_from_path() -> None:
        from flask import g

        first = request.path.strip("/").split("/", 1)[0]
        if first in app.config["LANGUAGES"]:
            g.lang_code = first
