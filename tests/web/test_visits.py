"""Visits to ECEC units before deciding (issue 16 item 2): booking signed in and as a guest, the guest's private
cancellation link, validation, the comparison's "Book a visit" link, and the purge of guests' details.

The demo loader gives units 1001 and 1003 visit times (portal/demo/service_point_loader.DEMO_VISIT_UNITS).
"""

from __future__ import annotations

import re
from itertools import count

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import build_app
from tests.helpers import complete_ecec, sign_in

BASE = "/en/own/reservations"
VISITS = "/en/visits"
VISIT_UNIT = 1001
_subjects = count(1)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return build_app(f"sqlite:///{tmp_path_factory.mktemp('visits') / 'polku.db'}")


def text(response) -> str:
    return response.get_data(as_text=True)


def make_person(app: Flask) -> int:
    from portal.account_models import Person
    from portal.extensions import db

    with app.app_context():
        person = Person(issuer="test", subject=f"visits-{next(_subjects)}", name="Test Person", claims={})
        db.session.add(person)
        db.session.commit()
        return person.id


def free_visit_slot(app: Flask, unit: int = VISIT_UNIT) -> int:
    from portal.extensions import db
    from portal.models import AppointmentSlot

    with app.app_context():
        return db.session.scalars(
            select(AppointmentSlot.id)
            .where(
                AppointmentSlot.location_id == unit,
                AppointmentSlot.booked < AppointmentSlot.capacity,
                AppointmentSlot.channel == "in_person",
            )
            .order_by(AppointmentSlot.starts_at)
            .limit(1)
        ).one()


def booked(app: Flask, slot_id: int) -> int:
    from portal.extensions import db
    from portal.models import AppointmentSlot

    with app.app_context():
        return db.session.get(AppointmentSlot, slot_id, populate_existing=True).booked


def guest_rows(app: Flask, slot_id: int) -> list[tuple]:
    from portal.account_models import Reservation
    from portal.extensions import db

    with app.app_context():
        return [
            (r.status, r.guest_name, r.guest_phone, r.guest_token_hash)
            for r in db.session.scalars(
                select(Reservation).where(Reservation.slot_id == slot_id, Reservation.person_id.is_(None))
            )
        ]


def error_summary(page: str) -> list[str]:
    found = re.search(r'<div class="error-summary".*?</ul>', page, re.S)
    return re.findall(r'<a href="#[^"]+">([^<]+)</a>', found.group(0)) if found else []


def test_signed_in_booking_and_cancellation(app: Flask, csrf_off_client) -> None:
    person = make_person(app)
    sign_in(csrf_off_client, person)
    slot = free_visit_slot(app)
    before = booked(app, slot)
    page = text(csrf_off_client.get(f"{VISITS}/new?unit={VISIT_UNIT}"))
    assert "Book a visit" in page and 'name="name"' not in page  # signed in: no name or phone asked
    response = csrf_off_client.post(f"{VISITS}/new?unit={VISIT_UNIT}", data={"slot": str(slot)})
    assert response.status_code == 302
    show = response.headers["Location"]
    assert re.search(r"/en/own/reservations/\d+\?done=reserved$", show)
    assert "Your reservation is confirmed." in text(csrf_off_client.get(show))
    assert booked(app, slot) == before + 1
    reservation_id = re.search(r"/(\d+)\?", show).group(1)
    assert csrf_off_client.post(f"{BASE}/{reservation_id}/cancel").status_code == 302
    assert booked(app, slot) == before


def test_guest_booking_confirmation_and_cancellation_by_link(app: Flask, csrf_off_client) -> None:
    slot = free_visit_slot(app)
    before = booked(app, slot)
    page = text(csrf_off_client.get(f"{VISITS}/new?unit={VISIT_UNIT}"))
    assert 'name="name"' in page and 'name="phone"' in page
    response = csrf_off_client.post(
        f"{VISITS}/new?unit={VISIT_UNIT}",
        data={"slot": str(slot), "name": "Maija Meikäläinen", "phone": "040 123 4567"},
    )
    assert response.status_code == 302
    confirmation = response.headers["Location"]
    token = re.search(r"/visits/([A-Za-z0-9_-]+)\?done=reserved$", confirmation).group(1)
    page = csrf_off_client.get(confirmation)
    assert page.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"  # the token stays on this site
    assert "Your visit is booked." in text(page) and f"/visits/{token}/cancel" in text(page)
    assert "Maija Meikäläinen" in text(page)
    assert booked(app, slot) == before + 1
    rows = guest_rows(app, slot)
    assert [(s, n, p) for s, n, p, _ in rows] == [("confirmed", "Maija Meikäläinen", "040 123 4567")]
    assert token not in rows[0][3]  # only the hash is stored

    assert csrf_off_client.get(f"{VISITS}/{'x' * 43}").status_code == 404  # a wrong token
    assert csrf_off_client.post(f"{VISITS}/{'x' * 43}/cancel").status_code == 404
    assert "Cancel your visit?" in text(csrf_off_client.get(f"{VISITS}/{token}/cancel"))
    response = csrf_off_client.post(f"{VISITS}/{token}/cancel")
    assert response.status_code == 302 and response.headers["Location"].endswith("?done=cancelled")
    assert "Your visit is cancelled." in text(csrf_off_client.get(response.headers["Location"]))
    assert booked(app, slot) == before
    assert [(s, n, p) for s, n, p, _ in guest_rows(app, slot)] == [("cancelled", None, None)]
    again = csrf_off_client.post(f"{VISITS}/{token}/cancel")  # the place is freed only once
    assert again.status_code == 409 and "This visit can no longer be cancelled." in text(again)
    assert booked(app, slot) == before


def test_validation_errors_keep_the_answers(app: Flask, csrf_off_client) -> None:
    slot = free_visit_slot(app)
    response = csrf_off_client.post(
        f"{VISITS}/new?unit={VISIT_UNIT}", data={"slot": str(slot), "name": "", "phone": "12ab"}
    )
    assert response.status_code == 400
    page = text(response)
    assert error_summary(page) == ["Enter your name", "Enter a phone number like 040 123 4567 or +358 40 123 4567"]
    assert 'value="12ab"' in page and re.search(rf'value="{slot}" id="slot"\s+checked', page)
    response = csrf_off_client.post(f"{VISITS}/new?unit={VISIT_UNIT}", data={"name": "x" * 101, "phone": ""})
    assert error_summary(text(response)) == [
        "Choose a time",
        "Name must be 100 characters or fewer",
        "Enter your phone number",
    ]
    assert booked(app, slot) >= 0
    assert csrf_off_client.get(f"{VISITS}/new?unit=2001").status_code == 404  # a service point is no unit
    assert csrf_off_client.get(f"{VISITS}/new?unit=abc").status_code == 404


def test_guest_booking_needs_the_csrf_token(app: Flask, client) -> None:
    slot = free_visit_slot(app)
    before = booked(app, slot)
    response = client.post(
        f"{VISITS}/new?unit={VISIT_UNIT}", data={"slot": str(slot), "name": "A", "phone": "040 123 4567"}
    )
    assert response.status_code == 400 and booked(app, slot) == before


def test_the_comparison_offers_visits_only_where_there_are_free_times(app: Flask, csrf_off_client) -> None:
    complete_ecec(csrf_off_client)
    plan = text(csrf_off_client.get("/en/events/ecec/plan"))
    cards = {}
    for chunk in plan.split('<li class="option')[1:]:
        found = re.match(r'[^"]*" id="unit-(\d+)"', chunk)
        if found:
            cards[found.group(1)] = chunk
    assert cards, "no unit cards on the plan"
    with_link = {unit for unit, card in cards.items() if "Book a visit" in card}
    assert with_link and with_link <= {"1001", "1003"}
    for unit in with_link:
        assert f"{VISITS}/new?unit={unit}" in cards[unit]


def test_purge_deletes_the_details_of_visits_that_have_passed(app: Flask, csrf_off_client) -> None:
    from datetime import datetime, timedelta

    from portal.extensions import db
    from portal.reservations.visits import purge_guest_details

    slot = free_visit_slot(app)
    csrf_off_client.post(
        f"{VISITS}/new?unit={VISIT_UNIT}", data={"slot": str(slot), "name": "Later Gone", "phone": "040 765 4321"}
    )
    with app.app_context():
        assert purge_guest_details(db.session, now=datetime(2000, 1, 1)) == 0
        assert purge_guest_details(db.session, now=datetime.now() + timedelta(days=60)) >= 1
    assert all(n is None and p is None for _, n, p, _ in guest_rows(app, slot))
