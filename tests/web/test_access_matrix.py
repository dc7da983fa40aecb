"""The cross-person access matrix (issue 13: the audit's 158 cross-person access attempts, as tests).

Aino has one of everything a person keeps: a saved plan for her child (ECEC) and one for herself
(unemployment), tasks ticked, a share link, an appointment and an ECEC place, the messages that confirm them,
and feedback she gave. Matti has his own plan. Every route of the app that takes an object id or key is in
MATRIX (derived from ``app.url_map``: a new route with an id fails ``test_every_route_with_an_id_is_in_the_matrix``
until it is placed here), and every one of Aino's objects is asked for by Matti (GET and the state-changing
POSTs) and by an anonymous visitor:

- Matti gets 404, never 200, 403 or 500: ids reveal nothing (``portal.identity.owned``);
- the anonymous visitor is sent to sign in (the own space's rule), without learning whether the id exists;
- the share link is the one key meant to be passed on: it opens the tasks for anyone, with nothing personal;
- afterwards Aino's objects are exactly as they were (everything "My data" exports, the share tokens, the
  places and times held), and she still reaches every one of them.

The pages of the own space without an id (lists, My data, its download, the calendar, account deletion) show
Matti only his own things; deleting his account leaves hers whole.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import unquote

import pytest
from flask import Flask, url_for
from sqlalchemy import select, update

from tests.conftest import TODAY, build_app
from tests.helpers import complete_ecec, complete_unemployment, sign_in

PEOPLE_SCOPES = ("openid", "profile", "address", "household", "company")
EELI = "child:child-08f55872-7cd3-46d0-9665-66bacb3b2aa0"  # Aino's child in the development provider's people
FEEDBACK_MARK = "Aino-feedback-7d1c"  # a comment only Aino wrote

# Routes whose converters name one of a person's objects: which objects, how each method is sent.
# ``kind`` is the object key the URL is built from (a list: one URL per object of that kind).
MATRIX: dict[str, dict[str, Any]] = {
    "own.plan": {"plan_id": ["ecec_plan", "unemployment_plan"]},
    "own.print_plan": {"plan_id": ["ecec_plan", "unemployment_plan"]},
    "own.calendar": {"plan_id": ["ecec_plan", "unemployment_plan"]},
    "own.progress": {"plan_id": ["ecec_plan", "unemployment_plan"], "data": {"done": ["apply_for_ecec"]}},
    "own.edit": {"plan_id": ["ecec_plan", "unemployment_plan"], "data": {"to": "plan"}},
    "own.share": {"plan_id": ["ecec_plan", "unemployment_plan"]},
    "own.delete_plan": {"plan_id": ["ecec_plan", "unemployment_plan"]},
    # a task's continuation from a saved plan (the task id is the life event's own: the moving plan's ECEC task)
    "own.continue_with": {"plan_id": ["ecec_plan", "unemployment_plan"], "args": {"item_id": "apply_ecec"}},
    "own.unshare": {"plan_id": ["ecec_plan"], "token": ["share_token"]},
    # a plan's calendar address (issue 18): made and stopped only by the plan's owner; the address is a key
    "own.calendar_address": {"plan_id": ["ecec_plan", "unemployment_plan"]},
    "own.stop_calendar_address": {"plan_id": ["ecec_plan", "unemployment_plan"]},
    "own.message": {"message_id": ["message"]},
    # Aino's suggestion (her consent given): the ECEC event for Helmi; Matti is not suggested it (issue 18)
    "own.start_suggestion": {"key": ["helmi_suggestion"]},
    "own.dismiss_suggestion": {"key": ["helmi_suggestion"]},
    "reservations.show": {"reservation_id": ["appointment", "ecec_place"]},
    "reservations.cancel": {"reservation_id": ["appointment", "ecec_place"]},
    "shared.shared": {"token": ["share_token"], "public": True},
    "shared.calendar_feed_view": {"token": ["calendar_token"], "public": True},
}
# Routes with converters that name no person's object: catalogue ids, files of the code, the language.
NOT_PERSONAL = {
    "journey.start",
    "journey.begin",
    "journey.calendar",
    "journey.check",
    "journey.plan",
    "journey.live_preview",
    "journey.restart",
    "journey.save",
    "journey.continue_with",  # event_id, item_id: a life event's own ids (the answers are the session's)
    "journey.step",  # event_id, step_id: the life events' own ids
    "api.life_event",
    "api.plan",  # event_id
    "static",
    "dev_idp.static",
    "vendor.asset",  # files shipped with the code
    "organisers.unit",  # a catalogue unit, scoped by the staff person's role (tests/web/test_organiser_roles.py)
    "organisers.availability",  # the same unit's availability (tests/web/test_organiser_availability.py)
    "organisers.confirm_availability",
    # the organisers' write API: units and service points scoped by the client's organisations (403 outside them,
    # tests/api/test_organiser_api.py)
    "api.get_availability",
    "api.put_availability",
    "api.get_prices",
    "api.put_price",
    "api.get_times",
    "api.post_times",
    "api.delete_time",
    "organisers.prices",  # the same unit's prices (tests/web/test_organiser_prices.py)
    "organisers.pricing",  # a municipality's ECEC pricing, by the staff role (tests/web/test_organiser_pricing.py)
    # a service point's appointment times or an ECEC unit's visit times with who booked them, scoped by the staff
    # person's units (tests/web/test_organiser_times.py, tests/web/test_visit_times_staff.py)
    "organisers.times",
    "organisers.cancel_times",
    # a plan task's channel link (event, task, channel: the life events' own ids); its ?plan= is read through
    # owned(): another person's plan is a 404 (tests/web/test_metrics.py)
    "metrics.go",
    # a piece of feedback, scoped by the staff person's units: 404 for another unit's, a citizen's session and an
    # id that does not exist (tests/web/test_feedback_handling.py)
    "organisers.feedback_item",
    "organisers.handle_feedback",
    # a guest's visit to an ECEC unit, booked without signing in (no person): its private link's token is the key,
    # only its hash is stored, a wrong token is 404 (tests/web/test_visits.py)
    "visits.visit",
    "visits.cancel_visit",
}
# The own space's pages without an id: what they show is the signed-in person's, looked up from the session.
PERSON_PAGES = {
    "own.index": ("GET",),
    "own.welcome": ("GET",),
    "own.messages": ("GET",),
    "own.my_data": ("GET",),
    "own.download": ("GET",),
    "own.consents": ("POST",),
    "own.delete_account": ("POST",),
    "reservations.index": ("GET",),
    "reservations.new_appointment": ("GET",),
    "reservations.new_place": ("GET",),
}


@dataclass
class World:
    app: Flask
    aino: int
    matti: int
    objects: dict[str, Any]  # object key -> id or token (Aino's)
    matti_plan: int
    unit: int
    location: int
    matti_session: Any  # Matti's client whose session holds his complete ECEC answers


def person(app: Flask, given_name: str) -> int:
    from portal.dev_idp.people import load_people
    from portal.extensions import db
    from portal.own.consents import set_consent
    from portal.signin.services import sign_in_person

    people = {p.given_name: p for p in load_people().values()}
    with app.app_context():
        claims = people[given_name].claims(PEOPLE_SCOPES) | {"sub": f"matrix-{given_name}"}
        found = sign_in_person("https://idp.test", claims)
        set_consent(found, "prefill", True)
        db.session.commit()
        return found.id


def client_of(app: Flask, person_id: int | None):
    client = app.test_client()
    if person_id is not None:
        sign_in(client, person_id)
    return client


def free_slot(app: Flask) -> tuple[int, int]:
    """A service point's free time not by phone (which asks for a number), within the days the page offers."""
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


def unit_with_room(app: Flask) -> int:
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
        db.session.execute(
            update(Availability)
            .where(Availability.location_id == row.location_id, Availability.age_group == "under_3")
            .values(free_places=3)
        )
        db.session.commit()
        return row.location_id


def reservation_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    return int(re.search(r"/own/reservations/(\d+)", response.location).group(1))


def plan_of(app: Flask, person_id: int, event_id: str) -> int:
    from portal.account_models import SavedPlan
    from portal.extensions import db

    with app.app_context():
        return db.session.scalar(
            select(SavedPlan.id).where(SavedPlan.person_id == person_id, SavedPlan.event_id == event_id)
        )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """Aino's objects, made through the pages as she would make them; Matti's plan; rate limits and CSRF off
    (a 429 or a CSRF 400 would hide whether the access check holds)."""
    from portal.account_models import Message, ShareLink
    from portal.extensions import db

    app = build_app(
        f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'polku.db'}",
        WTF_CSRF_ENABLED=False,
        POLKU_RATE_LIMITS_ENABLED=False,
    )
    aino, matti = person(app, "Aino"), person(app, "Matti")
    with app.app_context():
        from portal.account_models import Person
        from portal.own.consents import set_consent

        set_consent(db.session.get(Person, aino), "suggestions", True)  # her suggestion is one of her objects
        set_consent(db.session.get(Person, matti), "suggestions", True)  # his own suggestions differ from hers
        db.session.commit()
    a = client_of(app, aino)
    a.post("/en/events/ecec/begin", data={"acting_for": EELI})
    complete_ecec(a)
    ecec_plan = plan_of(app, aino, "ecec")
    a.post("/en/events/unemployment/begin", data={"acting_for": "self"})
    complete_unemployment(a)
    unemployment_plan = plan_of(app, aino, "unemployment")
    assert ecec_plan and unemployment_plan
    assert a.post(f"/en/own/plans/{ecec_plan}/progress", data={"done": ["apply_for_ecec"]}).status_code == 302
    assert a.post(f"/en/own/plans/{ecec_plan}/share").status_code == 302
    made = a.post(f"/en/own/plans/{ecec_plan}/calendar-address").get_data(as_text=True)
    calendar_token = re.search(r"/shared/calendar/([\w-]+)\.ics", made).group(1)
    location, slot = free_slot(app)
    appointment = reservation_id(
        a.post(f"/en/own/reservations/new/appointment?location={location}", data={"slot": slot})
    )
    unit = unit_with_room(app)
    ecec_place = reservation_id(a.post(f"/en/own/reservations/new/place?unit={unit}"))
    assert a.post("/en/feedback/", data={"about": "general", "rating": "4", "worked": FEEDBACK_MARK}).status_code == 302
    with app.app_context():
        token = db.session.scalar(select(ShareLink.token).where(ShareLink.plan_id == ecec_plan))
        message = db.session.scalar(select(Message.id).where(Message.person_id == aino).order_by(Message.id))
    assert token and message
    assert a.get(f"/en/own/messages/{message}").status_code == 302  # read: its read_at is part of what must stay

    m = client_of(app, matti)
    m.post("/en/events/ecec/begin", data={"acting_for": "self"})
    complete_ecec(m)
    matti_plan = plan_of(app, matti, "ecec")
    assert matti_plan
    objects = {
        "ecec_plan": ecec_plan,
        "unemployment_plan": unemployment_plan,
        "share_token": token,
        "calendar_token": calendar_token,
        "message": message,
        "appointment": appointment,
        "ecec_place": ecec_place,
        "helmi_suggestion": "ecec:child:child-2676b134-c69e-49b3-9fe8-6481e7029fc0",
    }
    return World(app, aino, matti, objects, matti_plan, unit, location, m)


def snapshot(world: World) -> dict[str, Any]:
    """Everything kept about Aino (what My data exports, less the moment of export), her share tokens, and
    the counts of the time and the place she holds."""
    from portal.account_models import Person, SavedPlan, ShareLink
    from portal.extensions import db
    from portal.models import AppointmentSlot, Availability
    from portal.own.export import export, json_value

    with world.app.test_request_context("/en/"):
        db.session.expire_all()
        data = export(db.session.get(Person, world.aino))
        data.pop("exported_at")
        data["share_tokens"] = sorted(
            db.session.scalars(
                select(ShareLink.token)
                .join(SavedPlan, SavedPlan.id == ShareLink.plan_id)
                .where(SavedPlan.person_id == world.aino)
            )
        )
        data["booked"] = sorted(
            db.session.scalars(select(AppointmentSlot.booked).where(AppointmentSlot.location_id == world.location))
        )
        data["free_places"] = sorted(
            db.session.scalars(select(Availability.free_places).where(Availability.location_id == world.unit))
        )
        return json.loads(json.dumps(data, default=json_value))


def urls(world: World, endpoint: str) -> list[str]:
    """The endpoint's URLs for each of Aino's objects it takes."""
    spec = MATRIX[endpoint]
    keys = [name for name in ("plan_id", "token", "message_id", "reservation_id", "key") if name in spec]
    built: list[str] = []
    combos: list[dict[str, Any]] = [dict(spec.get("args", {}))]  # converters that name no object: as given
    for name in keys:
        combos = [{**c, name: world.objects[obj]} for c in combos for obj in spec[name]]
    with world.app.test_request_context("/en/"):
        for values in combos:
            built.append(url_for(endpoint, lang_code="en", **values))
    return built


def methods_of(app: Flask, endpoint: str) -> list[str]:
    [rule] = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


# ---------- the matrix covers the app ----------


def test_every_route_with_an_id_is_in_the_matrix(world: World) -> None:
    with_ids = {rule.endpoint for rule in world.app.url_map.iter_rules() if set(rule.arguments) - {"lang_code"}}
    assert with_ids - MATRIX.keys() - NOT_PERSONAL == set(), "place the new route in MATRIX or NOT_PERSONAL"
    assert (MATRIX.keys() | NOT_PERSONAL) - with_ids == set(), "a route in the matrix is gone"
    own_space = {
        rule.endpoint
        for rule in world.app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in ("own", "reservations")
    }
    assert own_space - MATRIX.keys() - PERSON_PAGES.keys() == set(), "place the new own-space page here"


# ---------- another person and an anonymous visitor ----------


@pytest.mark.parametrize("endpoint", sorted(k for k, v in MATRIX.items() if not v.get("public")))
def test_another_person_gets_404_for_every_object(world: World, endpoint: str) -> None:
    before = snapshot(world)
    matti = client_of(world.app, world.matti)
    for url in urls(world, endpoint):
        for method in methods_of(world.app, endpoint):
            response = matti.open(url, method=method, data=MATRIX[endpoint].get("data", {}))
            assert response.status_code == 404, (method, url, response.status_code)
    assert snapshot(world) == before


@pytest.mark.parametrize("endpoint", sorted(k for k, v in MATRIX.items() if not v.get("public")))
def test_an_anonymous_visitor_is_sent_to_sign_in(world: World, endpoint: str) -> None:
    before = snapshot(world)
    anonymous = client_of(world.app, None)
    for url in urls(world, endpoint):
        for method in methods_of(world.app, endpoint):
            response = anonymous.open(url, method=method, data=MATRIX[endpoint].get("data", {}))
            assert response.status_code == 302, (method, url, response.status_code)
            assert re.match(r"(http://localhost)?/en/sign-in\?next=", response.location), (method, url)
    assert snapshot(world) == before


def test_ids_that_do_not_exist_are_404_like_another_persons(world: World) -> None:
    """The answer to a foreign id and to no object at all is the same: ids reveal nothing."""
    matti = client_of(world.app, world.matti)
    for path in (
        "/en/own/plans/999999",
        "/en/own/messages/999999",
        "/en/own/reservations/999999",
        "/en/shared/not-a-token",
    ):
        assert matti.get(path).status_code == 404, path


def test_another_persons_share_token_cannot_be_revoked_through_my_plan(world: World) -> None:
    before = snapshot(world)
    matti = client_of(world.app, world.matti)
    token = world.objects["share_token"]
    assert matti.post(f"/en/own/plans/{world.matti_plan}/share/{token}/delete").status_code == 404
    assert snapshot(world) == before


def test_a_calendar_address_is_a_key_that_only_its_owner_stops(world: World) -> None:
    """Matti's stop and make on Aino's plan are 404s (the matrix); the address opens her tasks for anyone, a
    calendar, without a session; afterwards it is the same address, and a wrong one is 404."""
    [url] = urls(world, "shared.calendar_feed_view")
    anonymous = client_of(world.app, None)
    response = anonymous.get(url)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "Set-Cookie" not in response.headers
    body = response.get_data(as_text=True)
    for trace in AINOS_TRACES:
        assert trace not in body, trace
    matti = client_of(world.app, world.matti)
    assert matti.post(f"/en/own/plans/{world.objects['ecec_plan']}/calendar-address/stop").status_code == 404
    assert anonymous.get(url).status_code == 200
    assert anonymous.get(url[:-8] + "AAAA.ics").status_code == 404


def test_another_persons_place_cannot_be_replaced(world: World) -> None:
    """The "replace the place you hold" form names the reservation to cancel: another's is a 404."""
    before = snapshot(world)
    matti = world.matti_session  # his ECEC answers are complete, so the form is taken (not "answer first")
    response = matti.post(
        f"/en/own/reservations/new/place?unit={world.unit}", data={"replace": str(world.objects["ecec_place"])}
    )
    assert response.status_code == 404
    assert snapshot(world) == before


def test_a_share_link_opens_the_tasks_for_anyone_and_nothing_personal(world: World) -> None:
    before = snapshot(world)
    [url] = urls(world, "shared.shared")
    for client in (client_of(world.app, world.matti), client_of(world.app, None)):
        response = client.get(url)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        for personal in ("Aino", "Korhonen", "Eeli", "20100", "20520", "6000", "6 000"):
            assert personal not in page, personal
        assert client.post(url).status_code == 405
    assert snapshot(world) == before


# ---------- pages without an id ----------

AINOS_TRACES = ("Aino", "Korhonen", "Eeli", FEEDBACK_MARK)


@pytest.mark.parametrize("endpoint", sorted(e for e, methods in PERSON_PAGES.items() if "GET" in methods))
def test_another_persons_pages_show_only_their_own(world: World, endpoint: str) -> None:
    matti = client_of(world.app, world.matti)
    query = {
        "reservations.new_appointment": f"?location={world.location}",
        "reservations.new_place": f"?unit={world.unit}",
    }.get(endpoint, "")
    with world.app.test_request_context("/en/"):
        path = url_for(endpoint, lang_code="en") + query
    response = matti.get(path)
    assert response.status_code == 200, path
    page = response.get_data(as_text=True)
    for trace in AINOS_TRACES + (world.objects["share_token"],):
        assert trace not in page, (path, trace)
    for key in ("ecec_plan", "unemployment_plan"):
        assert f'/own/plans/{world.objects[key]}"' not in page
    for key in ("appointment", "ecec_place"):
        assert f'/own/reservations/{world.objects[key]}"' not in page


def test_my_data_download_holds_only_my_own(world: World) -> None:
    data = json.loads(client_of(world.app, world.matti).get("/en/own/data.json").data)
    assert data["person"]["name"] == "Matti Virtanen"
    assert [p["id"] for p in data["plans"]] == [world.matti_plan]
    assert data["reservations"] == [] and data["feedback"] == []
    assert not any(trace in json.dumps(data, ensure_ascii=False) for trace in AINOS_TRACES)


@pytest.mark.parametrize("endpoint", sorted(PERSON_PAGES))
def test_an_anonymous_visitor_is_sent_to_sign_in_from_every_own_page(world: World, endpoint: str) -> None:
    anonymous = client_of(world.app, None)
    with world.app.test_request_context("/en/"):
        path = url_for(endpoint, lang_code="en")
    for method in PERSON_PAGES[endpoint]:
        response = anonymous.open(path, method=method, data={"confirm": "yes", "purpose": "prefill", "given": "no"})
        assert response.status_code == 302, (method, path)
        assert re.match(r"(http://localhost)?/en/sign-in\?next=", response.location), (method, path)


def test_the_journey_calendar_is_of_the_session_not_of_a_saved_plan(world: World) -> None:
    """/events/<id>/calendar.ics takes no plan id: it is built from the session's own answers."""
    anonymous = client_of(world.app, None)
    assert anonymous.get("/en/events/ecec/calendar.ics").status_code != 200  # no answers: no calendar
    body = world.matti_session.get("/en/events/ecec/calendar.ics").get_data(as_text=True)
    assert "BEGIN:VCALENDAR" in body
    assert f"polku-plan-{world.objects['ecec_plan']}" not in body


# ---------- and Aino still has everything ----------


def test_the_owner_still_reaches_every_object(world: World) -> None:
    before = snapshot(world)
    aino = client_of(world.app, world.aino)
    for endpoint in ("own.plan", "own.print_plan", "own.calendar", "reservations.show", "shared.shared"):
        for url in urls(world, endpoint):
            assert aino.get(url).status_code == 200, url
    assert snapshot(world) == before
    assert before["plans"][0]["tasks_done"][0]["task"] == "apply_for_ecec"
    assert {r["status"] for r in before["reservations"]} == {"confirmed"}
    assert [FEEDBACK_MARK in (f["comment"] or "") for f in before["feedback"]] == [True]


def test_deleting_another_account_leaves_mine_whole(world: World) -> None:
    """Liisa (a third person, so that Matti stays for the other tests) makes a plan and deletes her account;
    Aino's objects are as they were."""
    before = snapshot(world)
    liisa_id = person(world.app, "Liisa")
    liisa = client_of(world.app, liisa_id)
    liisa.post("/en/events/ecec/begin", data={"acting_for": "self"})
    complete_ecec(liisa)
    assert plan_of(world.app, liisa_id, "ecec")
    response = liisa.post("/en/own/delete-account", data={"confirm": "yes"})
    # Straight back to the front page, or through the provider's sign-out when the session came from one (the app
    # of this worker may have a provider configured by an earlier test): either way it says the account is gone.
    assert response.status_code == 302 and "deleted=account" in unquote(response.location)
    assert liisa.get("/en/own/").status_code == 302
    assert plan_of(world.app, liisa_id, "ecec") is None
    assert snapshot(world) == before
    assert client_of(world.app, world.aino).get(urls(world, "own.plan")[0]).status_code == 200
