"""Synthetic ECEC catalogue of any size, for benchmarks of search, map and comparison.

The demo catalogue has ~50 units; a national catalogue has thousands. This
module fills the database with N made-up but well-formed units spread over
the populated part of Finland (clustered around real towns, thinner in the
countryside) so that query plans, map clustering and page times can be
measured at a realistic scale.

Deterministic: the same (locations, seed) gives the same rows, so benchmark
runs are comparable. Every row is flagged ``is_demo`` and hangs off one
synthetic organisation and service, which is how a re-run finds and replaces
the previous synthetic rows without touching the demo or real catalogue.
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Organisation, Service, ServiceLocation
from .loader import (
    ECEC_LIFE_EVENT,
    ECEC_SERVICE_CLASS,
    ECEC_TARGET_GROUP,
    delete_locations,
    insert_locations,
)

SYNTHETIC_ORGANISATION_NAME = "Synthetic benchmark provider (demo)"
SYNTHETIC_SERVICE_NAME_FI = "Synteettinen varhaiskasvatus (testiaineisto)"
# Synthetic ids start far above the demo catalogue (1001..1999) and any
# plausible real import, so reloading either never renumbers the other.
SYNTHETIC_ID_BASE = 1_000_000
FINLAND_POPULATED_BBOX = {"lat": (59.9, 65.5), "lon": (21.3, 29.5)}

# (name, municipality code, lat, lon, weight ~ population in thousands,
#  real postal codes of the town, which way the land lies: "" any, "n" only
#  north of the centre (south coast), "e" only east of it (west coast)).
_TOWNS: tuple[tuple[str, str, float, float, int, tuple[str, ...], str], ...] = (
    ("Helsinki", "091", 60.1699, 24.9384, 660, ("00100", "00500", "00530", "00710", "00920"), "n"),
    ("Espoo", "049", 60.2055, 24.6559, 300, ("02100", "02230", "02600", "02770"), "n"),
    ("Tampere", "837", 61.4978, 23.7610, 250, ("33100", "33200", "33500", "33710"), ""),
    ("Vantaa", "092", 60.2934, 25.0378, 240, ("01300", "01360", "01600"), ""),
    ("Oulu", "564", 65.0121, 25.4651, 210, ("90100", "90500", "90570"), "e"),
    ("Turku", "853", 60.4518, 22.2666, 200, ("20100", "20500", "20610", "20320"), "n"),
    ("Jyväskylä", "179", 62.2426, 25.7473, 145, ("40100", "40320", "40520"), ""),
    ("Kuopio", "297", 62.8924, 27.6770, 125, ("70100", "70500", "70800"), ""),
    ("Lahti", "398", 60.9827, 25.6612, 120, ("15100", "15500", "15900"), ""),
    ("Pori", "609", 61.4851, 21.7974, 83, ("28100", "28130"), "e"),
    ("Kouvola", "286", 60.8679, 26.7042, 80, ("45100",), ""),
    ("Lappeenranta", "405", 61.0587, 28.1887, 73, ("53100", "53500"), ""),
    ("Vaasa", "905", 63.0951, 21.6165, 68, ("65100", "65320"), "e"),
    ("Seinäjoki", "743", 62.7903, 22.8406, 65, ("60100", "60320"), ""),
    ("Hämeenlinna", "109", 60.9959, 24.4643, 68, ("13100", "13500"), ""),
    ("Kotka", "285", 60.4664, 26.9458, 51, ("48100",), "n"),
    ("Mikkeli", "491", 61.6886, 27.2723, 52, ("50100",), ""),
    ("Salo", "734", 60.3833, 23.1333, 51, ("24100",), "n"),
    ("Porvoo", "638", 60.3923, 25.6651, 51, ("06100",), "n"),
    ("Kokkola", "272", 63.8385, 23.1307, 48, ("67100",), "e"),
    ("Hyvinkää", "106", 60.6305, 24.8573, 47, ("05800",), ""),
    ("Rauma", "684", 61.1272, 21.5113, 38, ("26100",), "e"),
    ("Kajaani", "205", 64.2222, 27.7278, 36, ("87100",), ""),
    ("Savonlinna", "740", 61.8699, 28.8799, 32, ("57100",), ""),
    ("Iisalmi", "140", 63.5592, 27.1907, 21, ("74100",), ""),
    ("Raahe", "678", 64.6847, 24.4792, 24, ("92100",), "e"),
)

_CARE_TYPES = (("day_care_centre", 70), ("family_day_care", 20), ("group_family_day_care", 10))
_PROVIDER_TYPES = (("municipal", 65), ("purchased", 10), ("private_voucher", 25))
_LANGUAGES = (("fi", 85), ("sv", 6), ("fi,sv", 4), ("fi,en", 3), ("en", 2))
_CAPACITY = {"day_care_centre": (21, 160), "family_day_care": (4, 4), "group_family_day_care": (8, 12)}
_DAY_HOURS = [{"days": "mo-fr", "opens": "06:30", "closes": "17:00"}]
_FAMILY_HOURS = [{"days": "mo-fr", "opens": "07:00", "closes": "16:30"}]
_SHIFT_HOURS = [{"days": "mo-su", "opens": "00:00", "closes": "24:00"}]
_REPORTED_AT = datetime(2026, 11, 16, 8, 0)
_PRICE_VALID_FROM = date(2026, 8, 1)


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _tri_state(rng: random.Random) -> bool | None:
    """Accessibility fact: known yes, known no, or not known (None)."""
    return rng.choices((True, False, None), weights=(5, 3, 2))[0]


def _point(rng: random.Random, lat: float, lon: float, rural: bool, land: str) -> tuple[float, float]:
    """A point near a town: tight cluster in town, a wider spread in its countryside."""
    sigma_lat = 0.30 if rural else 0.035
    sigma_lon = sigma_lat / math.cos(math.radians(lat))  # same distance east-west as north-south
    d_lat, d_lon = rng.gauss(0, sigma_lat), rng.gauss(0, sigma_lon)
    if land == "n":  # south coast: the sea is south of the town
        d_lat = abs(d_lat)
    elif land == "e":  # west coast: the sea is west of the town
        d_lon = abs(d_lon)
    box = FINLAND_POPULATED_BBOX
    return (
        round(min(max(lat + d_lat, box["lat"][0]), box["lat"][1]), 5),
        round(min(max(lon + d_lon, box["lon"][0]), box["lon"][1]), 5),
    )


def _synthetic_service(session: Session) -> Service:
    """The one organisation and service all synthetic units belong to (created on first use)."""
    org = session.scalars(select(Organisation).where(Organisation.name == SYNTHETIC_ORGANISATION_NAME)).first()
    if org is None:
        org = Organisation(name=SYNTHETIC_ORGANISATION_NAME, kind="company", business_id=None)
        session.add(org)
        session.flush()
    svc = session.scalars(
        select(Service).where(Service.organisation_id == org.id, Service.name_fi == SYNTHETIC_SERVICE_NAME_FI)
    ).first()
    if svc is None:
        svc = Service(
            organisation_id=org.id,
            name_fi=SYNTHETIC_SERVICE_NAME_FI,
            name_sv="Syntetisk småbarnspedagogik (testdata)",
            name_en="Synthetic early childhood education (test data)",
            service_class=ECEC_SERVICE_CLASS,
            target_group=ECEC_TARGET_GROUP,
            life_event=ECEC_LIFE_EVENT,
        )
        session.add(svc)
        session.flush()
    return svc


def clear_synthetic(session: Session) -> int:
    """Delete all synthetic units (and their rows); return how many locations went."""
    svc = _synthetic_service(session)
    ids = list(session.scalars(select(ServiceLocation.id).where(ServiceLocation.service_id == svc.id)))
    delete_locations(session, ids)
    return len(ids)


def generate_catalogue(session: Session, locations: int = 10_000, seed: int = 1, *, commit: bool = True) -> int:
    """Replace the synthetic catalogue with ``locations`` new ECEC units; return the number inserted.

    Each unit gets a ServiceLocation, an EcecUnit, one Availability row per
    age group it serves and, for private voucher units, a UnitPrice. Rows go
    in with explicit ids through bulk inserts (10,000 units load in a few
    seconds on SQLite). Commits unless ``commit=False``.
    """
    if locations < 0:
        raise ValueError("locations must be zero or positive")
    rng = random.Random(seed)
    svc = _synthetic_service(session)
    clear_synthetic(session)

    weights = [t[4] for t in _TOWNS]
    loc_rows, unit_rows, avail_rows, price_rows = [], [], [], []
    for n in range(1, locations + 1):
        _town, muni, t_lat, t_lon, _, postcodes, land = rng.choices(_TOWNS, weights=weights)[0]
        rural = rng.random() < 0.2
        lat, lon = _point(rng, t_lat, t_lon, rural, land)
        care_type = _pick(rng, _CARE_TYPES)
        provider_type = _pick(rng, _PROVIDER_TYPES)
        shift = care_type == "day_care_centre" and rng.random() < 0.06
        serves_under_3 = not (care_type == "day_care_centre" and rng.random() < 0.05)
        capacity = rng.randint(*_CAPACITY[care_type])
        if care_type == "day_care_centre" and not shift:
            hours = _DAY_HOURS
        else:
            hours = _SHIFT_HOURS if shift else _FAMILY_HOURS
        loc_id = SYNTHETIC_ID_BASE + n
        loc_rows.append(
            {
                "id": loc_id,
                "service_id": svc.id,
                "name": f"Synthetic unit {n:05d}",
                "name_sv": None,
                "street_address": f"Synthetic street {rng.randint(1, 120)}",
                "postal_code": rng.choice(postcodes),
                "municipality_code": muni,
                "latitude": lat,
                "longitude": lon,
                "languages": _pick(rng, _LANGUAGES),
                "opening_hours": hours,
                "phone": None,
                "email": None,
                "web_url": None,
                "eservice_url": None,
                "step_free_entrance": _tri_state(rng),
                "accessible_toilet": _tri_state(rng),
                "accessible_parking": _tri_state(rng),
                "induction_loop": _tri_state(rng),
                "is_demo": True,
            }
        )
        unit_rows.append(
            {
                "location_id": loc_id,
                "care_type": care_type,
                "provider_type": provider_type,
                "shift_care": shift,
                "serves_under_3": serves_under_3,
                "serves_3_and_over": True,
                "capacity": capacity,
            }
        )
        reported = _REPORTED_AT - timedelta(minutes=rng.randint(0, 60 * 24 * 60))
        for group in ("under_3", "3_and_over") if serves_under_3 else ("3_and_over",):
            full = rng.random() < 0.5
            avail_rows.append(
                {
                    "location_id": loc_id,
                    "age_group": group,
                    "free_places": 0 if full else rng.randint(1, min(5, capacity)),
                    "queue_weeks": rng.randint(2, 16) if full else 0,
                    "updated_at": reported,
                    "updated_by": "generator",
                }
            )
        if provider_type == "private_voucher":
            price_rows.append(
                {
                    "location_id": loc_id,
                    "monthly_price": Decimal(rng.randrange(1050, 1601, 10)),
                    "valid_from": _PRICE_VALID_FROM,
                }
            )

    insert_locations(session, loc_rows, unit_rows, avail_rows, price_rows)
    if commit:
        session.commit()
    else:
        session.flush()
    return len(loc_rows)


def synthetic_count(session: Session) -> int:
    """How many synthetic units are in the database (0 if the generator never ran)."""
    org = session.scalars(select(Organisation).where(Organisation.name == SYNTHETIC_ORGANISATION_NAME)).first()
    if org is None:
        return 0
    return (
        session.scalar(select(func.count(ServiceLocation.id)).join(Service).where(Service.organisation_id == org.id))
        or 0
    )
