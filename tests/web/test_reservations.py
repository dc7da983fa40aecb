"""Reservations in the browser: an appointment time and an ECEC place end to end, the error states,
cancelling, CSRF, and that nobody sees or cancels another person's reservation.

The module has an app and database of its own (reservations change the demo counters), with the
reservations blueprint registered if the app factory does not register it yet. People are signed in
by putting their id in the session: these tests are about access, not authentication.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from itertools import count

import pytest
from flask import Flask
from sqlalchemy import select, update

from tests.conftest import TODAY, build_app
from tests.helpers import ECEC_STEPS, complete_ecec, sign_in

BASE = "/en/own/reservations"
_subjects = count(1)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """Overrides the session app for this module, so `client` and `csrf_off_client` use this one."""
    return build_app(f"sqlite:///{tmp_path_factory.mktemp('reservations') / 'polku.db'}")


def text(response) -> str:
    return response.get_data(as_text=True)


def make_person(app: Flask, **claims: object) -> int:
    from portal.account_models import Person
    from portal.extensions import db

    with app.app_context():
        person = Person(issuer="test", subject=f"reservations-{next(_subjects)}", name="Test Person", claims=claims)
        db.session.add(person)
        db.session.commit()
        return person.id


@pytest.fixture()
def person(app: Flask) -> int:
    return make_person(app)


@pytest.fixture()
def signed_in(csrf_off_client, person: int):
    sign_in(csrf_off_client, person)
    return csrf_off_client


@pytest.fixture()
def location_and_slot(app: Flask) -> tuple[int, int]:
    """A service point and one of its free slots not by phone (which asks for a number) from tomorrow on (within
    the 14 days the page shows)."""
    from portal.extensions import db
    from portal.models import AppointmentSlot

    with app.app_context():
        slot = db.session.scalars(
            select(AppointmentSlot)
            .where(
                AppointmentSlot.booked < AppointmentSlot.capacity,
                AppointmentSlot.channel != "phone",
                AppointmentSlot.starts_at >= datetime.combine(TODAY + timedelta(days=1), time()),
                AppointmentSlot.starts_at < datetime.combine(TODAY + timedelta(days=10), time()),
            )
            .order_by(AppointmentSlot.id)
            .limit(1)
        ).one()
        return slot.location_id, slot.id


def slot_state(app: Flask, slot_id: int) -> tuple[int, int]:
    from portal.extensions import db
    from portal.models import AppointmentSlot

    with app.app_context():
        slot = db.session.get(AppointmentSlot, slot_id)
        return slot.booked, slot.capacity


def reservations_of(app: Flask, person_id: int) -> list[tuple[int, str]]:
    from portal.account_models import Reservation
    from portal.extensions import db

    with app.app_context():
        return [
            (r.id, r.status)
            for r in db.session.scalars(
                select(Reservation).where(Reservation.person_id == person_id).order_by(Reservation.id)
            )
        ]


def messages_of(app: Flask, person_id: int) -> list[tuple[str, dict, str]]:
    from portal.account_models import Message
    from portal.extensions import db

    with app.app_context():
        return [
            (m.kind, m.values, m.link)
            for m in db.session.scalars(select(Message).where(Message.person_id == person_id).order_by(Message.id))
        ]


def error_summary(page: str) -> list[str]:
    found = re.search(r'<div class="error-summary".*?</ul>', page, re.S)
    return re.findall(r'<a href="#[^"]+">([^<]+)</a>', found.group(0)) if found else []


# ---------- access ----------


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/"),
        ("get", "/new/appointment?location=2001"),
        ("post", "/new/appointment?location=2001"),
        ("get", "/new/place?unit=1002"),
        ("post", "/new/place?unit=1002"),
        ("get", "/1"),
        ("get", "/1/cancel"),
        ("post", "/1/cancel"),
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(csrf_off_client, method: str, path: str) -> None:
    response = getattr(csrf_off_client, method)(BASE + path)
    assert response.status_code == 302
    assert re.match(r"(http://localhost)?/en/sign-in\?next=", response.location)


def test_another_person_can_neither_see_nor_cancel_my_reservation(
    app, csrf_off_client, person, location_and_slot
) -> None:
    location_id, slot_id = location_and_slot
    sign_in(csrf_off_client, person)
    response = csrf_off_client.post(f"{BASE}/new/appointment?location={location_id}", data={"slot": slot_id})
    reservation_id = int(re.search(r"/own/reservations/(\d+)", response.location).group(1))
    booked = slot_state(app, slot_id)

    sign_in(csrf_off_client, make_person(app))
    assert csrf_off_client.get(f"{BASE}/{reservation_id}").status_code == 404
    assert csrf_off_client.get(f"{BASE}/{reservation_id}/cancel").status_code == 404
    assert csrf_off_client.post(f"{BASE}/{reservation_id}/cancel").status_code == 404
    assert f"/reservations/{reservation_id}" not in text(csrf_off_client.get(f"{BASE}/"))
    assert reservations_of(app, person) == [(reservation_id, "confirmed")]
    assert slot_state(app, slot_id) == booked
    assert csrf_off_client.get(f"{BASE}/999999").status_code == 404


# ---------- an appointment ----------


def test_reserve_an_appointment_end_to_end(app, signed_in, person, location_and_slot) -> None:
    location_id, slot_id = location_and_slot
    booked, _ = slot_state(app, slot_id)
    page = text(signed_in.get(f"{BASE}/new/appointment?location={location_id}&event=business"))
    assert '<h1 class="heading-xl">Reserve an appointment</h1>' in page
    assert f'name="slot" value="{slot_id}"' in page
    assert 'id="slot"' in page  # the first radio, which the error summary links to
    assert "Reserve this time" in page

    response = signed_in.post(
        f"{BASE}/new/appointment?location={location_id}&event=business", data={"slot": str(slot_id)}
    )
    assert response.status_code == 302
    [(reservation_id, status)] = reservations_of(app, person)
    assert status == "confirmed"
    assert response.location.endswith(f"{BASE}/{reservation_id}?done=reserved")
    assert slot_state(app, slot_id)[0] == booked + 1
    [(kind, values, link)] = messages_of(app, person)
    assert kind == "reservation_confirmed" and link == f"/own/reservations/{reservation_id}"
    assert values["kind"] == "appointment" and values["starts_at"] and values["starts_on"] is None
    assert values["place"] and values["for"] is None

    page = text(signed_in.get(response.location))
    assert "Your reservation is confirmed." in page and "Cancel this reservation" in page
    listing = text(signed_in.get(f"{BASE}/"))
    assert f'href="{BASE}/{reservation_id}"' in listing and "Upcoming" in listing

    # The same time again: refused, nothing changes.
    page = text(signed_in.post(f"{BASE}/new/appointment?location={location_id}", data={"slot": str(slot_id)}))
    assert error_summary(page) == ["You have already reserved that time. Choose another time."]
    assert slot_state(app, slot_id)[0] == booked + 1


def test_choosing_no_time_shows_the_error_summary(signed_in, location_and_slot) -> None:
    location_id, _ = location_and_slot
    response = signed_in.post(f"{BASE}/new/appointment?location={location_id}", data={})
    page = text(response)
    assert response.status_code == 200
    assert "<title>Error: " in page and "There is a problem" in page
    assert error_summary(page) == ["Choose a time"]
    assert 'href="#slot"' in page and 'id="slot-error"' in page and 'aria-describedby="slot-hint slot-error"' in page


def test_a_time_taken_meanwhile_shows_the_page_again(app, signed_in, person, location_and_slot) -> None:
    from portal.extensions import db
    from portal.models import AppointmentSlot

    location_id, slot_id = location_and_slot
    booked, _ = slot_state(app, slot_id)
    with app.app_context():
        db.session.execute(
            update(AppointmentSlot).where(AppointmentSlot.id == slot_id).values(booked=AppointmentSlot.capacity)
        )
        db.session.commit()
    try:
        response = signed_in.post(f"{BASE}/new/appointment?location={location_id}", data={"slot": str(slot_id)})
        page = text(response)
        assert response.status_code == 200
        assert error_summary(page) == ["That time was just taken. Choose another time."]
        assert f'value="{slot_id}"' not in page  # the remaining times only
        assert 'name="slot"' in page and "checked" not in page
        assert reservations_of(app, person) == []
    finally:
        with app.app_context():
            db.session.execute(update(AppointmentSlot).where(AppointmentSlot.id == slot_id).values(booked=booked))
            db.session.commit()


def test_a_time_that_has_passed_cannot_be_reserved(app, signed_in, person, location_and_slot) -> None:
    from portal.extensions import db
    from portal.models import AppointmentSlot

    location_id, _ = location_and_slot
    with app.app_context():
        past = AppointmentSlot(
            location_id=location_id,
            starts_at=datetime.combine(TODAY - timedelta(days=1), time(4, 11)),
            duration_minutes=30,
            channel="phone",
            capacity=2,
            booked=0,
        )
        db.session.add(past)
        db.session.commit()
        past_id = past.id
    page = text(signed_in.post(f"{BASE}/new/appointment?location={location_id}", data={"slot": str(past_id)}))
    assert error_summary(page) == ["That time has already passed. Choose another time."]
    assert slot_state(app, past_id)[0] == 0 and reservations_of(app, person) == []


@pytest.mark.parametrize("value", ["abc", "999999", "-1"])
def test_a_time_not_on_the_list_is_refused(app, signed_in, person, location_and_slot, value: str) -> None:
    location_id, _ = location_and_slot
    page = text(signed_in.post(f"{BASE}/new/appointment?location={location_id}", data={"slot": value}))
    assert error_summary(page) == ["Choose a time from the list"]
    assert reservations_of(app, person) == []


def test_a_time_of_another_service_point_is_refused(app, signed_in, person, location_and_slot) -> None:
    from portal.extensions import db
    from portal.models import AppointmentSlot

    location_id, _ = location_and_slot
    with app.app_context():
        other = db.session.scalar(select(AppointmentSlot.id).where(AppointmentSlot.location_id != location_id).limit(1))
    page = text(signed_in.post(f"{BASE}/new/appointment?location={location_id}", data={"slot": str(other)}))
    assert error_summary(page) == ["Choose a time from the list"]
    assert reservations_of(app, person) == []


@pytest.mark.parametrize("query", ["location=999999", "location=abc", "", "location=1002"])
def test_unknown_service_point_is_404(signed_in, query: str) -> None:
    """1002 is a day care unit: a place there is reserved on the place page, not as an appointment."""
    assert signed_in.get(f"{BASE}/new/appointment?{query}").status_code == 404
    assert signed_in.post(f"{BASE}/new/appointment?{query}", data={"slot": "1"}).status_code == 404


def test_cancel_gives_the_place_back(app, signed_in, person, location_and_slot) -> None:
    location_id, slot_id = location_and_slot
    booked, _ = slot_state(app, slot_id)
    response = signed_in.post(f"{BASE}/new/appointment?location={location_id}", data={"slot": str(slot_id)})
    reservation_id = int(re.search(r"/own/reservations/(\d+)", response.location).group(1))

    confirm = text(signed_in.get(f"{BASE}/{reservation_id}/cancel"))
    assert "Cancel your reservation?" in confirm and "Yes, cancel the reservation" in confirm
    assert f'action="{BASE}/{reservation_id}/cancel"' in confirm
    response = signed_in.post(f"{BASE}/{reservation_id}/cancel")
    assert response.status_code == 302 and response.location.endswith(f"{BASE}/{reservation_id}?done=cancelled")
    assert slot_state(app, slot_id)[0] == booked
    assert reservations_of(app, person) == [(reservation_id, "cancelled")]
    assert [m[0] for m in messages_of(app, person)] == ["reservation_confirmed", "reservation_cancelled"]
    page = text(signed_in.get(response.location))
    assert "Your reservation is cancelled." in page and "Cancel this reservation" not in page

    # Cancelling again changes nothing.
    response = signed_in.post(f"{BASE}/{reservation_id}/cancel")
    assert response.status_code == 409
    assert error_summary(text(response)) == ["This reservation can no longer be cancelled."]
    assert signed_in.get(f"{BASE}/{reservation_id}/cancel").status_code == 302
    assert slot_state(app, slot_id)[0] == booked
    assert "Cancelled" in text(signed_in.get(f"{BASE}/"))


def test_an_appointment_that_has_passed_cannot_be_cancelled(app, signed_in, person, location_and_slot) -> None:
    from portal.account_models import Reservation
    from portal.extensions import db
    from portal.models import AppointmentSlot

    location_id, _ = location_and_slot
    with app.app_context():
        past = AppointmentSlot(
            location_id=location_id,
            starts_at=datetime.combine(TODAY - timedelta(days=2), time(4, 13)),
            duration_minutes=30,
            channel="phone",
            capacity=2,
            booked=1,
        )
        db.session.add(past)
        db.session.flush()
        reservation = Reservation(
            person_id=person,
            kind="appointment",
            location_id=location_id,
            slot_id=past.id,
            appointment_on=past.starts_at.date(),
            day_ordinal=1,
        )
        db.session.add(reservation)
        db.session.commit()
        reservation_id, past_id = reservation.id, past.id
    page = text(signed_in.get(f"{BASE}/{reservation_id}"))
    assert "An appointment that has passed cannot be cancelled." in page and "Cancel this reservation" not in page
    assert signed_in.post(f"{BASE}/{reservation_id}/cancel").status_code == 409
    assert slot_state(app, past_id)[0] == 1 and reservations_of(app, person) == [(reservation_id, "confirmed")]
    assert "Past" in text(signed_in.get(f"{BASE}/"))
    # A used service asks for feedback about it; the rating is stored against the service point.
    assert f'name="location" value="{location_id}"' in page and 'name="kind" value="service"' in page
    sent = signed_in.post(
        "/en/feedback/quick",
        data={
            "kind": "service",
            "location": str(location_id),
            "rating": "4",
            "next": f"{BASE}/{reservation_id}",
            "anchor": "service-feedback",
        },
    )
    assert sent.status_code == 302 and "feedback=thanks" in sent.headers["Location"]
    with app.app_context():
        from portal.account_models import Feedback

        stored = db.session.scalars(select(Feedback).where(Feedback.location_id == location_id)).all()
        assert [(f.kind, f.rating, f.person_id) for f in stored][-1] == ("service", 4, person)


def test_csrf_is_enforced_on_reserving_and_cancelling(app, client, person, location_and_slot) -> None:
    location_id, slot_id = location_and_slot
    sign_in(client, person)
    booked, _ = slot_state(app, slot_id)
    url = f"{BASE}/new/appointment?location={location_id}"
    assert client.post(url, data={"slot": str(slot_id)}).status_code == 400
    assert slot_state(app, slot_id)[0] == booked and reservations_of(app, person) == []

    token = re.search(r'name="csrf_token" value="([^"]+)"', text(client.get(url))).group(1)
    response = client.post(url, data={"slot": str(slot_id), "csrf_token": token})
    assert response.status_code == 302
    [(reservation_id, _)] = reservations_of(app, person)
    assert client.post(f"{BASE}/{reservation_id}/cancel").status_code == 400
    assert reservations_of(app, person) == [(reservation_id, "confirmed")]
    confirm = text(client.get(f"{BASE}/{reservation_id}/cancel"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', confirm).group(1)
    assert client.post(f"{BASE}/{reservation_id}/cancel", data={"csrf_token": token}).status_code == 302
    assert reservations_of(app, person) == [(reservation_id, "cancelled")]


# ---------- an ECEC place ----------


@pytest.fixture()
def unit_with_room(app: Flask) -> Iterator[int]:
    """A unit taking children under 3 (Helper's child is 2 on the start date) with 2 free places; restored after."""
    from portal.extensions import db
    from portal.models import Availability, EcecUnit

    with app.app_context():
        row = db.session.scalars(
            select(Availability)
            .join(EcecUnit, EcecUnit.location_id == Availability.location_id)
            .where(Availability.age_group == "under_3", EcecUnit.serves_under_3.is_(True))
            .order_by(Availability.location_id)
            .limit(1)
        ).one()
        unit_id, before = row.location_id, row.free_places
        row.free_places = 2
        db.session.commit()
    yield unit_id
    with app.app_context():
        db.session.execute(
            update(Availability)
            .where(Availability.location_id == unit_id, Availability.age_group == "under_3")
            .values(free_places=before)
        )
        db.session.commit()


def free_places(app: Flask, unit_id: int) -> int:
    from portal.extensions import db
    from portal.models import Availability

    with app.app_context():
        return db.session.scalar(
            select(Availability.free_places).where(
                Availability.location_id == unit_id, Availability.age_group == "under_3"
            )
        )


def test_an_ecec_place_needs_the_journey_answers_first(signed_in, unit_with_room) -> None:
    page = text(signed_in.get(f"{BASE}/new/place?unit={unit_with_room}"))
    assert "First answer the questions about early childhood education." in page
    assert 'href="/en/events/ecec/"' in page and "Reserve this place" not in page


def test_reserve_an_ecec_place_with_the_session_answers(app, signed_in, person, unit_with_room) -> None:
    from portal.account_models import Reservation
    from portal.catalogue_cache import current_revision
    from portal.extensions import db

    complete_ecec(signed_in)
    plan = text(signed_in.get("/en/events/ecec/plan"))
    assert f'href="{BASE}/new/place?unit={unit_with_room}"' in plan  # signed in: the table links here
    with app.app_context():
        revision = current_revision(db.session)

    page = text(signed_in.get(f"{BASE}/new/place?unit={unit_with_room}"))
    assert "2 free places" in page and "Under 3 years" in page and "12 August 2027" in page
    response = signed_in.post(f"{BASE}/new/place?unit={unit_with_room}")
    assert response.status_code == 302 and "done=reserved" in response.location
    assert free_places(app, unit_with_room) == 1
    with app.app_context():
        assert current_revision(db.session) > revision  # the plan's cached catalogue reloads
        reservation = db.session.scalars(select(Reservation).where(Reservation.person_id == person)).one()
        assert (
            reservation.kind,
            reservation.location_id,
            reservation.age_group,
            reservation.starts_on,
            reservation.acting_for,
            reservation.slot_id,
        ) == ("ecec_place", unit_with_room, "under_3", date(2027, 8, 12), "self", None)
    [(kind, values, link)] = messages_of(app, person)
    assert kind == "reservation_confirmed" and values["kind"] == "ecec_place"
    assert values["starts_on"] == "2027-08-12" and values["starts_at"] is None
    assert "1 free place" in text(signed_in.get("/en/events/ecec/plan"))  # the table shows the new count

    # A second place at the same unit for the same child is refused.
    page = text(signed_in.post(f"{BASE}/new/place?unit={unit_with_room}"))
    assert error_summary(page) == ["A place at this unit is already reserved for this child."]
    assert free_places(app, unit_with_room) == 1

    # Cancelling gives the place back.
    assert signed_in.post(f"{BASE}/{reservation.id}/cancel").status_code == 302
    assert free_places(app, unit_with_room) == 2


def test_the_last_place_taken_meanwhile_shows_an_error(app, signed_in, person, unit_with_room) -> None:
    from portal.extensions import db
    from portal.models import Availability

    complete_ecec(signed_in)
    assert "Reserve this place" in text(signed_in.get(f"{BASE}/new/place?unit={unit_with_room}"))
    with app.app_context():  # someone else takes both places
        db.session.execute(
            update(Availability)
            .where(Availability.location_id == unit_with_room, Availability.age_group == "under_3")
            .values(free_places=0)
        )
        db.session.commit()
    response = signed_in.post(f"{BASE}/new/place?unit={unit_with_room}")
    page = text(response)
    assert response.status_code == 200
    assert error_summary(page) == ["The last free place was just taken. Choose another unit from your plan."]
    assert 'href="#availability"' in page and 'id="availability"' in page
    assert "Reserve this place" not in page and reservations_of(app, person) == []
    assert free_places(app, unit_with_room) == 0


def test_an_ecec_place_for_the_child_chosen_in_the_session(app, csrf_off_client, unit_with_room) -> None:
    """The child comes from the session's acting-for choice, checked against the person's household."""
    child = {"household": {"children": [{"id": "c1", "given_name": "Eeli", "birthdate": "2025-03-15"}]}}
    person = make_person(app, **child)
    sign_in(csrf_off_client, person)
    complete_ecec(csrf_off_client)
    with csrf_off_client.session_transaction() as session:
        session["acting_for"] = {"ecec": {"key": "child:c1", "name": "Eeli"}}
    page = text(csrf_off_client.get(f"{BASE}/new/place?unit={unit_with_room}"))
    assert "Eeli" in page
    response = csrf_off_client.post(f"{BASE}/new/place?unit={unit_with_room}")
    assert response.status_code == 302
    [(_, values, _)] = messages_of(app, person)
    assert values["for"] == "Eeli"
    assert "Eeli" in text(csrf_off_client.get(response.location))


def test_a_child_not_in_the_household_is_not_taken_from_the_session(app, csrf_off_client, unit_with_room) -> None:
    from portal.account_models import Reservation
    from portal.extensions import db

    person = make_person(app)
    sign_in(csrf_off_client, person)
    complete_ecec(csrf_off_client)
    with csrf_off_client.session_transaction() as session:
        session["acting_for"] = {"ecec": {"key": "child:someone-else", "name": "Mallory"}}
    assert "Mallory" not in text(csrf_off_client.get(f"{BASE}/new/place?unit={unit_with_room}"))
    assert csrf_off_client.post(f"{BASE}/new/place?unit={unit_with_room}").status_code == 302
    with app.app_context():
        reservation = db.session.scalars(select(Reservation).where(Reservation.person_id == person)).one()
        assert (reservation.acting_for, reservation.acting_for_name) == ("self", None)


@pytest.mark.parametrize("query", ["unit=999999", "unit=x", "", "unit=2001"])
def test_unknown_unit_is_404(signed_in, query: str) -> None:
    """2001 is a service point, not a day care unit."""
    assert signed_in.get(f"{BASE}/new/place?{query}").status_code == 404


# ---------- the plan's tables ----------


def test_reserve_links_only_for_signed_in_people(app, csrf_off_client, person) -> None:
    complete_ecec(csrf_off_client)
    anonymous = text(csrf_off_client.get("/en/events/ecec/plan"))
    assert "/own/reservations/" not in anonymous and "Reserve a place" not in anonymous
    sign_in(csrf_off_client, person)
    page = text(csrf_off_client.get("/en/events/ecec/plan"))
    links = re.findall(
        r'<a href="/en/own/reservations/new/place\?unit=(\d+)">Reserve a place'
        r'<span class="visually-hidden">: ([^<]+)</span></a>',
        page,
    )
    rows_with_room = re.findall(r'<li class="option" id="unit-(\d+)">(?:(?!<li class="option).)*?tag--room', page, re.S)
    assert links and [unit for unit, _ in links] == rows_with_room
    assert len({name for _, name in links}) == len(links)  # unique accessible names


def test_reservations_list_on_an_empty_account(csrf_off_client, person) -> None:
    sign_in(csrf_off_client, person)
    page = text(csrf_off_client.get(f"{BASE}/"))
    assert '<h1 class="heading-xl">Your reservations</h1>' in page and "You have no reservations." in page
    assert csrf_off_client.get(f"{BASE}/").headers["Cache-Control"] == "no-store"


def test_the_own_space_front_page_lists_my_reservations(app, signed_in, person, location_and_slot) -> None:
    """The own space includes reservations/_list.html (the partial works outside this blueprint)."""
    assert "own" in app.blueprints, "the own space is not registered in this app"
    location_id, slot_id = location_and_slot
    response = signed_in.post(f"{BASE}/new/appointment?location={location_id}", data={"slot": str(slot_id)})
    reservation_id = int(re.search(r"/own/reservations/(\d+)", response.location).group(1))
    page = text(signed_in.get("/en/own/"))
    assert f'href="{BASE}/{reservation_id}"' in page and f'href="{BASE}/"' in page


# ---------- one appointment per person, service point and day (unless the point allows more) ----------


@pytest.fixture()
def same_day_slots(app: Flask) -> Iterator[tuple[int, list[int]]]:
    """Three free in-person slots of their own at a service point, on one day 3 days from today (at hours no
    demo slot uses); the point's daily limit is restored afterwards."""
    from portal.account_models import Reservation
    from portal.extensions import db
    from portal.models import AppointmentSlot, Service, ServiceLocation

    day = TODAY + timedelta(days=3)
    with app.app_context():
        location_id = db.session.scalar(
            select(ServiceLocation.id)
            .join(Service)
            .where(Service.kind.is_not(None))
            .order_by(ServiceLocation.id.desc())
            .limit(1)
        )
        slots = [
            AppointmentSlot(
                location_id=location_id,
                starts_at=datetime.combine(day, time(6, minute)),
                duration_minutes=15,
                channel="in_person",
                capacity=2,
                booked=0,
            )
            for minute in (7, 29, 41)
        ]
        db.session.add_all(slots)
        db.session.commit()
        ids = [s.id for s in slots]
    yield location_id, ids
    with app.app_context():
        db.session.execute(
            update(ServiceLocation).where(ServiceLocation.id == location_id).values(appointments_per_person_per_day=1)
        )
        db.session.execute(Reservation.__table__.delete().where(Reservation.slot_id.in_(ids)))
        db.session.execute(AppointmentSlot.__table__.delete().where(AppointmentSlot.id.in_(ids)))
        db.session.commit()


def set_daily_limit(app: Flask, location_id: int, limit: int) -> None:
    from portal.extensions import db
    from portal.models import ServiceLocation

    with app.app_context():
        db.session.execute(
            update(ServiceLocation)
            .where(ServiceLocation.id == location_id)
            .values(appointments_per_person_per_day=limit)
        )
        db.session.commit()


def test_one_appointment_a_day_at_a_service_point(app, signed_in, person, same_day_slots) -> None:
    location_id, (first, second, third) = same_day_slots
    url = f"{BASE}/new/appointment?location={location_id}"
    assert signed_in.post(url, data={"slot": str(first)}).status_code == 302

    response = signed_in.post(url, data={"slot": str(second)})
    assert response.status_code == 200
    assert error_summary(text(response)) == [
        "An appointment at this service point on that day is already reserved. Choose another day."
    ]
    assert slot_state(app, second)[0] == 0 and [s for _, s in reservations_of(app, person)] == ["confirmed"]

    # Cancelling the first frees the day.
    [(first_id, _)] = reservations_of(app, person)
    assert signed_in.post(f"{BASE}/{first_id}/cancel").status_code == 302
    assert signed_in.post(url, data={"slot": str(second)}).status_code == 302
    assert slot_state(app, second)[0] == 1


def test_an_organiser_may_allow_two_appointments_a_day(app, signed_in, person, same_day_slots) -> None:
    location_id, (first, second, third) = same_day_slots
    set_daily_limit(app, location_id, 2)
    url = f"{BASE}/new/appointment?location={location_id}"
    assert signed_in.post(url, data={"slot": str(first)}).status_code == 302
    assert signed_in.post(url, data={"slot": str(second)}).status_code == 302
    page = text(signed_in.post(url, data={"slot": str(third)}))
    assert error_summary(page) == [
        "2 appointments at this service point on that day are already reserved, the most it allows. Choose another day."
    ]
    assert [slot_state(app, s)[0] for s in (first, second, third)] == [1, 1, 0]
    assert [s for _, s in reservations_of(app, person)] == ["confirmed", "confirmed"]


def test_the_daily_limit_is_per_person(app, csrf_off_client, same_day_slots) -> None:
    location_id, (first, second, _) = same_day_slots
    url = f"{BASE}/new/appointment?location={location_id}"
    for slot_id in (first, second):
        sign_in(csrf_off_client, make_person(app))
        assert csrf_off_client.post(url, data={"slot": str(slot_id)}).status_code == 302


# ---------- a phone appointment asks for the number to call ----------


@pytest.fixture()
def phone_slot(app: Flask) -> Iterator[tuple[int, int, int]]:
    """A service point with a free phone slot and a free in-person slot of their own, 2 days from today."""
    from portal.account_models import Reservation
    from portal.extensions import db
    from portal.models import AppointmentSlot, Service, ServiceLocation

    day = TODAY + timedelta(days=2)
    with app.app_context():
        location_id = db.session.scalar(
            select(ServiceLocation.id)
            .join(Service)
            .where(Service.kind.is_not(None))
            .order_by(ServiceLocation.id)
            .limit(1)
        )
        phone = AppointmentSlot(
            location_id=location_id,
            starts_at=datetime.combine(day, time(6, 3)),
            duration_minutes=20,
            channel="phone",
            capacity=1,
            booked=0,
        )
        visit = AppointmentSlot(
            location_id=location_id,
            starts_at=datetime.combine(day + timedelta(days=1), time(6, 3)),
            duration_minutes=20,
            channel="in_person",
            capacity=1,
            booked=0,
        )
        db.session.add_all([phone, visit])
        db.session.commit()
        ids = phone.id, visit.id
    yield location_id, *ids
    with app.app_context():
        db.session.execute(Reservation.__table__.delete().where(Reservation.slot_id.in_(ids)))
        db.session.execute(AppointmentSlot.__table__.delete().where(AppointmentSlot.id.in_(ids)))
        db.session.commit()


def test_the_page_asks_for_a_phone_number_when_times_by_phone_are_offered(signed_in, phone_slot) -> None:
    location_id, phone_id, _ = phone_slot
    page = text(signed_in.get(f"{BASE}/new/appointment?location={location_id}"))
    assert re.search(rf'value="{phone_id}" id="slot(-{phone_id})?" data-channel="phone"', page)
    assert '<label class="label" for="phone">Phone number to call</label>' in page
    assert re.search(
        r'<input class="input input--width-20" id="phone" name="phone" type="tel" value="" '
        r'autocomplete="tel" spellcheck="false"\s+aria-describedby="phone-hint">',
        page,
    )
    assert 'id="phone-hint"' in page and "+358 40 123 4567" in page


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Enter the phone number to call for a time by phone"),
        ("   ", "Enter the phone number to call for a time by phone"),
        ("12345", "Enter a phone number like 040 123 4567 or +358 40 123 4567"),
        ("040 123 abc", "Enter a phone number like 040 123 4567 or +358 40 123 4567"),
        ("+358 40 123 4567 ext. 5", "Enter a phone number like 040 123 4567 or +358 40 123 4567"),
        ("0" * 31, "Phone number must be 30 characters or fewer"),
    ],
)
def test_a_time_by_phone_needs_a_number_that_can_be_called(
    app, signed_in, person, phone_slot, typed: str, message: str
) -> None:
    location_id, phone_id, _ = phone_slot
    response = signed_in.post(
        f"{BASE}/new/appointment?location={location_id}", data={"slot": str(phone_id), "phone": typed}
    )
    page = text(response)
    assert response.status_code == 200 and "<title>Error: " in page
    assert error_summary(page) == [message]
    assert (
        'href="#phone"' in page
        and f'<p class="error-message" id="phone-error"><span class="visually-hidden">Error:</span> {message}</p>'
        in page
    )
    assert 'aria-describedby="phone-hint phone-error" aria-invalid="true"' in page
    assert 'class="form-group form-group--error"' in page and "slot-error" not in page
    assert re.search(rf'value="{phone_id}" id="slot(-{phone_id})?" data-channel="phone" checked', page)  # kept
    assert f'name="phone" type="tel" value="{typed}"' in page  # as typed, to correct
    assert reservations_of(app, person) == [] and slot_state(app, phone_id)[0] == 0


def test_a_time_by_phone_keeps_the_number_with_the_reservation(app, signed_in, person, phone_slot) -> None:
    from portal.account_models import Person, Reservation
    from portal.extensions import db

    location_id, phone_id, _ = phone_slot
    response = signed_in.post(
        f"{BASE}/new/appointment?location={location_id}", data={"slot": str(phone_id), "phone": "  +358 40  123 4567 "}
    )
    assert response.status_code == 302
    with app.app_context():
        reservation = db.session.scalars(select(Reservation).where(Reservation.person_id == person)).one()
        assert reservation.phone == "+358 40 123 4567" and reservation.slot_id == phone_id
        assert "phone" not in str(db.session.get(Person, person).claims)  # not in the profile
    page = text(signed_in.get(response.location))
    assert re.search(
        r'<dt class="summary-list__key">Phone number to call</dt>\s*'
        r'<dd class="summary-list__value">\+358 40 123 4567</dd>',
        page,
    )
    if "own" in app.blueprints:
        import json

        data = json.loads(signed_in.get("/en/own/data.json").data)
        assert [r["phone"] for r in data["reservations"]] == ["+358 40 123 4567"]


def test_a_time_not_by_phone_keeps_no_number(app, signed_in, person, phone_slot) -> None:
    from portal.account_models import Reservation
    from portal.extensions import db

    location_id, _, visit_id = phone_slot
    response = signed_in.post(
        f"{BASE}/new/appointment?location={location_id}", data={"slot": str(visit_id), "phone": "not a number"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Reservation).where(Reservation.person_id == person)).one().phone is None
    assert "Phone number to call" not in text(signed_in.get(response.location))


def test_a_finnish_number_is_accepted(app, signed_in, person, phone_slot) -> None:
    location_id, phone_id, _ = phone_slot
    response = signed_in.post(
        f"{BASE}/new/appointment?location={location_id}", data={"slot": str(phone_id), "phone": "040-123 4567"}
    )
    assert response.status_code == 302
    assert "040-123 4567" in text(signed_in.get(response.location))


# ---------- one ECEC place per child and start date: the replace flow ----------


@pytest.fixture()
def two_units(app: Flask) -> Iterator[tuple[int, int]]:
    """Two units taking children under 3, each with 2 free places of that group; restored afterwards."""
    from portal.extensions import db
    from portal.models import Availability, EcecUnit

    with app.app_context():
        rows = db.session.scalars(
            select(Availability)
            .join(EcecUnit, EcecUnit.location_id == Availability.location_id)
            .where(Availability.age_group == "under_3", EcecUnit.serves_under_3.is_(True))
            .order_by(Availability.location_id.desc())
            .limit(2)
        ).all()
        before = {row.location_id: row.free_places for row in rows}
        for row in rows:
            row.free_places = 2
        db.session.commit()
    yield tuple(before)
    with app.app_context():
        for unit_id, free in before.items():
            db.session.execute(
                update(Availability)
                .where(Availability.location_id == unit_id, Availability.age_group == "under_3")
                .values(free_places=free)
            )
        db.session.commit()


def unit_name(app: Flask, unit_id: int) -> str:
    from portal.extensions import db
    from portal.models import ServiceLocation

    with app.app_context():
        return db.session.get(ServiceLocation, unit_id).name


def test_a_second_place_for_the_same_child_and_start_date_asks_to_replace_the_first(
    app, csrf_off_client, two_units
) -> None:
    import html

    first, second = two_units
    child = {"household": {"children": [{"id": "c1", "given_name": "Eeli", "birthdate": "2025-03-15"}]}}
    person = make_person(app, **child)
    sign_in(csrf_off_client, person)
    complete_ecec(csrf_off_client)
    with csrf_off_client.session_transaction() as session:
        session["acting_for"] = {"ecec": {"key": "child:c1", "name": "Eeli"}}
    assert csrf_off_client.post(f"{BASE}/new/place?unit={first}").status_code == 302
    [(first_id, status)] = reservations_of(app, person)
    assert status == "confirmed" and (free_places(app, first), free_places(app, second)) == (1, 2)

    # The second unit: a question, nothing changes yet.
    response = csrf_off_client.post(f"{BASE}/new/place?unit={second}")
    page = html.unescape(text(response))
    assert response.status_code == 200 and '<h1 class="heading-xl">Replace the reserved place?</h1>' in page
    assert (
        f"A place at {unit_name(app, first)} is already reserved for Eeli from 12 August 2027. "
        f"Replace it with a place at {unit_name(app, second)}?"
    ) in page
    assert f'<input type="hidden" name="replace" value="{first_id}">' in page
    assert f'action="{BASE}/new/place?unit={second}"' in page
    keep = re.search(r'<a class="button-link" href="([^"]+)">No, keep the place at ([^<]+)</a>', page)
    assert keep.groups() == (f"{BASE}/{first_id}", unit_name(app, first))
    assert reservations_of(app, person) == [(first_id, "confirmed")]
    assert (free_places(app, first), free_places(app, second)) == (1, 2)

    # "No, keep the place" is a link to the first place: still confirmed.
    assert "Confirmed" in text(csrf_off_client.get(keep.group(1)))

    # "Yes": the first is cancelled and the second taken, in one go.
    response = csrf_off_client.post(f"{BASE}/new/place?unit={second}", data={"replace": str(first_id)})
    assert response.status_code == 302 and "done=reserved" in response.location
    [(_, status_first), (second_id, status_second)] = reservations_of(app, person)
    assert (status_first, status_second) == ("cancelled", "confirmed")
    assert response.location.endswith(f"{BASE}/{second_id}?done=reserved")
    assert (free_places(app, first), free_places(app, second)) == (2, 1)
    kinds = [(kind, values["location_id"]) for kind, values, _ in messages_of(app, person)]
    assert kinds == [
        ("reservation_confirmed", first),
        ("reservation_cancelled", first),
        ("reservation_confirmed", second),
    ]

    # Posting the same confirmation again (a double submit) replaces nothing more.
    response = csrf_off_client.post(f"{BASE}/new/place?unit={second}", data={"replace": str(first_id)})
    assert error_summary(text(response)) == ["A place at this unit is already reserved for this child."]
    assert (free_places(app, first), free_places(app, second)) == (2, 1)


def test_each_child_and_start_date_holds_its_own_place(app, csrf_off_client, two_units) -> None:
    """Another start date, or another child, is not a second place for the same child and date."""
    first, second = two_units
    person = make_person(app)
    sign_in(csrf_off_client, person)
    complete_ecec(csrf_off_client)
    assert csrf_off_client.post(f"{BASE}/new/place?unit={first}").status_code == 302
    complete_ecec(csrf_off_client, child={"start_date-day": "13"})
    assert csrf_off_client.post(f"{BASE}/new/place?unit={second}").status_code == 302
    assert [s for _, s in reservations_of(app, person)] == ["confirmed", "confirmed"]
    assert (free_places(app, first), free_places(app, second)) == (1, 1)


def test_replacing_when_the_new_unit_filled_up_keeps_the_first_place(app, csrf_off_client, person, two_units) -> None:
    from portal.extensions import db
    from portal.models import Availability

    first, second = two_units
    sign_in(csrf_off_client, person)
    complete_ecec(csrf_off_client)
    csrf_off_client.post(f"{BASE}/new/place?unit={first}")
    [(first_id, _)] = reservations_of(app, person)
    assert 'name="replace"' in text(csrf_off_client.post(f"{BASE}/new/place?unit={second}"))
    with app.app_context():  # someone else takes both places of the second unit meanwhile
        db.session.execute(
            update(Availability)
            .where(Availability.location_id == second, Availability.age_group == "under_3")
            .values(free_places=0)
        )
        db.session.commit()
    response = csrf_off_client.post(f"{BASE}/new/place?unit={second}", data={"replace": str(first_id)})
    assert error_summary(text(response)) == ["The last free place was just taken. Choose another unit from your plan."]
    assert reservations_of(app, person) == [(first_id, "confirmed")]
    assert (free_places(app, first), free_places(app, second)) == (1, 0)


def test_a_place_cancelled_meanwhile_is_not_needed_to_replace(app, csrf_off_client, person, two_units) -> None:
    """Confirming after the first place was cancelled in another tab simply reserves the new one."""
    first, second = two_units
    sign_in(csrf_off_client, person)
    complete_ecec(csrf_off_client)
    csrf_off_client.post(f"{BASE}/new/place?unit={first}")
    [(first_id, _)] = reservations_of(app, person)
    csrf_off_client.post(f"{BASE}/{first_id}/cancel")
    response = csrf_off_client.post(f"{BASE}/new/place?unit={second}", data={"replace": str(first_id)})
    assert response.status_code == 302
    assert [s for _, s in reservations_of(app, person)] == ["cancelled", "confirmed"]
    assert (free_places(app, first), free_places(app, second)) == (2, 1)


def test_another_persons_place_cannot_be_replaced(app, csrf_off_client, two_units) -> None:
    first, second = two_units
    owner = make_person(app)
    sign_in(csrf_off_client, owner)
    complete_ecec(csrf_off_client)
    csrf_off_client.post(f"{BASE}/new/place?unit={first}")
    [(first_id, _)] = reservations_of(app, owner)

    intruder = make_person(app)
    sign_in(csrf_off_client, intruder)
    for value in (str(first_id), "999999", "x"):
        response = csrf_off_client.post(f"{BASE}/new/place?unit={second}", data={"replace": value})
        assert response.status_code == 404, value
    assert reservations_of(app, owner) == [(first_id, "confirmed")] and reservations_of(app, intruder) == []
    assert (free_places(app, first), free_places(app, second)) == (1, 2)


def test_csrf_is_enforced_on_replacing(app, client, person, two_units) -> None:
    first, second = two_units
    sign_in(client, person)
    page = text(client.get("/en/events/ecec/steps/child"))
    for step, data in ECEC_STEPS.items():
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = client.post(f"/en/events/ecec/steps/{step}", data={**data, "csrf_token": token})
        assert response.status_code == 302, step
        page = text(client.get(response.location))
    token = re.search(r'name="csrf_token" value="([^"]+)"', text(client.get(f"{BASE}/new/place?unit={first}"))).group(1)
    assert client.post(f"{BASE}/new/place?unit={first}", data={"csrf_token": token}).status_code == 302
    [(first_id, _)] = reservations_of(app, person)
    question = text(client.post(f"{BASE}/new/place?unit={second}", data={"csrf_token": token}))
    assert 'name="replace"' in question

    assert client.post(f"{BASE}/new/place?unit={second}", data={"replace": str(first_id)}).status_code == 400
    assert reservations_of(app, person) == [(first_id, "confirmed")]
    assert (free_places(app, first), free_places(app, second)) == (1, 2)
    token = re.search(r'name="csrf_token" value="([^"]+)"', question).group(1)
    response = client.post(f"{BASE}/new/place?unit={second}", data={"replace": str(first_id), "csrf_token": token})
    assert response.status_code == 302
    assert [s for _, s in reservations_of(app, person)] == ["cancelled", "confirmed"]
