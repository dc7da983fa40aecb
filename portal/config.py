"""Configuration from the environment, with embedded defaults that work offline on one machine."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_BASE_URL = "http://127.0.0.1:5000"  # where `make run` serves by default (it passes POLKU_BASE_URL)
DEFAULT_TILE_ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'


def production() -> bool:
    """POLKU_ENV=production: no embedded defaults for secrets, database or sign-in (portal/settings_check.py)."""
    return os.environ.get("POLKU_ENV", "development") == "production"


def _secret_key(instance_path: Path) -> str:
    """Use SECRET_KEY, else (outside production) a random key kept in instance/ so sessions survive restarts in
    development. In production a missing key stays empty and the start-up check refuses it: a key invented per
    machine would make every machine's CSRF tokens unreadable to the others."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    if production():
        return ""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.lower() in ("1", "true", "yes", "on")


def _number(name: str, default: float) -> float:
    value = os.environ.get(name)
    return default if value in (None, "") else float(value)


def _whole_number(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    if not value.strip().isdigit():
        raise ValueError(f"{name} must be a whole number of 0 or more, not {value!r}")
    return int(value)


def _address(name: str, default: str) -> str:
    """An absolute http(s) address without query or fragment, without its trailing slash: a mistyped one
    stops the start-up instead of sending the sign-in somewhere unexpected."""
    value = (os.environ.get(name) or default).strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"{name} must be an absolute http(s) address without ? or #, not {value!r}")
    return value.rstrip("/")


def base_url(config: Mapping[str, Any]) -> str:
    """The portal's public address (BASE_URL). Addresses given to the identity provider (the redirect URI,
    where to return after sign-out) are built on it, never on the request's Host header, which the sender
    chooses."""
    return str(config.get("BASE_URL") or DEFAULT_BASE_URL).rstrip("/")


def dev_idp_issuer(config: Mapping[str, Any]) -> str:
    """The development provider's issuer (DEV_IDP_ISSUER), by default /dev-idp under the portal's address.
    It is where the portal fetches the provider's discovery document and sends its client secret, so it
    comes from configuration only: a forged Host header must not move it to another server."""
    return str(config.get("DEV_IDP_ISSUER") or base_url(config) + "/dev-idp").rstrip("/")


def _derived_secret(secret_key: str, purpose: str) -> str:
    """A secret of its own for ``purpose`` that follows SECRET_KEY (the development IdP's client secret)."""
    return hmac.new(secret_key.encode(), purpose.encode(), hashlib.sha256).hexdigest()


def sign_in_settings(secret_key: str) -> dict[str, Any]:
    """OpenID Connect: OIDC_ISSUER points at Suomi.fi e-Identification or any provider; without it,
    the embedded development provider (/dev-idp) serves, unless POLKU_ENV is production."""
    dev_idp = not production() and _flag("POLKU_DEV_IDP", True)
    base = _address("POLKU_BASE_URL", DEFAULT_BASE_URL)
    return {
        "POLKU_ENV": "production" if production() else "development",
        "BASE_URL": base,
        "DEV_IDP_ENABLED": dev_idp,
        # Another origin (e.g. http://localhost:5001/dev-idp) tries sign-in and sign-out across origins, as
        # with a real provider; empty when the development provider is off, so the CSP does not name it.
        "DEV_IDP_ISSUER": _address("POLKU_DEV_IDP_ISSUER", base + "/dev-idp") if dev_idp else "",
        "DEV_IDP_CLIENT_ID": "polku-dev",
        "DEV_IDP_CLIENT_SECRET": _derived_secret(secret_key, "dev-idp-client"),
        "OIDC_ISSUER": os.environ.get("OIDC_ISSUER", ""),
        "OIDC_CLIENT_ID": os.environ.get("OIDC_CLIENT_ID", ""),
        "OIDC_CLIENT_SECRET": os.environ.get("OIDC_CLIENT_SECRET", ""),
        "OIDC_SCOPE": os.environ.get("OIDC_SCOPE", "openid profile address household company"),
        "OIDC_TOKEN_ENDPOINT_AUTH_METHOD": os.environ.get("OIDC_TOKEN_ENDPOINT_AUTH_METHOD", "client_secret_basic"),
        # Staff (organisers) sign in with their organisation's account, not Suomi.fi: a second provider. Without
        # STAFF_OIDC_ISSUER the development provider serves staff too (its staff test people, scope polku_staff).
        "STAFF_OIDC_ISSUER": os.environ.get("STAFF_OIDC_ISSUER", ""),
        "STAFF_OIDC_CLIENT_ID": os.environ.get("STAFF_OIDC_CLIENT_ID", ""),
        "STAFF_OIDC_CLIENT_SECRET": os.environ.get("STAFF_OIDC_CLIENT_SECRET", ""),
        "STAFF_OIDC_SCOPE": os.environ.get("STAFF_OIDC_SCOPE", "openid profile polku_staff"),
        # The organisers' systems that may use the write API (portal/api/oauth.py): a YAML file of clients with
        # their secrets' hashes. Without it, the demo clients of portal/api/demo_clients.yaml while the
        # development provider is on, else none.
        "API_CLIENTS_FILE": os.environ.get("POLKU_API_CLIENTS_FILE", ""),
        "STAFF_OIDC_TOKEN_ENDPOINT_AUTH_METHOD": os.environ.get(
            "STAFF_OIDC_TOKEN_ENDPOINT_AUTH_METHOD", "client_secret_basic"
        ),
    }


# Rate limits (portal/rate_limits.py) as `limits` strings; an empty value turns that one limit off. Per client
# address (a whole office may share one) and, where named _PERSON, per signed-in person.
RATE_LIMIT_DEFAULTS = {
    "POLKU_RATE_LIMIT_SIGN_IN": "30 per minute; 300 per hour",  # sign-in starts and callbacks together
    "POLKU_RATE_LIMIT_FEEDBACK": "10 per minute; 100 per day",  # quick and full feedback posts together
    "POLKU_RATE_LIMIT_FEEDBACK_PERSON": "5 per minute; 30 per day",
    "POLKU_RATE_LIMIT_RESERVATIONS": "30 per minute; 300 per day",  # reserving and cancelling posts
    "POLKU_RATE_LIMIT_RESERVATIONS_PERSON": "10 per minute; 60 per day",
    "POLKU_RATE_LIMIT_API": "60 per minute; 1000 per hour",  # plan and calculator calls together
    "POLKU_RATE_LIMIT_ORGANISER_EDITS": "60 per minute; 2000 per day",  # the organisers' saves and confirmations
    # Follows of a plan's channel links that are counted (portal/metrics/views.py); past it the link still works.
    "POLKU_RATE_LIMIT_COUNTING": "20 per minute; 200 per day",
    # Plans' calendar addresses fetched: calendar services poll many people's addresses from a few of their own
    # addresses, so the budget is wide; a guessing script still meets it long before it finds a 256-bit token.
    "POLKU_RATE_LIMIT_CALENDAR_FEED": "120 per minute; 3000 per hour",
}


def rate_limit_settings() -> dict[str, Any]:
    """The counters live in the database unless POLKU_RATE_LIMIT_STORAGE names a `limits` storage (redis://…;
    memory:// counts per process only); POLKU_RATE_LIMITS_ENABLED=0 turns every limit off."""
    return {name: os.environ.get(name, default) for name, default in RATE_LIMIT_DEFAULTS.items()} | {
        "POLKU_RATE_LIMITS_ENABLED": _flag("POLKU_RATE_LIMITS_ENABLED", True),
        "RATELIMIT_STORAGE_URI": os.environ.get("POLKU_RATE_LIMIT_STORAGE") or "database://",
    }


def database_url(instance_path: Path) -> str:
    """DATABASE_URL, with postgres:// and postgresql:// meaning the installed driver (psycopg 3); without it the
    SQLite file in instance/, except in production, where it stays empty for the start-up check to name."""
    value = os.environ.get("DATABASE_URL", "").strip()
    if not value:
        return "" if production() else f"sqlite:///{instance_path / 'polku.db'}"
    for plain in ("postgres://", "postgresql://"):
        if value.startswith(plain):
            value = "postgresql+psycopg://" + value[len(plain) :]
    return _with_connect_timeout(value)


def _with_connect_timeout(value: str) -> str:
    """A PostgreSQL URL with libpq's connect_timeout (POLKU_DB_CONNECT_TIMEOUT seconds, default 5) unless it names
    one: without it a database host that does not answer holds a request, and /readyz, for the operating system's
    TCP timeout (minutes), so a load balancer's probe times out instead of hearing 503."""
    from sqlalchemy.engine import make_url

    url = make_url(value)
    if url.get_backend_name() != "postgresql" or "connect_timeout" in url.query:
        return value
    seconds = _whole_number("POLKU_DB_CONNECT_TIMEOUT", 5)
    return url.update_query_dict({"connect_timeout": str(seconds)}).render_as_string(hide_password=False)


def allowed_hosts(base: str) -> list[str] | None:
    """The Host names the portal answers (POLKU_ALLOWED_HOSTS, comma-separated; '.example.fi' covers its
    subdomains). Default: any in development; in production the host of POLKU_BASE_URL and the loopback names
    (a check on the machine itself), so a forged Host header never reaches a page."""
    listed = [h.strip().lower() for h in os.environ.get("POLKU_ALLOWED_HOSTS", "").split(",") if h.strip()]
    if listed:
        return listed
    if not production():
        return None
    host = (urlsplit(base).hostname or "").lower()
    return [h for h in (host, "localhost", "127.0.0.1") if h]


def serving_settings(base: str) -> dict[str, Any]:
    """Logs and allowed hosts (portal/logs.py, portal/security.py)."""
    return {
        "ALLOWED_HOSTS": allowed_hosts(base),
        "LOG_FORMAT": os.environ.get("POLKU_LOG_FORMAT", ""),  # json or text; default json in production
        "LOG_LEVEL": os.environ.get("POLKU_LOG_LEVEL", "INFO").upper(),
    }


def from_environment(instance_path: Path) -> dict[str, Any]:
    instance_path.mkdir(parents=True, exist_ok=True)
    secret_key = _secret_key(instance_path)
    sign_in = sign_in_settings(secret_key)
    return (
        sign_in
        | rate_limit_settings()
        | serving_settings(sign_in["BASE_URL"])
        | {
            "SECRET_KEY": secret_key,
            "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
            # A pooled connection is tested before use (a cheap round trip) and replaced when the database
            # restarted meanwhile, so a restart fails only the requests that were in flight.
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
            # An empty MAP_TILE_URL turns tiles off: the map still shows units, points and a scale.
            "MAP_TILE_URL": os.environ.get("MAP_TILE_URL", DEFAULT_TILE_URL),
            "MAP_TILE_ATTRIBUTION": os.environ.get("MAP_TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION),
            "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", True),
            "SESSION_COOKIE_HTTPONLY": True,
            # HTTPS (portal/security.py): redirect plain HTTP with 308; HSTS preload only when asked for; how many
            # proxies in front are believed about the scheme and host they forward (X-Forwarded-*), 0: none.
            "FORCE_HTTPS": _flag("POLKU_FORCE_HTTPS", False),
            "HSTS_PRELOAD": _flag("POLKU_HSTS_PRELOAD", False),
            "TRUSTED_PROXIES": _whole_number("POLKU_TRUSTED_PROXIES", 0),
            "SESSION_COOKIE_SAMESITE": "Lax",
            # Sessions live in the database (portal/sessions.py): the cookie is only a random id, set when a
            # session is made or its id rotates, never re-sent, so a slow live-preview response cannot put an
            # older cookie (or older answers) over newer ones.
            "SESSION_REFRESH_EACH_REQUEST": False,
            # A session ends after this long without a request, and this long after it began (sign-in begins a
            # new one), whichever comes first.
            "SESSION_IDLE_TIMEOUT": timedelta(minutes=_number("POLKU_SESSION_IDLE_MINUTES", 60)),
            "SESSION_ABSOLUTE_TIMEOUT": timedelta(hours=_number("POLKU_SESSION_MAX_HOURS", 8)),
            # A staff (organiser) session is shorter: it can change what every citizen sees.
            "STAFF_SESSION_IDLE_TIMEOUT": timedelta(minutes=_number("POLKU_STAFF_SESSION_IDLE_MINUTES", 30)),
            "STAFF_SESSION_ABSOLUTE_TIMEOUT": timedelta(hours=_number("POLKU_STAFF_SESSION_MAX_HOURS", 8)),
            "PERMANENT_SESSION_LIFETIME": timedelta(hours=_number("POLKU_SESSION_MAX_HOURS", 8)),
            "WTF_CSRF_TIME_LIMIT": 60 * 60 * 8,
            "BABEL_DEFAULT_LOCALE": "fi",
            "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent.parent / "translations"),
            "LANGUAGES": ("fi", "sv", "en"),
            "NODE_MODULES": os.environ.get(
                "POLKU_NODE_MODULES", str(Path(__file__).resolve().parent.parent / "node_modules")
            ),
            "POLKU_TODAY": os.environ.get("POLKU_TODAY"),  # fixes 'today' for demos and tests (YYYY-MM-DD)
            "HELP_PHONE": os.environ.get("POLKU_HELP_PHONE", "0295 000 000"),
            "HELP_EMAIL": os.environ.get("POLKU_HELP_EMAIL", "neuvonta@polku.example.fi"),
            # The statement file written by `flask accessibility-statement` (default: portal/content/).
            "ACCESSIBILITY_STATEMENT": os.environ.get("POLKU_ACCESSIBILITY_STATEMENT"),
            "FEEDBACK_EMAIL": os.environ.get("POLKU_FEEDBACK_EMAIL", "saavutettavuus@polku.example.fi"),
        }
    )
