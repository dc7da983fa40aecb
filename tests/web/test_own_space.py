"""The own space: prefill from the profile, saved plans with progress, calendar, share link, messages,
my data and consents, and that nobody reaches another person's objects.

People are signed in by putting their id in the session (the OIDC protocol is tested in
test_sign_in_protocol.py); their claims are the development provider's test people.
"""

from __future__ import annotations

import json
import re
from datetime import date
from urllib.parse import unquote

import icalendar
import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.account_models import Consent, Message, Person, Reservation, SavedPlan, ShareLink, TaskProgress
from portal.dev_idp.people import load_people
from portal.extensions import db
from portal.models import AppointmentSlot
from portal.own.consents import set_consent
from portal.signin.services import sign_in_person
from tests.conftest import TODAY
from tests.helpers import ECEC_STEPS, MATTI_STEPS, complete_ecec, complete_unemployment, sign_in

PEOPLE = {p.given_name: p for p in load_people().values()}
ALL_SCOPES = ("openid", "profile", "address", "household", "company")


def person_id(app: Flask, given_name: str, consents: tuple[str, ...] = ("prefill",)) -> int:
    """A fresh account for one of the test people (a new subject each time, so tests do not share data)."""
    import uuid

    with app.app_context():
        claims = PEOPLE[given_name].claims(ALL_SCOPES) | {"sub": f"{given_name}-{uuid.uuid4()}"}
        person = sign_in_person("https://idp.test", claims)
        for purpose in consents:
            set_consent(person, purpose, True)
        db.session.commit()
        return person.id


@pytest.fixture()
def aino(app: Flask, csrf_off_client):
    sign_in(csrf_off_client, person_id(app, "Aino"))
    return csrf_off_client


def begin(client, event: str, acting_for: str = "self", lang: str = "en"):
    return client.post(f"/{lang}/events/{event}/begin", data={"acting_for": acting_for})


def saved_plan(app: Flask, pid: int, event: str) -> SavedPlan:
    with app.app_context():
        plan = db.session.scalar(select(SavedPlan).where(SavedPlan.person_id == pid, SavedPlan.event_id == event))
        db.session.expunge_all()
        return plan


def session_pid(client) -> int:
    with client.session_transaction() as session:
        return session["person_id"]


EELI = "child:child-08f55872-7cd3-46d0-9665-66bacb3b2aa0"


def test_anonymous_visitors_are_sent_to_sign_in(client) -> None:
    for path in ("/fi/own/", "/en/own/plans/1", "/sv/own/messages", "/en/own/data", "/en/own/data.json"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/sign-in?next=" in response.headers["Location"]


def test_the_start_page_asks_a_guardian_which_child(aino) -> None:
    page = aino.get("/en/events/ecec/").get_data(as_text=True)
    assert "Which child is this plan for?" in page
    assert "Eeli" in page and "Helmi" in page
    assert f'value="{EELI}"' in page


def test_prefill_fills_what_the_profile_knows_and_skips_to_the_first_open_question(app, aino) -> None:
    response = begin(aino, "ecec", EELI)
    assert response.headers["Location"].endswith("/en/events/ecec/steps/child")
    page = aino.get("/en/events/ecec/steps/child").get_data(as_text=True)
    assert re.search(r'name="child_birth_date-day"[^>]*value="14"', page)
    assert re.search(r'name="child_birth_date-year"[^>]*value="2024"', page)
    assert "From the details of the child you act for" in page
    aino.post(
        "/en/events/ecec/steps/child",
        data={
            "child_birth_date-day": "14",
            "child_birth_date-month": "9",
            "child_birth_date-year": "2024",
            **{k: v for k, v in ECEC_STEPS["child"].items() if k.startswith("start_date")},
        },
    )
    places = aino.get("/en/events/ecec/steps/places").get_data(as_text=True)
    assert re.search(r'name="home-postal_code"[^>]*value="21200"', places)
    assert re.search(r'name="work-postal_code"[^>]*value="20520"', places)
    assert re.search(
        r'name="family_size"[^>]*value="4"', aino.get("/en/events/ecec/steps/family").get_data(as_text=True)
    )
    check = aino.get("/en/events/ecec/check").get_data(as_text=True)
    assert "From your address in the population register" in check


def test_no_prefill_without_the_consent(app, csrf_off_client) -> None:
    sign_in(csrf_off_client, person_id(app, "Aino", consents=()))
    begin(csrf_off_client, "ecec", EELI)
    page = csrf_off_client.get("/en/events/ecec/steps/child").get_data(as_text=True)
    assert not re.search(r'name="child_birth_date-day"[^>]*value="14"', page)
    assert "From the details" not in page


def test_a_child_not_in_the_register_and_an_unknown_subject(app, aino) -> None:
    assert begin(aino, "ecec", "child:someone-elses-child").headers["Location"].endswith("error=acting_for#acting_for")
    assert "/steps/child" in begin(aino, "ecec", "self").headers["Location"]


def test_a_company_mandate_fills_in_the_company_form(app, csrf_off_client) -> None:
    sign_in(csrf_off_client, person_id(app, "Liisa"))
    page = csrf_off_client.get("/en/events/business/").get_data(as_text=True)
    assert "Lehtosen Luomutila" in page
    begin(csrf_off_client, "business", "company:3287466-9")
    founder = csrf_off_client.get("/en/events/business/steps/founder").get_data(as_text=True)
    assert re.search(r'value="toiminimi"[^>]*checked', founder)
    # Matti's company is bankrupt: he cannot act for it.
    sign_in(csrf_off_client, person_id(app, "Matti"))
    assert "Virtasen Saneeraus" not in csrf_off_client.get("/en/events/business/").get_data(as_text=True)


def complete_saved_ecec(client) -> None:
    begin(client, "ecec", EELI)
    complete_ecec(client)


def test_answers_are_saved_as_you_go_and_progress_survives_changed_answers(app, aino) -> None:
    pid = session_pid(aino)
    complete_saved_ecec(aino)
    plan = saved_plan(app, pid, "ecec")
    assert plan.acting_for == EELI and plan.acting_for_name == "Eeli"
    assert plan.answers["hours_per_week"] == "30"
    page = aino.get(f"/en/own/plans/{plan.id}").get_data(as_text=True)
    tasks = re.findall(r'name="done" value="([a-z_]+)"', page)
    assert "apply_for_ecec" in tasks and "apply_for_voucher" in tasks
    assert (
        aino.post(
            f"/en/own/plans/{plan.id}/progress", data={"done": ["apply_for_ecec", "apply_for_voucher"]}
        ).status_code
        == 302
    )
    # No private units any more: the voucher task goes, its tick is kept for if it comes back.
    aino.post("/en/events/ecec/steps/providers", data={"consider_private": "no"})
    page = aino.get(f"/en/own/plans/{plan.id}").get_data(as_text=True)
    assert 'value="apply_for_voucher"' not in page
    assert re.search(r'value="apply_for_ecec"[^>]*checked', page)
    assert "1 of " in page
    with app.app_context():
        kinds = db.session.scalars(select(Message.kind).where(Message.person_id == pid)).all()
        ticks = db.session.scalars(select(TaskProgress.task_id).where(TaskProgress.plan_id == plan.id)).all()
    assert "plan_saved" in kinds and "plan_changed" in kinds
    assert set(ticks) == {"apply_for_ecec", "apply_for_voucher"}
    messages = aino.get("/en/own/messages").get_data(as_text=True)
    assert "Tasks that no longer apply: Apply for a service voucher" in messages or "no longer apply" in messages


def test_private_answers_are_never_stored(app, csrf_off_client) -> None:
    sign_in(csrf_off_client, person_id(app, "Matti"))
    pid = session_pid(csrf_off_client)
    begin(csrf_off_client, "unemployment")
    complete_unemployment(csrf_off_client)
    plan = saved_plan(app, pid, "unemployment")
    assert "needs" not in plan.answers
    assert plan.answers["home-postal_code"] == MATTI_STEPS["home"]["home-postal_code"]
    assert "get_debt_advice" in csrf_off_client.get("/en/events/unemployment/plan").get_data(as_text=True)


def test_the_calendar_file_has_one_event_per_task_with_a_date(app, aino) -> None:
    complete_saved_ecec(aino)
    plan = saved_plan(app, session_pid(aino), "ecec")
    response = aino.get(f"/fi/own/plans/{plan.id}/calendar.ics")
    assert response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    events = list(calendar.walk("VEVENT"))
    page = aino.get(f"/en/own/plans/{plan.id}").get_data(as_text=True)
    due_dates = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)"', page.split('id="checklist-title"')[1])
    assert sorted(e.decoded("dtstart").isoformat() for e in events) == sorted(due_dates)
    assert len({str(e["uid"]) for e in events}) == len(events)
    summaries = {str(e["summary"]) for e in events}
    assert "Hae varhaiskasvatuspaikkaa" in summaries or any("varhaiskasvatus" in s.lower() for s in summaries)
    # The anonymous plan's calendar parses as well.
    anonymous = icalendar.Calendar.from_ical(aino.get("/en/events/ecec/calendar.ics").data)
    assert len(list(anonymous.walk("VEVENT"))) == len(events)


def test_a_share_link_shows_tasks_and_nothing_personal(app, aino, client) -> None:
    complete_saved_ecec(aino)
    plan = saved_plan(app, session_pid(aino), "ecec")
    aino.post(f"/en/own/plans/{plan.id}/share")
    with app.app_context():
        token = db.session.scalar(select(ShareLink.token).where(ShareLink.plan_id == plan.id))
    shared = client.get(f"/en/shared/{token}")
    assert shared.status_code == 200 and shared.headers["X-Robots-Tag"] == "noindex"
    text = shared.get_data(as_text=True)
    assert "Apply for early childhood education" in text or "early childhood education" in text
    for personal in ("Aino", "Korhonen", "Eeli", "21200", "20520", "6000", "6 000", "Kerttulankatu"):
        assert personal not in text, personal
    assert token not in plan.answers.values()
    aino.post(f"/en/own/plans/{plan.id}/share/{token}/delete")
    assert client.get(f"/en/shared/{token}").status_code == 404


def test_nobody_reaches_another_persons_plan_or_messages(app, aino, csrf_off_client) -> None:
    complete_saved_ecec(aino)
    plan = saved_plan(app, session_pid(aino), "ecec")
    with app.app_context():
        message_id = db.session.scalar(select(Message.id).where(Message.person_id == plan.person_id))
    other = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    sign_in(other, person_id(app, "Matti"))
    for path in (
        f"/en/own/plans/{plan.id}",
        f"/en/own/plans/{plan.id}/calendar.ics",
        f"/en/own/plans/{plan.id}/print",
        f"/en/own/messages/{message_id}",
    ):
        assert other.get(path).status_code == 404, path
    for path in (
        f"/en/own/plans/{plan.id}/progress",
        f"/en/own/plans/{plan.id}/share",
        f"/en/own/plans/{plan.id}/edit",
        f"/en/own/plans/{plan.id}/delete",
    ):
        assert other.post(path, data={"done": ["apply_for_ecec"]}).status_code == 404, path
    assert "Eeli" not in other.get("/en/own/messages").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ShareLink).where(ShareLink.plan_id == plan.id)) == 0
        assert db.session.get(SavedPlan, plan.id) is not None
        assert not db.session.scalars(select(TaskProgress).where(TaskProgress.plan_id == plan.id)).all()
    # A journey linked to someone else's plan id in a tampered session writes nothing there.
    with other.session_transaction() as session:
        session["plan_links"] = {"ecec": plan.id}
    other.post(
        "/en/events/ecec/steps/care",
        data={"hours_per_week": "40", "care_language": "fi", "shift_care": "no", "sudden_need": "no"},
    )
    assert saved_plan(app, plan.person_id, "ecec").answers["hours_per_week"] == "30"


def test_reminders_come_once_and_only_with_the_consent(app, csrf_off_client) -> None:
    sign_in(csrf_off_client, person_id(app, "Aino", consents=("prefill", "reminders")))
    pid = session_pid(csrf_off_client)
    begin(csrf_off_client, "ecec", EELI)
    soon = {"start_date-day": "1", "start_date-month": "12", "start_date-year": "2026"}  # tasks due within days
    complete_ecec(csrf_off_client, child=soon)
    csrf_off_client.get("/en/own/")
    csrf_off_client.get("/en/own/")

    def reminders() -> list[Message]:
        with app.app_context():
            return db.session.scalars(
                select(Message).where(Message.person_id == pid, Message.kind == "deadline_coming")
            ).all()

    first = reminders()
    assert first and len({m.dedupe_key for m in first}) == len(first)
    assert all(date.fromisoformat(m.values["due"]) >= TODAY for m in first)
    csrf_off_client.post("/en/own/consents", data={"purpose": "reminders", "given": "no"})
    with app.app_context():
        db.session.execute(Message.__table__.delete().where(Message.person_id == pid))
        db.session.commit()
    csrf_off_client.get("/en/own/")
    assert reminders() == []


def test_my_data_download_and_consent_history(app, aino) -> None:
    complete_saved_ecec(aino)
    aino.post("/en/own/consents", data={"purpose": "prefill", "given": "no"})
    aino.post("/en/own/consents", data={"purpose": "prefill", "given": "yes"})
    data = json.loads(aino.get("/en/own/data.json").data)
    assert data["person"]["name"] == "Aino Korhonen"
    assert data["person"]["claims"]["household"]["children"][0]["given_name"] == "Eeli"
    assert [p["life_event"] for p in data["plans"]] == ["ecec"]
    prefill = [c for c in data["consents"] if c["purpose"] == "prefill"]
    assert len(prefill) == 2 and prefill[0]["withdrawn_at"] and not prefill[1]["withdrawn_at"]
    assert aino.post("/en/own/consents", data={"purpose": "marketing", "given": "yes"}).status_code == 400


def test_deleting_the_account_removes_everything_and_frees_reservations(app, aino) -> None:
    from portal.reservations.services import reserve_appointment, wall_time

    pid = session_pid(aino)
    complete_saved_ecec(aino)
    with app.app_context():
        # a time that has not started in Helsinki, as the service counts (the database's now() is UTC)
        slot = db.session.scalar(
            select(AppointmentSlot).where(AppointmentSlot.booked == 0, AppointmentSlot.starts_at > wall_time()).limit(1)
        )
        slot_id, booked = slot.id, slot.booked
        reserve_appointment(db.session, db.session.get(Person, pid), slot_id)
        assert db.session.get(AppointmentSlot, slot_id).booked == booked + 1
    page = aino.post("/en/own/delete-account", data={})
    assert page.headers["Location"].endswith("error=confirm#delete-title")
    response = aino.post("/en/own/delete-account", data={"confirm": "yes"})
    # Straight back, or through the provider's sign-out when this worker's app already knows one (an earlier test's
    # sign-in loaded its metadata): either way the address says the account is gone.
    assert response.status_code == 302 and "deleted=account" in unquote(response.headers["Location"])
    with app.app_context():
        assert db.session.get(Person, pid) is None
        for model in (SavedPlan, Reservation, Message, Consent):
            assert db.session.scalar(select(func.count()).select_from(model).where(model.person_id == pid)) == 0
        db.session.expire_all()
        assert db.session.get(AppointmentSlot, slot_id).booked == booked
    assert aino.get("/en/own/").status_code == 302


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_own_space_pages_render_in_every_language(app, lang, csrf_off_client) -> None:
    sign_in(csrf_off_client, person_id(app, "Aino"))
    begin(csrf_off_client, "ecec", EELI, lang)
    complete_ecec(csrf_off_client, lang)
    plan = saved_plan(app, session_pid(csrf_off_client), "ecec")
    for path in (
        "/own/",
        f"/own/plans/{plan.id}",
        f"/own/plans/{plan.id}/print",
        "/own/messages",
        "/own/data",
        "/own/welcome",
    ):
        response = csrf_off_client.get(f"/{lang}{path}")
        assert response.status_code == 200, path
        assert f'<html lang="{lang}">' in response.get_data(as_text=True)
        assert response.headers["Cache-Control"] == "no-store"


def test_the_daily_reminder_command_sends_each_reminder_once(app, csrf_off_client) -> None:
    sign_in(csrf_off_client, person_id(app, "Aino", consents=("prefill", "reminders")))
    pid = session_pid(csrf_off_client)
    begin(csrf_off_client, "ecec", EELI)
    complete_ecec(csrf_off_client, child={"start_date-day": "1", "start_date-month": "12", "start_date-year": "2026"})
    runner = app.test_cli_runner()
    first = runner.invoke(args=["send-reminders"])
    assert first.exit_code == 0 and re.search(r"Sent [1-9]\d* deadline reminders", first.output)
    assert runner.invoke(args=["send-reminders"]).output.strip() == "Sent 0 deadline reminders."
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(Message)
                .where(Message.person_id == pid, Message.kind == "deadline_coming")
            )
            >= 1
        )


def test_reservation_messages_name_the_place_in_the_readers_language(app, csrf_off_client) -> None:
    from portal.models import ServiceLocation
    from portal.reservations.services import reserve_appointment

    pid = person_id(app, "Liisa")
    sign_in(csrf_off_client, pid)
    with app.app_context():
        slot = db.session.scalar(
            select(AppointmentSlot)
            .join(ServiceLocation)
            .where(
                AppointmentSlot.booked == 0,
                ServiceLocation.name_sv.is_not(None),
                ServiceLocation.name_sv != ServiceLocation.name,
            )
            .order_by(AppointmentSlot.starts_at.desc())
            .limit(1)
        )
        names = slot.location.name, slot.location.name_sv
        reserve_appointment(db.session, db.session.get(Person, pid), slot.id)
    swedish = csrf_off_client.get("/sv/own/messages").get_data(as_text=True)
    finnish = csrf_off_client.get("/fi/own/messages").get_data(as_text=True)
    assert names[1] in swedish and names[0] not in swedish
    assert names[0] in finnish
