"""The staff side of visits to ECEC units (issue 16, "visit before deciding"): the unit's staff add and cancel visit
times on the organiser times page (portal/organisers/times.py), worded as visit times and always in person, and see
who booked each time: a guest's name and phone number, a signed-in person only as "Signed-in person". Cancelling a
time with a guest's visit cancels it and deletes the name and number; the front page does not flag a unit without
visit times. Each test has an app of its own (they change the data).

Today is tests.conftest.TODAY, Sunday 22.11.2026. The demo gives unit 1001 (the director's) visit times on Tuesdays
and Thursdays at 10:00 and 14:00, three families each, in the next two weeks: 24.11, 26.11, 1.12 and 3.12 (8 times;
portal/demo/service_point_loader.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.helpers import sign_in

from .test_organiser_availability import own_app, send  # noqa: F401  (own_app is a fixture)
from .test_organiser_roles import COORDINATOR, DIRECTOR, staff_sign_in
from .test_organiser_times import new_citizen, slots
from .test_provider_origin import dev_provider

UNIT = 1001  # Päiväkoti Kurjenpesä, the director's unit
PAGE = f"/en/organiser/units/{UNIT}/times"
BOOKING_PAGE = f"/en/visits/new?unit={UNIT}"
TUESDAY_10 = datetime(2026, 11, 24, 10, 0)  # the first demo visit time


def staff_client(app: Flask, monkeypatch: pytest.MonkeyPatch, who: str) -> Iterator[FlaskClient]:
    with dev_provider(app, monkeypatch):
        client = app.test_client()
        staff_sign_in(client, who)
        yield client


@pytest.fixture()
def director(own_app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[FlaskClient]:  # noqa: F811
    """The director of unit 1001, signed in through the development provider."""
    yield from staff_client(own_app, monkeypatch, DIRECTOR)


def text(response) -> str:
    return response.get_data(as_text=True)


def first_visit_time(app: Flask) -> int:
    return next(i for i, s in slots(app, UNIT).items() if s[0] == TUESDAY_10 and not s[5])


def book_as_guest(app: Flask, slot_id: int, name: str, phone: str) -> str:
    """A family books the visit without signing in, as a browser sends the form; returns the private link."""
    guest = app.test_client()
    booked = send(guest, text(guest.get(BOOKING_PAGE)), {"slot": str(slot_id), "name": name, "phone": phone})
    assert booked.status_code == 302, text(booked)[:3000]
    return booked.headers["Location"].split("?")[0]


def book_signed_in(app: Flask, person_id: int, slot_id: int) -> int:
    citizen = app.test_client()
    sign_in(citizen, person_id)
    booked = send(citizen, text(citizen.get(BOOKING_PAGE)), {"slot": str(slot_id)})
    assert booked.status_code == 302, text(booked)[:3000]
    return int(re.search(r"/own/reservations/(\d+)", booked.headers["Location"]).group(1))


def reservation_rows(app: Flask, slot_id: int) -> list[tuple[int | None, str, str | None, str | None]]:
    """The time's reservations as stored: (person id, status, guest name, guest phone), oldest first."""
    from portal.account_models import Reservation
    from portal.extensions import db

    with app.app_context():
        rows = db.session.scalars(select(Reservation).where(Reservation.slot_id == slot_id).order_by(Reservation.id))
        return [(r.person_id, r.status, r.guest_name, r.guest_phone) for r in rows]


def bookings_of(page: str, slot_id: int) -> list[str]:
    """The bookings listed under the time on the page, as text ("name | phone line")."""
    found = re.search(rf'<dl class="bookings[^"]*" id="bookings-{slot_id}">(.*?)</dl>', page, re.S)
    if found is None:
        return []
    rows = re.findall(r'<div class="bookings__row">(.*?)</div>', found.group(1), re.S)
    return [" | ".join(" ".join(re.sub(r"<[^>]+>", " ", part).split()) for part in row.split("</dt>")) for row in rows]


def test_the_unit_page_links_to_its_visit_times_page(own_app, director) -> None:
    unit = text(director.get(f"/en/organiser/units/{UNIT}"))
    assert "Visit times in the next 14 days" in unit
    assert f'<a href="{PAGE}">Manage visit times</a>' in unit
    page = director.get(PAGE)
    assert page.status_code == 200
    html = text(page)
    assert "<title>Visit times – Päiväkoti Kurjenpesä" in html
    assert "Add visit times" in html and "Upcoming visit times" in html and "Families per time" in html
    assert 'name="channel"' not in html and "How the appointment is held" not in html  # always in person
    assert "Appointment times" not in html
    assert len(re.findall(r'name="slot" value="\d+"', html)) == 8  # the demo's 8 visit times
    assert bookings_of(html, first_visit_time(own_app)) == []  # nobody has booked yet


def test_staff_add_visit_times_in_person_whatever_channel_is_posted(own_app, director) -> None:
    before = slots(own_app, UNIT)
    html = text(director.get(PAGE))
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    form = {
        "csrf_token": token,
        "weekdays": "0",  # Mondays 23.11 and 30.11 at 8:30
        "times": "8:30",
        "length_minutes": "30",
        "first_day": "23.11.2026",
        "last_day": "30.11.2026",
        "capacity": "4",
        "closed_days": "",
        "channel": "phone",  # no such field on the page: ignored, a visit is in person
    }
    added = director.post(PAGE, data=form)
    assert added.status_code == 302, text(added)[:3000]
    assert added.headers["Location"].endswith(
        f"/units/{UNIT}?done=times-added&added=2&existing=0&closed=&closed_count=0"
    )
    new = {i: s for i, s in slots(own_app, UNIT).items() if i not in before}
    assert sorted(s[0] for s in new.values()) == [datetime(2026, 11, 23, 8, 30), datetime(2026, 11, 30, 8, 30)]
    assert {s[1:] for s in new.values()} == {("in_person", 30, 4, 0, False)}
    notice = text(director.get(added.headers["Location"]))
    assert "2 visit times added." in notice and "Families can book them now." in notice
    guest = own_app.test_client()
    offered = text(guest.get(BOOKING_PAGE))
    for slot_id in new:  # families can book them at once
        assert f'value="{slot_id}"' in offered


def test_bad_input_on_the_visit_times_page_is_explained_and_nothing_is_saved(own_app, director) -> None:
    before = slots(own_app, UNIT)
    refused = send(director, text(director.get(PAGE)), {"times": "9", "first_day": "1.1.2027"}, "/times")
    assert refused.status_code == 400
    page = text(refused)
    assert re.findall(r'<li><a href="#([^"]+)">', page) == ["weekdays", "times", "last_day"]
    assert "Visit times" in page and 'name="channel"' not in page
    assert slots(own_app, UNIT) == before


def test_staff_see_a_guests_name_and_phone_and_a_signed_in_person_without_a_name(own_app, director) -> None:
    slot_id = first_visit_time(own_app)
    private_link = book_as_guest(own_app, slot_id, "Maija Meikäläinen", "040 123 4567")
    person = new_citizen(own_app)  # named "Testi Henkilö": staff never see it
    book_signed_in(own_app, person, slot_id)

    page = text(director.get(PAGE))
    assert bookings_of(page, slot_id) == [
        "Maija Meikäläinen | Phone 040 123 4567",
        "Signed-in person | Gets a message in their own space if the time is cancelled.",
    ]
    assert 'href="tel:0401234567"' in page
    assert "Testi Henkilö" not in page
    assert "2 of 3 reserved" in page

    guest = own_app.test_client()  # the guest cancels through the private link: the booking leaves the list
    cancel_page = text(guest.get(f"{private_link}/cancel"))
    assert send(guest, cancel_page, {}, "/cancel").status_code == 302
    page = text(director.get(PAGE))
    assert bookings_of(page, slot_id) == [
        "Signed-in person | Gets a message in their own space if the time is cancelled."
    ]
    assert "Maija" not in page and "040 123 4567" not in page


def test_staff_cancel_a_time_with_a_guests_visit_the_name_and_number_are_deleted(own_app, director) -> None:
    from portal.account_models import Message
    from portal.extensions import db

    slot_id = first_visit_time(own_app)
    private_link = book_as_guest(own_app, slot_id, "Maija Meikäläinen", "040 123 4567")
    person = new_citizen(own_app)
    book_signed_in(own_app, person, slot_id)

    confirm = director.get(f"{PAGE}/cancel", query_string={"slot": slot_id})
    assert confirm.status_code == 200
    html = text(confirm)
    assert "Cancel visit times" in html and "You are cancelling 1 time:" in html
    assert "2 visits will be cancelled with them." in html and "call each guest before you cancel" in html
    assert bookings_of(html, slot_id)[0] == "Maija Meikäläinen | Phone 040 123 4567"  # to call her first
    done = send(director, html, {}, "/times/cancel")
    assert done.status_code == 302, text(done)[:3000]
    assert done.headers["Location"].endswith(f"/units/{UNIT}?done=times-cancelled&cancelled=1&reservations=2")
    notice = text(director.get(done.headers["Location"]))
    assert "1 visit time cancelled." in notice and "2 visits cancelled" in notice

    assert slots(own_app, UNIT)[slot_id][4:] == (0, True)
    assert reservation_rows(own_app, slot_id) == [(None, "cancelled", None, None), (person, "cancelled", None, None)]
    with own_app.app_context():
        kinds = [m.kind for m in db.session.scalars(select(Message).where(Message.person_id == person))]
    assert kinds == ["reservation_confirmed", "appointment_cancelled_by_organiser"]
    guest_view = text(own_app.test_client().get(private_link))  # the guest's link shows the visit cancelled
    assert "Cancelled on" in guest_view and "Maija" not in guest_view
    assert str(slot_id) not in re.findall(r'name="slot" value="(\d+)"', text(director.get(PAGE)))


def test_a_service_points_times_list_signed_in_people_without_their_names(own_app, monkeypatch) -> None:  # noqa: F811
    from .test_organiser_times import POINT, reserve

    coordinator = next(staff_client(own_app, monkeypatch, COORDINATOR))
    page = f"/en/organiser/units/{POINT}/times"
    slot_id = min((s[0], i) for i, s in slots(own_app, POINT).items() if not s[5] and s[4] < s[3])[1]
    reserve(own_app, new_citizen(own_app), slot_id)
    html = text(coordinator.get(page))
    assert "Signed-in person | Gets a message in their own space if the time is cancelled." in bookings_of(
        html, slot_id
    )
    assert "Testi Henkilö" not in html and "Appointment times" in html and 'name="channel"' in html


def test_only_staff_of_the_unit_see_its_visit_times(own_app, director, monkeypatch) -> None:
    assert director.get("/en/organiser/units/1003/times").status_code == 404  # another unit of the city
    assert director.get("/en/organiser/units/1003/times/cancel?slot=1").status_code == 404
    other = next(i for i, s in slots(own_app, 1003).items() if not s[5])
    assert director.get(f"{PAGE}/cancel", query_string={"slot": other}).status_code == 404
    coordinator = next(staff_client(own_app, monkeypatch, COORDINATOR))
    assert coordinator.get(PAGE).status_code == 404
    citizen = own_app.test_client()
    sign_in(citizen, new_citizen(own_app))
    assert citizen.get(PAGE).status_code == 404
    assert own_app.test_client().get(PAGE).status_code == 302  # nobody signed in: the staff sign-in


def test_a_unit_without_visit_times_is_not_flagged_on_the_front_page(own_app, director) -> None:
    from portal.organisers.staleness import APPOINTMENTS
    from portal.organisers.views import _statuses
    from tests.conftest import TODAY

    every_time = [i for i, s in slots(own_app, UNIT).items() if not s[5]]
    html = text(director.get(f"{PAGE}/cancel", query_string={"slot": every_time}))
    assert send(director, html, {}, "/times/cancel").status_code == 302
    assert not any(not s[5] for s in slots(own_app, UNIT).values())  # all its visit times cancelled
    with own_app.test_request_context():
        status = _statuses(frozenset({UNIT}), TODAY)
    problems = {s.location.id: s.problems for s in status}
    assert APPOINTMENTS not in problems[UNIT]
    unit = text(director.get(f"/en/organiser/units/{UNIT}"))
    assert "No visit times. Visits are optional" in unit and "Appointment times in the next" not in unit
