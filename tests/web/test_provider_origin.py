"""The identity provider's address comes from configuration, never from the request (issue 13, hole 5), and the
development provider keeps a single sign-on session that sign-out ends (hole 2).

The portal's server-to-server calls (discovery, token, JWKS, userinfo) are served here by the same app through
the Flask test client, and every address they go to is recorded: a request to the portal with a forged Host
header ("evil.example") must not move any of them, nor the redirect URI, nor where sign-out returns to. The
portal is at BASE_URL http://localhost (the test client's address) and the provider on another origin, an issuer
of its own per test on a localhost port (a new issuer is a new client registration, so the discovery document is
really fetched; Authlib's provider side serves plain HTTP only on loopback hosts, so a forged Host at the
provider is refused anyway, as insecure_transport).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import KeySet
from requests.structures import CaseInsensitiveDict

PORTAL = "http://localhost"
FORGED = {"Host": "evil.example"}
AINO = "caaa8035-7048-43be-9d4e-1b4026df4b2d"
LIISA = "6d76d80a-2420-42a4-a209-c91ec0eb89ee"
COOKIE = "dev_idp_sign_on"


@dataclass
class Network:
    """Where the portal's own HTTP calls went; they are answered by the app through a test client."""

    app: Flask
    issuer: str
    seen: list[tuple[str, str]] = field(default_factory=list)

    def send(self, adapter: Any, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self.seen.append((request.method or "", request.url or ""))
        parts = urlsplit(request.url)
        answer = self.app.test_client().open(
            parts.path,
            query_string=parts.query,
            method=request.method,
            data=request.body,
            headers={k: v for k, v in request.headers.items() if k.lower() != "host"},
            base_url=f"{parts.scheme}://{parts.netloc}",
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.get_data()
        response.headers = CaseInsensitiveDict(dict(answer.headers))
        response.url = request.url or ""
        response.request = request
        return response


@contextmanager
def dev_provider(app: Flask, monkeypatch: pytest.MonkeyPatch, **settings: Any) -> Iterator[Network]:
    """The development provider on a fresh issuer of another origin than the portal, for this test only: the
    portal's server-to-server calls reach it through the test client, and both citizens and staff sign in with
    it (``settings`` add or override configuration for the test)."""
    issuer = f"http://localhost:{secrets.randbelow(40000) + 20000}/dev-idp"
    net = Network(app, issuer)
    monkeypatch.setattr(
        requests.adapters.HTTPAdapter, "send", lambda adapter, request, **kw: net.send(adapter, request, **kw)
    )
    config = {"OIDC_ISSUER": "", "STAFF_OIDC_ISSUER": "", "BASE_URL": PORTAL, "DEV_IDP_ISSUER": issuer} | settings
    with configured(app, **config):
        yield net


@pytest.fixture()
def network(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Network]:
    """A fresh issuer on another origin than the portal, for this test only."""
    with dev_provider(app, monkeypatch) as net:
        yield net


@contextmanager
def configured(app: Flask, **settings: Any) -> Iterator[None]:
    saved = {key: app.config.get(key) for key in settings}
    app.config.update(settings)
    try:
        yield
    finally:
        app.config.update(saved)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html[:2000]
    return match.group(1)


def params_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def provider_get(browser: FlaskClient, url: str, **kwargs: Any) -> Any:
    """The browser at an address on the provider's origin."""
    parts = urlsplit(url)
    return browser.get(parts.path, query_string=parts.query, base_url=f"{parts.scheme}://{parts.netloc}", **kwargs)


def choose(browser: FlaskClient, authorize_url: str, person: str) -> str:
    """The chooser on the provider: pick ``person``; the provider's redirect back to the portal."""
    page = provider_get(browser, authorize_url)
    assert page.status_code == 200, page.get_data(as_text=True)[:2000]
    parts = urlsplit(authorize_url)
    answer = browser.post(
        parts.path,
        query_string=parts.query,
        base_url=f"{parts.scheme}://{parts.netloc}",
        data={"csrf_token": csrf_token(page.get_data(as_text=True)), "action": "sign_in", "person": person},
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    return answer.headers["Location"]


def start_sign_in(browser: FlaskClient, network: Network) -> str:
    response = browser.get("/en/sign-in", headers=FORGED)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


def sign_in(browser: FlaskClient, network: Network, person: str) -> None:
    location = choose(browser, start_sign_in(browser, network), person)
    back = browser.get(urlsplit(location).path, query_string=urlsplit(location).query, headers=FORGED)
    assert back.status_code == 302 and "/own/" in back.headers["Location"], back.get_data(as_text=True)[:2000]


def sign_out_location(browser: FlaskClient, path: str = "/en/sign-out", **form: str) -> str:
    page = browser.get("/en/own/data", headers=FORGED)
    assert page.status_code == 200, page.get_data(as_text=True)[:2000]
    response = browser.post(path, headers=FORGED, data={"csrf_token": csrf_token(page.get_data(as_text=True)), **form})
    assert response.status_code == 302
    return response.headers["Location"]


# ----- hole 5: a forged Host moves nothing -----


def test_a_forged_host_does_not_move_the_issuer_of_the_discovery_document(client, network: Network) -> None:
    parts = urlsplit(network.issuer)
    doc = client.get(
        parts.path + "/.well-known/openid-configuration", base_url=f"http://{parts.netloc}", headers=FORGED
    ).get_json()
    assert doc["issuer"] == network.issuer
    endpoints = [
        doc[key]
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint", "end_session_endpoint")
    ]
    assert endpoints == [network.issuer + path for path in ("/authorize", "/token", "/jwks", "/userinfo", "/logout")]
    assert "evil.example" not in str(doc)


def test_a_forged_host_sends_the_sign_in_to_the_configured_provider(client, network: Network) -> None:
    location = start_sign_in(client, network)
    assert location.startswith(network.issuer + "/authorize?")
    assert params_of(location)["redirect_uri"] == f"{PORTAL}/auth/callback"
    assert network.seen == [("GET", network.issuer + "/.well-known/openid-configuration")]


def test_a_whole_sign_in_and_sign_out_with_a_forged_host_talk_only_to_the_configured_addresses(
    client, network: Network, app: Flask
) -> None:
    """Before the fix the portal fetched http://evil.example/dev-idp/.well-known/openid-configuration and sent
    its client secret to http://evil.example/dev-idp/token."""
    location = choose(client, start_sign_in(client, network), AINO)
    assert location.startswith(f"{PORTAL}/auth/callback?code=")
    back = client.get("/auth/callback", query_string=urlsplit(location).query, headers=FORGED)
    assert back.status_code == 302, back.get_data(as_text=True)[:2000]
    assert [method for method, _ in network.seen].count("POST") == 1  # the token request, with the secret
    assert {url.split("?")[0] for _, url in network.seen} == {
        network.issuer + path for path in ("/.well-known/openid-configuration", "/token", "/jwks", "/userinfo")
    }
    with client.session_transaction(headers=FORGED) as session:
        id_token = session["id_token"]
    keys = KeySet.import_key_set(client.get("/dev-idp/jwks").get_json())
    assert jwt.decode(id_token, keys, algorithms=["RS256"]).claims["iss"] == network.issuer

    end_session = sign_out_location(client)
    assert end_session.startswith(network.issuer + "/logout?")
    params = params_of(end_session)
    assert params["post_logout_redirect_uri"] == f"{PORTAL}/en/"
    assert params["id_token_hint"] == id_token
    returned = provider_get(client, end_session)
    assert returned.status_code == 302
    assert returned.headers["Location"] == f"{PORTAL}/en/?state={params['state']}"


def test_the_provider_refuses_a_redirect_uri_on_the_forged_host(client, network: Network) -> None:
    location = start_sign_in(client, network)
    forged = location.replace("redirect_uri=http%3A%2F%2Flocalhost", "redirect_uri=http%3A%2F%2Fevil.example")
    assert forged != location
    page = provider_get(client, forged)
    assert page.status_code == 400 and "Location" not in page.headers
    assert "invalid_request" in page.get_data(as_text=True)


@pytest.mark.parametrize("target", ["http://evil.example/en/", f"{PORTAL}/en/"])
def test_the_provider_returns_after_sign_out_only_to_the_configured_portal(
    client, network: Network, target: str
) -> None:
    sign_in(client, network, AINO)
    with client.session_transaction(headers=FORGED) as session:
        id_token = session["id_token"]
    response = client.get(
        "/dev-idp/logout",
        base_url=network.issuer.removesuffix("/dev-idp"),
        query_string={"id_token_hint": id_token, "post_logout_redirect_uri": target},
    )
    if target.startswith(PORTAL):
        assert response.status_code == 302 and response.headers["Location"] == target
    else:
        assert response.status_code == 200 and "Location" not in response.headers


# ----- hole 2: the provider's single sign-on session, and sign-out ends it -----


def sign_on_cookie(client: FlaskClient, network: Network) -> Any:
    """The provider's sign-on cookie as the test client keeps it (host-only, on localhost, any port)."""
    return client.get_cookie(COOKIE, domain="localhost", path="/dev-idp")


def test_choosing_a_person_starts_a_sign_on_session_on_the_providers_path(client, network: Network) -> None:
    authorize = start_sign_in(client, network)
    page = provider_get(client, authorize)
    parts = urlsplit(authorize)
    answer = client.post(
        parts.path,
        query_string=parts.query,
        base_url=network.issuer.removesuffix("/dev-idp"),
        data={"csrf_token": csrf_token(page.get_data(as_text=True)), "action": "sign_in", "person": AINO},
    )
    cookie = next(value for value in answer.headers.getlist("Set-Cookie") if value.startswith(COOKIE + "="))
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"path", "httponly", "samesite", "max-age"} <= attributes and "domain" not in attributes
    assert "Path=/dev-idp" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie  # http issuer


def test_a_second_sign_in_passes_straight_through_as_the_same_person(client, network: Network) -> None:
    sign_in(client, network, AINO)
    assert sign_on_cookie(client, network) is not None
    again = provider_get(client, start_sign_in(client, network))
    assert again.status_code == 302, "the chooser again: the provider keeps no sign-on session"
    back = client.get("/auth/callback", query_string=urlsplit(again.headers["Location"]).query, headers=FORGED)
    assert back.status_code == 302
    with client.session_transaction(headers=FORGED) as session:
        token = session["id_token"]
    keys = KeySet.import_key_set(client.get("/dev-idp/jwks").get_json())
    assert jwt.decode(token, keys, algorithms=["RS256"]).claims["sub"] == AINO


@pytest.mark.parametrize("prompt", ["login", "select_account"])
def test_prompt_login_or_select_account_shows_the_chooser_despite_the_sign_on(
    client, network: Network, prompt: str
) -> None:
    sign_in(client, network, AINO)
    authorize = start_sign_in(client, network) + f"&prompt={prompt}"
    assert provider_get(client, authorize).status_code == 200


def test_sign_out_at_the_provider_ends_its_sign_on_session(client, network: Network) -> None:
    sign_in(client, network, AINO)
    end_session = sign_out_location(client)
    returned = provider_get(client, end_session)
    cleared = [v for v in returned.headers.getlist("Set-Cookie") if v.startswith(COOKIE + "=")]
    assert len(cleared) == 1 and "Path=/dev-idp" in cleared[0] and "Max-Age=0" in cleared[0]
    assert sign_on_cookie(client, network) is None
    chooser = provider_get(client, start_sign_in(client, network))
    assert chooser.status_code == 200 and 'name="person"' in chooser.get_data(as_text=True)


def test_a_copied_sign_on_cookie_opens_nothing_after_sign_out(client, network: Network, app: Flask) -> None:
    sign_in(client, network, LIISA)
    copied = sign_on_cookie(client, network).value
    provider_get(client, sign_out_location(client))
    other = app.test_client()
    other.set_cookie(COOKIE, copied, domain="localhost", path="/dev-idp")
    chooser = provider_get(other, start_sign_in(other, network))
    assert chooser.status_code == 200 and 'name="person"' in chooser.get_data(as_text=True)


def test_deleting_the_account_signs_out_at_the_provider_too(client, network: Network) -> None:
    sign_in(client, network, LIISA)
    end_session = sign_out_location(client, "/en/own/delete-account", confirm="yes")
    assert end_session.startswith(network.issuer + "/logout?")
    assert params_of(end_session)["post_logout_redirect_uri"] == f"{PORTAL}/en/?deleted=account"
    returned = provider_get(client, end_session)
    assert returned.headers["Location"].startswith(f"{PORTAL}/en/?deleted=account&state=")
    assert sign_on_cookie(client, network) is None


# ----- the CSP of the provider's pages -----


def test_the_providers_chooser_may_send_its_form_back_to_the_portals_origin(client, network: Network) -> None:
    """The chooser's answer is a redirect to the portal's callback, which form-action must allow when the
    provider is on another origin; the portal's own pages allow only the provider's origin besides 'self'."""
    chooser = provider_get(client, start_sign_in(client, network))
    provider_origin = network.issuer.removesuffix("/dev-idp")

    def form_action(response: Any) -> list[str]:
        csp = response.headers["Content-Security-Policy"]
        return next(part.split()[1:] for part in csp.split(";") if part.split()[0] == "form-action")

    assert form_action(chooser) == ["'self'", provider_origin, PORTAL]
    assert form_action(client.get("/en/")) == ["'self'", provider_origin]
