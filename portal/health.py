"""Health checks for a load balancer or an orchestrator: ``/healthz`` says the process answers (no database: a
database outage must not get every process restarted), ``/readyz`` says it can serve (the database answers and
its schema is the migrations' head, so a process started before `flask init-db` ran gets no traffic).

Both answer whatever the Host header and over plain HTTP (portal/security.py), are never rate limited, set no
cookie and are JSON or plain text, not pages (tests/accessibility/pages.yaml lists them under not_pages).
"""

from __future__ import annotations

from functools import cache

from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db

bp = Blueprint("health", __name__)


@cache
def migrations(directory: str) -> tuple[frozenset[str], frozenset[str]]:
    """The head revisions of migrations/ and all its revisions (read once per process: the files do not change
    while it runs)."""
    config = Config()
    config.set_main_option("script_location", directory)
    script = ScriptDirectory.from_config(config)
    return frozenset(script.get_heads()), frozenset(r.revision for r in script.walk_revisions())


def database_revisions(connection: Connection) -> frozenset[str]:
    """The revisions in Alembic's version table (none before the first migration). Read directly: Alembic's
    MigrationContext would log two lines at every probe."""
    if not inspect(connection).has_table("alembic_version"):
        return frozenset()
    return frozenset(connection.scalars(text("SELECT version_num FROM alembic_version")))


def _plain(body: str, status: int) -> Response:
    response = Response(body + "\n", status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz() -> Response:
    """Alive: the process answers requests."""
    return _plain("ok", 200)


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Ready: ``SELECT 1`` answers and the database's Alembic revision is the head of migrations/; else 503 with
    what is wrong. The database's error goes to the log, not to the answer (it may name hosts and users)."""
    heads, known = migrations(current_app.extensions["migrate"].directory)
    body: dict[str, object] = {"database": "ok", "migrations": "at head"}
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = database_revisions(connection)
    except SQLAlchemyError:
        current_app.logger.exception("readyz: the database does not answer")
        body = {"database": "unreachable", "migrations": "unknown"}
    else:
        if current != heads:
            # behind: `flask init-db` has not run yet; unknown: the database was migrated by newer code
            body["migrations"] = "behind" if current <= known else "unknown revision"
            body["database_revision"] = sorted(current)
            body["head_revision"] = sorted(heads)
    ready = body == {"database": "ok", "migrations": "at head"}
    body["status"] = "ready" if ready else "not ready"
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if ready else 503
