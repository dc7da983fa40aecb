"""The real OpenID Connect sign-in, over HTTP, between the portal's Authlib client (portal/auth.py) and the
embedded development provider (/dev-idp), on a live, threaded server: nothing in the client is faked.

A test-only WSGI middleware can rewrite what the provider's token (or userinfo) endpoint answers, as an
attacker in the middle or a broken provider would; every such answer must leave the visitor signed out.
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from flask import Flask
from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlalchemy import select

from tests.conftest import LiveServer, build_app
from tests.helpers import translated

MATTI = "0bb8ac72-7c30-415a-af73-87d2d3e2e58a"
LIISA = "6d76d80a-2420-42a4-a209-c91ec0eb89ee"
SIRKKA = "a1ae38a8-721d-40d8-aa89-21de02eb7153"
AINO = "caaa8035-7048-43be-9d4e-1b4026df4b2d"
PEOPLE = {MATTI: "Matti Virtanen", LIISA: "Liisa Lehtonen", SIRKKA: "Sirkka Mäkinen", AINO: "Aino Korhonen"}
FAILED = "Sign-in failed"

Change = Callable[[dict[str, Any]], dict[str, Any]]


class Tamper:
    """WSGI middleware: passes everything through, except the JSON answers of the paths in ``changes``,
    which it rewrites (test-only)."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app
        self.changes: dict[str, Change] = {}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        change = self.changes.get(environ.get("PATH_INFO", ""))
        if change is None:
            return self.wsgi_app(environ, start_response)
        answer: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
            answer["status"], answer["headers"] = status, headers
            return lambda data: None

        iterable = self.wsgi_app(environ, capture)
        try:
            body = b"".join(iterable)
        finally:
            if hasattr(iterable, "close"):
                iterable.close()
        if answer["status"].startswith("200"):
            body = json.dumps(change(json.loads(body))).encode()
        headers = [(k, v) for k, v in answer["headers"] if k.lower() != "content-length"]
        start_response(answer["status"], headers + [("Content-Length", str(len(body)))])
        return [body]


@dataclass
class Live:
    url: str
    app: Flask
    tamper: Tamper

    @property
    def signing_key(self) -> RSAKey:
        return self.app.extensions["polku.dev_idp"].key


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    app = build_app(f"sqlite:///{tmp_path_factory.mktemp('sign-in') / 'polku-sign-in.db'}")
    tamper = Tamper(app.wsgi_app)
    app.wsgi_app = tamper  # type: ignore[method-assign]
    with LiveServer(app) as server:
        yield Live(server.url, app, tamper)


@pytest.fixture()
def tampered(live: Live) -> Iterator[dict[str, Change]]:
    try:
        yield live.tamper.changes
    finally:
        live.tamper.changes.clear()


# ----- helpers: a browser made of requests -----


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html[:3000]
    return match.group(1)


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def with_query(url: str, **changes: str | None) -> str:
    parts = urlsplit(url)
    params = {key: values[0] for key, values in parse_qs(parts.query).items()}
    params.update(changes)
    params = {key: value for key, value in params.items() if value is not None}
    return urlunsplit(parts._replace(query=urlencode(params)))


def start(browser: requests.Session, live: Live, lang: str = "fi", next_path: str = "/fi/own/") -> str:
    """Press 'Sign in': the portal's redirect to the provider's authorization endpoint."""
    response = browser.get(f"{live.url}/{lang}/sign-in", params={"next": next_path}, allow_redirects=False)
    assert response.status_code == 302, response.text[:2000]
    location = response.headers["Location"]
    assert location.startswith(f"{live.url}/dev-idp/authorize?"), location
    return location


def choose(browser: requests.Session, authorize_url: str, person: str | None, action: str = "sign_in") -> str:
    """Pick a person on the provider's chooser: the provider's redirect back to the portal's callback."""
    page = browser.get(authorize_url, allow_redirects=False)
    assert page.status_code == 200, page.text[:2000]
    form = {"csrf_token": csrf_token(page.text), "action": action}
    if person:
        form["person"] = person
    response = browser.post(authorize_url, data=form, allow_redirects=False)
    assert response.status_code == 302, response.text[:2000]
    return response.headers["Location"]


def callback_url(browser: requests.Session, live: Live, person: str, **kwargs: str) -> str:
    location = choose(browser, start(browser, live, **kwargs), person)
    assert location.startswith(f"{live.url}/auth/callback?"), location
    return location


def signed_in_as(browser: requests.Session, live: Live) -> str | None:
    """Who the front page says is signed in (the name in its sign-out button), or None (a sign-in link)."""
    response = browser.get(f"{live.url}/fi/", allow_redirects=False)
    assert response.status_code == 200, response.text[:2000]
    form = re.search(r'<form method="post" action="/fi/sign-out".*?</form>', response.text, re.DOTALL)
    if form is None:
        assert "/fi/sign-in" in response.text
        return None
    return next((name for name in PEOPLE.values() if name in form.group(0)), "?")


def sign_in(browser: requests.Session, live: Live, person: str) -> requests.Response:
    response = browser.get(callback_url(browser, live, person), allow_redirects=True)
    assert response.status_code == 200, response.text[:2000]
    return response


def assert_rejected(browser: requests.Session, live: Live, response: requests.Response) -> None:
    assert response.status_code == 400, response.text[:2000]
    lang = re.search(r'<html lang="(\w+)">', response.text).group(1)
    assert translated(live.app, lang, FAILED) in response.text
    assert signed_in_as(browser, live) is None


# ----- (a) a full sign-in as each test person -----


@pytest.mark.parametrize("person", list(PEOPLE))
def test_full_sign_in_as_each_test_person(live: Live, person: str) -> None:
    browser = requests.Session()
    assert signed_in_as(browser, live) is None
    response = browser.get(callback_url(browser, live, person), allow_redirects=False)
    assert response.status_code == 302, response.text[:2000]
    target = urlsplit(response.headers["Location"])
    assert target.path.startswith("/fi/own/")  # the own space, or its first-time welcome on the way there
    assert browser.get(f"{live.url}{target.path}?{target.query}").status_code == 200
    assert signed_in_as(browser, live) == PEOPLE[person]
    own = browser.get(f"{live.url}/fi/own/", allow_redirects=False)
    assert own.status_code == 200, own.text[:2000]
    assert PEOPLE[person] in own.text


def test_sign_in_returns_to_the_page_it_started_from(live: Live) -> None:
    browser = requests.Session()
    sign_in(browser, live, LIISA)  # the first sign-in may pass the welcome page
    browser.post(f"{live.url}/fi/sign-out", data={"csrf_token": csrf_token(browser.get(f"{live.url}/fi/").text)})
    location = choose(browser, start(browser, live, next_path="/fi/accessibility"), LIISA)
    response = browser.get(location, allow_redirects=False)
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    # straight back, or through the first-time welcome page (no consents given yet) and then back
    assert target.path == "/fi/accessibility" or (
        target.path == "/fi/own/welcome" and parse_qs(target.query)["next"] == ["/fi/accessibility"]
    )


# ----- (b) what the authorization request carries -----


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_authorization_request_carries_pkce_state_nonce_and_language(live: Live, lang: str) -> None:
    browser = requests.Session()
    params = query(start(browser, live, lang=lang, next_path=f"/{lang}/own/"))
    assert params["response_type"] == ["code"]
    assert params["client_id"] == [live.app.config["DEV_IDP_CLIENT_ID"]]
    assert params["redirect_uri"] == [f"{live.url}/auth/callback"]
    assert {"openid", "profile", "address", "household", "company"} <= set(params["scope"][0].split())
    assert params["code_challenge_method"] == ["S256"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", params["code_challenge"][0])  # base64url of a SHA-256
    assert len(params["state"][0]) >= 16 and len(params["nonce"][0]) >= 16
    assert params["ui_locales"] == [lang]
    again = query(start(requests.Session(), live))
    assert again["state"] != params["state"] and again["nonce"] != params["nonce"]
    assert again["code_challenge"] != params["code_challenge"]
    chooser = browser.get(start(browser, live, lang=lang))
    assert f'<html lang="{lang}">' in chooser.text


# ----- (c) state -----


@pytest.mark.parametrize("state", ["forged-state-value", None])
def test_callback_with_a_wrong_or_absent_state_is_rejected(live: Live, state: str | None) -> None:
    browser = requests.Session()
    location = callback_url(browser, live, AINO)
    response = browser.get(with_query(location, state=state), allow_redirects=False)
    assert_rejected(browser, live, response)


def test_own_space_needs_sign_in(live: Live) -> None:
    response = requests.get(f"{live.url}/fi/own/", allow_redirects=False)
    assert response.status_code == 302 and "/fi/sign-in" in response.headers["Location"]


def test_callback_in_another_browser_is_rejected(live: Live) -> None:
    location = callback_url(requests.Session(), live, AINO)
    attacker = requests.Session()
    assert_rejected(attacker, live, attacker.get(location, allow_redirects=False))


def test_cancel_on_the_chooser_leaves_the_visitor_signed_out(live: Live) -> None:
    browser = requests.Session()
    location = choose(browser, start(browser, live), None, action="cancel")
    assert query(location)["error"] == ["access_denied"]
    assert_rejected(browser, live, browser.get(location, allow_redirects=False))


# ----- (d) a code works once -----


def test_replayed_callback_is_rejected(live: Live) -> None:
    browser = requests.Session()
    location = callback_url(browser, live, MATTI)
    assert browser.get(location).status_code == 200
    assert signed_in_as(browser, live) == "Matti Virtanen"
    assert_rejected(browser, live, browser.get(location, allow_redirects=False))


def test_replayed_code_with_a_fresh_state_is_rejected(live: Live) -> None:
    """The state check passes (a new sign-in was started); the provider refuses the used code."""
    browser = requests.Session()
    location = callback_url(browser, live, MATTI)
    assert browser.get(location).status_code == 200
    fresh = query(start(browser, live))["state"][0]
    assert_rejected(browser, live, browser.get(with_query(location, state=fresh), allow_redirects=False))


# ----- (e) tampered answers from the provider -----


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _parts(id_token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    header, payload, _ = id_token.split(".")
    pad = lambda s: s + "=" * (-len(s) % 4)  # noqa: E731
    return json.loads(base64.urlsafe_b64decode(pad(header))), json.loads(base64.urlsafe_b64decode(pad(payload)))


def resigned(
    key: Callable[[Live], RSAKey], header_changes: dict[str, Any] | None = None, **claim_changes: Any
) -> Callable[[Live], Change]:
    def make(live: Live) -> Change:
        def change(answer: dict[str, Any]) -> dict[str, Any]:
            header, claims = _parts(answer["id_token"])
            header.update(header_changes or {})
            claims.update({k: (v() if callable(v) else v) for k, v in claim_changes.items()})
            claims = {k: v for k, v in claims.items() if v is not None}  # None: the claim is left out
            answer["id_token"] = jwt.encode(header, claims, key(live))
            return answer

        return change

    return make


def real_key(live: Live) -> RSAKey:
    return live.signing_key


def other_key_same_kid(live: Live) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": live.signing_key.kid})


def other_key(live: Live) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": "not-the-providers-key"})


def unsigned(live: Live) -> Change:
    def change(answer: dict[str, Any]) -> dict[str, Any]:
        _, claims = _parts(answer["id_token"])
        answer["id_token"] = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
        return answer

    return change


def without_id_token(live: Live) -> Change:
    def change(answer: dict[str, Any]) -> dict[str, Any]:
        answer.pop("id_token")
        return answer

    return change


def other_access_token(live: Live) -> Change:
    def change(answer: dict[str, Any]) -> dict[str, Any]:
        answer["access_token"] = "x" * 42  # at_hash in the ID token no longer matches
        return answer

    return change


TAMPERED_TOKENS = {
    "signed with another key, same kid": resigned(other_key_same_kid),
    "signed with another key, unknown kid": resigned(other_key, {"kid": "not-the-providers-key"}),
    "someone else's sub, another key": resigned(other_key_same_kid, sub=AINO),
    "unsigned (alg none)": unsigned,
    "another nonce": resigned(real_key, nonce="not-the-nonce-the-portal-sent"),
    "no nonce": resigned(real_key, nonce=None),
    "another audience": resigned(real_key, aud="someone-else"),
    "another issuer": resigned(real_key, iss="http://evil.example/dev-idp"),
    "expired": resigned(real_key, exp=lambda: int(time.time()) - 3600, iat=lambda: int(time.time()) - 7200),
    "issued in the future": resigned(
        real_key, iat=lambda: int(time.time()) + 3600, exp=lambda: int(time.time()) + 7200
    ),
    "no ID token": without_id_token,
    "access token swapped": other_access_token,
}


@pytest.mark.parametrize("make", TAMPERED_TOKENS.values(), ids=TAMPERED_TOKENS.keys())
def test_tampered_token_response_is_rejected(live: Live, tampered: dict[str, Change], make) -> None:
    browser = requests.Session()
    location = callback_url(browser, live, MATTI)
    tampered["/dev-idp/token"] = make(live)
    assert_rejected(browser, live, browser.get(location, allow_redirects=False))


def test_userinfo_about_someone_else_is_rejected(live: Live, tampered: dict[str, Change]) -> None:
    browser = requests.Session()
    location = callback_url(browser, live, MATTI)
    tampered["/dev-idp/userinfo"] = lambda answer: answer | {"sub": AINO}
    assert_rejected(browser, live, browser.get(location, allow_redirects=False))


def test_untampered_middleware_passes_the_sign_in(live: Live, tampered: dict[str, Change]) -> None:
    """The middleware itself breaks nothing: an identity change keeps the sign-in working."""
    browser = requests.Session()
    location = callback_url(browser, live, SIRKKA)
    tampered["/dev-idp/token"] = lambda answer: answer
    assert browser.get(location).status_code == 200
    assert signed_in_as(browser, live) == "Sirkka Mäkinen"


def test_a_failed_callback_signs_out_whoever_was_signed_in(live: Live) -> None:
    browser = requests.Session()
    sign_in(browser, live, LIISA)
    assert signed_in_as(browser, live) == "Liisa Lehtonen"
    browser.cookies.clear(domain="127.0.0.1", path="/dev-idp", name="dev_idp_sign_on")  # to reach the chooser
    location = callback_url(browser, live, MATTI)
    assert_rejected(browser, live, browser.get(with_query(location, state="forged"), allow_redirects=False))


# ----- (f) sign-out -----


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_sign_out_clears_the_session_and_ends_the_providers_session(live: Live, lang: str) -> None:
    browser = requests.Session()
    sign_in(browser, live, AINO)
    assert signed_in_as(browser, live) == "Aino Korhonen"
    home = browser.get(f"{live.url}/{lang}/")
    assert f'action="/{lang}/sign-out"' in home.text
    response = browser.post(
        f"{live.url}/{lang}/sign-out", data={"csrf_token": csrf_token(home.text)}, allow_redirects=False
    )
    assert response.status_code == 302
    end_session = response.headers["Location"]
    assert end_session.startswith(f"{live.url}/dev-idp/logout?")
    params = query(end_session)
    assert params["post_logout_redirect_uri"] == [f"{live.url}/{lang}/"]
    assert params["ui_locales"] == [lang]
    assert params["id_token_hint"][0].count(".") == 2 and params["state"][0]
    _, hint = _parts(params["id_token_hint"][0])
    assert hint["sub"] == AINO
    assert signed_in_as(browser, live) is None  # the portal's session is gone already
    back = browser.get(end_session, allow_redirects=False)
    assert back.status_code == 302
    assert back.headers["Location"] == f"{live.url}/{lang}/?" + urlencode({"state": params["state"][0]})
    from portal.dev_idp.models import DevIdpToken
    from portal.extensions import db

    with live.app.app_context():
        revoked = db.session.execute(select(DevIdpToken.revoked).where(DevIdpToken.sub == AINO)).scalars().all()
    assert revoked and all(revoked)
    assert browser.get(back.headers["Location"]).status_code == 200
    assert signed_in_as(browser, live) is None


def test_sign_out_needs_its_csrf_token(live: Live) -> None:
    browser = requests.Session()
    sign_in(browser, live, LIISA)
    response = browser.post(f"{live.url}/fi/sign-out", allow_redirects=False)
    assert response.status_code == 400
    assert signed_in_as(browser, live) == "Liisa Lehtonen"
