"""Shared fixtures: an app on a fresh database with the demo data, a test client, a live server.

The suite also runs on several pytest-xdist workers (`make test`): each worker has its own SQLite files
(its own temporary directory), live servers (port 0) and browsers, and its own PostgreSQL database on the
one server scripts/with-postgres.sh starts. The hooks at the end print the time per top folder and merge
the workers' axe runs into the accessibility report."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

TODAY = date(2026, 11, 22)  # fixed so deadlines and fee periods in assertions do not drift
SHARED = Path(__file__).resolve().parents[2] / "shared"
POSTGRES_VARIABLE = "POLKU_TEST_POSTGRES_URL"


def _sqlite_file(database_url: str) -> Path | None:
    prefix = "sqlite:///"
    if not database_url.startswith(prefix) or "?" in database_url or database_url.endswith(":memory:"):
        return None
    return Path(database_url[len(prefix) :])


_DEMO_TEMPLATE: dict[str, Path] = {}


def _demo_template(today: str) -> Path:
    """A SQLite file with the migrations and the demo data of `today`, built once per process (test worker):
    build_app copies it instead of migrating and loading the demo data again for every app."""
    if today not in _DEMO_TEMPLATE:
        path = Path(tempfile.mkdtemp(prefix="polku-demo-")) / "demo.db"
        _build_app(f"sqlite:///{path}", POLKU_TODAY=today)
        _DEMO_TEMPLATE[today] = path
    return _DEMO_TEMPLATE[today]


def build_app(database_url: str, **overrides: object) -> Flask:
    """The portal on ``database_url`` with the migrations and the demo data (of POLKU_TODAY, default TODAY).
    A new SQLite file starts as a copy of this process's demo database, which the same migrations and loaders
    built once; other databases (PostgreSQL) are migrated and loaded here."""
    from portal import create_app

    target = _sqlite_file(database_url)
    if target is not None and not target.exists():
        template = _demo_template(str(overrides.get("POLKU_TODAY", TODAY.isoformat())))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, target)
        return create_app(_config(database_url, overrides))
    return _build_app(database_url, **overrides)


def _config(database_url: str, overrides: dict[str, object]) -> dict[str, object]:
    config: dict[str, object] = {
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
    return config


def _build_app(database_url: str, **overrides: object) -> Flask:
    from flask_migrate import upgrade

    from portal import create_app
    from portal.context import today
    from portal.demo.loader import default_postal_codes_path, load_demo_catalogue, load_postal_codes
    from portal.demo.service_point_loader import load_service_points
    from portal.extensions import db

    app = create_app(_config(database_url, overrides))
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

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The portal served on a loopback port for the browser tests (its own database). Every browser of a worker
    signs in from the same address, many times a minute when the states follow each other quickly, so the
    sign-in budget is raised here; the limits themselves are tested in tests/web/test_rate_limits.py and the 429
    page on the accessibility suite's error server."""
    database = tmp_path_factory.mktemp("live") / "polku-live.db"
    app = build_app(f"sqlite:///{database}", POLKU_RATE_LIMIT_SIGN_IN="600 per minute; 20000 per hour")
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


# --- pytest-xdist workers: a PostgreSQL database each -------------------------------------------


def worker_id(config: pytest.Config) -> str | None:
    """The pytest-xdist worker this process is ("gw0", ...), or None (the controller, or no xdist)."""
    workerinput = getattr(config, "workerinput", None)
    return workerinput["workerid"] if workerinput else None


def worker_postgres_url(url: str, worker: str) -> str:
    """A new, empty database of the worker's own (polku_test_gw0, ...) on the server of ``url``."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def pytest_configure(config: pytest.Config) -> None:
    # Before any test module is imported: they read the URL when they are.
    worker = worker_id(config)
    if worker and os.environ.get(POSTGRES_VARIABLE):
        os.environ[POSTGRES_VARIABLE] = worker_postgres_url(os.environ[POSTGRES_VARIABLE], worker)
    config.stash[_STARTED] = time.monotonic()
    config.stash[_WORKER_AXE_RUNS] = []


# --- the time per top folder --------------------------------------------------------------------

_STARTED = pytest.StashKey[float]()
_FOLDER_TIMES: dict[str, dict[str, float]] = {}


def top_folder(nodeid: str) -> str:
    """tests/unit/test_x.py::t -> tests/unit; the files right in tests/ (PostgreSQL, concurrency) -> tests/*.py."""
    parts = nodeid.split("::")[0].split("/")
    return "/".join(parts[:2]) if len(parts) > 2 else f"{parts[0]}/*.py"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Sums the setup, call and teardown times by top folder (on the controller, every worker's reports)."""
    folder = _FOLDER_TIMES.setdefault(
        top_folder(report.nodeid), {"tests": 0, "seconds": 0.0, "start": float("inf"), "stop": 0.0}
    )
    folder["seconds"] += report.duration
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        folder["tests"] += 1
    start, stop = getattr(report, "start", None), getattr(report, "stop", None)
    if start is not None and stop is not None:
        folder["start"] = min(folder["start"], start)
        folder["stop"] = max(folder["stop"], stop)


def _minutes(seconds: float) -> str:
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if worker_id(config) or not _FOLDER_TIMES:
        return
    workers = getattr(config.option, "numprocesses", None) or 1
    write = terminalreporter.write_line
    terminalreporter.section("time per folder")
    write(f"{'folder':<22}{'tests':>7}{'test time':>12}{'first to last':>16}")
    for name in sorted(_FOLDER_TIMES, key=lambda n: -_FOLDER_TIMES[n]["seconds"]):
        folder = _FOLDER_TIMES[name]
        span = folder["stop"] - folder["start"] if folder["stop"] else 0.0
        write(f"{name:<22}{int(folder['tests']):>7}{_minutes(folder['seconds']):>12}{_minutes(span):>16}")
    total = sum(f["seconds"] for f in _FOLDER_TIMES.values())
    write(
        f"{'all':<22}{int(sum(f['tests'] for f in _FOLDER_TIMES.values())):>7}{_minutes(total):>12}"
        f"{_minutes(time.monotonic() - config.stash[_STARTED]):>16}"
    )
    write(
        f"test time: setup, call and teardown summed over the folder's tests, on {workers} worker(s) at once; "
        "first to last: wall clock from the start of its first test to the end of its last (folders overlap "
        "when workers run them side by side); all: the whole session's wall clock."
    )
    shared = _shared_page_counts(config)
    if shared["reached"]:
        write(
            f"page states shared by their checks (tests/accessibility, reached): {shared['reached']} reached, "
            f"{shared['reused']} times a check used a page already reached"
        )


# --- the accessibility report: every worker's axe runs ------------------------------------------

AXE_RUNS = "polku_axe_runs"
SHARED_PAGES = "polku_shared_pages"
_WORKER_AXE_RUNS = pytest.StashKey[list[dict[str, Any]]]()
_WORKER_SHARED_PAGES = pytest.StashKey[dict[str, int]]()


def _shared_page_counts(config: pytest.Config) -> dict[str, int]:
    counts = dict(config.stash.get(_WORKER_SHARED_PAGES, {"reached": 0, "reused": 0}))
    support = sys.modules.get("tests.accessibility.axe_support")
    for key, value in support.SHARED_PAGE_COUNTS.items() if support is not None else ():
        counts[key] = counts.get(key, 0) + value
    return counts


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A worker hands its axe runs to the controller (workeroutput, sent after this hook); the controller,
    or a run without workers, writes summary.json from all of them and rebuilds the auditor's report from
    the raw files every run wrote."""
    support = sys.modules.get("tests.accessibility.axe_support")  # imported only where axe ran
    if worker_id(session.config):
        if support is not None:
            output = session.config.workeroutput  # type: ignore[attr-defined]
            output[AXE_RUNS] = json.dumps(support.session_results())
            output[SHARED_PAGES] = dict(support.SHARED_PAGE_COUNTS)
        return
    runs = list(session.config.stash.get(_WORKER_AXE_RUNS, []))
    if support is not None:
        runs += support.session_results()
    if runs:
        _write_accessibility_report(session, runs)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist: a worker has finished; keep its axe runs for the report."""
    output = getattr(node, "workeroutput", None) or {}
    if AXE_RUNS in output:
        node.config.stash.setdefault(_WORKER_AXE_RUNS, []).extend(json.loads(output[AXE_RUNS]))
    if SHARED_PAGES in output:
        counts = node.config.stash.setdefault(_WORKER_SHARED_PAGES, {"reached": 0, "reused": 0})
        for key, value in output[SHARED_PAGES].items():
            counts[key] = counts.get(key, 0) + value


def _write_accessibility_report(session: pytest.Session, runs: list[dict[str, Any]]) -> None:
    try:
        from tests.accessibility import axe_support, report

        axe_support.write_summary(runs)
        report.build(axe_support.RAW_DIR, axe_support.REPORT_DIR)
    except Exception as error:  # noqa: BLE001 - a report failure must not hide the test results
        message = f"WARNING: the accessibility report (tests/accessibility/report.py) could not be built: {error!r}"
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(message, yellow=True)
        else:
            print(message, file=sys.stderr)
