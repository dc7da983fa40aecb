"""Handling feedback (issue 16, item 5): the organisers read the feedback about their units, mark it, publish a
comment to the comparison or take it back, and answer it; the answer arrives in a signed-in person's messages, or
by e-mail to the address an anonymous person left (which is then deleted). "Report an error in this information"
from a unit goes to that unit's organisers, and from a plan's task to the catalogue administrators. Another
organisation's organiser gets 404. Also the long form's recommend question and e-mail address.

Staff sessions are set directly (the claims the staff sign-in keeps); the sign-in itself is tested in
tests/web/test_organiser_roles.py."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.account_models import Feedback, Person
from portal.extensions import db
from portal.mail import outbox
from portal.models import AuditEntry
from tests.helpers import sign_in as citizen_session

UNIT = 1001  # Päiväkoti Kurjenpesä: the unit director's unit, one of Turku's (the manager's) units
OTHER_UNIT = 1010  # Montessori-päiväkoti Satakieli: the private provider's unit, another organisation

DIRECTOR = {
    "sub": "director",
    "issuer": "https://staff.test",
    "name": "Pirjo Heinonen",
    "roles": ["unit_director"],
    "organisations": [],
    "units": [UNIT],
}
PROVIDER = {
    "sub": "provider",
    "issuer": "https://staff.test",
    "name": "Elina Satama",
    "roles": ["private_provider"],
    "organisations": ["3052218-4"],
    "units": [],
}
ADMIN = {
    "sub": "admin",
    "issuer": "https://staff.test",
    "name": "Aino Kallio",
    "roles": ["catalogue_admin"],
    "organisations": [],
    "units": [],
}


@pytest.fixture(scope="module")
def own_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    from tests.conftest import build_app

    database = tmp_path_factory.mktemp("handling") / "handling.db"
    return build_app(f"sqlite:///{database}", POLKU_RATE_LIMITS_ENABLED=False)


@pytest.fixture()
def no_csrf(own_app: Flask):
    own_app.config["WTF_CSRF_ENABLED"] = False
    try:
        yield
    finally:
        own_app.config["WTF_CSRF_ENABLED"] = True


def staff(app: Flask, claims: dict) -> FlaskClient:
    client = app.test_client()
    with client.session_transaction() as session:
        session["staff"] = dict(claims)
    return client


def citizen(app: Flask, subject: str) -> tuple[FlaskClient, int]:
    with app.app_context():
        person = Person(issuer="https://idp.test", subject=subject, name="Testi Henkilö", claims={})
        db.session.add(person)
        db.session.commit()
        person_id = person.id
    client = app.test_client()
    citizen_session(client, person_id)
    return client, person_id


def text(response) -> str:
    return response.get_data(as_text=True)


def feedback_row(app: Flask, **where: object) -> Feedback:
    with app.app_context():
        row = db.session.scalars(select(Feedback).filter_by(**where).order_by(Feedback.id.desc())).first()
        assert row is not None, where
        db.session.expunge(row)
        return row


def give(client: FlaskClient, location: int, comment: str, **extra: str) -> None:
    data = {
        "kind": "service",
        "location": str(location),
        "rating": "4",
        "effort": "6",
        "comment": comment,
        "next": "/en/",
    } | extra
    assert client.post("/en/feedback/quick", data=data).status_code == 302


def act(client: FlaskClient, feedback_id: int, action: str, **data: str):
    return client.post(f"/en/organiser/feedback/{feedback_id}", data={"action": action, **data})


def test_an_answer_to_a_signed_in_person_arrives_in_their_messages(own_app, no_csrf) -> None:
    person, person_id = citizen(own_app, "handling-answer")
    give(person, UNIT, "The hall was cold, answer-me-9f2")
    row = feedback_row(own_app, comment="The hall was cold, answer-me-9f2")
    assert row.handled_at is None and row.person_id == person_id

    director = staff(own_app, DIRECTOR)
    front = text(director.get("/en/organiser/"))
    assert f"/en/organiser/feedback/{row.id}" in front and "Open feedback" in front and "today" in front
    listed = text(director.get("/en/organiser/feedback"))
    assert "answer-me-9f2" in listed and "4 of 5" in listed

    answered = act(director, row.id, "answer", answer="Thank you, we fixed the heating.")
    assert answered.status_code == 302 and "done=answer" in answered.location
    after = feedback_row(own_app, id=row.id)
    assert after.answer == "Thank you, we fixed the heating." and after.answered_at and after.handled_at

    messages = text(person.get("/en/own/messages"))
    assert "Answer to your feedback" in messages and "Thank you, we fixed the heating." in messages
    finnish = text(person.get("/fi/own/messages"))
    assert "Thank you, we fixed the heating." in finnish and "Answer to your feedback" not in finnish

    with own_app.app_context():
        logged = db.session.scalars(
            select(AuditEntry.field).where(AuditEntry.object_type == "feedback", AuditEntry.object_id == row.id)
        ).all()
    assert {"answer", "answered_at", "handled_at"} <= set(logged)
    assert f"/en/organiser/feedback/{row.id}" not in text(director.get("/en/organiser/"))  # no longer open


def test_another_organisations_organiser_can_neither_see_nor_answer_it(own_app, no_csrf) -> None:
    person, _ = citizen(own_app, "handling-other")
    give(person, UNIT, "Only Kurjenpesä's staff, other-org-51a")
    row = feedback_row(own_app, comment="Only Kurjenpesä's staff, other-org-51a")

    provider = staff(own_app, PROVIDER)
    assert "other-org-51a" not in text(provider.get("/en/organiser/feedback?status=all"))
    assert "other-org-51a" not in text(provider.get("/en/organiser/"))
    assert provider.get(f"/en/organiser/feedback/{row.id}").status_code == 404
    for action, data in (("answer", {"answer": "Hello"}), ("mark", {"category": "praise"}), ("publish", {})):
        assert act(provider, row.id, action, **data).status_code == 404
    assert provider.get("/en/organiser/feedback/999999999").status_code == 404
    unchanged = feedback_row(own_app, id=row.id)
    assert (unchanged.answer, unchanged.category, unchanged.published_at) == (None, None, None)
    # a citizen gets 404 too, and nobody signed in is sent to the staff sign-in
    assert person.get(f"/en/organiser/feedback/{row.id}").status_code == 404
    assert own_app.test_client().get(f"/en/organiser/feedback/{row.id}").status_code == 302
    # the administrator sees every unit's
    assert staff(own_app, ADMIN).get(f"/en/organiser/feedback/{row.id}").status_code == 200


def test_publish_take_back_and_mark(own_app, no_csrf) -> None:
    give(own_app.test_client(), UNIT, "Lovely staff, publish-me-33c")
    row = feedback_row(own_app, comment="Lovely staff, publish-me-33c")
    director = staff(own_app, DIRECTOR)

    assert act(director, row.id, "publish").status_code == 302
    assert feedback_row(own_app, id=row.id).published_at is not None
    page = text(director.get(f"/en/organiser/feedback/{row.id}?done=publish"))
    assert "The comment is published in the comparison." in page and "Take the comment back" in page
    assert act(director, row.id, "unpublish").status_code == 302
    assert feedback_row(own_app, id=row.id).published_at is None

    assert act(director, row.id, "mark", category="praise").status_code == 302
    assert feedback_row(own_app, id=row.id).category == "praise"
    assert "publish-me-33c" in text(director.get("/en/organiser/feedback?category=praise"))
    assert "publish-me-33c" not in text(director.get("/en/organiser/feedback?category=problem"))

    wrong = act(director, row.id, "mark", category="spam")
    assert wrong.status_code == 400
    assert 'class="error-summary"' in text(wrong) and 'href="#category"' in text(wrong)
    finnish = director.post(f"/fi/organiser/feedback/{row.id}", data={"action": "mark", "category": "x"})
    assert "Choose what kind of feedback this is." not in text(finnish)
    assert feedback_row(own_app, id=row.id).category == "praise"

    assert act(director, row.id, "handled").status_code == 302
    assert feedback_row(own_app, id=row.id).handled_at is not None
    assert "publish-me-33c" not in text(director.get("/en/organiser/feedback"))
    assert "publish-me-33c" in text(director.get("/en/organiser/feedback?status=handled"))
    assert act(director, row.id, "reopen").status_code == 302
    assert feedback_row(own_app, id=row.id).handled_at is None


def test_anonymous_feedback_answered_by_email_then_the_address_is_deleted(own_app, no_csrf) -> None:
    anonymous = own_app.test_client()
    sent = anonymous.post(
        f"/en/feedback/?location={UNIT}",
        data={
            "about": "service",
            "location": str(UNIT),
            "rating": "2",
            "recommend": "0",
            "improve": "Opening hours, email-me-7e1",
            "reply_email": " someone@example.com ",
        },
    )
    assert sent.status_code == 302
    row = feedback_row(own_app, kind="service", location_id=UNIT, reply_email="someone@example.com")
    assert row.recommend == 0 and "email-me-7e1" in row.comment

    outbox(own_app).clear()
    director = staff(own_app, DIRECTOR)
    assert "e-mail address the person left" in text(director.get(f"/en/organiser/feedback/{row.id}"))
    assert act(director, row.id, "answer", answer="We open at 6.30 from March.").status_code == 302
    [mail] = outbox(own_app)
    assert mail.to == "someone@example.com" and "We open at 6.30 from March." in mail.body
    assert mail.subject == "Answer to your feedback"
    after = feedback_row(own_app, id=row.id)
    assert after.reply_email is None and after.answered_at is not None
    with own_app.app_context():
        values = db.session.scalars(select(AuditEntry.old_value).where(AuditEntry.object_id == row.id)).all()
    assert "someone@example.com" not in values


def test_feedback_without_a_way_to_answer_cannot_be_answered(own_app, no_csrf) -> None:
    give(own_app.test_client(), UNIT, "No address, no-answer-2b")
    row = feedback_row(own_app, comment="No address, no-answer-2b")
    director = staff(own_app, DIRECTOR)
    assert "cannot be answered" in text(director.get(f"/en/organiser/feedback/{row.id}"))
    assert act(director, row.id, "answer", answer="Hello").status_code == 400
    assert feedback_row(own_app, id=row.id).answer is None


def test_a_report_from_a_unit_reaches_its_organiser(own_app, no_csrf) -> None:
    anonymous = own_app.test_client()
    form = anonymous.get(f"/en/feedback/report?location={UNIT}&next=/en/events/ecec/plan")
    assert form.status_code == 200 and "Report an error in this information" in text(form)
    assert "Päiväkoti Kurjenpesä" in text(form)
    sent = anonymous.post(
        "/en/feedback/report",
        data={"location": str(UNIT), "comment": "The address is wrong, report-unit-4d", "next": "/en/events/ecec/plan"},
    )
    assert sent.status_code == 302 and "/en/feedback/thanks" in sent.location
    row = feedback_row(own_app, comment="The address is wrong, report-unit-4d")
    assert (row.kind, row.location_id, row.rating, row.task_id) == ("report", UNIT, None, None)

    assert f"/en/organiser/feedback/{row.id}" in text(staff(own_app, DIRECTOR).get("/en/organiser/"))
    assert "report-unit-4d" in text(staff(own_app, DIRECTOR).get("/en/organiser/feedback"))
    assert "report-unit-4d" not in text(staff(own_app, PROVIDER).get("/en/organiser/feedback?status=all"))
    assert staff(own_app, PROVIDER).get(f"/en/organiser/feedback/{row.id}").status_code == 404


def test_a_report_from_a_task_reaches_the_catalogue_administrators(own_app, no_csrf) -> None:
    from portal.context import life_events

    with own_app.test_request_context("/en/"):
        task = life_events()["ecec"].checklist[0].id
    client = own_app.test_client()
    assert client.get(f"/en/feedback/report?event=ecec&task={task}").status_code == 200
    sent = client.post(
        "/en/feedback/report", data={"event": "ecec", "task": task, "comment": "Deadline is wrong, report-task-8a"}
    )
    assert sent.status_code == 302
    row = feedback_row(own_app, comment="Deadline is wrong, report-task-8a")
    assert (row.kind, row.event_id, row.task_id, row.location_id) == ("report", "ecec", task, None)
    assert staff(own_app, DIRECTOR).get(f"/en/organiser/feedback/{row.id}").status_code == 404
    admin = staff(own_app, ADMIN)
    assert admin.get(f"/en/organiser/feedback/{row.id}").status_code == 200
    assert "report-task-8a" in text(admin.get("/en/organiser/feedback"))
    # a task or unit that does not exist
    assert client.get("/en/feedback/report?event=ecec&task=no-such-task").status_code == 404
    assert client.get("/en/feedback/report?location=99999999").status_code == 404


def test_the_recommend_answer_is_stored_and_checked(own_app, no_csrf) -> None:
    person, person_id = citizen(own_app, "handling-recommend")
    sent = person.post(
        "/en/feedback/",
        data={
            "about": "general",
            "rating": "5",
            "recommend": "9",
            "worked": "recommend-6c",
            "reply_email": "ignored@example.com",
        },
    )
    assert sent.status_code == 302
    row = feedback_row(own_app, person_id=person_id)
    assert row.recommend == 9 and row.reply_email is None  # a signed-in person's answer goes to their messages
    for wrong in ("11", "-1", "x", "٣"):
        page = own_app.test_client().post("/en/feedback/", data={"about": "general", "rating": "5", "recommend": wrong})
        assert 'href="#long-recommend"' in text(page), wrong
    finnish = own_app.test_client().post("/fi/feedback/", data={"about": "general", "rating": "5", "recommend": "11"})
    assert "Select a number from 0 to 10" not in text(finnish) and 'href="#long-recommend"' in text(finnish)
    form = text(own_app.test_client().get("/en/feedback/"))
    assert "How likely are you to recommend this service to a friend?" in form and 'name="reply_email"' in form
    assert 'name="reply_email"' not in text(person.get("/en/feedback/"))


def test_bounded_and_checked_inputs(own_app, no_csrf) -> None:
    client = own_app.test_client()
    long_email = "a" * 250 + "@example.com"
    for email, field in ((long_email, "long-reply_email"), ("not-an-address", "long-reply_email")):
        page = client.post("/en/feedback/", data={"about": "general", "rating": "3", "reply_email": email})
        assert f'href="#{field}"' in text(page)
    report = client.post("/en/feedback/report", data={"location": str(UNIT), "comment": ""})
    assert report.status_code == 400 and 'href="#report-comment"' in text(report)
    report = client.post("/en/feedback/report", data={"location": str(UNIT), "comment": "x" * 2001})
    assert report.status_code == 400 and 'href="#report-comment"' in text(report)
    finnish = client.post("/fi/feedback/report", data={"location": str(UNIT), "comment": ""})
    assert "Tell us what is wrong in the information" not in text(finnish)

    give(client, UNIT, "bounded-answer-1f")
    row = feedback_row(own_app, comment="bounded-answer-1f")
    with own_app.app_context():
        db.session.get(Feedback, row.id).reply_email = "x@example.com"
        db.session.commit()
    director = staff(own_app, DIRECTOR)
    too_long = act(director, row.id, "answer", answer="y" * 4001)
    assert too_long.status_code == 400 and 'href="#answer"' in text(too_long)
    empty = act(director, row.id, "answer", answer="   ")
    assert empty.status_code == 400 and 'href="#answer"' in text(empty)
    assert feedback_row(own_app, id=row.id).answer is None
    assert director.get("/en/organiser/feedback?page=99999999").status_code == 200
    assert director.get("/en/organiser/feedback?status=%00&category=<x>").status_code == 200


def test_every_form_needs_its_csrf_token(own_app) -> None:
    give_data = {"location": str(UNIT), "comment": "csrf"}
    assert own_app.test_client().post("/en/feedback/report", data=give_data).status_code == 400
    with own_app.app_context():
        feedback = db.session.scalars(select(Feedback.id).order_by(Feedback.id)).first()
    director = staff(own_app, DIRECTOR)
    page = director.get(f"/en/organiser/feedback/{feedback}") if feedback else None
    refused = act(director, feedback or 1, "handled")
    assert refused.status_code == 400
    if page is not None and page.status_code == 200:
        token = re.search(r'name="csrf_token" value="([^"]+)"', text(page))
        assert token is not None


def test_links_to_report_an_error(own_app, no_csrf) -> None:
    from tests.helpers import complete_ecec

    client = own_app.test_client()
    complete_ecec(client)
    plan = text(client.get("/en/events/ecec/plan"))
    assert re.search(r'href="/en/feedback/report\?location=\d+', plan)
    assert re.search(r'href="/en/feedback/report\?event=ecec&amp;task=', plan)


def test_the_mail_sender_uses_smtp_only_when_a_server_is_configured(own_app, monkeypatch) -> None:
    import smtplib

    from portal.mail import send_mail

    sent: list = []

    class FakeSMTP:
        def __init__(self, host: str, port: int, timeout: int) -> None:
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def starttls(self) -> None:
            sent.append(("starttls",))

        def login(self, user: str, password: str) -> None:
            sent.append(("login", user))

        def send_message(self, message) -> None:
            sent.append(("send", message["To"], message["Subject"], message.get_content().strip()))

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    with own_app.app_context():
        send_mail("a@example.com", "Hei", "Ei palvelinta")
        assert sent == []  # no MAIL_SERVER: written to the log only (and the test outbox)
        own_app.config.update(MAIL_SERVER="smtp.test", MAIL_PORT="2525", MAIL_USE_TLS="1", MAIL_USERNAME="polku")
        try:
            send_mail("a@example.com", "Vastaus", "Kiitos")
        finally:
            for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME"):
                own_app.config.pop(key)
    assert sent == [
        ("connect", "smtp.test", 2525),
        ("starttls",),
        ("login", "polku"),
        ("send", "a@example.com", "Vastaus", "Kiitos"),
    ]
    assert [mail.subject for mail in outbox(own_app)][-2:] == ["Hei", "Vastaus"]


def log_lines(client: FlaskClient) -> list[tuple[str, str, str]]:
    """The change log page's entries as (what, was, became), newest first, tags removed."""
    html = text(client.get(f"/en/organiser/log?unit={UNIT}"))
    found = []
    for entry in re.findall(r'<li class="change-log__entry">(.*?)</li>', html, re.S):
        what = re.sub(r"<[^>]+>", "", re.search(r"<strong>(.*?)</strong>", entry, re.S).group(1)).strip()
        was, became = (v.strip() for v in re.findall(r"<dd>(.*?)</dd>", entry, re.S))
        found.append((what, was, became))
    return found


def test_the_change_log_says_feedback_handling_in_words(own_app, no_csrf, monkeypatch) -> None:
    from datetime import UTC, datetime

    from configurator import clock

    monkeypatch.setattr(
        clock, "_system_utc_now", lambda: datetime(2031, 1, 15, 8, 15, tzinfo=UTC)
    )  # after the other tests' changes
    anonymous = own_app.test_client()
    data = {"about": "service", "location": str(UNIT), "rating": "2", "improve": "Cold hall, log-words-4c2"}
    assert (
        anonymous.post(f"/en/feedback/?location={UNIT}", data=data | {"reply_email": "x@example.com"}).status_code
        == 302
    )
    row = feedback_row(own_app, kind="service", location_id=UNIT, reply_email="x@example.com")
    director = staff(own_app, DIRECTOR)
    for action, extra in (("mark", {"category": "problem"}), ("publish", {}), ("answer", {"answer": "Fixed, log-a1"})):
        assert act(director, row.id, action, **extra).status_code == 302
    lines = log_lines(director)
    moment = "15 Jan 2031 at 10:15"  # 8.15 UTC in Helsinki (UTC+2 in winter)
    handled = [line for line in lines if line[0].startswith("Changed: ") and "eedback" in line[0]][:6]
    assert set(handled) == {
        ("Changed: Kind of feedback", "–", "Problem"),
        ("Changed: Feedback comment published in the comparison", "Not published", moment),
        ("Changed: Answer to feedback", "–", "Fixed, log-a1"),
        ("Changed: Feedback answered", "–", moment),
        ("Changed: Feedback handled", "–", moment),
        ("Changed: E-mail address for the answer to feedback", "An address was given", "Deleted after answering"),
    }
    assert not any(raw in str(lines) for raw in ("published_at", "answered_at", "reply_email", "category"))
    finnish = text(director.get(f"/fi/organiser/log?unit={UNIT}"))
    assert "published_at" not in finnish and "answered_at" not in finnish
