"""The production configuration behind TLS scores A+ by the Mozilla HTTP Observatory's rules (issue 13): the
rules it grades, checked on the headers and cookies of real responses of an app configured as the README says
for production (POLKU_ENV=production, a secure session cookie, FORCE_HTTPS, one TLS proxy in front).

The Observatory starts at 100 and subtracts for each failed rule; A+ needs 100 or more with no failed rule
below (bonus points for HSTS preload and SameSite cookies are not needed). The rules, as it grades them:
CSP present, no 'unsafe-inline'/'unsafe-eval', default-src 'none' or 'self', frame-ancestors set and object-src
blocked; cookies Secure and HttpOnly (session), SameSite; HSTS max-age at least six months; X-Content-Type-Options
nosniff; X-Frame-Options or frame-ancestors; Referrer-Policy private; a redirect from HTTP to HTTPS on the same
host first; no script from another origin without subresource integrity; CORP same-origin."""

from __future__ import annotations

import re

import pytest
from flask import Flask

SIX_MONTHS = 15_552_000


PRODUCTION = {
    "POLKU_ENV": "production",
    "POLKU_BASE_URL": "https://polku.example.fi",
    "SESSION_COOKIE_SECURE": "1",
    "POLKU_FORCE_HTTPS": "1",
    "POLKU_TRUSTED_PROXIES": "1",
    "SECRET_KEY": "x" * 32,
    "OIDC_ISSUER": "https://tunnistus.example.fi/oidc",
    # the rest of what production needs to start (portal/settings_check.py); the database is a SQLite file here
    "OIDC_CLIENT_ID": "polku",
    "OIDC_CLIENT_SECRET": "citizen-secret",
    "STAFF_OIDC_ISSUER": "https://login.example.fi",
    "STAFF_OIDC_CLIENT_ID": "polku-staff",
    "STAFF_OIDC_CLIENT_SECRET": "staff-secret",
    "DATABASE_URL": "postgresql://polku@db.invalid/polku",
}


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app as the environment of a production deployment configures it (the README's settings)."""
    from portal import create_app

    db = tmp_path_factory.mktemp("observatory") / "p.db"
    with pytest.MonkeyPatch.context() as env:
        for name, value in PRODUCTION.items():
            env.setenv(name, value)
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db}"})
    with app.app_context():
        from portal.extensions import db as database

        database.create_all()
    return app


def behind_tls(app: Flask, path: str, method: str = "get", **kwargs):
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "polku.example.fi", **kwargs.pop("headers", {})}
    return getattr(app.test_client(), method)(path, headers=headers, **kwargs)


def csp(response) -> dict[str, list[str]]:
    return {
        name: values
        for name, *values in (p.split() for p in response.headers["Content-Security-Policy"].split(";") if p.strip())
    }


def test_http_redirects_to_https_on_the_same_host_first(production: Flask) -> None:
    response = production.test_client().get(
        "/en/", headers={"X-Forwarded-Proto": "http", "X-Forwarded-Host": "polku.example.fi"}
    )
    assert response.status_code in (301, 308) and response.location == "https://polku.example.fi/en/"


@pytest.mark.parametrize("path", ["/en/", "/fi/events/ecec/steps/child", "/api/v2/life-events", "/en/privacy"])
def test_the_graded_headers(production: Flask, path: str) -> None:
    response = behind_tls(production, path)
    assert response.status_code == 200
    policy = csp(response)
    assert policy["default-src"] == ["'none'"] and "object-src" not in policy  # blocked by default-src
    assert not any(
        "unsafe" in value or value in ("*", "http:", "https:", "data:")
        for name, values in policy.items()
        if name in ("script-src", "style-src")
        for value in values
    )
    assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'", "https://tunnistus.example.fi"]  # the provider, for sign-out
    hsts = response.headers["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= SIX_MONTHS and "includeSubDomains" in hsts
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] in (
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    )
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_no_script_or_style_from_another_origin(production: Flask) -> None:
    page = behind_tls(production, "/en/").get_data(as_text=True)
    sources = re.findall(r'<script[^>]+src="([^"]+)"', page) + re.findall(
        r'<link rel="stylesheet" href="([^"]+)"', page
    )
    assert sources and all(source.startswith("/") and not source.startswith("//") for source in sources)


def test_the_session_cookie_is_secure_http_only_and_same_site(production: Flask) -> None:
    response = behind_tls(production, "/en/events/ecec/steps/child")  # its form's CSRF token starts a session
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies, "a session cookie was set"
    for cookie in cookies:
        attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
        assert {"secure", "httponly", "samesite"} <= attributes, cookie
