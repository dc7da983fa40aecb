"""Serving in production (issue 17, item 1): the start-up check of the production settings, allowed hosts, the
request id (header, logs, error pages), /healthz and /readyz, and `gunicorn` started for real with two workers."""

from __future__ import annotations

import http.client
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text

from portal.config import allowed_hosts, database_url
from portal.logs import JsonFormatter, access_fields
from portal.settings_check import ConfigurationError
from tests.conftest import build_app

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
REQUEST_ID = re.compile(r"[0-9a-f]{12}")
PRODUCTION_NAMES = (
    "SECRET_KEY",
    "DATABASE_URL",
    "OIDC_ISSUER",
    "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET",
    "STAFF_OIDC_ISSUER",
    "STAFF_OIDC_CLIENT_ID",
    "STAFF_OIDC_CLIENT_SECRET",
    "POLKU_BASE_URL",
)
COMPLETE_PRODUCTION = {
    "POLKU_ENV": "production",
    "SECRET_KEY": "k" * 32,
    "DATABASE_URL": "postgresql://polku:secret@db.invalid/polku",
    "OIDC_ISSUER": "https://tunnistus.example.fi/oidc",
    "OIDC_CLIENT_ID": "polku",
    "OIDC_CLIENT_SECRET": "citizen-secret",
    "STAFF_OIDC_ISSUER": "https://login.example.fi",
    "STAFF_OIDC_CLIENT_ID": "polku-staff",
    "STAFF_OIDC_CLIENT_SECRET": "staff-secret",
    "POLKU_BASE_URL": "https://polku.example.fi",
}


@pytest.fixture(autouse=True)
def root_logging_kept() -> object:
    """An app made without TESTING (production) puts the portal's handler on the root logger: taken off after."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture()
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in (
        *PRODUCTION_NAMES,
        "POLKU_ENV",
        "POLKU_ALLOWED_HOSTS",
        "SESSION_COOKIE_SECURE",
        "POLKU_LOG_FORMAT",
        "POLKU_DB_CONNECT_TIMEOUT",
    ):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------- the production settings are checked at start-up ----------


def test_production_without_its_settings_does_not_start_and_names_each_one(clean_env) -> None:
    from portal import create_app

    clean_env.setenv("POLKU_ENV", "production")
    with pytest.raises(ConfigurationError) as refused:
        create_app()
    text_ = refused.value.format_message()
    assert text_.startswith("Polku does not start: POLKU_ENV=production")
    for name in PRODUCTION_NAMES:
        assert re.search(rf"^  - {name} ", text_, re.M), name
    assert len(text_.splitlines()) == 1 + len(PRODUCTION_NAMES)  # one line per setting, nothing else


def test_production_refuses_a_short_key_sqlite_plain_http_and_an_insecure_cookie(clean_env) -> None:
    from portal import create_app

    for name, value in COMPLETE_PRODUCTION.items():
        clean_env.setenv(name, value)
    clean_env.setenv("SECRET_KEY", "short")
    clean_env.setenv("DATABASE_URL", "sqlite:////tmp/polku.db")
    clean_env.setenv("POLKU_BASE_URL", "http://polku.example.fi")
    clean_env.setenv("SESSION_COOKIE_SECURE", "0")
    with pytest.raises(ConfigurationError) as refused:
        create_app()
    problems = refused.value.format_message().splitlines()[1:]
    assert [p.split()[1] for p in problems] == ["SECRET_KEY", "DATABASE_URL", "POLKU_BASE_URL", "SESSION_COOKIE_SECURE"]
    assert "too short (5 characters)" in problems[0]
    assert "not sqlite" in problems[1]


def test_production_with_its_settings_starts(clean_env) -> None:
    from portal import create_app

    for name, value in COMPLETE_PRODUCTION.items():
        clean_env.setenv(name, value)
    app = create_app()  # the database is not reached at start-up
    assert (
        app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://polku:secret@db.invalid/polku?connect_timeout=5"
    )
    assert app.config["SECRET_KEY"] == "k" * 32
    assert app.config["ALLOWED_HOSTS"] == ["polku.example.fi", "localhost", "127.0.0.1"]
    assert not app.config["DEV_IDP_ENABLED"]


def test_development_keeps_its_embedded_defaults(clean_env, tmp_path: Path) -> None:
    assert database_url(tmp_path) == f"sqlite:///{tmp_path / 'polku.db'}"
    assert allowed_hosts("http://127.0.0.1:5000") is None  # any Host: live servers on random ports, localhost
    clean_env.setenv("POLKU_ALLOWED_HOSTS", " Polku.example.fi, .polku.example.fi ,")
    assert allowed_hosts("http://127.0.0.1:5000") == ["polku.example.fi", ".polku.example.fi"]
    clean_env.setenv("DATABASE_URL", "postgres://u@h/d")
    assert database_url(tmp_path) == "postgresql+psycopg://u@h/d?connect_timeout=5"


def test_a_postgresql_connection_gives_up_after_its_connect_timeout(clean_env, tmp_path: Path) -> None:
    clean_env.setenv("DATABASE_URL", "postgresql://polku:p%40ss@db.internal:5433/polku?sslmode=require")
    clean_env.setenv("POLKU_DB_CONNECT_TIMEOUT", "3")
    assert database_url(tmp_path) == (
        "postgresql+psycopg://polku:p%40ss@db.internal:5433/polku?connect_timeout=3&sslmode=require"
    )
    clean_env.setenv("DATABASE_URL", "postgresql+psycopg://u@h/d?connect_timeout=20")  # the URL's own wins
    assert database_url(tmp_path) == "postgresql+psycopg://u@h/d?connect_timeout=20"
    clean_env.setenv("DATABASE_URL", "sqlite:////srv/polku.db")  # SQLite has no connection to wait for
    assert database_url(tmp_path) == "sqlite:////srv/polku.db"
    clean_env.setenv("DATABASE_URL", "postgres://u@h/d")
    clean_env.setenv("POLKU_DB_CONNECT_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="POLKU_DB_CONNECT_TIMEOUT must be a whole number"):
        database_url(tmp_path)


def test_a_flask_command_prints_the_problems_without_a_traceback(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_NAMES}
    env |= {"FLASK_APP": "portal", "POLKU_ENV": "production", "SECRET_KEY": "x" * 40}
    done = subprocess.run(
        [sys.executable, "-m", "flask", "init-db"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "Error: Polku does not start" in done.stderr
    assert "  - DATABASE_URL is not set" in done.stderr and "SECRET_KEY" not in done.stderr


def test_gunicorn_refuses_to_start_before_any_worker(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_NAMES}
    env |= {"POLKU_ENV": "production", "PORT": str(free_port())}
    done = subprocess.run([str(GUNICORN)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "Booting worker" not in done.stderr
    assert "Polku does not start" in done.stderr
    for name in PRODUCTION_NAMES:
        assert f"  - {name} " in done.stderr, name


# ---------- allowed hosts and the health checks' exemptions ----------


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """An app that answers only polku.example.fi, redirects plain HTTP and has a view that fails."""
    app = build_app(
        f"sqlite:///{tmp_path_factory.mktemp('serving') / 'guarded.db'}",
        ALLOWED_HOSTS=["polku.example.fi"],
        PROPAGATE_EXCEPTIONS=False,
    )

    @app.get("/<lang_code>/broken-for-the-test")
    def broken(lang_code: str) -> str:
        raise RuntimeError("a bug")

    return app


def test_another_host_gets_400_and_the_health_checks_answer_any(guarded: Flask) -> None:
    client = guarded.test_client()
    assert client.get("/en/", base_url="http://polku.example.fi").status_code == 200
    assert client.get("/en/", base_url="http://polku.example.fi:8443").status_code == 200  # the port is not compared
    assert client.get("/en/", base_url="http://evil.example").status_code == 400
    assert client.get("/en/", headers={"Host": "polku.example.fi.evil.example"}).status_code == 400
    assert client.get("/healthz", base_url="http://10.0.0.7:8000").status_code == 200
    assert client.get("/readyz", base_url="http://10.0.0.7:8000").status_code == 200


def test_the_health_checks_are_not_redirected_to_https(tmp_path: Path) -> None:
    app = build_app(f"sqlite:///{tmp_path / 'https.db'}", FORCE_HTTPS=True)
    client = app.test_client()
    assert client.get("/en/").status_code == 308
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


# ---------- the request id ----------


def test_every_response_has_its_own_request_id(client) -> None:
    first, second = client.get("/en/").headers["X-Request-ID"], client.get("/healthz").headers["X-Request-ID"]
    assert REQUEST_ID.fullmatch(first) and REQUEST_ID.fullmatch(second) and first != second


def test_the_proxys_request_id_is_taken_only_from_a_trusted_proxy_and_only_when_safe(app: Flask, tmp_path) -> None:
    given = "0f8e2c1d-5a6b-4c3d-9e8f-7a6b5c4d3e2f"
    assert app.test_client().get("/healthz", headers={"X-Request-ID": given}).headers["X-Request-ID"] != given
    proxied = build_app(f"sqlite:///{tmp_path / 'proxied.db'}", TRUSTED_PROXIES=1).test_client()
    assert proxied.get("/healthz", headers={"X-Request-ID": given}).headers["X-Request-ID"] == given
    for unsafe in ("short", "a b c d e f g h", "<script>alert(1)</script>", "x" * 101, "tab\tinside-id"):
        answered = proxied.get("/healthz", headers={"X-Request-ID": unsafe}).headers["X-Request-ID"]
        assert REQUEST_ID.fullmatch(answered), unsafe


def test_a_log_line_of_a_request_carries_its_id(guarded: Flask, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        response = guarded.test_client().get("/en/", base_url="http://evil.example")
    [record] = [r for r in caplog.records if "refused a request for the host" in r.getMessage()]
    assert record.request_id == response.headers["X-Request-ID"]
    assert "'evil.example'" in record.getMessage()


@pytest.mark.parametrize(
    "lang, label", [("en", "Error reference: "), ("fi", "Virheen tunniste: "), ("sv", "Felreferens: ")]
)
def test_the_500_page_shows_the_request_id_that_the_log_has(guarded: Flask, caplog, lang: str, label: str) -> None:
    with caplog.at_level(logging.ERROR):
        response = guarded.test_client().get(f"/{lang}/broken-for-the-test", base_url="http://polku.example.fi")
    assert response.status_code == 500
    reference = response.headers["X-Request-ID"]
    assert f'<p class="error-reference">{label}{reference}</p>' in response.get_data(as_text=True)
    [record] = [r for r in caplog.records if r.exc_info and "broken-for-the-test" in r.getMessage()]
    assert record.request_id == reference


def test_the_404_page_shows_the_request_id(client) -> None:
    response = client.get("/en/no-such-page")
    assert response.status_code == 404
    assert f"Error reference: {response.headers['X-Request-ID']}</p>" in response.get_data(as_text=True)


def test_a_json_log_line_has_the_request_id_and_the_exception_on_one_line() -> None:
    try:
        raise ValueError("broken")
    except ValueError:
        record = logging.getLogger("portal").makeRecord(
            "portal", logging.ERROR, __file__, 1, "Exception on %s", ("/fi/x",), sys.exc_info(), extra={"unit": 7}
        )
    record.request_id = "abc123abc123"
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert (entry["level"], entry["logger"], entry["message"]) == ("ERROR", "portal", "Exception on /fi/x")
    assert entry["request_id"] == "abc123abc123" and entry["unit"] == 7
    assert entry["exception"].endswith("ValueError: broken")


def test_an_access_line_keeps_no_address_browser_or_query() -> None:
    atoms = {"h": "192.0.2.1", "a": "Firefox", "q": "income=5200", "m": "GET", "U": "/fi/", "s": "200", "B": 5120}
    atoms |= {"D": 12345, "{x-request-id}o": "abc123abc123"}
    fields = access_fields(atoms)
    assert fields == {
        "message": "GET /fi/ 200",
        "request_id": "abc123abc123",
        "method": "GET",
        "path": "/fi/",
        "status": 200,
        "bytes": 5120,
        "duration_ms": 12.3,
    }


# ---------- /healthz and /readyz ----------


def test_healthz_and_readyz_answer_without_a_cookie(client) -> None:
    alive = client.get("/healthz")
    assert (alive.status_code, alive.get_data(as_text=True), alive.mimetype) == (200, "ok\n", "text/plain")
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json == {"database": "ok", "migrations": "at head", "status": "ready"}
    for response in (alive, ready):
        assert "Set-Cookie" not in response.headers
        assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_503_while_the_database_is_behind_the_migrations(tmp_path: Path) -> None:
    from portal.extensions import db
    from portal.health import migrations

    app = build_app(f"sqlite:///{tmp_path / 'behind.db'}")
    with app.app_context():
        heads, _ = migrations(app.extensions["migrate"].directory)
        [head] = heads
        db.session.execute(text("UPDATE alembic_version SET version_num = 'd4d23158a394'"))  # the first migration
        db.session.commit()
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {
        "database": "ok",
        "migrations": "behind",
        "database_revision": ["d4d23158a394"],
        "head_revision": [head],
        "status": "not ready",
    }
    with app.app_context():
        db.session.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed0000'"))  # from newer code
        db.session.commit()
    assert app.test_client().get("/readyz").json["migrations"] == "unknown revision"
    assert app.test_client().get("/healthz").status_code == 200


def test_readyz_is_503_when_the_database_does_not_answer(tmp_path: Path) -> None:
    from portal import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'x.db'}"})
    client = app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json == {"database": "unreachable", "migrations": "unknown", "status": "not ready"}
    assert client.get("/healthz").status_code == 200


def test_readyz_is_503_before_the_first_migration(tmp_path: Path) -> None:
    from portal import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.db'}"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert (response.json["migrations"], response.json["database_revision"]) == ("behind", [])


@pytest.mark.postgres
def test_readyz_on_postgresql() -> None:
    url = os.environ.get("POLKU_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("PostgreSQL is started by `make test` (scripts/with-postgres.sh)")
    response = build_app(url).test_client().get("/readyz")
    assert (response.status_code, response.json["migrations"]) == (200, "at head")


@pytest.mark.postgres
@pytest.mark.parametrize("pre_ping, status", [(True, 200), (False, 503)])
def test_a_dropped_database_connection_costs_no_request(pre_ping: bool, status: int) -> None:
    """As after a PostgreSQL restart: the server ends the pooled connections. With the configured pool_pre_ping
    the next request gets a new connection; the control without it fails on the dead one."""
    from sqlalchemy import create_engine

    url = os.environ.get("POLKU_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("PostgreSQL is started by `make test` (scripts/with-postgres.sh)")
    app = build_app(url)
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}
    if not pre_ping:
        app = build_app(url, SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": False})
    client = app.test_client()
    assert client.get("/readyz").status_code == 200  # the pool now holds a connection
    killer = create_engine(url)
    with killer.connect() as connection:
        ended = connection.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    killer.dispose()
    assert ended >= 1
    assert client.get("/readyz").status_code == status
    assert client.get("/readyz").status_code == 200  # the dead connection is gone from the pool either way


# ---------- what a scheduler runs ----------


def test_the_scheduled_commands_run_as_cron_would_run_them(tmp_path: Path) -> None:
    """The flask executable with the environment only (no Makefile, no shell), exit status 0."""
    database = tmp_path / "cron.db"
    build_app(f"sqlite:///{database}")
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_NAMES and k != "POLKU_ENV"}
    env |= {"FLASK_APP": "portal", "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "c" * 32}
    flask = str(Path(sys.executable).with_name("flask"))
    for command, said in (
        (["send-reminders"], "Sent 0 deadline reminders."),
        (["reservations", "purge-visits"], " guest visits cleared"),
        (["purge-sessions"], "Deleted 0 expired sessions."),
    ):
        done = subprocess.run([flask, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert said in done.stdout


# ---------- gunicorn for real ----------


def test_gunicorn_serves_with_two_workers_and_json_logs(tmp_path: Path) -> None:
    database = tmp_path / "served.db"
    build_app(f"sqlite:///{database}")  # the migrations and the demo data, as `make serve` makes them
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_NAMES and k != "POLKU_ENV"}
    env |= {
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "s" * 32,
        "SESSION_COOKIE_SECURE": "0",
        "POLKU_BASE_URL": f"http://127.0.0.1:{port}",
        "POLKU_TODAY": "2026-11-22",
        "PORT": str(port),
        "POLKU_WORKERS": "2",
        "POLKU_LOG_FORMAT": "json",
        "POLKU_GRACEFUL_TIMEOUT": "5",
        # as behind one TLS proxy: the scheme and the request id it forwards are believed, plain HTTP is redirected
        "POLKU_TRUSTED_PROXIES": "1",
        "POLKU_FORCE_HTTPS": "1",
    }
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen([str(GUNICORN)], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as alive:
                        assert (alive.status, alive.read()) == (200, b"ok\n")
                        break
                except OSError:
                    assert server.poll() is None, log.read_text()
                    assert time.monotonic() < deadline, log.read_text()
                    time.sleep(0.2)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=10) as ready:
                assert json.load(ready)["status"] == "ready"
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/en/")
            direct = connection.getresponse()
            assert (direct.status, direct.headers["Location"]) == (308, f"https://127.0.0.1:{port}/en/")
            connection.close()
            page_id = "proxy-7d1c0e5a"
            proxied = {"X-Forwarded-Proto": "https", "X-Request-ID": page_id}
            page = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/en/", headers=proxied))
            with page:
                assert page.status == 200 and "Polku" in page.read().decode()
                assert page.headers["X-Request-ID"] == page_id
                assert page.headers["Server"] == "polku"  # not gunicorn and its version
        finally:
            server.send_signal(signal.SIGTERM)  # a graceful stop: the workers finish what they have
            server.wait(timeout=15)
    assert server.returncode == 0
    entries = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert len([e for e in entries if "Booting worker" in e["message"]]) == 2
    assert len([e for e in entries if "catalogue index built in worker" in e["message"]]) == 2  # warmed up
    [access] = [e for e in entries if e["logger"] == "gunicorn.access" and e["request_id"] == page_id]
    assert (access["method"], access["path"], access["status"]) == ("GET", "/en/", 200)
    assert not any("127.0.0.1" in json.dumps(e) for e in entries if e["logger"] == "gunicorn.access")
    assert all(not line or line.startswith("{") for line in log.read_text().splitlines()), log.read_text()


def test_a_migration_run_in_the_process_leaves_the_portals_logger_on(tmp_path: Path) -> None:
    """Alembic's logging settings once silenced every logger made before a migration run (the tests' apps and
    `flask init-db` run the migrations in a process that already logs)."""
    from flask_migrate import upgrade

    from portal import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'migrated.db'}"})
    assert app.logger.name == "portal" and not app.logger.disabled
    with app.app_context():
        upgrade()  # runs migrations/env.py, which reads alembic.ini's logging settings
    assert not logging.getLogger("portal").disabled


def test_gunicorns_timeouts_come_from_their_own_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """POLKU_TIMEOUT replaces a stuck worker, POLKU_GRACEFUL_TIMEOUT is what a stop gives the requests in flight."""
    import runpy

    monkeypatch.setenv("POLKU_TIMEOUT", "17")
    monkeypatch.setenv("POLKU_GRACEFUL_TIMEOUT", "9")
    monkeypatch.setenv("POLKU_THREADS", "3")
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (settings["timeout"], settings["graceful_timeout"], settings["threads"]) == (17, 9, 3)
    assert settings["worker_class"] == "gthread"
    monkeypatch.delenv("POLKU_TIMEOUT")
    monkeypatch.delenv("POLKU_GRACEFUL_TIMEOUT")
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (settings["timeout"], settings["graceful_timeout"]) == (30, 30)
