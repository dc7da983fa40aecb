"""Configuration from the environment, with embedded defaults that work offline on one machine."""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'


def _secret_key(instance_path: Path) -> str:
    """Use SECRET_KEY, else a random key kept in instance/ so sessions survive restarts in development."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
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


def _derived_secret(secret_key: str, purpose: str) -> str:
    """A secret of its own for ``purpose`` that follows SECRET_KEY (the development IdP's client secret)."""
    return hmac.new(secret_key.encode(), purpose.encode(), hashlib.sha256).hexdigest()


def sign_in_settings(secret_key: str) -> dict[str, Any]:
    """OpenID Connect: OIDC_ISSUER points at Suomi.fi e-Identification or any provider; without it,
    the embedded development provider (/dev-idp) serves, unless POLKU_ENV is production."""
    production = os.environ.get("POLKU_ENV", "development") == "production"
    return {
        "POLKU_ENV": "production" if production else "development",
        "DEV_IDP_ENABLED": not production and _flag("POLKU_DEV_IDP", True),
        "DEV_IDP_CLIENT_ID": "polku-dev",
        "DEV_IDP_CLIENT_SECRET": _derived_secret(secret_key, "dev-idp-client"),
        "OIDC_ISSUER": os.environ.get("OIDC_ISSUER", ""),
        "OIDC_CLIENT_ID": os.environ.get("OIDC_CLIENT_ID", ""),
        "OIDC_CLIENT_SECRET": os.environ.get("OIDC_CLIENT_SECRET", ""),
        "OIDC_SCOPE": os.environ.get("OIDC_SCOPE", "openid profile address household company"),
        "OIDC_TOKEN_ENDPOINT_AUTH_METHOD": os.environ.get("OIDC_TOKEN_ENDPOINT_AUTH_METHOD", "client_secret_basic"),
    }


def from_environment(instance_path: Path) -> dict[str, Any]:
    instance_path.mkdir(parents=True, exist_ok=True)
    secret_key = _secret_key(instance_path)
    return sign_in_settings(secret_key) | {
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", f"sqlite:///{instance_path / 'polku.db'}"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # An empty MAP_TILE_URL turns tiles off: the map still shows units, points and a scale.
        "MAP_TILE_URL": os.environ.get("MAP_TILE_URL", DEFAULT_TILE_URL),
        "MAP_TILE_ATTRIBUTION": os.environ.get("MAP_TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION),
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", True),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Sessions live in the database (portal/sessions.py): the cookie is only a random id, set when a
        # session is made or its id rotates, never re-sent, so a slow live-preview response cannot put an
        # older cookie (or older answers) over newer ones.
        "SESSION_REFRESH_EACH_REQUEST": False,
        # A session ends after this long without a request, and this long after it began (sign-in begins a
        # new one), whichever comes first.
        "SESSION_IDLE_TIMEOUT": timedelta(minutes=_number("POLKU_SESSION_IDLE_MINUTES", 60)),
        "SESSION_ABSOLUTE_TIMEOUT": timedelta(hours=_number("POLKU_SESSION_MAX_HOURS", 8)),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=_number("POLKU_SESSION_MAX_HOURS", 8)),
        "WTF_CSRF_TIME_LIMIT": 60 * 60 * 8,
        "BABEL_DEFAULT_LOCALE": "fi",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent.parent / "translations"),
        "LANGUAGES": ("fi", "sv", "en"),
        "NODE_MODULES": os.environ.get("POLKU_NODE_MODULES", str(Path(__file__).resolve().parent.parent / "node_modules")),
        "POLKU_TODAY": os.environ.get("POLKU_TODAY"),  # fixes 'today' for demos and tests (YYYY-MM-DD)
        "HELP_PHONE": os.environ.get("POLKU_HELP_PHONE", "0295 000 000"),
        "HELP_EMAIL": os.environ.get("POLKU_HELP_EMAIL", "neuvonta@polku.example.fi"),
        # The statement file written by `flask accessibility-statement` (default: portal/content/).
        "ACCESSIBILITY_STATEMENT": os.environ.get("POLKU_ACCESSIBILITY_STATEMENT"),
        "FEEDBACK_EMAIL": os.environ.get("POLKU_FEEDBACK_EMAIL", "saavutettavuus@polku.example.fi"),
    }
