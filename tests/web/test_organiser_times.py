"""The appointment times page (issue 15): the business advice coordinator adds times from a weekly schedule
(closed days and public holidays skipped) that a citizen can reserve at once, and cancels chosen times after a
confirmation (their reservations cancelled, each person told in their own space); bad input, a stale
confirmation and another organisation's point are refused with nothing saved; every change is audited.
Each test has an app of its own (they change the data). Today is tests.conftest.TODAY, Sunday 22.11.2026."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.helpers import sign_in

from .test_organiser_availability import own_app, send  # noqa: F401  (own_app is a fixture)
from .test_organiser_roles import COORDINATOR, staff_sign_in
from .test_provider_origin import dev_provider

POINT = 2001  # Turun seudun uusyrityskeskus, one of the coordinator's two service points
PAGE = f"/en/organiser/units/{POINT}/times"
CITIZEN_PAGE = f"/en/own/reservations/new/appointment?location={POINT}"

# Mondays and Wednesdays at 8:00 and 16:15 (the demo offers 9:00, 10:30, 13:00 and 14:30) for two weeks:
# Mon 23.11, Wed 25.11 (closed), Mon 30.11 and Wed 2.12 -> 3 days x 2 times = 6 times.
SCHEDULE = {
    "weekdays": ["0", "2"],
    "times": "8:00, 16.15",
    "length_minutes": "45",
    "first_day": "23.11.2026",
    "last_day": "6.12.2026",
    "channel": "in_person",
    "capacity": "2",
    "closed_days": "25.11.2026",
}
EXPECTED_STARTS = [
    datetime(2026, 11, 23, 8, 0),
    datetime(2026, 11, 23, 16, 15),
    datetime(2026, 11, 30, 8, 0),
    datetime(2026, 11, 30, 16, 15),
    datetime(2026, 12, 2, 8, 0),
    datetime(2026, 12, 2, 16, 15),
]


@pytest.fixture()
def coordinator(own_app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[FlaskClient]:  # noqa: F811
    """The business advice coordinator (points 2001 and 2002), signed in through the development provider."""
    with dev_provider(own_app, monkeypatch):
        client = own_app.test_client()
        staff_sign_in(client, COORDINATOR)
        yield client


def slots(app: Flask, location_id: int = POINT) -> dict[int, tuple[datetime, str, int, int, int, bool]]:
    """The point's times as stored: id -> (starts, channel, minutes, capacity, booked, cancelled)."""
    from portal.extensions import db
    from portal.models import AppointmentSlot

    with app.app_context():
        rows = db.session.scalars(select(AppointmentSlot).where(AppointmentSlot.location_id == location_id))
        return {
            s.id: (s.starts_at, s.channel, s.duration_minutes, s.capacity, s.booked, s.cancelled_at is not None)
            for s in rows
        }


def audit_rows(app: Flask, location_id: int = POINT) -> list[tuple[str, str, int, str]]:
    from portal.extensions import db
    from portal.models import AuditEntry

    with app.app_context():
        rows = db.session.scalars(
            select(AuditEntry).where(AuditEntry.location_id == location_id).order_by(AuditEntry.id)
        )
        return [(r.action, r.object_type, r.object_id, r.channel) for r in rows]


def new_citizen(app: Flask) -> int:
    from portal.account_models import Person
    from portal.extensions import db

    with app.app_context():
        person = Person(issuer="https://idp.test", subject=secrets.token_hex(8), name="Testi Henkilö", claims={})
        db.session.add(person)
        db.session.commit()
        return person.id


def reserve(app: Flask, person_id: int, slot_id: int) -> int:
    """The citizen reserves the time on the reservation page, as a browser sends it."""
    client = app.test_client()
    sign_in(client, person_id)
    page = client.get(CITIZEN_PAGE).get_data(as_text=True)
    reserved = send(client, page, {"slot": str(slot_id)}, None)
    assert reserved.status_code == 302, reserved.get_data(as_text=True)[:3000]
    return int(re.search(r"/own/reservations/(\d+)", reserved.headers["Location"]).group(1))


def add_schedule(client: FlaskClient, **changed: object):
    html = client.get(PAGE).get_data(as_text=True)
    return send(client, html, {**SCHEDULE, **changed}, "/times")


def test_a_weekly_schedule_adds_the_times_a_citizen_then_sees_free(own_app, coordinator) -> None:
    before = slots(own_app)
    page = coordinator.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Add times from a weekly schedule" in html and 'name="slot"' in html  # the demo's upcoming times
    added = add_schedule(coordinator)
    assert added.status_code == 302, added.get_data(as_text=True)[:3000]
    assert added.headers["Location"].endswith(
        f"/units/{POINT}?done=times-added&added=6&existing=0&closed=2026-11-25&closed_count=1"
    )
    new = {i: s for i, s in slots(own_app).items() if i not in before}
    assert sorted(s[0] for s in new.values()) == EXPECTED_STARTS
    assert {s[1:] for s in new.values()} == {("in_person", 45, 2, 0, False)}
    notice = coordinator.get(added.headers["Location"]).get_data(as_text=True)
    assert "6 appointment times added." in notice and "Skipped as closed: Wednesday, 25 November 2026." in notice
    assert f'href="/en/organiser/units/{POINT}/times"' in notice  # "Manage appointment times"

    citizen = own_app.test_client()
    sign_in(citizen, new_citizen(own_app))
    free = citizen.get(CITIZEN_PAGE).get_data(as_text=True)
    for slot_id in new:
        assert f'name="slot" value="{slot_id}"' in free

    assert sorted(audit_rows(own_app)) == sorted(("created", "appointment_slot", i, "page") for i in new)
    again = add_schedule(coordinator)  # the same schedule again: nothing new
    assert again.headers["Location"].endswith("?done=times-added&added=0&existing=6&closed=2026-11-25&closed_count=1")
    assert len(slots(own_app)) == len(before) + 6


def test_bad_input_is_explained_next_to_each_field_in_finnish_and_nothing_is_saved(own_app, coordinator) -> None:
    before = slots(own_app)
    html = coordinator.get(PAGE.replace("/en/", "/fi/")).get_data(as_text=True)
    typed = {
        "weekdays": [],
        "times": "9, 10:30",
        "length_minutes": "puoli tuntia",
        "first_day": "31.11.2026",
        "last_day": "1.12.2026",
        "capacity": "0",
        "closed_days": "24.12.2026, jouluna",
    }
    refused = send(coordinator, html, typed, "/times")
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert 'class="error-summary"' in page
    summary = re.findall(r'<li><a href="#([^"]+)">', page)
    assert summary == ["weekdays", "times", "length_minutes", "first_day", "capacity", "closed_days"]
    for field in summary:
        assert f'id="{field}-error"' in page
    assert "Valitse vähintään yksi viikonpäivä." in page  # the service's message, translated
    assert 'value="9, 10:30"' in page and 'value="puoli tuntia"' in page and 'value="31.11.2026"' in page
    assert 'value="24.12.2026, jouluna"' in page  # what was typed is kept
    assert slots(own_app) == before and audit_rows(own_app) == []


def test_the_service_refuses_a_day_in_the_past_next_to_the_field(own_app, coordinator) -> None:
    before = slots(own_app)
    refused = add_schedule(coordinator, first_day="20.11.2026", last_day="2026-11-21")
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert 'href="#first_day"' in page and "A time that has already started cannot be added or cancelled." in page
    assert slots(own_app) == before and audit_rows(own_app) == []


def test_cancelling_a_reserved_time_cancels_the_reservation_and_tells_the_person(own_app, coordinator) -> None:
    from portal.account_models import Message, Reservation
    from portal.extensions import db

    before = slots(own_app)
    add_schedule(coordinator)
    new = sorted((s[0], i) for i, s in slots(own_app).items() if i not in before)
    (_, reserved_id), (_, empty_id) = new[0], new[1]
    person = new_citizen(own_app)
    reservation_id = reserve(own_app, person, reserved_id)
    assert slots(own_app)[reserved_id][4] == 1

    listing = coordinator.get(PAGE).get_data(as_text=True)
    assert f'name="slot" value="{reserved_id}"' in listing
    confirm = coordinator.get(f"{PAGE}/cancel", query_string={"slot": [reserved_id, empty_id]})
    assert confirm.status_code == 200
    html = confirm.get_data(as_text=True)
    assert "You are cancelling 2 times:" in html
    assert "1 reservation will be cancelled with them. Each person gets a message in their own space." in html
    done = send(coordinator, html, {}, "/times/cancel")
    assert done.status_code == 302, done.get_data(as_text=True)[:3000]
    assert done.headers["Location"].endswith(f"/units/{POINT}?done=times-cancelled&cancelled=2&reservations=1")
    notice = coordinator.get(done.headers["Location"]).get_data(as_text=True)
    assert "2 appointment times cancelled." in notice and "1 reservation cancelled" in notice

    after = slots(own_app)
    assert after[reserved_id][4:] == (0, True) and after[empty_id][4:] == (0, True)
    with own_app.app_context():
        assert db.session.get(Reservation, reservation_id).status == "cancelled"
        kinds = [m.kind for m in db.session.scalars(select(Message).where(Message.person_id == person))]
    assert kinds == ["reservation_confirmed", "appointment_cancelled_by_organiser"]
    cancelled = [row for row in audit_rows(own_app) if row[0] == "cancelled"]
    assert sorted(cancelled) == sorted(("cancelled", "appointment_slot", i, "page") for i in (reserved_id, empty_id))

    citizen = own_app.test_client()
    sign_in(citizen, new_citizen(own_app))
    assert f'value="{reserved_id}"' not in citizen.get(CITIZEN_PAGE).get_data(as_text=True)
    # The same confirmation sent again: nothing is cancelled (or freed) twice.
    again = send(coordinator, html, {}, "/times/cancel")
    assert again.status_code == 409 and "None of the chosen times can be cancelled any more" in again.get_data(
        as_text=True
    )
    assert slots(own_app) == after


def test_a_stale_confirmation_cancels_nothing_and_shows_the_times_as_they_are(own_app, coordinator) -> None:
    before = slots(own_app)
    add_schedule(coordinator)
    slot_id = min((s[0], i) for i, s in slots(own_app).items() if i not in before)[1]
    html = coordinator.get(f"{PAGE}/cancel", query_string={"slot": slot_id}).get_data(as_text=True)
    assert "Nobody has reserved these times." in html
    reserve(own_app, new_citizen(own_app), slot_id)  # meanwhile
    stale = send(coordinator, html, {}, "/times/cancel")
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "The times were changed after you opened this page" in page
    assert "1 reservation will be cancelled with them." in page  # the current state
    assert slots(own_app)[slot_id][4:] == (1, False)
    assert send(coordinator, page, {}, "/times/cancel").status_code == 302  # confirmed again: cancelled
    assert slots(own_app)[slot_id][4:] == (0, True)


def test_choosing_no_time_to_cancel_is_explained(own_app, coordinator) -> None:
    refused = coordinator.get(f"{PAGE}/cancel")
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert 'href="#slot"' in page and 'id="slot-error"' in page and 'id="slot"' in page


def test_another_organisations_point_a_unit_and_a_citizen_get_404(own_app, coordinator) -> None:
    assert coordinator.get("/en/organiser/units/2011/times").status_code == 404  # food control, not his
    assert coordinator.get("/en/organiser/units/1001/times").status_code == 404  # an ECEC unit, not his
    assert coordinator.get("/en/organiser/units/999999/times/cancel").status_code == 404
    other = next(iter(slots(own_app, 2011)))
    assert coordinator.get(f"{PAGE}/cancel", query_string={"slot": other}).status_code == 404
    html = coordinator.get(PAGE).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert coordinator.post(f"{PAGE}/cancel", data={"csrf_token": token, "slot": f"{other}:1"}).status_code == 404
    assert not slots(own_app, 2011)[other][5]
    citizen = own_app.test_client()
    sign_in(citizen, new_citizen(own_app))
    assert citizen.get(PAGE).status_code == 404
    assert own_app.test_client().get(PAGE).status_code == 302  # nobody signed in: the staff sign-in


# An ECEC unit's times page (its visit times, issue 16) is tested in tests/web/test_visit_times_staff.py.
