"""The one clock through the portal: appointment times compared in Helsinki time on a UTC machine,
"today" turning at Helsinki midnight, and date-times in the API and the "My data" download with their
Helsinki offset.

The module has an app and database of its own (it reserves times). It stands at chosen moments by
replacing ``configurator.clock._system_utc_now`` (the only reader of the system clock), and runs the
process in UTC as the servers do. "Today" is POLKU_TODAY = 2026-11-22 (winter, +02:00) unless a test
changes it.
"""

from __future__ import annotations

import json
import os
import re
import time as system_time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time
from itertools import count
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from configurator import clock
from tests.api.test_api import ECEC_ANSWERS
from tests.conftest import TODAY, build_app
from tests.helpers import sign_in

BASE = "/en/own/reservations"
PASSED = "That time has already passed. Choose another time."
_people = count(1)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """Overrides the session app for this module, so `client` and `csrf_off_client` use this one."""
    return build_app(f"sqlite:///{tmp_path_factory.mktemp('clock') / 'polku.db'}")


@pytest.fixture(autouse=True)
def utc_process() -> Iterator[None]:
    """The process's local time zone is UTC during each test, like on the servers and in CI."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    system_time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        system_time.tzset()


@pytest.fixture()
def at(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Stand at a moment given as UTC ISO text (``"2026-11-22T07:30:00"``)."""

    def stand(utc: str) -> None:
        moment = datetime.fromisoformat(utc).replace(tzinfo=UTC)
        monkeypatch.setattr(clock, "_system_utc_now", lambda: moment)

    return stand


def text(response) -> str:
    return response.get_data(as_text=True)


def error_summary(page: str) -> list[str]:
    found = re.search(r'<div class="error-summary".*?</ul>', page, re.S)
    return re.findall(r'<a href="#[^"]+">([^<]+)</a>', found.group(0)) if found else []


def new_person(app: Flask) -> int:
    from portal.account_models import Person
    from portal.extensions import db

    with app.app_context():
        person = Person(issuer="test", subject=f"clock-{next(_people)}", name="Test Person", claims={})
        db.session.add(person)
        db.session.commit()
        return person.id


def slot_at(app: Flask, day: date, hour: int, location_id: int) -> tuple[int, int]:
    """A new free slot at ``hour``:00 Helsinki time on ``day`` at a service point with demo slots. Each test names
    its own service point, so that its slots do not meet another test's whichever tests ran before it on this
    worker (the demo ECEC units' visit times are left alone)."""
    from portal.extensions import db
    from portal.models import AppointmentSlot

    with app.app_context():
        slot = AppointmentSlot(
            location_id=location_id,
            starts_at=datetime.combine(day, time(hour)),
            duration_minutes=30,
            channel="phone",
            capacity=1,
            booked=0,
        )
        db.session.add(slot)
        db.session.commit()
        return location_id, slot.id


def booked(app: Flask, slot_id: int) -> int:
    from portal.extensions import db
    from portal.models import AppointmentSlot

    with app.app_context():
        return db.session.get(AppointmentSlot, slot_id).booked


def reserve(client, location_id: int, slot_id: int):
    # the slot is a time by phone, so the form also asks for the number to call
    return client.post(
        f"{BASE}/new/appointment?location={location_id}", data={"slot": str(slot_id), "phone": "040 123 4567"}
    )


def listed(client, location_id: int, slot_id: int) -> bool:
    return f'name="slot" value="{slot_id}"' in text(client.get(f"{BASE}/new/appointment?location={location_id}"))


# ---------- appointment times are compared in Helsinki time ----------


def test_a_time_that_started_in_helsinki_is_not_offered_nor_reservable(app, csrf_off_client, at) -> None:
    location_id, slot_id = slot_at(app, TODAY, 9, 2001)
    sign_in(csrf_off_client, new_person(app))
    at(f"{TODAY}T07:30:00")  # 09:30 in Helsinki (+02:00); 07:30 on the UTC machine
    assert not listed(csrf_off_client, location_id, slot_id)
    assert error_summary(text(reserve(csrf_off_client, location_id, slot_id))) == [PASSED]
    assert booked(app, slot_id) == 0


def test_a_time_still_to_come_in_helsinki_is_offered_and_reservable(app, csrf_off_client, at) -> None:
    location_id, slot_id = slot_at(app, TODAY, 9, 2002)
    sign_in(csrf_off_client, new_person(app))
    at(f"{TODAY}T06:30:00")  # 08:30 in Helsinki
    assert listed(csrf_off_client, location_id, slot_id)
    response = reserve(csrf_off_client, location_id, slot_id)
    assert response.status_code == 302 and "done=reserved" in response.location
    assert booked(app, slot_id) == 1


def test_a_reserved_time_becomes_past_when_it_starts_in_helsinki(app, csrf_off_client, at) -> None:
    location_id, slot_id = slot_at(app, TODAY, 9, 2011)
    sign_in(csrf_off_client, new_person(app))
    at(f"{TODAY}T06:59:00")  # 08:59 in Helsinki
    show = reserve(csrf_off_client, location_id, slot_id).location.split("?")[0]
    reservation_path = show[show.index(BASE) :]
    assert "Cancel this reservation" in text(csrf_off_client.get(reservation_path))
    at(f"{TODAY}T07:00:00")  # 09:00 in Helsinki: the appointment has started
    page = text(csrf_off_client.get(reservation_path))
    assert "An appointment that has passed cannot be cancelled." in page and "Cancel this reservation" not in page
    assert csrf_off_client.post(f"{reservation_path}/cancel").status_code == 409
    assert booked(app, slot_id) == 1


def test_in_summer_the_offset_is_three_hours(app, csrf_off_client, at, monkeypatch) -> None:
    summer = date(2027, 6, 14)
    monkeypatch.setitem(app.config, "POLKU_TODAY", summer.isoformat())
    location_id, slot_id = slot_at(app, summer, 9, 2021)
    at("2027-06-14T06:30:00")  # 09:30 in Helsinki (+03:00); in winter it would still be 08:30
    sign_in(csrf_off_client, new_person(app))  # after moving the clock: a session ends after an idle hour
    assert error_summary(text(reserve(csrf_off_client, location_id, slot_id))) == [PASSED]
    at("2027-06-14T05:30:00")  # 08:30 in Helsinki
    assert reserve(csrf_off_client, location_id, slot_id).status_code == 302
    assert booked(app, slot_id) == 1


# ---------- "today" is the Helsinki date ----------


@pytest.mark.parametrize("utc, today", [("2026-12-31T22:30:00", "2027-01-01"), ("2026-12-31T21:59:59", "2026-12-31")])
def test_today_turns_at_helsinki_midnight(app, client, at, monkeypatch, utc: str, today: str) -> None:
    monkeypatch.setitem(app.config, "POLKU_TODAY", None)
    at(utc)
    body = client.get(
        "/api/v2/calculators/business-start-costs?company_form=toiminimi&turnover=10000&work_income=5000&lang=en"
    ).get_json()
    assert body["on"] == today


# ---------- date-times in JSON carry the Helsinki offset ----------


def test_next_free_appointment_in_the_api_is_after_now_in_helsinki_with_its_offset(app, at) -> None:
    from configurator.comparisons.services import ServiceRow
    from portal.api.serialize import service_point
    from portal.context import sources

    location_id, _ = slot_at(app, TODAY, 11, 2022)  # started at 12:00 Helsinki; still ahead at 10:00 on a UTC machine
    at(f"{TODAY}T10:00:00")  # 12:00 in Helsinki
    with app.test_request_context("/api/v2/life-events/business/plan?lang=en"):
        found = sources(TODAY)
        assert found.now == datetime.combine(TODAY, time(12))
        points = found.services.service_points(
            ("business_advice", "employment_services", "food_control", "rural_business", "health_centre"),
            "853",
            found.now,
        )
        rows = {p.id: service_point(ServiceRow(p, 0.0)).model_dump(mode="json") for p in points}
    assert location_id in rows
    times = [row["next_free_appointment"] for row in rows.values() if row["next_free_appointment"]]
    assert times and all(t.endswith("+02:00") for t in times)  # the demo slots are in November and December
    # The earliest free time after 12:00 Helsinki: not the 11:00 one, which has started there.
    first = rows[location_id]["next_free_appointment"]
    assert first > f"{TODAY}T12:00:00" and datetime.fromisoformat(first).utcoffset().total_seconds() == 7200


def test_availability_updated_at_in_the_api_has_the_offset_of_its_season(app, client) -> None:
    from portal.extensions import db
    from portal.models import Availability

    def rows() -> list[dict[str, Any]]:
        body = client.post("/api/v2/life-events/ecec/plan?lang=en", json={"answers": ECEC_ANSWERS}).get_json()
        return body["comparisons"][0]["rows"]

    first = rows()
    stamps = [r["availability_updated_at"] for r in first if r["availability_updated_at"]]
    assert stamps
    for stamp in stamps:  # summer time 2026: from 29 March 04:00 to 25 October 03:00 Helsinki time
        summer = datetime(2026, 3, 29, 4) <= datetime.fromisoformat(stamp[:19]) < datetime(2026, 10, 25, 3)
        assert stamp[19:] == ("+03:00" if summer else "+02:00"), stamp
    unit_id = next(r["id"] for r in first if r["availability_updated_at"])
    with app.app_context():
        for availability in db.session.scalars(select(Availability).where(Availability.location_id == unit_id)):
            availability.updated_at = datetime(2026, 6, 30, 10, 0)
        db.session.commit()
    assert next(r for r in rows() if r["id"] == unit_id)["availability_updated_at"] == "2026-06-30T10:00:00+03:00"


def date_times(value: Any, path: str = "$") -> Iterator[tuple[str, str]]:
    """Every ``*_at`` value of a JSON document with its path."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith("_at") and isinstance(item, str):
                yield f"{path}.{key}", item
            yield from date_times(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from date_times(item, f"{path}[{i}]")


def test_my_data_download_gives_date_times_with_the_helsinki_offset(app, csrf_off_client, at) -> None:
    from portal.account_models import Person
    from portal.extensions import db

    location_id, slot_id = slot_at(app, TODAY, 9, 2023)
    pid = new_person(app)
    sign_in(csrf_off_client, pid)
    at(f"{TODAY}T06:30:00")  # 08:30 in Helsinki
    assert reserve(csrf_off_client, location_id, slot_id).status_code == 302
    with app.app_context():
        db.session.get(Person, pid).created_at = datetime(2026, 7, 1, 12, 0)  # a summer record
        db.session.commit()
    data = json.loads(text(csrf_off_client.get("/en/own/data.json")))

    [reservation] = data["reservations"]
    assert reservation["starts_at"] == f"{TODAY}T09:00:00+02:00"
    # Recorded in Helsinki wall time (08:30), not the UTC machine's 06:30.
    assert reservation["created_at"] == f"{TODAY}T08:30:00+02:00"
    assert data["exported_at"] == f"{TODAY}T08:30:00+02:00"
    assert data["person"]["created_at"] == "2026-07-01T12:00:00+03:00"
    [message] = data["messages"]
    assert message["values"]["starts_at"] == f"{TODAY}T09:00:00+02:00"
    assert message["values"]["starts_on"] is None
    found = dict(date_times(data))
    assert len(found) >= 6
    for path, value in found.items():
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[23]:00", value), (path, value)
