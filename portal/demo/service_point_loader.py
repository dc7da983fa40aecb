"""Load the Turku-region demo service points (``service_points.yaml``) with generated appointment slots.

Service points are services with a ``kind`` (business advice, food control, employment
services, ...): an organisation, a service with its fee and the municipalities it is
responsible for (``service_area``), one or more locations with opening and phone hours, and
bookable ``appointment_slot`` rows. The slots are generated relative to the ``today`` the
loader is given, so the demo always shows upcoming times; the pattern is fixed, so the same
``today`` always gives the same slots.

Like ``load_demo_catalogue``: the whole file is validated before the database is touched,
and reloading replaces the demo service points and their slots (ids from the file stay
stable). The ECEC catalogue is not touched.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from configurator.schemas import load_yaml
from configurator.schemas.service_points import (
    Appointments,
    ServicePointEntry,
    ServicePointOrganisation,
    ServicePointService,
    check_service_points,
)
from configurator.service_points import SERVICE_KINDS

from ..models import (
    AppointmentSlot,
    EcecUnit,
    Organisation,
    Service,
    ServiceArea,
    ServiceLocation,
)
from .loader import (
    DEMO_DIR,
    _finish,
    bump_id_sequence,
    clear_demo_feedback,
    delete_locations,
    load_demo_feedback,
    place_columns,
    reserved_location_ids,
    stored_url,
)

__all__ = ["DEFAULT_SERVICE_POINTS_PATH", "generate_slots", "load_service_points", "validate_service_points"]

DEFAULT_SERVICE_POINTS_PATH = DEMO_DIR / "service_points.yaml"
# Fixed-date public holidays (New Year, Epiphany, May Day, Independence Day, Christmas): no slots.
# Easter, Ascension Day and Midsummer move; the demo does not skip them.
FIXED_HOLIDAYS = frozenset({(1, 1), (1, 6), (5, 1), (12, 6), (12, 24), (12, 25), (12, 26)})


def load_service_points(
    session: Session, today: date, data_path: Path | None = None, *, commit: bool = True
) -> dict[str, int]:
    """Load the demo service points and generate their appointment slots from ``today`` on.

    Returns row counts ("organisations", "services", "service_areas", "points",
    "appointment_slots") and the number of points per kind ("points_<kind>").
    Idempotent: organisations are upserted by name, services by (organisation,
    Finnish name); every demo location of a service-point service (and any location
    with an id from the file) is deleted with its slots and inserted again.
    """
    path = Path(data_path) if data_path else DEFAULT_SERVICE_POINTS_PATH
    catalogue = validate_service_points(load_yaml(path) or {}, path)

    org_ids: dict[str, int] = {}
    for o in catalogue["organisations"]:
        values = {k: v for k, v in o.items() if k != "key"}
        org = session.scalars(select(Organisation).where(Organisation.name == o["name"])).first()
        if org is None:
            org = Organisation(**values, business_id=None)  # not given for the demo: upserted by name
            session.add(org)
        else:
            for field, value in values.items():
                setattr(org, field, value)
        session.flush()
        org_ids[o["key"]] = org.id

    service_ids: dict[str, int] = {}
    areas: list[dict[str, Any]] = []
    for s in catalogue["services"]:
        values = {k: v for k, v in s.items() if k not in ("key", "organisation", "serves")}
        values["organisation_id"] = org_ids[s["organisation"]]
        svc = session.scalars(
            select(Service).where(Service.organisation_id == values["organisation_id"], Service.name_fi == s["name_fi"])
        ).first()
        if svc is None:
            svc = Service(**values)
            session.add(svc)
        else:
            for field, value in values.items():
                setattr(svc, field, value)
        session.flush()
        service_ids[s["key"]] = svc.id
        areas.extend({"service_id": svc.id, "municipality_code": code} for code in s["serves"])

    # Every demo service point goes (by kind, and by id in case a point moved service), slots first.
    point_ids = [p["location"]["id"] for p in catalogue["points"]]
    stale_ids = list(
        session.scalars(
            select(ServiceLocation.id)
            .join(Service, Service.id == ServiceLocation.service_id)
            .where(ServiceLocation.is_demo.is_(True), Service.kind.is_not(None))
            .union(select(ServiceLocation.id).where(ServiceLocation.id.in_(point_ids)))
        )
    )
    kept = reserved_location_ids(session, stale_ids)  # reservations keep their place and time
    clear_demo_feedback(session)  # the demo ratings of the points go with them and come back below
    delete_locations(session, [i for i in stale_ids if i not in kept])

    # Service-point services of these organisations that the file no longer has, if nothing points at them.
    dropped = list(
        session.scalars(
            select(Service.id).where(
                Service.kind.is_not(None),
                Service.organisation_id.in_(list(org_ids.values())),
                Service.id.not_in(list(service_ids.values())),
                ~select(ServiceLocation.id).where(ServiceLocation.service_id == Service.id).exists(),
            )
        )
    )
    session.execute(delete(ServiceArea).where(ServiceArea.service_id.in_(dropped + list(service_ids.values()))))
    if dropped:
        session.execute(delete(Service).where(Service.id.in_(dropped)))
    if areas:
        session.execute(insert(ServiceArea), areas)

    fresh = [p for p in catalogue["points"] if p["location"]["id"] not in kept]
    locations = [{**p["location"], "service_id": service_ids[p["service"]]} for p in fresh]
    slots = [slot for p in fresh for slot in generate_slots(p["location"]["id"], p["appointments"], today)]
    if locations:
        session.execute(insert(ServiceLocation), locations)
        bump_id_sequence(session, ServiceLocation.__table__.name)
    if slots:
        session.execute(insert(AppointmentSlot), slots)
    visit_slots = load_demo_visit_slots(session, today)
    load_demo_feedback(session)
    _finish(session, commit)
    session.expire_all()

    kind_of = {s["key"]: s["kind"] for s in catalogue["services"]}
    counts = {
        "organisations": len(org_ids),
        "services": len(service_ids),
        "service_areas": len(areas),
        "points": len(locations) + len(kept),
        "appointment_slots": len(slots) + visit_slots,
    }
    for kind in SERVICE_KINDS:
        counts[f"points_{kind}"] = sum(kind_of[p["service"]] == kind for p in catalogue["points"])
    return counts


def generate_slots(location_id: int, spec: Mapping[str, Any] | None, today: date) -> list[dict[str, Any]]:
    """The appointment slots of one point: weekdays from ``today`` for ``weeks`` weeks, booked by a fixed pattern."""
    if not spec:
        return []
    channels, times, capacity = spec["channels"], spec["times"], spec["capacity"]
    slots: list[dict[str, Any]] = []
    weekday = 0  # index of the working day, for booked_first_days
    n = 0  # index of the slot, for the channel rotation and booked_every
    for offset in range(spec["weeks"] * 7):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5 or (day.month, day.day) in FIXED_HOLIDAYS:
            continue
        for hhmm in times:
            if (
                spec["fully_booked"]
                or weekday < spec["booked_first_days"]
                or (spec["booked_every"] and n % spec["booked_every"] == 0)
            ):
                booked = capacity
            else:
                booked = n % capacity  # partly booked where there is more than one place
            slots.append(
                {
                    "location_id": location_id,
                    "starts_at": datetime.combine(day, time.fromisoformat(hhmm)),
                    "duration_minutes": spec["duration_minutes"],
                    "channel": channels[n % len(channels)],
                    "capacity": capacity,
                    "booked": booked,
                }
            )
            n += 1
        weekday += 1
    return slots


# Demo data (issue 16, "visit before deciding"): these demo ECEC units offer visit times, in person, on Tuesdays
# and Thursdays at 10:00 and 14:00 (three families each) in the next two weeks (a unit's staff add real ones like any appointment times).
DEMO_VISIT_UNITS = (1001, 1003)
DEMO_VISIT_WEEKDAYS = (1, 3)


def load_demo_visit_slots(session: Session, today: date) -> int:
    """The demo units' visit times from tomorrow on, again (a time somebody reserved stays as it is)."""
    from ..account_models import Reservation

    present = sorted(session.scalars(select(EcecUnit.location_id).where(EcecUnit.location_id.in_(DEMO_VISIT_UNITS))))
    reserved = select(Reservation.slot_id).where(Reservation.slot_id.is_not(None))
    session.execute(
        delete(AppointmentSlot).where(AppointmentSlot.location_id.in_(present), AppointmentSlot.id.not_in(reserved))
    )
    existing = set(
        session.execute(
            select(AppointmentSlot.location_id, AppointmentSlot.starts_at).where(
                AppointmentSlot.location_id.in_(present)
            )
        ).all()
    )
    rows = []
    for offset in range(1, 15):
        day = today + timedelta(days=offset)
        if day.weekday() not in DEMO_VISIT_WEEKDAYS or (day.month, day.day) in FIXED_HOLIDAYS:
            continue
        for unit in present:
            for starts in (datetime.combine(day, time(10)), datetime.combine(day, time(14))):
                if (unit, starts) not in existing:
                    rows.append(
                        {
                            "location_id": unit,
                            "starts_at": starts,
                            "duration_minutes": 45,
                            "channel": "in_person",
                            "capacity": 3,
                            "booked": 0,
                        }
                    )
    if rows:
        session.execute(insert(AppointmentSlot), rows)
    return len(rows)


# ----------------------------------------------------------------------- validation


def validate_service_points(
    data: Any, file: str | Path = DEFAULT_SERVICE_POINTS_PATH.name
) -> dict[str, list[dict[str, Any]]]:
    """Check the parsed YAML (``configurator.schemas.service_points``) and turn it into column dicts;
    DataFileError names the file, the path and the problem of everything wrong."""
    checked = check_service_points(data, file)
    organisations = [_organisation(o) for o in checked.organisations]
    contacts = {o["key"]: o for o in organisations}
    service_org = {s.key: s.organisation for s in checked.services}
    return {
        "organisations": organisations,
        "services": [_service(s) for s in checked.services],
        "points": [_point(p, contacts[service_org[p.service]]) for p in checked.points],
    }


def _organisation(o: ServicePointOrganisation) -> dict[str, Any]:
    return {**o.model_dump(), "web_url": stored_url(o.web_url)}


def _service(s: ServicePointService) -> dict[str, Any]:
    return s.model_dump()


def _point(p: ServicePointEntry, org: Mapping[str, Any]) -> dict[str, Any]:
    location = {
        "id": p.id,
        **place_columns(p),
        "phone_hours": [h.model_dump() for h in p.phone_hours] if p.phone_hours else None,
        "phone": p.phone or org["phone"],
        "email": p.email or org["email"],
        "web_url": stored_url(p.web_url) or org["web_url"],
    }
    return {"service": p.service, "location": location, "appointments": _appointments(p.appointments)}


def _appointments(spec: Appointments | None) -> dict[str, Any] | None:
    return None if spec is None else spec.model_dump()
