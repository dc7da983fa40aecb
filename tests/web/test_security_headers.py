"""Security headers (issue 13, holes 2 and 8): nothing allowed by default in the CSP, forms allowed to reach the
identity provider's origin (sign-out is a redirect to its end-session endpoint, which form-action 'self' alone
blocked in Chromium), Cross-Origin-Resource-Policy, and HTTPS by configuration: a redirect, HSTS with preload only
when asked for, and the scheme believed from a counted proxy only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask


def directives(csp: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in csp.split(";") if part.strip())}


@contextmanager
def configured(app: Flask, **settings: Any) -> Iterator[None]:
    """The session-wide app with some settings changed for one test, restored after it."""
    saved = {key: app.config.get(key) for key in settings}
    app.config.update(settings)
    try:
        yield
    finally:
        app.config.update(saved)


@pytest.mark.parametrize(
    "path", ["/en/", "/fi/events/ecec/steps/child", "/api/v2/life-events", "/static/css/main.css", "/en/no-such-page"]
)
def test_nothing_is_allowed_that_the_pages_do_not_use(client, path: str) -> None:
    response = client.get(path)
    csp = directives(response.headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'none'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"] and csp["connect-src"] == ["'self'"]
    assert csp["base-uri"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert "object-src" not in csp  # default-src 'none' already covers it
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_forms_may_go_to_the_configured_identity_provider_and_nowhere_else(app: Flask, client) -> None:
    with configured(app, OIDC_ISSUER="https://tunnistus.example.fi/oidc/"):
        csp = directives(client.get("/en/").headers["Content-Security-Policy"])
    assert csp["form-action"] == ["'self'", "https://tunnistus.example.fi"]


def test_the_development_provider_on_another_origin_is_allowed_too(app: Flask, client) -> None:
    with configured(app, OIDC_ISSUER="", DEV_IDP_ISSUER="http://localhost:5001/dev-idp"):
        csp = directives(client.get("/en/").headers["Content-Security-Policy"])
    assert csp["form-action"] == ["'self'", "http://localhost:5001"]


def test_without_tls_settings_there_is_no_hsts_and_no_redirect(app: Flask, client) -> None:
    with configured(app, SESSION_COOKIE_SECURE=False, FORCE_HTTPS=False):
        response = client.get("/en/")
    assert response.status_code == 200 and "Strict-Transport-Security" not in response.headers


def test_force_https_redirects_plain_http_and_keeps_the_method(app: Flask, client) -> None:
    with configured(app, FORCE_HTTPS=True):
        get = client.get("/en/events/ecec/?x=1")
        post = client.post("/en/feedback")
        secure = client.get("/en/", base_url="https://localhost")
    assert get.status_code == 308 and get.location == "https://localhost/en/events/ecec/?x=1"
    assert post.status_code == 308 and post.location.startswith("https://")
    assert secure.status_code == 200
    assert secure.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"


def test_hsts_preload_only_when_asked_for(app: Flask, client) -> None:
    with configured(app, SESSION_COOKIE_SECURE=True, HSTS_PRELOAD=True):
        response = client.get("/en/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"


def test_the_forwarded_scheme_is_believed_only_from_a_counted_proxy(tmp_path) -> None:
    from portal import create_app

    def first(proxies: int) -> Any:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}",
                "SECRET_KEY": "x",
                "FORCE_HTTPS": True,
                "TRUSTED_PROXIES": proxies,
            }
        )
        return app.test_client().get("/en/", headers={"X-Forwarded-Proto": "https"})

    assert first(0).status_code == 308  # a client could send the header itself
    assert first(1).status_code == 200
