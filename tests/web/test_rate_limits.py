"""Rate limits (issue 13, hole 7: 300 anonymous feedback posts were stored in 5.8 s).

The suite's apps have limits far above what it sends (the repository's conftest.py); the apps here are built
with low ones: 2 posts a minute and so on. The clock is held still (configurator.clock's one system-clock
function), so the window's end and Retry-After are known exactly: the first counted request opens a 60-second
window, so a request refused at that moment must wait 60 s, and 45 s later 15 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from configurator import clock
from portal import create_app
from portal.account_models import Feedback, Person
from portal.config import RATE_LIMIT_DEFAULTS, rate_limit_settings
from portal.extensions import db
from portal.rate_limits import DatabaseStorage, RateLimitCounter, purge_expired
from tests.conftest import build_app
from tests.helpers import sign_in

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = os.environ.get("POLKU_TEST_POSTGRES_URL")
START = datetime(2026, 11, 22, 10, 0, 0, tzinfo=UTC)
LOW = {
    "WTF_CSRF_ENABLED": False,
    "POLKU_RATE_LIMIT_FEEDBACK": "2 per minute",
    "POLKU_RATE_LIMIT_FEEDBACK_PERSON": "100 per minute",
    "POLKU_RATE_LIMIT_RESERVATIONS": "2 per minute",
    "POLKU_RATE_LIMIT_RESERVATIONS_PERSON": "100 per minute",
    "POLKU_RATE_LIMIT_API": "3 per minute",
    "POLKU_RATE_LIMIT_SIGN_IN": "2 per minute",
}
QUICK = {"kind": "journey", "event": "ecec", "rating": "4", "effort": "6", "next": "/fi/events/ecec/plan"}
FEE = "/api/v2/calculators/ecec-fee?family_size=3&income=5500&hours_per_week=40&on=2025-01-01&lang=en"
TITLE = "Too many requests in a short time"


class Clock:
    """configurator.clock's moment, held still and moved by hand."""

    def __init__(self) -> None:
        self.moment = START

    def __call__(self) -> datetime:
        return self.moment

    def move(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('rate-limits') / 'polku.db'}"


@pytest.fixture(scope="module")
def low_app(database: str) -> Flask:
    return build_app(database, **LOW)


@pytest.fixture()
def still(monkeypatch: pytest.MonkeyPatch) -> Clock:
    held = Clock()
    monkeypatch.setattr(clock, "_system_utc_now", held)
    return held


@pytest.fixture()
def app(low_app: Flask, still: Clock) -> Iterator[Flask]:
    """The low-limit app with no counters yet, on a clock held still."""
    with low_app.app_context():
        db.session.execute(RateLimitCounter.__table__.delete())
        db.session.commit()
    yield low_app


def from_address(app: Flask, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def feedback_rows(app: Flask, comment: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Feedback).where(Feedback.comment == comment))


def new_person(app: Flask, subject: str) -> int:
    with app.app_context():
        person = Person(issuer="https://idp.test", subject=subject, name="Testi Henkilö", claims={})
        db.session.add(person)
        db.session.commit()
        return person.id


def h1_in(lang: str, app: Flask) -> str:
    """The 429 page's heading in ``lang``: the catalog's translation, or the English msgid until it has one."""
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        return gettext(TITLE)


# ---------- the page and the JSON ----------


def test_the_third_feedback_post_in_a_minute_gets_a_finnish_429_page(app: Flask) -> None:
    client = from_address(app, "198.51.100.7")
    comment = "rate-limit-third-post"
    assert [client.post("/fi/feedback/quick", data=QUICK | {"comment": comment}).status_code for _ in range(2)] == [
        302,
        302,
    ]
    refused = client.post("/fi/feedback/quick", data=QUICK | {"comment": comment})
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"
    assert refused.mimetype == "text/html"
    assert refused.headers["Cache-Control"] == "no-store"
    page = refused.get_data(as_text=True)
    assert '<html lang="fi"' in page
    assert f'<h1 class="heading-l">{h1_in("fi", app)}</h1>' in page
    assert 'href="/fi/"' in page  # the front page in the same language
    assert feedback_rows(app, comment) == 2  # the refused post stored nothing
    # the form itself is still shown: pages are never limited
    assert client.get("/fi/feedback/").status_code == 200
    assert client.get("/fi/feedback/").status_code == 200


def test_the_page_says_in_english_how_long_to_wait_and_to_send_again(app: Flask, still: Clock) -> None:
    client = from_address(app, "198.51.100.8")
    for _ in range(2):
        client.post("/en/feedback/", data={"about": "general", "rating": "5"})
    still.move(45)
    refused = client.post("/en/feedback/", data={"about": "general", "rating": "5"})
    assert (refused.status_code, refused.headers["Retry-After"]) == (429, "15")
    page = refused.get_data(as_text=True)
    assert '<html lang="en"' in page
    assert f"<title>{TITLE} – Polku</title>" in page
    assert "You can try again in 15 seconds." in page
    assert "What you sent last was not saved" in page and "send it again" in page


def test_quick_and_full_feedback_share_one_budget(app: Flask) -> None:
    client = from_address(app, "198.51.100.9")
    assert client.post("/en/feedback/quick", data=QUICK | {"comment": "shared-1"}).status_code == 302
    assert client.post("/en/feedback/", data={"about": "general", "rating": "5"}).status_code == 302
    assert client.post("/en/feedback/quick", data=QUICK | {"comment": "shared-3"}).status_code == 429


def test_the_api_answers_429_as_problem_details(app: Flask, still: Clock) -> None:
    client = from_address(app, "198.51.100.10")
    assert [client.get(FEE).status_code for _ in range(3)] == [200, 200, 200]
    still.move(1)
    refused = client.get(FEE)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "59"
    assert refused.mimetype == "application/problem+json"
    assert refused.headers["Content-Language"] == "en"
    assert refused.get_json() == {
        "type": "about:blank",
        "title": "Too Many Requests",
        "status": 429,
        "detail": "Too many requests: wait 59 s and try again.",
        "errors": [],
    }
    # the plan shares the budget; reading the life events does not count
    plan = client.post("/api/v2/life-events/ecec/plan?lang=en", json={"answers": {}})
    assert plan.status_code == 429 and plan.get_json()["errors"] == []
    assert client.get("/api/v2/life-events").status_code == 200


def test_the_api_message_follows_the_requested_language(app: Flask) -> None:
    client = from_address(app, "198.51.100.11")
    for _ in range(3):
        client.get(FEE)
    refused = client.get(FEE.replace("lang=en", "lang=fi"))
    assert refused.status_code == 429 and refused.headers["Content-Language"] == "fi"
    with app.test_request_context("/"), force_locale("fi"):
        expected = gettext("Too many requests: wait {seconds} s and try again.").format(seconds=60)
    assert refused.get_json()["detail"] == expected


# ---------- who is counted ----------


def test_other_addresses_have_their_own_budget_and_ipv6_counts_by_64(app: Flask) -> None:
    for _ in range(3):
        from_address(app, "203.0.113.1").get(FEE)
    assert from_address(app, "203.0.113.1").get(FEE).status_code == 429
    assert from_address(app, "203.0.113.2").get(FEE).status_code == 200
    assert [from_address(app, f"2001:db8:1:2::{n}").get(FEE).status_code for n in range(1, 5)] == [200, 200, 200, 429]
    assert from_address(app, "2001:db8:1:3::1").get(FEE).status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_address_counts(database: str, low_app: Flask, still: Clock) -> None:
    # low_app built the database (migrations and demo data); this app serves the same file behind a proxy.
    proxied = create_app(
        {"SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": "test-secret", "TESTING": True, "TRUSTED_PROXIES": 1, **LOW}
    )
    with proxied.app_context():
        db.session.execute(RateLimitCounter.__table__.delete())
        db.session.commit()
    client = from_address(proxied, "10.0.0.1")
    for _ in range(3):
        assert client.get(FEE, headers={"X-Forwarded-For": "192.0.2.50"}).status_code == 200
    assert client.get(FEE, headers={"X-Forwarded-For": "192.0.2.50"}).status_code == 429
    assert client.get(FEE, headers={"X-Forwarded-For": "192.0.2.51"}).status_code == 200


def test_a_signed_in_person_has_a_budget_on_every_address(app: Flask) -> None:
    app.config["POLKU_RATE_LIMIT_FEEDBACK_PERSON"] = "1 per minute"
    try:
        person = new_person(app, "rate-limit-person")
        first, second = from_address(app, "192.0.2.1"), from_address(app, "192.0.2.2")
        sign_in(first, person)
        sign_in(second, person)
        assert first.post("/en/feedback/quick", data=QUICK | {"comment": "p1"}).status_code == 302
        assert second.post("/en/feedback/quick", data=QUICK | {"comment": "p2"}).status_code == 429
        # anyone else on that address still has the address's budget
        assert (
            from_address(app, "192.0.2.2").post("/en/feedback/quick", data=QUICK | {"comment": "p3"}).status_code == 302
        )
    finally:
        app.config["POLKU_RATE_LIMIT_FEEDBACK_PERSON"] = LOW["POLKU_RATE_LIMIT_FEEDBACK_PERSON"]


def test_reservation_posts_are_limited_and_their_pages_are_not(app: Flask) -> None:
    client = from_address(app, "192.0.2.20")
    sign_in(client, new_person(app, "rate-limit-reserver"))
    path = "/en/own/reservations/new/appointment?location=2001"
    assert [client.post(path, data={}).status_code != 429 for _ in range(2)] == [True, True]
    assert client.post(path, data={}).status_code == 429
    assert client.post("/en/own/reservations/999999/cancel").status_code == 429  # one budget
    assert client.get(path).status_code != 429
    assert client.get("/en/own/reservations/").status_code == 200


def test_sign_in_starts_and_callbacks_share_a_budget(app: Flask) -> None:
    client = from_address(app, "192.0.2.30")
    assert client.get("/fi/sign-in").status_code != 429  # 502 here: no provider answers the test client
    assert client.get("/auth/callback?code=x&state=y").status_code == 400  # a failed sign-in counts too
    refused = client.get("/fi/sign-in")
    assert refused.status_code == 429 and '<html lang="fi"' in refused.get_data(as_text=True)


def test_journey_pages_and_steps_are_never_limited(app: Flask) -> None:
    client = from_address(app, "192.0.2.40")
    for _ in range(5):
        assert client.get("/en/events/ecec/steps/child").status_code == 200
        assert client.post("/en/events/ecec/steps/child", data={}).status_code != 429


# ---------- the window and the storage ----------


def test_the_window_ends_and_counting_starts_again(app: Flask, still: Clock) -> None:
    client = from_address(app, "192.0.2.50")
    for _ in range(2):
        client.post("/en/feedback/quick", data=QUICK | {"comment": "window"})
    still.move(59)
    assert client.post("/en/feedback/quick", data=QUICK | {"comment": "window"}).headers["Retry-After"] == "1"
    still.move(1)
    assert [client.post("/en/feedback/quick", data=QUICK | {"comment": "window"}).status_code for _ in range(3)] == [
        302,
        302,
        429,
    ]
    assert feedback_rows(app, "window") == 4


def test_ended_windows_are_swept(app: Flask, still: Clock) -> None:
    for n in range(3):
        from_address(app, f"192.0.2.{60 + n}").get(FEE)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RateLimitCounter)) == 3
        still.move(60)
        assert purge_expired() == 3
        assert db.session.scalar(select(func.count()).select_from(RateLimitCounter)) == 0


def test_two_app_instances_on_one_database_share_the_counts(app: Flask, database: str) -> None:
    other = create_app({"SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": "test-secret", "TESTING": True, **LOW})
    address = "192.0.2.70"
    assert from_address(app, address).get(FEE).status_code == 200
    assert from_address(other, address).get(FEE).status_code == 200
    assert from_address(app, address).get(FEE).status_code == 200
    assert from_address(other, address).get(FEE).status_code == 429


SECOND_PROCESS = """
import json, sys
from portal import create_app
app = create_app(json.loads(sys.argv[1]))
client = app.test_client()
client.environ_base["REMOTE_ADDR"] = sys.argv[2]
print(json.dumps([client.get(sys.argv[3]).status_code for _ in range(int(sys.argv[4]))]))
"""


def test_another_process_spends_the_same_budget(low_app: Flask, database: str) -> None:
    """A second Python process (its own engine, its own Limiter) counts in the same table; both on the real
    clock, as two workers behind one load balancer are."""
    address = "192.0.2.80"
    config = {"SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": "test-secret", "TESTING": True, **LOW}
    done = subprocess.run(
        [sys.executable, "-c", SECOND_PROCESS, json.dumps(config), address, FEE, "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [200, 200, 200]
    refused = from_address(low_app, address).get(FEE)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert from_address(low_app, "192.0.2.81").get(FEE).status_code == 200


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_database_app(request: pytest.FixtureRequest, low_app: Flask) -> Flask:
    if request.param == "sqlite":
        return low_app
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("POLKU_TEST_POSTGRES_URL is not set: run the suite with `make test`")
        pytest.skip("PostgreSQL is started by `make test` (scripts/with-postgres.sh)")
    return build_app(POSTGRES_URL, **LOW)


def test_hits_at_the_same_moment_are_each_counted_once(any_database_app: Flask) -> None:
    """4 threads with their own connections add 10 hits each to one key: the upsert loses and repeats none.
    (Few, because SQLite writes one at a time and a slow disk makes a long queue wait past its 5 s timeout.)"""
    storage, key = DatabaseStorage(), f"polku/concurrency/{datetime.now().timestamp()}"
    seen: list[int] = []
    failures: list[BaseException] = []

    def hit() -> None:
        with any_database_app.app_context():
            try:
                seen.extend(storage.incr(key, 60) for _ in range(10))
            except BaseException as error:  # noqa: BLE001 - reported by the assertion below
                failures.append(error)

    threads = [threading.Thread(target=hit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(seen) == list(range(1, 41))  # every hit got its own count
    with any_database_app.app_context():
        assert storage.get(key) == 40
        storage.clear(key)
        assert storage.get(key) == 0


def test_a_window_that_ended_begins_again_at_one(any_database_app: Flask, still: Clock) -> None:
    storage, key = DatabaseStorage(), f"polku/window/{datetime.now().timestamp()}"
    with any_database_app.app_context():
        assert [storage.incr(key, 60) for _ in range(3)] == [1, 2, 3]
        assert storage.get_expiry(key) == START.timestamp() + 60
        still.move(60)
        assert storage.get(key) == 0
        assert storage.incr(key, 60) == 1
        assert storage.get_expiry(key) == START.timestamp() + 120


# ---------- configuration ----------


def test_the_defaults_and_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in RATE_LIMIT_DEFAULTS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("POLKU_RATE_LIMIT_STORAGE", raising=False)
    monkeypatch.delenv("POLKU_RATE_LIMITS_ENABLED", raising=False)
    settings = rate_limit_settings()
    assert settings["RATELIMIT_STORAGE_URI"] == "database://"
    assert settings["POLKU_RATE_LIMITS_ENABLED"] is True
    assert settings["POLKU_RATE_LIMIT_FEEDBACK"] == "10 per minute; 100 per day"
    assert settings["POLKU_RATE_LIMIT_API"] == "60 per minute; 1000 per hour"
    monkeypatch.setenv("POLKU_RATE_LIMIT_STORAGE", "memory://")
    monkeypatch.setenv("POLKU_RATE_LIMITS_ENABLED", "0")
    monkeypatch.setenv("POLKU_RATE_LIMIT_API", "5 per second")
    settings = rate_limit_settings()
    assert (
        settings["RATELIMIT_STORAGE_URI"],
        settings["POLKU_RATE_LIMITS_ENABLED"],
        settings["POLKU_RATE_LIMIT_API"],
    ) == ("memory://", False, "5 per second")


def test_a_limit_that_is_not_one_stops_the_start(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="POLKU_RATE_LIMIT_API"):
        create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}",
                "SECRET_KEY": "x",
                "POLKU_RATE_LIMIT_API": "sixty a minute",
            }
        )


def test_limits_can_be_turned_off(app: Flask) -> None:
    app.config["POLKU_RATE_LIMITS_ENABLED"] = False
    try:
        client = from_address(app, "192.0.2.90")
        assert [client.get(FEE).status_code for _ in range(5)] == [200] * 5
    finally:
        app.config["POLKU_RATE_LIMITS_ENABLED"] = True
    assert from_address(app, "192.0.2.90").get(FEE).status_code == 200  # nothing was counted meanwhile


def test_the_openapi_document_describes_the_429_of_the_limited_operations(app: Flask) -> None:
    document = from_address(app, "192.0.2.95").get("/api/v2/openapi.json").get_json()
    with_429 = {
        (path, method)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if "429" in operation["responses"]
    }
    assert with_429 == {
        ("/api/v2/life-events/{event_id}/plan", "post"),
        ("/api/v2/calculators/ecec-fee", "get"),
        ("/api/v2/calculators/business-start-costs", "get"),
        ("/api/v2/calculators/unemployment-allowance", "get"),
        ("/api/v2/oauth/token", "post"),
        ("/api/v2/units/{unit_id}/availability", "put"),
        ("/api/v2/units/{unit_id}/prices", "put"),
        ("/api/v2/service-points/{location_id}/appointment-times", "post"),
        ("/api/v2/service-points/{location_id}/appointment-times/{slot_id}", "delete"),
    }
    described = document["paths"]["/api/v2/calculators/ecec-fee"]["get"]["responses"]["429"]
    assert described["headers"]["Retry-After"]["schema"] == {"type": "integer", "minimum": 1}
    assert described["content"]["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
