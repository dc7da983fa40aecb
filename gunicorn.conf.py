"""gunicorn's settings for `make serve` (gunicorn reads this file from the working directory by itself).

Every value comes from the environment, with defaults for one machine:
  POLKU_WORKERS          worker processes (default 2 x CPU cores + 1, at most 8: each keeps its own database pool)
  POLKU_BIND             where to listen (default 127.0.0.1:$PORT, PORT default 8000; 0.0.0.0:8000 behind a
                         proxy on another machine, or unix:/run/polku.sock)
  POLKU_THREADS          threads per worker (default 4): a request waiting on another server (the sign-in's token
                         call, which the development provider answers from this same server) does not stop the
                         worker's other requests
  POLKU_TIMEOUT          seconds a request may take before its worker is replaced (default 30)
  POLKU_GRACEFUL_TIMEOUT seconds the requests in flight get to finish on a stop or restart (default 30)
  POLKU_LOG_FORMAT       json (default in production) or text: see portal/logs.py

The production configuration is checked in the master before any worker starts (portal/settings_check.py): a
missing setting stops gunicorn with one message naming them all, not a traceback per worker.
"""

from __future__ import annotations

import os
from typing import Any

import gunicorn
import gunicorn.http.wsgi

MAX_DEFAULT_WORKERS = 8


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may use (a container's share)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _log_format() -> str:
    chosen = os.environ.get("POLKU_LOG_FORMAT", "").lower()
    if chosen in ("json", "text"):
        return chosen
    return "json" if os.environ.get("POLKU_ENV") == "production" else "text"


# gunicorn names itself and its version in a Server header on every response (it has no setting for it): tell a
# scanner nothing it could look up. The master reads this file before any worker imports the response code.
gunicorn.SERVER = "polku"
gunicorn.http.wsgi.SERVER = "polku"

wsgi_app = "portal:create_app()"
bind = [os.environ.get("POLKU_BIND") or f"127.0.0.1:{os.environ.get('PORT') or 8000}"]
workers = int(os.environ.get("POLKU_WORKERS") or min(2 * _cores() + 1, MAX_DEFAULT_WORKERS))
worker_class = "gthread"
threads = int(os.environ.get("POLKU_THREADS") or 4)
timeout = int(os.environ.get("POLKU_TIMEOUT") or 30)
graceful_timeout = int(os.environ.get("POLKU_GRACEFUL_TIMEOUT") or 30)
keepalive = 5  # seconds an idle connection from the proxy stays open
# The proxy headers are believed by the app alone, for POLKU_TRUSTED_PROXIES hops (portal/security.py): gunicorn
# itself believes no address about the scheme, or a local client could claim HTTPS.
forwarded_allow_ips = ""
proc_name = "polku"
accesslog = "-"
errorlog = "-"
# The text format's access line (the JSON one is built by portal.logs.JsonFormatter from the same atoms): no client
# address, browser or query string, the request id last.
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(D)sus id=%({x-request-id}o)s'

logconfig_dict: dict[str, Any] = (
    {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": os.environ.get("POLKU_LOG_LEVEL", "INFO").upper(), "handlers": ["json"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": True},
        },
        "handlers": {"json": {"()": "portal.logs.PolkuHandler", "fmt": "json"}},
        "formatters": {},
    }
    if _log_format() == "json"
    else {}
)


def on_starting(server: Any) -> None:
    """Check the configuration before any worker starts; a RuntimeError makes gunicorn print it and exit with 1."""
    from pathlib import Path

    from portal import PROJECT_ROOT
    from portal.config import from_environment
    from portal.settings_check import message, problems

    try:
        found = problems(from_environment(Path(PROJECT_ROOT / "instance")))
    except ValueError as error:  # a mistyped address or number
        raise RuntimeError(str(error)) from None
    if found:
        raise RuntimeError(message(found))


def post_worker_init(worker: Any) -> None:
    """Build the worker's catalogue index before it takes requests (a database not yet migrated: the first request
    builds it, as under `make run`)."""
    from portal.catalogue_repo import SqlEcecCatalogue
    from portal.context import today
    from portal.extensions import db

    try:
        with worker.wsgi.app_context():
            SqlEcecCatalogue(db.session, today()).warm_up()
            db.session.remove()
        worker.log.info("catalogue index built in worker %s", worker.pid)
    except Exception:  # noqa: BLE001 - a worker that cannot warm up still serves (and builds on first use)
        worker.log.warning("the catalogue index was not built at start-up", exc_info=True)
