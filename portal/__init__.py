"""Polku web portal: the Flask app factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from configurator.lifeevents import default_life_events
from configurator.parameters import default_parameters

# Every model module is imported here, so its tables are on db.metadata wherever the portal is imported (Alembic
# and the tests list them): account_models (the own space's tables), rate_limits (the rate_limit table) and
# metrics (the journey and channel counters).
from . import account_models, api, feedback, health, journey, metrics, organisers, own, pages, rate_limits, reservations  # noqa: F401
from .api.oauth import init_oauth
from .cli import register_cli
from .config import from_environment
from .dev_idp import init_dev_idp
from .extensions import babel, csrf, db, migrate
from .feedback.report import register_feedback_cli
from .i18n import init_i18n, select_locale
from .labels import init_labels
from .limits import init_limits
from .logs import init_logging
from .pages.accessibility_statement import DEFAULT_PATH as STATEMENT_PATH
from .pages.accessibility_statement import load as load_statement
from .security import init_security
from .sessions import init_sessions
from .settings_check import check as check_settings
from .signin import init_signin
from .static_files import init_static_files

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app; life events and parameters are loaded (and validated) here, at start-up."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(from_environment(Path(app.instance_path)))
    check_settings(app.config)  # in production: refuse to start without the settings it needs, naming them all
    app.config.update(overrides or {})

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    init_i18n(app)
    init_labels(app)  # the domain's label tables, translated, for every template
    init_security(app)
    init_logging(app)  # after init_security: the request id is chosen first of all, then the Host is checked
    init_static_files(app)  # the static files' addresses carry their version, so browsers cache them
    init_sessions(app)
    init_limits(app)  # request size limits and the 413 pages, before anything reads a body
    rate_limits.init_rate_limits(app)  # rate limits on sign-in, feedback, reservations and the API, and the 429 pages

    app.extensions["polku.life_events"] = default_life_events()
    app.extensions["polku.parameters"] = default_parameters()
    app.extensions["polku.accessibility_statement"] = load_statement(
        app.config.get("ACCESSIBILITY_STATEMENT") or STATEMENT_PATH
    )

    init_signin(app)
    init_oauth(app)  # the organisers' systems' client credentials (the write API)
    init_dev_idp(app)  # only when DEV_IDP_ENABLED (never in production)
    app.register_blueprint(own.bp)
    app.register_blueprint(reservations.bp)
    app.register_blueprint(reservations.visits_bp)  # visits to ECEC units, also without signing in (issue 16)
    app.register_blueprint(feedback.bp)
    app.register_blueprint(own.shared_bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(journey.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(organisers.bp)
    app.register_blueprint(metrics.bp)
    app.register_blueprint(pages.vendor_bp)
    app.register_blueprint(health.bp)  # /healthz and /readyz for the load balancer (make serve)
    csrf.exempt(api.bp)
    pages.register_error_handlers(app)

    register_cli(app)
    register_feedback_cli(app)
    return app
