"""The embedded development OpenID Connect provider (/dev-idp), driven as a client would drive it."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from authlib.oidc.discovery import OpenIDProviderMetadata
from flask import Flask
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet, RSAKey
from sqlalchemy import update

from portal.dev_idp.people import DEFAULT_PATH, PeopleError, business_id_check_digit, load_people, valid_business_id
from tests.helpers import translated

CALLBACK = "http://localhost/auth/callback"
ISSUER = "http://localhost/dev-idp"
SCOPE = "openid profile address household company"
MATTI = "0bb8ac72-7c30-415a-af73-87d2d3e2e58a"
LIISA = "6d76d80a-2420-42a4-a209-c91ec0eb89ee"
SIRKKA = "a1ae38a8-721d-40d8-aa89-21de02eb7153"
AINO = "caaa8035-7048-43be-9d4e-1b4026df4b2d"


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize_params(challenge: str, **changes: str | None) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": "polku-dev",
        "redirect_uri": CALLBACK,
        "scope": SCOPE,
        "state": "state-" + secrets.token_urlsafe(8),
        "nonce": "nonce-" + secrets.token_urlsafe(8),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "ui_locales": "fi",
    }
    params.update(changes)
    return {key: value for key, value in params.items() if value is not None}


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html[:2000]
    return match.group(1)


def choose(client, params: dict[str, str], person: str | None, action: str = "sign_in"):
    """Open the chooser as the browser does, then send its form (with its CSRF token)."""
    page = client.get("/dev-idp/authorize", query_string=params)
    assert page.status_code == 200, page.get_data(as_text=True)[:2000]
    form = {"csrf_token": csrf_token(page.get_data(as_text=True)), "action": action}
    if person:
        form["person"] = person
    return client.post("/dev-idp/authorize", query_string=params, data=form)


def code_from(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    location = response.headers["Location"]
    assert location.startswith(CALLBACK + "?")
    return parse_qs(urlsplit(location).query)["code"][0]


def exchange(client, app: Flask, code: str, verifier: str, secret: str | None = None, method: str = "basic"):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier}
    secret = app.config["DEV_IDP_CLIENT_SECRET"] if secret is None else secret
    if method == "basic":
        return client.post("/dev-idp/token", data=data, auth=("polku-dev", secret))
    return client.post("/dev-idp/token", data=data | {"client_id": "polku-dev", "client_secret": secret})


def sign_in(client, app: Flask, person: str, **changes: str):
    verifier, challenge = pkce()
    params = authorize_params(challenge, **changes)
    response = exchange(client, app, code_from(choose(client, params, person)), verifier)
    assert response.status_code == 200, response.get_data(as_text=True)
    return params, response.get_json()


def verified_claims(client, id_token: str) -> tuple[dict, dict]:
    """The ID token's header and claims, after checking its signature against the provider's JWKS."""
    keys = KeySet.import_key_set(client.get("/dev-idp/jwks").get_json())
    token = jwt.decode(id_token, keys, algorithms=["RS256"])
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": ISSUER},
        aud={"essential": True, "value": "polku-dev"},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True},
        auth_time={"essential": True},
    ).validate(token.claims)
    return token.header, token.claims


# ----- discovery and keys -----


def test_discovery_document(client) -> None:
    response = client.get("/dev-idp/.well-known/openid-configuration")
    assert response.status_code == 200
    doc = response.get_json()
    OpenIDProviderMetadata(doc).validate()
    assert doc["issuer"] == ISSUER
    assert doc["authorization_endpoint"] == ISSUER + "/authorize"
    assert doc["token_endpoint"] == ISSUER + "/token"
    assert doc["jwks_uri"] == ISSUER + "/jwks"
    assert doc["userinfo_endpoint"] == ISSUER + "/userinfo"
    assert doc["end_session_endpoint"] == ISSUER + "/logout"
    assert doc["response_types_supported"] == ["code"]
    assert doc["grant_types_supported"] == ["authorization_code"]
    assert doc["subject_types_supported"] == ["public"]
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["token_endpoint_auth_methods_supported"] == ["client_secret_basic", "client_secret_post"]
    assert doc["ui_locales_supported"] == ["fi", "sv", "en"]
    assert set(doc["scopes_supported"]) == {"openid", "profile", "address", "household", "company", "polku_staff"}
    assert {"polku_roles", "polku_organisations", "polku_units"} <= set(doc["claims_supported"])
    assert {"address", "workplace", "household", "company_roles", "birthdate", "nonce"} <= set(doc["claims_supported"])


def test_the_issuer_is_configured_whatever_host_the_request_names(app: Flask) -> None:
    """Issue 13, hole 5: the issuer once followed the request's host (tests/web/test_provider_origin.py)."""
    doc = (
        app.test_client().get("/dev-idp/.well-known/openid-configuration", base_url="http://127.0.0.1:5000").get_json()
    )
    assert doc["issuer"] == ISSUER
    assert doc["token_endpoint"] == ISSUER + "/token"


def test_jwks_serves_the_public_signing_key(client) -> None:
    response = client.get("/dev-idp/jwks")
    assert response.status_code == 200
    (key,) = response.get_json()["keys"]
    assert key["kty"] == "RSA" and key["use"] == "sig" and key["alg"] == "RS256" and key["kid"]
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)  # public parts only
    assert not RSAKey.import_key(key).is_private


# ----- the authorization endpoint -----


def test_chooser_page_lists_the_test_people_in_the_requested_language(app, client) -> None:
    _, challenge = pkce()
    response = client.get("/dev-idp/authorize", query_string=authorize_params(challenge, ui_locales="sv fi"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="sv">' in html
    assert html.count("<h1") == 1
    assert "<fieldset" in html and "<legend" in html
    assert translated(app, "sv", "Development sign-in service – test people only") in html
    for sub, name in (
        (MATTI, "Matti Virtanen"),
        (LIISA, "Liisa Lehtonen"),
        (SIRKKA, "Sirkka Mäkinen"),
        (AINO, "Aino Korhonen"),
    ):
        radio = re.search(rf'<input class="radios__input" type="radio" name="person" value="{sub}" id="([^"]+)"', html)
        assert radio, name
        assert f'<label class="radios__label" for="{radio.group(1)}">{name}</label>' in html
        assert f'aria-describedby="{radio.group(1)}-hint"' in html
    assert "Bor i Åbo, ingen arbetsplats." in html  # the Swedish description of Matti
    assert 'name="csrf_token"' in html
    assert "style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)  # strict CSP: nothing inline


@pytest.mark.parametrize("ui_locales, lang", [("en", "en"), ("fi-FI", "fi"), ("de sv", "sv")])
def test_chooser_language_follows_ui_locales(client, ui_locales: str, lang: str) -> None:
    _, challenge = pkce()
    html = client.get("/dev-idp/authorize", query_string=authorize_params(challenge, ui_locales=ui_locales)).get_data(
        as_text=True
    )
    assert f'<html lang="{lang}">' in html


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"code_challenge": None, "code_challenge_method": None}, "invalid_request"),  # no PKCE
        ({"code_challenge_method": None}, "invalid_request"),  # PKCE without a method ('plain' by default)
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"nonce": None}, "invalid_request"),
        ({"redirect_uri": "http://evil.example/auth/callback"}, "invalid_request"),
        ({"redirect_uri": "http://localhost/auth/callback/other"}, "invalid_request"),
        ({"redirect_uri": None}, "invalid_request"),
        ({"client_id": "someone-else"}, "invalid_client"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "profile address"}, "invalid_scope"),  # not OpenID Connect
        ({"scope": "openid email"}, "invalid_scope"),
    ],
)
def test_invalid_authorization_request_gets_an_error_page_and_no_redirect(client, changes, error) -> None:
    _, challenge = pkce()
    response = client.get("/dev-idp/authorize", query_string=authorize_params(challenge, **changes))
    assert response.status_code == 400
    assert "Location" not in response.headers
    html = response.get_data(as_text=True)
    assert error in html
    assert "<h1" in html and 'name="person"' not in html


def test_choosing_a_person_redirects_to_the_callback_with_code_and_state(client) -> None:
    _, challenge = pkce()
    params = authorize_params(challenge)
    response = choose(client, params, MATTI)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    query = parse_qs(location.query)
    assert query["state"] == [params["state"]]
    assert len(query["code"][0]) >= 32


def test_the_chooser_form_needs_its_csrf_token(client) -> None:
    _, challenge = pkce()
    params = authorize_params(challenge)
    response = client.post("/dev-idp/authorize", query_string=params, data={"person": MATTI, "action": "sign_in"})
    assert response.status_code == 400
    assert "Location" not in response.headers


def test_sign_in_without_choosing_shows_an_error(client) -> None:
    _, challenge = pkce()
    response = choose(client, authorize_params(challenge, ui_locales="en"), None)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'class="error-summary"' in html and 'href="#person"' in html and 'id="person"' in html
    assert 'aria-describedby="person-error"' in html
    assert "<title>Error:" in html


def test_cancel_returns_access_denied_to_the_client(client) -> None:
    _, challenge = pkce()
    params = authorize_params(challenge)
    response = choose(client, params, None, action="cancel")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/auth/callback"
    query = parse_qs(location.query)
    assert query["error"] == ["access_denied"] and query["state"] == [params["state"]]
    assert "code" not in query


def test_prompt_none_answers_login_required_to_the_client(client) -> None:
    _, challenge = pkce()
    params = authorize_params(challenge, prompt="none")
    response = client.get("/dev-idp/authorize", query_string=params)
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["error"] == ["login_required"] and query["state"] == [params["state"]]


# ----- the token endpoint -----


def test_valid_exchange_returns_a_signed_id_token_with_the_persons_claims(client, app: Flask) -> None:
    params, token = sign_in(client, app, AINO)
    assert token["token_type"].lower() == "bearer" and token["access_token"] and token["expires_in"] > 0
    assert set(token["scope"].split()) == set(SCOPE.split())
    header, claims = verified_claims(client, token["id_token"])
    assert header["alg"] == "RS256"
    assert header["kid"] == client.get("/dev-idp/jwks").get_json()["keys"][0]["kid"]
    assert claims["nonce"] == params["nonce"]
    assert claims["sub"] == AINO
    assert claims["iat"] <= time.time() < claims["exp"] and claims["auth_time"] <= claims["iat"] + 1
    assert claims["name"] == "Aino Korhonen" and claims["given_name"] == "Aino" and claims["family_name"] == "Korhonen"
    assert claims["birthdate"] == "1993-08-21" and claims["locale"] == "fi"
    assert claims["address"] == {
        "street_address": "Kerttulankatu 12 C 7",
        "postal_code": "21200",
        "locality": "Raisio",
        "country": "FI",
    }
    assert claims["workplace"] == {
        "street_address": "Joukahaisenkatu 3",
        "postal_code": "20520",
        "locality": "Turku",
        "country": "FI",
    }
    assert claims["household"] == {
        "spouse": {"name": "Juha Korhonen"},
        "children": [
            {
                "id": "child-08f55872-7cd3-46d0-9665-66bacb3b2aa0",
                "given_name": "Eeli",
                "birthdate": "2024-09-14",
                "guardian": True,
            },
            {
                "id": "child-2676b134-c69e-49b3-9fe8-6481e7029fc0",
                "given_name": "Helmi",
                "birthdate": "2026-06-02",
                "guardian": True,
            },
        ],
    }
    assert claims["company_roles"] == []


def test_matti_has_a_bankrupt_company_and_no_workplace(client, app: Flask) -> None:
    _, token = sign_in(client, app, MATTI)
    _, claims = verified_claims(client, token["id_token"])
    assert claims["address"]["locality"] == "Turku" and claims["address"]["postal_code"] == "20100"
    assert "workplace" not in claims
    assert claims["household"] == {"spouse": None, "children": []}
    assert claims["company_roles"] == [
        {
            "business_id": "3141593-8",
            "name": "Virtasen Saneeraus Oy",
            "company_form": "oy",
            "role": "ceo",
            "mandate": True,
            "status": "bankrupt",
        }
    ]


def test_liisa_holds_a_sole_trader_business_in_lieto(client, app: Flask) -> None:
    _, token = sign_in(client, app, LIISA)
    _, claims = verified_claims(client, token["id_token"])
    assert claims["address"]["postal_code"] == "21420" and claims["workplace"]["locality"] == "Lieto"
    (role,) = claims["company_roles"]
    assert role["company_form"] == "toiminimi" and role["status"] == "active" and role["mandate"] is True
    assert valid_business_id(role["business_id"])


def test_only_the_granted_scopes_claims_are_given(client, app: Flask) -> None:
    _, token = sign_in(client, app, SIRKKA, scope="openid profile")
    _, claims = verified_claims(client, token["id_token"])
    assert claims["name"] == "Sirkka Mäkinen" and claims["locale"] == "sv"
    assert not {"address", "workplace", "household", "company_roles"} & set(claims)


def test_client_secret_post_is_accepted(client, app: Flask) -> None:
    verifier, challenge = pkce()
    code = code_from(choose(client, authorize_params(challenge), LIISA))
    response = exchange(client, app, code, verifier, method="post")
    assert response.status_code == 200 and response.get_json()["id_token"]


def test_wrong_code_verifier_is_rejected(client, app: Flask) -> None:
    _, challenge = pkce()
    other_verifier, _ = pkce()
    code = code_from(choose(client, authorize_params(challenge), MATTI))
    response = exchange(client, app, code, other_verifier)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_grant"
    assert "id_token" not in response.get_json()


def test_missing_code_verifier_is_rejected(client, app: Flask) -> None:
    _, challenge = pkce()
    code = code_from(choose(client, authorize_params(challenge), MATTI))
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK}
    response = client.post("/dev-idp/token", data=data, auth=("polku-dev", app.config["DEV_IDP_CLIENT_SECRET"]))
    assert response.status_code == 400 and "access_token" not in response.get_json()


def test_a_code_works_once_and_its_reuse_revokes_the_token(client, app: Flask) -> None:
    verifier, challenge = pkce()
    code = code_from(choose(client, authorize_params(challenge), AINO))
    first = exchange(client, app, code, verifier)
    assert first.status_code == 200
    access_token = first.get_json()["access_token"]
    assert client.get("/dev-idp/userinfo", headers={"Authorization": f"Bearer {access_token}"}).status_code == 200
    again = exchange(client, app, code, verifier)
    assert again.status_code == 400
    assert again.get_json()["error"] == "invalid_grant"
    # RFC 6749 4.1.2: a replayed code revokes what was issued for it
    assert client.get("/dev-idp/userinfo", headers={"Authorization": f"Bearer {access_token}"}).status_code == 401


def test_an_expired_code_is_rejected(client, app: Flask) -> None:
    verifier, challenge = pkce()
    code = code_from(choose(client, authorize_params(challenge), MATTI))
    from portal.dev_idp.models import DevIdpCode
    from portal.dev_idp.provider import digest
    from portal.extensions import db

    with app.app_context():  # 5 minutes have passed
        db.session.execute(
            update(DevIdpCode).where(DevIdpCode.code_hash == digest(code)).values(expires_at=time.time() - 1)
        )
        db.session.commit()
    response = exchange(client, app, code, verifier)
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_grant"


def test_wrong_client_secret_is_rejected(client, app: Flask) -> None:
    verifier, challenge = pkce()
    code = code_from(choose(client, authorize_params(challenge), MATTI))
    response = exchange(client, app, code, verifier, secret="not-the-secret")
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"
    response = exchange(client, app, code, verifier, secret="not-the-secret", method="post")
    assert response.get_json()["error"] == "invalid_client"


def test_redirect_uri_must_match_the_authorization_request(client, app: Flask) -> None:
    verifier, challenge = pkce()
    code = code_from(choose(client, authorize_params(challenge), MATTI))
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": "http://localhost/elsewhere",
        "code_verifier": verifier,
    }
    response = client.post("/dev-idp/token", data=data, auth=("polku-dev", app.config["DEV_IDP_CLIENT_SECRET"]))
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_grant"


def test_token_endpoint_needs_no_csrf_token(app: Flask) -> None:
    client = app.test_client()  # CSRF on: the client's server-to-server POST carries no token, and needs none
    response = client.post(
        "/dev-idp/token",
        data={"grant_type": "authorization_code", "code": "x"},
        auth=("polku-dev", app.config["DEV_IDP_CLIENT_SECRET"]),
    )
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_grant"


def test_a_forged_id_token_does_not_verify(client, app: Flask) -> None:
    _, token = sign_in(client, app, MATTI)
    other = RSAKey.generate_key(2048)
    header, claims = verified_claims(client, token["id_token"])
    forged = jwt.encode(header, claims | {"sub": AINO}, other)
    with pytest.raises(BadSignatureError):
        verified_claims(client, forged)


# ----- userinfo -----


def test_userinfo_answers_for_the_access_token(client, app: Flask) -> None:
    _, token = sign_in(client, app, LIISA)
    response = client.get("/dev-idp/userinfo", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert response.status_code == 200
    info = response.get_json()
    _, claims = verified_claims(client, token["id_token"])
    assert info["sub"] == LIISA
    assert {key: info[key] for key in ("address", "workplace", "household", "company_roles", "name")} == {
        key: claims[key] for key in ("address", "workplace", "household", "company_roles", "name")
    }
    assert (
        client.post("/dev-idp/userinfo", headers={"Authorization": f"Bearer {token['access_token']}"}).status_code
        == 200
    )


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic eDp5"}])
def test_userinfo_refuses_without_a_valid_token(client, headers) -> None:
    response = client.get("/dev-idp/userinfo", headers=headers)
    assert response.status_code in (400, 401)
    assert "sub" not in (response.get_json() or {})


# ----- logout -----


def test_logout_returns_to_the_portal_with_state_and_revokes_tokens(client, app: Flask) -> None:
    _, token = sign_in(client, app, AINO)
    response = client.get(
        "/dev-idp/logout",
        query_string={
            "id_token_hint": token["id_token"],
            "post_logout_redirect_uri": "http://localhost/fi/",
            "state": "bye",
        },
    )
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert (location.netloc, location.path, parse_qs(location.query)) == ("localhost", "/fi/", {"state": ["bye"]})
    assert (
        client.get("/dev-idp/userinfo", headers={"Authorization": f"Bearer {token['access_token']}"}).status_code == 401
    )


@pytest.mark.parametrize("target", ["http://evil.example/fi/", "https://localhost/fi/", "//evil.example/"])
def test_logout_does_not_redirect_to_another_origin(client, app: Flask, target: str) -> None:
    _, token = sign_in(client, app, MATTI)
    response = client.get(
        "/dev-idp/logout",
        query_string={"id_token_hint": token["id_token"], "post_logout_redirect_uri": target, "ui_locales": "en"},
    )
    assert response.status_code == 200 and "Location" not in response.headers
    html = response.get_data(as_text=True)
    assert translated(app, "en", "You have signed out") in html and '<html lang="en">' in html


def test_logout_with_a_foreign_id_token_hint_shows_the_page(client) -> None:
    forged = jwt.encode({"alg": "RS256"}, {"iss": ISSUER, "aud": "polku-dev", "sub": MATTI}, RSAKey.generate_key(2048))
    response = client.get(
        "/dev-idp/logout", query_string={"id_token_hint": forged, "post_logout_redirect_uri": "http://localhost/fi/"}
    )
    assert response.status_code == 200 and "Location" not in response.headers


def test_logout_without_parameters_shows_the_page(app, client) -> None:
    response = client.get("/dev-idp/logout")
    html = response.get_data(as_text=True)
    lang = re.search(r'<html lang="(\w+)">', html).group(1)
    assert response.status_code == 200 and translated(app, lang, "You have signed out") in html


# ----- enabled only outside production -----


def test_disabled_provider_is_not_there(tmp_path: Path) -> None:
    from portal import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DEV_IDP_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'off.db'}",
        }
    )
    assert "polku.dev_idp" not in app.extensions
    assert not any(rule.rule.startswith("/dev-idp") for rule in app.url_map.iter_rules())
    client = app.test_client()
    for path in ("/dev-idp/.well-known/openid-configuration", "/dev-idp/jwks", "/dev-idp/authorize"):
        assert client.get(path).status_code == 404
    assert client.post("/dev-idp/token").status_code == 404


# ----- the test people -----


def test_people_file_keeps_the_claims_contract() -> None:
    people = load_people()
    assert [person.name for person in people.values()] == [
        "Matti Virtanen",
        "Liisa Lehtonen",
        "Sirkka Mäkinen",
        "Aino Korhonen",
    ]
    assert list(people) == [MATTI, LIISA, SIRKKA, AINO]
    turku_region = {"20100", "20500", "20520", "20780", "21200", "21420"}
    for person in people.values():
        assert person.address["postal_code"] in turku_region
        assert person.workplace is None or person.workplace["postal_code"] in turku_region
        assert all(person.description(lang) for lang in ("fi", "sv", "en"))


@pytest.mark.parametrize("digits, check", [("3141593", 8), ("3287466", 9), ("0737546", 2), ("3287465", 0)])
def test_business_id_check_digit(digits: str, check: int) -> None:
    assert business_id_check_digit(digits) == check
    assert valid_business_id(f"{digits}-{check}")
    assert not valid_business_id(f"{digits}-{(check + 1) % 10}")


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda p: p["company_roles"][0].update(business_id="3141593-7"), "check digit"),
        (lambda p: p["company_roles"][0].update(company_form="gmbh"), "company_form"),
        (lambda p: p["address"].update(country="SE"), "country"),
        (lambda p: p["address"].pop("locality"), r"people\[0\]\.address\.locality: required, missing"),
        (lambda p: p.update(birthdate="17.4.1991"), "YYYY-MM-DD"),
        (lambda p: p["description"].pop("sv"), r"people\[0\]\.description\.sv: required, missing"),
        (lambda p: p["household"].update(spouse="Juha"), "spouse"),
        (lambda p: p.update(sub="matti"), "sub"),
    ],
)
def test_people_file_errors_are_caught_at_load(tmp_path: Path, change, message: str) -> None:
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    change(data["people"][0])
    path = tmp_path / "people.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PeopleError, match=message):
        load_people(path)
