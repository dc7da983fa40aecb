"""The development provider's codes, tokens and single sign-on sessions are shared by every process on the same
database (issue 17, item 2): two app instances on one SQLite file stand for two workers or two machines."""

from __future__ import annotations

import os
import threading

import pytest
from flask import Flask

from portal import create_app
from tests.conftest import _config, build_app
from tests.web.test_dev_idp import (
    AINO,
    MATTI,
    authorize_params,
    choose,
    code_from,
    exchange,
    pkce,
    verified_claims,
)

POSTGRES_URL = os.environ.get("POLKU_TEST_POSTGRES_URL")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def two_apps(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Flask, Flask]:
    """Two instances of the portal on one database: a SQLite file, and PostgreSQL when ``make test`` started it."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('shared') / 'polku-shared.db'}"
    elif not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("POLKU_TEST_POSTGRES_URL is not set: run the suite with `make test`")
        pytest.skip("PostgreSQL is started by `make test` (scripts/with-postgres.sh)")
    else:
        url = POSTGRES_URL
    first = build_app(url)  # migrated, with the demo data
    second = create_app(_config(url, {}))  # another process on the same database
    assert first.extensions["polku.dev_idp"] is not second.extensions["polku.dev_idp"]
    return first, second


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_sign_in_started_on_one_instance_is_redeemed_on_the_other(two_apps) -> None:
    first, second = two_apps
    browser, backend = first.test_client(), second.test_client()
    verifier, challenge = pkce()
    params = authorize_params(challenge)
    code = code_from(choose(browser, params, AINO))  # the chooser on the first instance

    tokens = exchange(backend, second, code, verifier)  # the token request lands on the second
    assert tokens.status_code == 200, tokens.get_data(as_text=True)
    _, claims = verified_claims(backend, tokens.get_json()["id_token"])
    assert claims["sub"] == AINO and claims["nonce"] == params["nonce"]
    access_token = tokens.get_json()["access_token"]
    for client in (browser, backend):  # the access token is known to both
        userinfo = client.get("/dev-idp/userinfo", headers=bearer(access_token))
        assert userinfo.status_code == 200 and userinfo.get_json()["sub"] == AINO

    # The code was used up for both: a replay on the first instance fails and revokes the token everywhere.
    again = exchange(browser, first, code, verifier)
    assert again.status_code == 400 and again.get_json()["error"] == "invalid_grant"
    for client in (browser, backend):
        assert client.get("/dev-idp/userinfo", headers=bearer(access_token)).status_code == 401


def test_the_single_sign_on_session_is_known_to_the_other_instance(two_apps) -> None:
    first, second = two_apps
    browser = first.test_client()
    code_from(choose(browser, authorize_params(pkce()[1]), MATTI))  # chose Matti on the first instance
    cookie = browser.get_cookie("dev_idp_sign_on", path="/dev-idp")
    assert cookie is not None
    other = second.test_client()
    other.set_cookie("dev_idp_sign_on", cookie.value, path="/dev-idp")
    verifier, challenge = pkce()
    response = other.get("/dev-idp/authorize", query_string=authorize_params(challenge))
    code = code_from(response)  # passed straight through: no chooser
    tokens = exchange(browser, first, code, verifier)
    assert tokens.status_code == 200
    _, claims = verified_claims(browser, tokens.get_json()["id_token"])
    assert claims["sub"] == MATTI


def test_a_code_redeemed_on_both_instances_at_once_works_once(two_apps) -> None:
    first, second = two_apps
    verifier, challenge = pkce()
    code = code_from(choose(first.test_client(), authorize_params(challenge), AINO))
    start = threading.Barrier(2)
    statuses: list[int] = []

    def redeem(app: Flask) -> None:
        client = app.test_client()
        start.wait()
        statuses.append(exchange(client, app, code, verifier).status_code)

    threads = [threading.Thread(target=redeem, args=(app,)) for app in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 400]
