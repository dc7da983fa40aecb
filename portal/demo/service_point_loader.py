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

import yaml
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from configurator.service_points import APPOINTMENT_CHANNELS, CHARGES, FEE_UNITS, SERVICE_KINDS

from ..models import AppointmentSlot, Organisation, Service, ServiceArea, ServiceLocation
from .links import demo_url
from .loader import (
    ACCESSIBILITY_FACTS,
    DEMO_DIR,
    ORGANISATION_KINDS,
    _TIME,
    _code,
    _finish,
    _money,
    _opening_hours,
    _opt_str,
    _req,
    _unique,
    validate_place,
    bump_id_sequence,
    delete_locations,
    reserved_location_ids,
)

__all__ = ["DEFAULT_SERVICE_POINTS_PATH", "generate_slots", "load_service_points", "validate_service_points"]

DEFAULT_SERVICE_POINTS_PATH = DEMO_DIR / "service_points.yaml"
# Health care is run by the wellbeing services counties, not the municipalities.
SERVICE_POINT_ORGANISATION_KINDS = ORGANISATION_KINDS | {"wellbeing_services_county"}
SERVICE_POINT_IDS = range(2001, 3000)  # ECEC demo units use 1001..1999, synthetic ones 1_000_000 and up
DEFAULT_WEEKS = 4
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
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    catalogue = validate_service_points(data)

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
    stale_ids = list(session.scalars(
        select(ServiceLocation.id).join(Service, Service.id == ServiceLocation.service_id).where(
            ServiceLocation.is_demo.is_(True), Service.kind.is_not(None))
        .union(select(ServiceLocation.id).where(ServiceLocation.id.in_(point_ids)))))
    kept = reserved_location_ids(session, stale_ids)  # reservations keep their place and time
    delete_locations(session, [i for i in stale_ids if i not in kept])

    # Service-point services of these organisations that the file no longer has, if nothing points at them.
    dropped = list(session.scalars(select(Service.id).where(
        Service.kind.is_not(None), Service.organisation_id.in_(list(org_ids.values())),
        Service.id.not_in(list(service_ids.values())),
        ~select(ServiceLocation.id).where(ServiceLocation.service_id == Service.id).exists())))
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
    _finish(session, commit)
    session.expire_all()

    kind_of = {s["key"]: s["kind"] for s in catalogue["services"]}
    counts = {
        "organisations": len(org_ids),
        "services": len(service_ids),
        "service_areas": len(areas),
        "points": len(locations) + len(kept),
        "appointment_slots": len(slots),
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
            if spec["fully_booked"] or weekday < spec["booked_first_days"] or (
                    spec["booked_every"] and n % spec["booked_every"] == 0):
                booked = capacity
            else:
                booked = n % capacity  # partly booked where there is more than one place
            slots.append({
                "location_id": location_id,
                "starts_at": datetime.combine(day, time.fromisoformat(hhmm)),
                "duration_minutes": spec["duration_minutes"],
                "channel": channels[n % len(channels)],
                "capacity": capacity,
                "booked": booked,
            })
            n += 1
        weekday += 1
    return slots


# ----------------------------------------------------------------------- validation


def validate_service_points(data: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Check the parsed YAML and turn it into column dicts; raise ValueError naming the first bad entry."""
    municipalities = data.get("municipalities")
    if not isinstance(municipalities, list) or not municipalities:
        raise ValueError("service points: 'municipalities' must be a non-empty list of codes")
    muni_codes = {_code(m, 3, "service points", "municipality") for m in municipalities}

    organisations = [_organisation(o) for o in _entries(data, "organisations")]
    _unique((o["key"] for o in organisations), "organisation key")
    _unique((o["name"] for o in organisations), "organisation name")
    org_keys = {o["key"] for o in organisations}
    contacts = {o["key"]: o for o in organisations}

    services = [_service(s, org_keys, muni_codes) for s in _entries(data, "services")]
    _unique((s["key"] for s in services), "service key")
    _unique(((s["organisation"], s["name_fi"]) for s in services), "service (organisation, name_fi)")
    service_org = {s["key"]: s["organisation"] for s in services}

    points = [_point(p, muni_codes, service_org, contacts) for p in _entries(data, "points")]
    _unique((p["location"]["id"] for p in points), "service point id")
    unused = set(service_org) - {p["service"] for p in points}
    if unused:
        raise ValueError(f"service points: services without a point: {', '.join(sorted(unused))}")
    return {"organisations": organisations, "services": services, "points": points}


def _entries(data: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        raise ValueError(f"service points: '{key}' must be a non-empty list of mappings")
    return value


def _organisation(o: Mapping[str, Any]) -> dict[str, Any]:
    where = f"organisation {o.get('name') or o.get('key')!r}"
    kind = str(_req(o, "kind", where))
    if kind not in SERVICE_POINT_ORGANISATION_KINDS:
        raise ValueError(f"{where}: unknown kind {kind!r} (expected one of {sorted(SERVICE_POINT_ORGANISATION_KINDS)})")
    municipality = o.get("municipality_code")
    return {
        "key": str(_req(o, "key", where)),
        "name": str(_req(o, "name", where)),
        "kind": kind,
        "municipality_code": None if municipality is None else _code(municipality, 3, where, "municipality_code"),
        "phone": _opt_str(o, "phone"),
        "email": _opt_str(o, "email"),
        "web_url": demo_url(o, "web_url", where),
    }


def _service(s: Mapping[str, Any], org_keys: set[str], muni_codes: set[str]) -> dict[str, Any]:
    where = f"service {s.get('key')!r}"
    org = str(_req(s, "organisation", where))
    if org not in org_keys:
        raise ValueError(f"{where}: unknown organisation {org!r}")
    kind = str(_req(s, "kind", where))
    if kind not in SERVICE_KINDS:
        raise ValueError(f"{where}: unknown kind {kind!r} (expected one of {sorted(SERVICE_KINDS)})")
    charge = str(_req(s, "charge", where))
    if charge not in CHARGES:
        raise ValueError(f"{where}: charge {charge!r} must be one of {sorted(CHARGES)}")
    fee = None if s.get("fee_eur") is None else _money(s["fee_eur"], where, "fee_eur")
    fee_unit = _opt_str(s, "fee_unit")
    if fee_unit is not None and fee_unit not in FEE_UNITS:
        raise ValueError(f"{where}: fee_unit {fee_unit!r} must be one of {sorted(FEE_UNITS)}")
    if charge == "free" and (fee is not None or fee_unit is not None):
        raise ValueError(f"{where}: a free service has no fee_eur or fee_unit")
    if (fee is None) != (fee_unit is None):
        raise ValueError(f"{where}: fee_eur and fee_unit go together")
    serves = s.get("serves")
    if not isinstance(serves, list) or not serves:
        raise ValueError(f"{where}: 'serves' must list the municipalities the service is responsible for")
    codes = [_code(c, 3, where, "serves") for c in serves]
    if not set(codes) <= muni_codes or len(set(codes)) != len(codes):
        raise ValueError(f"{where}: serves {codes} must be distinct codes listed under municipalities")
    return {
        "key": str(_req(s, "key", where)),
        "organisation": org,
        "kind": kind,
        "name_fi": str(_req(s, "name_fi", where)),
        "name_sv": str(_req(s, "name_sv", where)),
        "name_en": str(_req(s, "name_en", where)),
        "service_class": str(_req(s, "service_class", where)),
        "target_group": str(_req(s, "target_group", where)),
        "life_event": _opt_str(s, "life_event"),
        "charge": charge,
        "fee_eur": fee,
        "fee_unit": fee_unit,
        "serves": codes,
    }


def _point(p: Mapping[str, Any], muni_codes: set[str], service_org: Mapping[str, str],
           contacts: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    where = f"service point {p.get('name') or p.get('id')!r}"
    point_id = _req(p, "id", where)
    if not isinstance(point_id, int) or point_id not in SERVICE_POINT_IDS:
        raise ValueError(f"{where}: id must be an integer in {SERVICE_POINT_IDS.start}..{SERVICE_POINT_IDS.stop - 1}")
    service = str(_req(p, "service", where))
    if service not in service_org:
        raise ValueError(f"{where}: unknown service {service!r}")
    municipality = _code(_req(p, "municipality", where), 3, where, "municipality")
    if municipality not in muni_codes:
        raise ValueError(f"{where}: municipality {municipality} is not listed under municipalities")
    lat, lon, codes, accessibility = validate_place(p, where, "point")
    org = contacts[service_org[service]]
    location = {
        "id": point_id,
        "name": str(_req(p, "name", where)),
        "name_sv": _opt_str(p, "name_sv"),
        "street_address": str(_req(p, "street_address", where)),
        "postal_code": _code(_req(p, "postal_code", where), 5, where, "postal_code"),
        "municipality_code": municipality,
        "latitude": lat,
        "longitude": lon,
        "languages": ",".join(codes),
        "opening_hours": _opening_hours(p.get("opening_hours"), where),
        "phone_hours": _opening_hours(p["phone_hours"], f"{where} phone_hours") if p.get("phone_hours") else None,
        "phone": _opt_str(p, "phone") or org["phone"],
        "email": _opt_str(p, "email") or org["email"],
        "web_url": demo_url(p, "web_url", where) or org["web_url"],
        "eservice_url": demo_url(p, "eservice_url", where),
        **{fact: accessibility.get(fact) for fact in ACCESSIBILITY_FACTS},
        "is_demo": True,
    }
    return {"service": service, "location": location, "appointments": _appointments(p.get("appointments"), where)}


def _appointments(spec: Any, where: str) -> dict[str, Any] | None:
    if spec is None:
        return None
    if not isinstance(spec, dict):
        raise ValueError(f"{where}: appointments must be a mapping")
    channels = spec.get("channels")
    if not isinstance(channels, list) or not channels or not set(channels) <= set(APPOINTMENT_CHANNELS):
        raise ValueError(f"{where}: appointment channels must be a non-empty list of {sorted(APPOINTMENT_CHANNELS)}")
    times = [str(t) for t in spec.get("times") or ()]
    if not times or not all(_TIME.match(t) and t != "24:00" for t in times) or times != sorted(set(times)):
        raise ValueError(f"{where}: appointment times must be ascending, distinct HH:MM values")
    out: dict[str, Any] = {"channels": [str(c) for c in channels], "times": times,
                           "fully_booked": bool(spec.get("fully_booked", False))}
    for key, default, minimum in (("duration_minutes", None, 1), ("capacity", None, 1), ("weeks", DEFAULT_WEEKS, 1),
                                  ("booked_first_days", 0, 0), ("booked_every", 0, 0)):
        value = spec.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise ValueError(f"{where}: appointments {key} must be an integer of at least {minimum}")
        out[key] = value
    return out

