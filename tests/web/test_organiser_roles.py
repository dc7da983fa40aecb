"""Organiser roles (issue 15, item 1): staff sign in through the development provider's staff people (the whole
OpenID Connect protocol over the test client, as in test_provider_origin), see exactly their units and service
points, and get 404 for anything else; citizens get 404 and nobody signed in is sent to the staff sign-in."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import sign_in as citizen_session

from .test_provider_origin import Network, choose, dev_provider, provider_get

MANAGER = "5a1f3c2e-8d4b-4e6a-9b7c-1d2e3f4a5b6c"
DIRECTOR = "7c2d4e6f-1a3b-4c5d-8e9f-0a1b2c3d4e5f"
PRIVATE = "9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b"
COORDINATOR = "3b4c5d6e-7f80-4912-a3b4-c5d6e7f80912"
ADMIN = "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b"
NEWCOMER = "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f"  # a unit director with no unit yet
LIISA = "6d76d80a-2420-42a4-a209-c91ec0eb89ee"  # a citizen test person

# The City of Turku's own ECEC units in turku_region.yaml (service turku-ecec): ids 1001-1009, 1015-1018, 1020, 1021.
TURKU_MUNICIPAL = {1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1015, 1016, 1017, 1018, 1020, 1021}


@pytest.fixture()
def network(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Network]:
    with dev_provider(app, monkeypatch) as net:
        yield net


def staff_sign_in(browser: FlaskClient, person: str, lang: str = "en") -> str:
    """The whole staff sign-in; returns where the portal sends the person afterwards."""
    start = browser.get(f"/{lang}/organiser/sign-in")
    assert start.status_code == 302, start.get_data(as_text=True)[:2000]
    location = start.headers["Location"]
    params = {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
    assert "polku_staff" in params["scope"].split() and params["prompt"] == "login"
    back = choose(browser, location, person)
    answer = browser.get(urlsplit(back).path, query_string=urlsplit(back).query)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    return answer.headers["Location"]


def unit_links(html: str) -> set[int]:
    import re

    return {int(found) for found in re.findall(r'href="/en/organiser/units/(\d+)"', html)}


def citizen(app: Flask) -> int:
    from portal.account_models import Person
    from portal.extensions import db

    with app.app_context():
        person = Person(issuer="https://idp.test", subject=secrets.token_hex(8), name="Testi Henkilö", claims={})
        db.session.add(person)
        db.session.commit()
        return person.id


def front_page(browser: FlaskClient) -> str:
    page = browser.get("/en/organiser/")
    assert page.status_code == 200, page.get_data(as_text=True)[:2000]
    return page.get_data(as_text=True)


def test_the_manager_sees_every_turku_municipal_unit_and_nothing_else(client, network: Network) -> None:
    assert staff_sign_in(client, MANAGER) == "/en/organiser/"
    html = front_page(client)
    assert unit_links(html) == TURKU_MUNICIPAL
    assert "Kaisa Lindqvist" in html


def test_the_director_sees_one_unit_and_gets_404_for_another(client, network: Network) -> None:
    staff_sign_in(client, DIRECTOR)
    assert unit_links(front_page(client)) == {1001}
    own = client.get("/en/organiser/units/1001")
    assert own.status_code == 200 and "Päiväkoti Kurjenpesä" in own.get_data(as_text=True)
    assert client.get("/en/organiser/units/1002").status_code == 404  # a Turku unit, not hers
    assert client.get("/en/organiser/units/999999").status_code == 404  # no such unit: the same answer


def test_the_private_provider_sees_its_voucher_unit(client, network: Network) -> None:
    staff_sign_in(client, PRIVATE)
    assert unit_links(front_page(client)) == {1010, 1305}  # Satakieli Oy runs both (Turku, Naantali)
    assert client.get("/en/organiser/units/1001").status_code == 404


def test_the_business_advice_coordinator_sees_the_business_service_points(client, network: Network) -> None:
    staff_sign_in(client, COORDINATOR)
    assert unit_links(front_page(client)) == {2001, 2002}
    assert client.get("/en/organiser/units/2011").status_code == 404  # food control: not theirs


def test_the_catalogue_administrator_sees_everything(app: Flask, client, network: Network) -> None:
    from sqlalchemy import func, select

    from portal.extensions import db
    from portal.models import ServiceLocation

    staff_sign_in(client, ADMIN)
    with app.app_context():
        every = db.session.scalar(select(func.count()).select_from(ServiceLocation))
    links = unit_links(front_page(client))
    assert len(links) == every and {1001, 1010, 2001, 2011} <= links


def test_the_staff_chooser_offers_staff_only_and_refuses_a_citizen(client, network: Network) -> None:
    location = client.get("/en/organiser/sign-in").headers["Location"]
    html = provider_get(client, location).get_data(as_text=True)
    assert MANAGER in html and ADMIN in html and LIISA not in html
    parts = urlsplit(location)
    page = provider_get(client, location).get_data(as_text=True)
    from .test_provider_origin import csrf_token

    answer = client.post(
        parts.path,
        query_string=parts.query,
        base_url=f"{parts.scheme}://{parts.netloc}",
        data={"csrf_token": csrf_token(page), "action": "sign_in", "person": LIISA},
    )
    assert answer.status_code == 200  # the chooser again, with its error; no code for a citizen
    assert "Choose the test person to sign in as" in answer.get_data(as_text=True)


def test_a_citizen_gets_404_and_nobody_signed_in_goes_to_the_staff_sign_in(app: Flask) -> None:
    browser = app.test_client()
    for path in ("/en/organiser/", "/en/organiser/units/1001"):
        answer = browser.get(path)
        assert answer.status_code == 302
        assert answer.headers["Location"].startswith("/en/organiser/sign-in?next=")
    citizen_session(browser, citizen(app))
    for path in ("/en/organiser/", "/en/organiser/units/1001"):
        assert browser.get(path).status_code == 404


def test_staff_sign_in_replaces_a_citizen_session(app: Flask, client, network: Network) -> None:
    citizen_session(client, citizen(app))
    staff_sign_in(client, DIRECTOR)
    with client.session_transaction() as session:
        assert "person_id" not in session and session["staff"]["units"] == [1001]
    assert client.get("/en/own/").status_code == 302  # no longer signed in as the citizen


def test_a_staff_session_ends_after_30_idle_minutes(app: Flask, client, network: Network) -> None:
    from sqlalchemy import select

    from portal.account_models import WebSession
    from portal.extensions import db
    from portal.sessions import deserialize

    staff_sign_in(client, DIRECTOR)
    assert client.get("/en/organiser/").status_code == 200
    assert app.config["STAFF_SESSION_IDLE_TIMEOUT"] == timedelta(minutes=30)
    with app.app_context():
        rows = [row for row in db.session.scalars(select(WebSession)) if "staff" in deserialize(row.data)]
        for row in rows:  # 31 minutes without a request: within a citizen's 60, beyond the staff 30
            row.last_seen_at -= timedelta(minutes=31)
            row.created_at -= timedelta(minutes=31)
        assert rows
        db.session.commit()
    assert client.get("/en/organiser/").status_code == 302  # signed out: back to the staff sign-in


def test_staff_sign_out_ends_the_session(client, network: Network) -> None:
    from .test_provider_origin import csrf_token

    staff_sign_in(client, DIRECTOR)
    token = csrf_token(front_page(client))
    answer = client.post("/en/organiser/sign-out", data={"csrf_token": token})
    assert answer.status_code == 302
    assert client.get("/en/organiser/").status_code == 302


@pytest.fixture()
def own_app(tmp_path) -> Flask:
    """An app of its own: these tests change the demo data."""
    from tests.conftest import build_app

    return build_app(f"sqlite:///{tmp_path / 'organiser.db'}")


@pytest.fixture()
def own_network(own_app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Network]:
    with dev_provider(own_app, monkeypatch) as net:
        yield net


def test_the_front_page_names_what_is_stale(own_app: Flask, own_network: Network) -> None:
    """Today is TODAY (POLKU_TODAY). Unit 1001's availability confirmed 14 days ago: stale; 1010's prices gone:
    no price for next month; 2001's times all cancelled: no appointment times in the next 14 days."""
    from datetime import datetime

    from sqlalchemy import delete, update

    from portal.extensions import db
    from portal.models import AppointmentSlot, Availability, UnitPrice
    from tests.conftest import TODAY

    with own_app.app_context():
        confirmed = datetime.combine(TODAY - timedelta(days=14), datetime.min.time()).replace(hour=9)
        db.session.execute(update(Availability).where(Availability.location_id == 1001).values(updated_at=confirmed))
        db.session.execute(
            update(Availability)
            .where(Availability.location_id == 1002)
            .values(updated_at=confirmed + timedelta(days=1))
        )
        db.session.execute(delete(UnitPrice).where(UnitPrice.location_id == 1010))
        db.session.execute(  # every time cancelled: it still takes appointments, but has none to offer
            update(AppointmentSlot).where(AppointmentSlot.location_id == 2001).values(cancelled_at=confirmed)
        )
        db.session.commit()
    client = own_app.test_client()
    staff_sign_in(client, ADMIN)
    html = front_page(client)
    assert "Free places not confirmed for 14 days or more" in html
    for location_id, problem in (
        (1001, "Free places not confirmed for 14 days or more"),
        (1010, "No price valid for next month"),
        (2001, "No appointment times in the next 14 days"),
    ):
        card = client.get(f"/en/organiser/units/{location_id}").get_data(as_text=True)
        assert problem in card, location_id
    fresh = client.get("/en/organiser/units/1002").get_data(as_text=True)  # confirmed 13 days ago
    assert "Free places not confirmed" not in fresh
    director = own_app.test_client()
    staff_sign_in(director, DIRECTOR)
    summary = front_page(director)
    assert "Free places not confirmed for 14 days: 1 unit<" in summary
    assert "No price valid for next month:" not in summary  # a municipal unit has no monthly price


def test_a_staff_single_sign_on_does_not_sign_a_citizen_in(client, network: Network) -> None:
    staff_sign_in(client, DIRECTOR)
    location = client.get("/en/sign-in").headers["Location"]
    page = provider_get(client, location)
    assert page.status_code == 200  # the chooser of citizens, not a code for the staff person
    html = page.get_data(as_text=True)
    assert LIISA in html and DIRECTOR not in html


def test_a_citizen_sign_in_ends_the_staff_session(client, network: Network) -> None:
    staff_sign_in(client, DIRECTOR)
    location = client.get("/en/sign-in").headers["Location"]
    back = choose(client, location, LIISA)
    assert client.get(urlsplit(back).path, query_string=urlsplit(back).query).status_code == 302
    with client.session_transaction() as session:
        assert "staff" not in session and isinstance(session["person_id"], int)
    assert client.get("/en/organiser/").status_code == 404  # now a citizen


def test_a_director_without_units_sees_an_empty_workspace_and_no_unit(client, network: Network) -> None:
    staff_sign_in(client, NEWCOMER)
    html = front_page(client)
    assert unit_links(html) == set() and "does not cover any unit or service point yet" in html
    assert client.get("/en/organiser/units/1001").status_code == 404
