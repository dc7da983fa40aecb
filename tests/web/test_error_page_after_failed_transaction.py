"""The 500 page after a failed transaction (found by the load test, scripts/load_test.py): when a request's flush
fails (a unique constraint lost to a concurrent request), the error page still renders with its error reference
for a signed-in person, whose header reads the database (unread messages). Without the error handler's rollback
the page itself failed on the broken session and gunicorn answered a bare 500 without the reference."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from tests.conftest import build_app
from tests.helpers import sign_in


def failing_app(tmp_path: Path) -> tuple[Flask, int]:
    from portal.account_models import Person
    from portal.extensions import db

    app = build_app(f"sqlite:///{tmp_path / 'failed.db'}", PROPAGATE_EXCEPTIONS=False)
    with app.app_context():
        person = Person(issuer="test", subject="failed-transaction", name="Test Person", claims={})
        db.session.add(person)
        db.session.commit()
        person_id = person.id

    @app.get("/<lang_code>/duplicate-for-the-test")
    def duplicate(lang_code: str) -> str:
        db.session.add(Person(issuer="test", subject="failed-transaction", name="Again", claims={}))
        db.session.flush()  # IntegrityError: the session's transaction is now failed
        return "not reached"

    return app, person_id


def test_the_500_page_renders_after_a_failed_flush_for_a_signed_in_person(tmp_path: Path) -> None:
    app, person_id = failing_app(tmp_path)
    client = app.test_client()
    sign_in(client, person_id)
    response = client.get("/en/duplicate-for-the-test")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert f'<p class="error-reference">Error reference: {response.headers["X-Request-ID"]}</p>' in page
    assert client.get("/en/").status_code == 200  # the next request of the same session is served as usual
