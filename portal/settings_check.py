"""The start-up check of a production configuration (POLKU_ENV=production): the portal refuses to start rather than
run on development defaults (a secret invented per machine, a SQLite file, no identity provider), and names every
missing or wrong setting at once, so one restart after fixing them is enough.

It checks what the environment gave (``portal.config.from_environment``), before the app factory's overrides:
those are code, the tests' way of configuring an app. It runs in ``create_app`` (so ``flask`` commands and any
WSGI server refuse too) and, first of all, in gunicorn's master (gunicorn.conf.py), which then prints the message
and stops instead of starting workers that would each fail with a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import click

MIN_SECRET_KEY_LENGTH = 32
SIGN_IN_SETTINGS = (
    ("OIDC_ISSUER", "the citizens' OpenID Connect provider (Suomi.fi e-Identification)"),
    ("OIDC_CLIENT_ID", "the portal's client id at that provider"),
    ("OIDC_CLIENT_SECRET", "the portal's client secret at that provider"),
    ("STAFF_OIDC_ISSUER", "the organisers' OpenID Connect provider"),
    ("STAFF_OIDC_CLIENT_ID", "the portal's client id at the organisers' provider"),
    ("STAFF_OIDC_CLIENT_SECRET", "the portal's client secret at the organisers' provider"),
)


class ConfigurationError(click.ClickException):
    """A configuration the portal does not start with. A ClickException, so a ``flask`` command prints the
    message alone ("Error: …") and exits with 1 instead of a traceback."""


def problems(config: Mapping[str, Any]) -> list[str]:
    """What is missing or wrong in a production configuration, one sentence per setting; empty outside it."""
    if config.get("POLKU_ENV") != "production":
        return []
    found = []
    secret = str(config.get("SECRET_KEY") or "")
    if not secret:
        found.append(
            f"SECRET_KEY is not set: give every machine the same random key of at least "
            f"{MIN_SECRET_KEY_LENGTH} characters (python3 -c 'import secrets; print(secrets.token_hex(32))')."
        )
    elif len(secret) < MIN_SECRET_KEY_LENGTH:
        found.append(
            f"SECRET_KEY is too short ({len(secret)} characters): use at least {MIN_SECRET_KEY_LENGTH} "
            "random characters."
        )
    database = str(config.get("SQLALCHEMY_DATABASE_URI") or "")
    if not database:
        found.append(
            "DATABASE_URL is not set: give the PostgreSQL database's address, postgresql://user:password@host/polku."
        )
    elif not database.startswith("postgresql"):
        scheme = database.split(":", 1)[0]
        found.append(
            f"DATABASE_URL must be a PostgreSQL address (postgresql://…), not {scheme}: "
            "several processes and machines share it."
        )
    for name, meaning in SIGN_IN_SETTINGS:
        if not str(config.get(name) or "").strip():
            found.append(f"{name} is not set: {meaning}.")
    if urlsplit(str(config.get("BASE_URL") or "")).scheme != "https":
        found.append(
            "POLKU_BASE_URL must be the portal's public https:// address (e.g. https://polku.example.fi), "
            f"not {config.get('BASE_URL')}."
        )
    if not config.get("SESSION_COOKIE_SECURE"):
        found.append(
            "SESSION_COOKIE_SECURE is off: in production the session cookie goes over HTTPS only; remove the setting."
        )
    return found


def message(found: list[str]) -> str:
    lines = "\n".join(f"  - {problem}" for problem in found)
    return f"Polku does not start: POLKU_ENV=production, and these settings are missing or wrong:\n{lines}"


def check(config: Mapping[str, Any]) -> None:
    """Raise ConfigurationError naming every problem of a production configuration."""
    found = problems(config)
    if found:
        raise ConfigurationError(message(found))
