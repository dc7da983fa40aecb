"""Logs a support person can follow: one request id on every log line, in the X-Request-ID response header and on
the error pages ("Error reference: …"), so a citizen who quotes it leads straight to what went wrong.

The id comes from the proxy in front (its X-Request-ID) only when proxies are trusted (POLKU_TRUSTED_PROXIES > 0)
and the value is a short safe token; otherwise the portal makes one. A log record gets the id when it is made
(a record factory, so every logger carries it: the app's, SQLAlchemy's, Werkzeug's), which also reaches records
that pytest's caplog or any other handler receives.

Format: readable lines in development; one JSON object per line (``JsonFormatter``) in production or with
POLKU_LOG_FORMAT=json, for a log collector. gunicorn's access lines use the same formatter (gunicorn.conf.py);
they carry the method, path without the query (answers may be in it), status, size, duration and the request id,
but no client address or browser: the access log is then no register of who used the portal.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context, request

HEADER = "X-Request-ID"
# What a proxy may hand over: letters, digits, '.', '_', '-' (a UUID, nginx's $request_id, a trace id), 8-100 long.
SAFE_ID = re.compile(r"[A-Za-z0-9._-]{8,100}")
# The LogRecord attributes every record has: the rest were given with ``extra=`` and go into the JSON as they are.
STANDARD_ATTRIBUTES = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


def new_request_id() -> str:
    """12 hexadecimal digits: short enough to read out over the phone, unique enough within the logs' days."""
    return secrets.token_hex(6)


def request_id() -> str:
    """This request's id, chosen on first use (so an error page has one even when a before_request failed)."""
    if "request_id" not in g:
        forwarded = request.headers.get(HEADER, "")
        trusted = int(current_app.config.get("TRUSTED_PROXIES") or 0) > 0
        g.request_id = forwarded if trusted and SAFE_ID.fullmatch(forwarded) else new_request_id()
    return str(g.request_id)


def choose_request_id() -> None:
    """The first before_request function: every later log line of the request carries the id."""
    request_id()


def add_request_id_header(response: Response) -> Response:
    response.headers[HEADER] = request_id()
    return response


_previous_factory = logging.getLogRecordFactory()


def _record_with_request_id(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _previous_factory(*args, **kwargs)
    if not hasattr(record, "request_id"):
        record.request_id = request_id() if has_request_context() else "-"
    return record


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request_id, the exception as text, and what
    was given with ``extra=``. gunicorn's access records (their args are gunicorn's atoms) become method, path,
    status, bytes, duration_ms and the request id from the response's header."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            entry |= access_fields(record.args)
        else:
            entry["message"] = record.getMessage()
            entry["request_id"] = getattr(record, "request_id", "-")
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        entry |= {k: v for k, v in record.__dict__.items() if k not in STANDARD_ATTRIBUTES and k not in entry}
        return json.dumps(entry, ensure_ascii=False, default=str)


def access_fields(atoms: dict[str, Any]) -> dict[str, Any]:
    """gunicorn's access atoms, without the client's address, browser and query string."""
    size = atoms.get("B")
    return {
        "message": f"{atoms.get('m')} {atoms.get('U')} {atoms.get('s')}",
        "request_id": atoms.get("{x-request-id}o") or "-",
        "method": atoms.get("m"),
        "path": atoms.get("U"),
        "status": int(atoms["s"]) if str(atoms.get("s", "")).isdigit() else atoms.get("s"),
        "bytes": int(str(size)) if str(size).isdigit() else 0,
        "duration_ms": round(int(atoms.get("D") or 0) / 1000, 1),
    }


class PolkuHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The portal's log handler, so that it is installed once: by gunicorn.conf.py or by the app. It writes to
    whatever sys.stderr is when a line is written (as logging's last-resort handler does), not to the stream of
    the moment it was made, which a test runner may have closed since."""

    def __init__(self, fmt: str = "json") -> None:
        logging.Handler.__init__(self)
        self.setFormatter(JsonFormatter() if fmt == "json" else ReadableFormatter())

    @property
    def stream(self) -> Any:
        return sys.stderr


class ReadableFormatter(logging.Formatter):
    """Development: a plain line with the request id in brackets."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")


def log_format(config: dict[str, Any] | Any) -> str:
    """json in production, readable in development; POLKU_LOG_FORMAT (json or text) decides when given."""
    chosen = str(config.get("LOG_FORMAT") or "").lower()
    if chosen in ("json", "text"):
        return chosen
    return "json" if config.get("POLKU_ENV") == "production" else "text"


def configure_root_logging(fmt: str, level: str = "INFO") -> None:
    """The portal's handler on the root logger (stderr), once; in text format only where nobody (a server, pytest,
    Alembic's logging settings) put a handler there already."""
    root = logging.getLogger()
    if any(isinstance(h, PolkuHandler) for h in root.handlers) or (fmt == "text" and root.handlers):
        return
    root.addHandler(PolkuHandler(fmt=fmt))
    root.setLevel(level)


def init_logging(app: Flask) -> None:
    """The request id first of all before_request functions, and on every response; the log format."""
    if logging.getLogRecordFactory() is not _record_with_request_id:
        logging.setLogRecordFactory(_record_with_request_id)
    app.before_request_funcs.setdefault(None, []).insert(0, choose_request_id)
    app.after_request(add_request_id_header)
    app.jinja_env.globals["request_id"] = request_id
    if not app.testing:
        configure_root_logging(log_format(app.config), str(app.config.get("LOG_LEVEL") or "INFO"))
