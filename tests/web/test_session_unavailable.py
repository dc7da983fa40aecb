"""When the session row cannot be read (the database restarting), the request is answered 503 with the error page
and its reference, the person's cookie is left as it was (a new session would have replaced it, and their answers
with it), and the health checks still answer. Found by the load test (scripts/load_test.py): during a PostgreSQL
restart gunicorn answered bare 500s, because Flask had no session to render its error page with."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy.exc import OperationalError

from portal.sessions import DatabaseSessionInterface
from tests.helpers import complete_ecec


def unreadable(self, app, key):
    """What psycopg raises while PostgreSQL restarts."""
    raise OperationalError("SELECT web_session", {}, Exception("the database system is shutting down"))


@pytest.fixture()
def database_down(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(DatabaseSessionInterface, "_read", unreadable)


def test_a_page_is_503_with_its_reference_and_the_cookie_stays(app: Flask, csrf_off_client, monkeypatch) -> None:
    client = csrf_off_client
    complete_ecec(client, "fi")
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session")).value
    monkeypatch.setattr(DatabaseSessionInterface, "_read", unreadable)
    response = client.get("/fi/events/ecec/plan")
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "10"
    assert "Yritä myöhemmin uudelleen. Vastauksesi ovat tallessa." in page
    assert f"Virheen tunniste: {response.headers['X-Request-ID']}" in page
    assert "Set-Cookie" not in response.headers
    posted = client.post("/fi/events/ecec/steps/family", data={"family_size": "4"})
    assert posted.status_code == 503 and "Set-Cookie" not in posted.headers
    monkeypatch.undo()  # the database is back: the same cookie, the same answers (the family size not changed)
    assert client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session")).value == cookie
    plan = client.get("/fi/events/ecec/plan")
    assert plan.status_code == 200
    family = client.get("/fi/events/ecec/steps/family").get_data(as_text=True)
    assert 'id="family_size" name="family_size" type="text" value="3"' in family


def test_the_health_check_and_a_visitor_without_a_session_still_answer(app: Flask, client, database_down) -> None:
    client.set_cookie("session", "a" * 43)
    assert client.get("/healthz").status_code == 200
    assert client.get("/fi/events/ecec/").status_code == 503
    fresh = app.test_client()  # no cookie: nothing to read, the page answers
    assert fresh.get("/fi/").status_code == 200


def test_the_api_answers_503_as_problem_details(app: Flask, client, database_down) -> None:
    client.set_cookie("session", "a" * 43)
    response = client.get("/api/v2/life-events?lang=en")
    assert response.status_code == 503
    assert response.headers["Content-Type"].startswith("application/problem+json")


def test_the_header_renders_without_the_person_when_the_database_goes_away(
    app: Flask, client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The header's unread count (the person's messages) fails on the database: the page is shown with a header
    without the person. The error page has the same header, so a request that fails on the database gets our error
    page with its reference (it was a bare 500 from gunicorn in the load test's PostgreSQL restart)."""
    import portal.own.views as own_views
    from tests.helpers import sign_in
    from tests.web.test_own_space import person_id

    sign_in(client, person_id(app, "Aino"))
    assert "Viestit" in client.get("/fi/").get_data(as_text=True)  # signed in: the header links the messages

    def gone(person):
        raise OperationalError("SELECT message", {}, Exception("connection refused"))

    monkeypatch.setattr(own_views, "unread_count", gone)
    front = client.get("/fi/")
    assert front.status_code == 200  # the header without the person, the page itself needs no database
    assert "Kirjaudu sisään" in front.get_data(as_text=True)
