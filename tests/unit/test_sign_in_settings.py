"""The development identity provider is never on in production, whatever else the environment says."""

import pytest

from portal.config import sign_in_settings


@pytest.mark.parametrize(
    "env, enabled",
    [
        ({}, True),
        ({"POLKU_DEV_IDP": "0"}, False),
        ({"POLKU_ENV": "production"}, False),
        ({"POLKU_ENV": "production", "POLKU_DEV_IDP": "1"}, False),
    ],
)
def test_the_development_provider_only_outside_production(monkeypatch, env, enabled) -> None:
    for name in ("POLKU_ENV", "POLKU_DEV_IDP", "OIDC_ISSUER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert sign_in_settings("secret")["DEV_IDP_ENABLED"] is enabled


def test_the_provider_comes_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("OIDC_ISSUER", "https://tunnistus.example.fi/oidc")
    monkeypatch.setenv("OIDC_CLIENT_ID", "polku")
    settings = sign_in_settings("secret")
    assert (settings["OIDC_ISSUER"], settings["OIDC_CLIENT_ID"]) == ("https://tunnistus.example.fi/oidc", "polku")
    assert "openid" in settings["OIDC_SCOPE"].split()
    assert sign_in_settings("a")["DEV_IDP_CLIENT_SECRET"] != sign_in_settings("b")["DEV_IDP_CLIENT_SECRET"]


def test_sign_in_with_a_configured_provider_uses_its_discovery_document(app, client) -> None:
    """With OIDC_ISSUER set, the sign-in goes to that provider (here unreachable: a clear 502 page, no 500)."""
    app.config["OIDC_ISSUER"] = "http://127.0.0.1:9/oidc"  # nothing listens on the discard port
    try:
        response = client.get("/en/sign-in")
    finally:
        app.config["OIDC_ISSUER"] = ""
    assert response.status_code == 502
    assert "Sign-in failed" in response.get_data(as_text=True)
