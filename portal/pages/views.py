"""Pages outside any journey: the front page, language negotiation, the accessibility statement and the privacy
notice."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from ..context import life_events
from ..i18n import add_lang_code, pull_lang_code, select_language
from ..security import tile_origin
from .accessibility_statement import KIND_TEXTS, OTHER_CHECKS, SC_TITLES
from .privacy import contact, notice_of, private_questions, retention_values

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
    """The accessibility statement generated from the test evidence (portal/pages/accessibility_statement.py)."""
    return render_template(
        "pages/accessibility.html",
        statement=current_app.extensions["polku.accessibility_statement"],
        kind_texts=KIND_TEXTS,
        criterion_titles=SC_TITLES | OTHER_CHECKS,
    )


@bp.get("/<any(fi,sv,en):lang_code>/privacy")
def privacy() -> ResponseReturnValue:
    """The privacy notice, rendered from portal/content/privacy.yaml (checked against the tables in the tests)
    with the session timeouts, the controller and the map tile server this instance is configured with."""
    config = current_app.config
    return render_template(
        "pages/privacy.html",
        notice=notice_of(current_app),
        retention=retention_values(config),
        contact=contact(config),
        private_questions=private_questions(life_events().values()),
        tile_origin=tile_origin(config.get("MAP_TILE_URL", "")),
    )
