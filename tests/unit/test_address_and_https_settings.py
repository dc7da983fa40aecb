"""The portal's address, the development provider's issuer and the HTTPS settings are read from the environment
(issue 13, holes 2, 5 and 8); a mistyped value stops the start-up instead of being guessed at."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.config import from_environment, sign_in_settings

NAMES = (
    "POLKU_ENV",
    "POLKU_DEV_IDP",
    "POLKU_BASE_URL",
    "POLKU_DEV_IDP_ISSUER",
    "POLKU_FORCE_HTTPS",
    "POLKU_HSTS_PRELOAD",
    "POLKU_TRUSTED_PROXIES",
    "OIDC_ISSUER",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "x")


@pytest.mark.parametrize(
    "env, base, issuer",
    [
        ({}, "http://127.0.0.1:5000", "http://127.0.0.1:5000/dev-idp"),
        ({"POLKU_BASE_URL": "http://127.0.0.1:5050/"}, "http://127.0.0.1:5050", "http://127.0.0.1:5050/dev-idp"),
        (
            {"POLKU_BASE_URL": "https://polku.example.fi"},
            "https://polku.example.fi",
            "https://polku.example.fi/dev-idp",
        ),
        (
            {"POLKU_DEV_IDP_ISSUER": "http://localhost:5001/dev-idp"},
            "http://127.0.0.1:5000",
            "http://localhost:5001/dev-idp",
        ),
        (
            {"POLKU_BASE_URL": "http://127.0.0.1:8000", "POLKU_DEV_IDP_ISSUER": "http://localhost:8000/dev-idp/"},
            "http://127.0.0.1:8000",
            "http://localhost:8000/dev-idp",
        ),
    ],
)
def test_the_addresses_come_from_the_environment(monkeypatch, env, base: str, issuer: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = sign_in_settings("secret")
    assert (settings["BASE_URL"], settings["DEV_IDP_ISSUER"]) == (base, issuer)


@pytest.mark.parametrize("env", [{"POLKU_ENV": "production"}, {"POLKU_DEV_IDP": "0"}])
def test_no_development_issuer_when_the_provider_is_off(monkeypatch, env) -> None:
    """Then the CSP's form-action does not name it either."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("POLKU_DEV_IDP_ISSUER", "http://localhost:5001/dev-idp")
    assert sign_in_settings("secret")["DEV_IDP_ISSUER"] == ""


@pytest.mark.parametrize("name", ["POLKU_BASE_URL", "POLKU_DEV_IDP_ISSUER"])
@pytest.mark.parametrize(
    "value",
    ["127.0.0.1:5000", "ftp://127.0.0.1/", "http://", "http://localhost/?next=x", "http://localhost/#x", "/dev-idp"],
)
def test_an_address_that_is_not_an_absolute_http_one_stops_the_start_up(monkeypatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        sign_in_settings("secret")


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, (False, False, 0)),
        ({"POLKU_FORCE_HTTPS": "1", "POLKU_HSTS_PRELOAD": "true", "POLKU_TRUSTED_PROXIES": "1"}, (True, True, 1)),
        ({"POLKU_FORCE_HTTPS": "0", "POLKU_HSTS_PRELOAD": "no", "POLKU_TRUSTED_PROXIES": "2"}, (False, False, 2)),
        ({"POLKU_FORCE_HTTPS": "yes", "POLKU_TRUSTED_PROXIES": ""}, (True, False, 0)),
    ],
)
def test_https_settings_come_from_the_environment(monkeypatch, tmp_path: Path, env, expected) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = from_environment(tmp_path)
    assert (config["FORCE_HTTPS"], config["HSTS_PRELOAD"], config["TRUSTED_PROXIES"]) == expected


@pytest.mark.parametrize("value", ["-1", "one", "1.5"])
def test_a_proxy_count_that_is_not_a_whole_number_stops_the_start_up(monkeypatch, tmp_path: Path, value) -> None:
    monkeypatch.setenv("POLKU_TRUSTED_PROXIES", value)
    with pytest.raises(ValueError, match="POLKU_TRUSTED_PROXIES"):
        from_environment(tmp_path)


def test_the_app_acts_on_the_https_settings_of_its_environment(monkeypatch, tmp_path: Path) -> None:
    """From the environment through create_app to the response: a redirect to HTTPS, HSTS with preload, and the
    scheme believed from the one counted proxy."""
    from portal import create_app

    monkeypatch.setenv("POLKU_FORCE_HTTPS", "1")
    monkeypatch.setenv("POLKU_HSTS_PRELOAD", "1")
    monkeypatch.setenv("POLKU_TRUSTED_PROXIES", "1")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    client = app.test_client()
    plain = client.get("/en/accessibility")
    assert plain.status_code == 308 and plain.location == "https://localhost/en/accessibility"
    proxied = client.get("/en/no-such-page", headers={"X-Forwarded-Proto": "https"})
    assert proxied.status_code == 404  # not redirected: the proxy said it came over HTTPS
    assert proxied.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"


def test_the_development_issuer_must_end_in_the_providers_path(monkeypatch, tmp_path: Path) -> None:
    """The provider's endpoints are under /dev-idp: an issuer elsewhere would name endpoints that do not exist."""
    from portal import create_app

    monkeypatch.setenv("POLKU_DEV_IDP_ISSUER", "http://localhost:5001/other")
    with pytest.raises(ValueError, match="/dev-idp"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
