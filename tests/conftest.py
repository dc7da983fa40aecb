"""Shared fixtures: an app on a fresh database with the demo data, a test client, a live server."""
from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

TODAY = date(2026, 11, 22)  # fixed so deadlines and fee periods in assertions do not drift
SHARED = Path(__file__).resolve().parents[2] / "shared"


def build_app(database_url: str, **overrides: object) -> Flask:
    from flask_migrate import upgrade

    from portal import create_app
    from portal.context import today
    from portal.demo.loader import default_postal_codes_path, load_demo_catalogue, load_postal_codes
    from portal.demo.service_point_loader import load_service_points
    from portal.extensions import db

    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "SESSION_COOKIE_SECURE": False,
        "POLKU_TODAY": TODAY.isoformat(),
        "MAP_TILE_URL": "",  # tests run with tiles off; the map must still work
        # The test client's address (a live server sets its own): configuration, never the request's Host.
        "BASE_URL": "http://localhost",
        "DEV_IDP_ISSUER": "http://localhost/dev-idp",
    }
    config.update(overrides)
    app = create_app(config)
    with app.app_context():
        upgrade()
        load_postal_codes(db.session, default_postal_codes_path())
        load_demo_catalogue(db.session)
        load_service_points(db.session, today())
        db.session.commit()
    return app


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    database = tmp_path_factory.mktemp("db") / "polku-test.db"
    return build_app(f"sqlite:///{database}")


@pytest.fixture()
def client(app: Flask):
    return app.test_client()


@pytest.fixture()
def csrf_off_client(app: Flask):
    """A client for journeys where CSRF is not what is tested (a CSRF test uses `client`)."""
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        yield app.test_client()
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


class LiveServer:
    def __init__(self, app: Flask) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        # The portal's and its development provider's addresses are configuration (as `make run` passes them).
        app.config.update(BASE_URL=self.url, DEV_IDP_ISSUER=f"{self.url}/dev-idp")
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The portal served on a loopback port for the browser tests (its own database)."""
    database = tmp_path_factory.mktemp("live") / "polku-live.db"
    app = build_app(f"sqlite:///{database}")
    with LiveServer(app) as server:
        yield server


def chromium_path() -> str:
    return os.environ.get("POLKU_CHROMIUM", "/usr/bin/chromium")


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
]
