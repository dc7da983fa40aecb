"""Import services and service locations from the Suomi.fi service catalogue (PTV), Open API V11 JSON.

``flask import-ptv [--dry-run] [--organisation BUSINESS_ID] SOURCE...`` (portal/cli.py) reads files or URLs. A
source holds one record, a list of records or a PTV result page (``{"itemList": [...]}``); a record is a service
(``V11VmOpenApiService``, it has ``serviceNames``) or a service channel (it has ``serviceChannelType``).

What is imported, by PTV id (``ptv_id``):

* a service: its names (fi, sv, en) and its first service class, target group and life event codes;
* a service location channel: its names, street address, postal code, municipality, coordinates, languages,
  weekly opening hours, phone, email and web address;
* the phone, e-service and web page channels of the same service give a location what its own record lacks:
  the e-service address and its accessibility classification, a phone number, a web address. When neither the
  location's record nor a channel in the same run has one, the location keeps what it has (importing the location
  channels alone does not remove the numbers the phone channels gave).

What PTV does not have stays the organisers' and is never written here: availability and free places, prices,
charges and fees, appointment times, the premises accessibility facts, the appointments-per-day setting.

The run is all or nothing: every record is read and checked first, and any problem (an unknown code, a broken
record) stops the run before anything is written, naming the source, the record's PTV id and the field. Then the
changes are written in one transaction with their audit rows (channel ``ptv-import``), and the catalogue revision
is bumped so citizens see the change at once. Running the same input again changes nothing.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .catalogue_cache import bump_revision
from .models import Organisation, Service, ServiceLocation
from .organisers.actor import Actor
from .organisers.audit import Change, Where, record

CHANNEL = "ptv-import"
ACTOR = Actor(subject="ptv-import", name="PTV import")

LANGUAGES = ("fi", "sv", "en", "se", "smn", "sms")  # PTV LanguageCodes
NAME_LANGUAGES = {"fi": "fi", "sv": "sv", "en": "en"}  # the languages the catalogue keeps names in
CHANNEL_TYPES = ("EChannel", "WebPage", "PrintableForm", "Phone", "ServiceLocation")
NAME_TYPES = ("Name", "AlternativeName")
PHONE_TYPES = ("Phone", "Sms", "Fax")
ADDRESS_TYPES = ("Location", "Postal", "Delivery")
ADDRESS_SUBTYPES = ("Single", "Street", "PostOfficeBox", "Abroad", "Other", "NoAddress")
SERVICE_HOUR_TYPES = ("DaysOfTheWeek", "Exceptional", "OverMidnight")
DAYS = {
    "Monday": "mo",
    "Tuesday": "tu",
    "Wednesday": "we",
    "Thursday": "th",
    "Friday": "fr",
    "Saturday": "sa",
    "Sunday": "su",
}
ACCESSIBILITY_LEVELS = ("FullyCompliant", "PartiallyCompliant", "NonCompliant", "Unknown")
WCAG_LEVELS = ("LevelA", "LevelAA", "LevelAAA")

SERVICE_FIELDS = ("name_fi", "name_sv", "name_en", "service_class", "target_group", "life_event")
LOCATION_FIELDS = (
    "service_id",
    "name",
    "name_sv",
    "name_en",
    "street_address",
    "postal_code",
    "municipality_code",
    "latitude",
    "longitude",
    "languages",
    "opening_hours",
    "phone",
    "email",
    "web_url",
    "eservice_url",
    "eservice_accessibility",
)


# --- problems -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    source: str
    record: str | None  # the PTV id, or None when the source itself is broken
    field: str | None
    message: str

    def __str__(self) -> str:
        where = [self.source]
        if self.record is not None:
            where.append(f"record {self.record}")
        if self.field is not None:
            where.append(f"field {self.field}")
        return f"{': '.join(where)}: {self.message}"


class PtvImportError(Exception):
    """The input cannot be imported; nothing was saved."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class _Reader:
    """Reads one record's fields, noting every problem with the record's source and PTV id."""

    def __init__(self, source: str, ptv_id: str, problems: list[Problem]) -> None:
        self.source = source
        self.ptv_id = ptv_id
        self.problems = problems

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.source, self.ptv_id, path, message))

    def code(self, value: Any, allowed: Iterable[str], path: str, what: str) -> str | None:
        allowed = tuple(allowed)
        if value not in allowed:
            self.problem(path, f"unknown {what} {value!r} (expected one of {', '.join(allowed)})")
            return None
        return value

    def items(self, data: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(key, "must be a list")
            return []
        found = []
        for n, item in enumerate(value):
            if isinstance(item, dict):
                found.append((f"{key}[{n}]", item))
            else:
                self.problem(f"{key}[{n}]", "must be an object")
        return found

    def localized(self, data: dict[str, Any], key: str) -> dict[str, str]:
        """``[{"language": .., "value": ..}]`` as {language: value} (the first of each language)."""
        found: dict[str, str] = {}
        for path, item in self.items(data, key):
            language = self.code(item.get("language"), LANGUAGES, f"{path}.language", "language")
            value = item.get("value")
            if language is None:
                continue
            if not isinstance(value, str):
                self.problem(f"{path}.value", "must be text")
                continue
            found.setdefault(language, value.strip())
        return found


def _preferred(values: dict[str, str]) -> str | None:
    for language in ("fi", "sv", "en", *LANGUAGES):
        if values.get(language):
            return values[language]
    return None


# --- coordinates ----------------------------------------------------------------------------------


def tm35fin_to_wgs84(northing: float, easting: float) -> tuple[float, float]:
    """ETRS-TM35FIN (EPSG:3067, what PTV gives) to latitude and longitude in degrees (transverse Mercator inverse,
    GRS80, central meridian 27 E, scale 0.9996, false easting 500 000 m)."""
    a = 6378137.0
    f = 1 / 298.257222101
    k0 = 0.9996
    e2 = f * (2 - f)
    ep2 = e2 / (1 - e2)
    x = easting - 500000.0
    m = northing / k0
    mu = m / (a * (1 - e2 / 4 - 3 * e2**2 / 64 - 5 * e2**3 / 256))
    e1 = (1 - math.sqrt(1 - e2)) / (1 + math.sqrt(1 - e2))
    phi1 = (
        mu
        + (3 * e1 / 2 - 27 * e1**3 / 32) * math.sin(2 * mu)
        + (21 * e1**2 / 16 - 55 * e1**4 / 32) * math.sin(4 * mu)
        + (151 * e1**3 / 96) * math.sin(6 * mu)
        + (1097 * e1**4 / 512) * math.sin(8 * mu)
    )
    sin1, cos1, tan1 = math.sin(phi1), math.cos(phi1), math.tan(phi1)
    c1 = ep2 * cos1**2
    t1 = tan1**2
    n1 = a / math.sqrt(1 - e2 * sin1**2)
    r1 = a * (1 - e2) / (1 - e2 * sin1**2) ** 1.5
    d = x / (n1 * k0)
    lat = phi1 - (n1 * tan1 / r1) * (
        d**2 / 2
        - (5 + 3 * t1 + 10 * c1 - 4 * c1**2 - 9 * ep2) * d**4 / 24
        + (61 + 90 * t1 + 298 * c1 + 45 * t1**2 - 252 * ep2 - 3 * c1**2) * d**6 / 720
    )
    lon = (
        d - (1 + 2 * t1 + c1) * d**3 / 6 + (5 - 2 * c1 + 28 * t1 - 3 * c1**2 + 8 * ep2 + 24 * t1**2) * d**5 / 120
    ) / cos1
    return math.degrees(lat), 27.0 + math.degrees(lon)


def _coordinates(reader: _Reader, street: dict[str, Any], path: str) -> tuple[float, float] | None:
    raw_lat, raw_lon = street.get("latitude"), street.get("longitude")
    try:
        lat, lon = float(raw_lat), float(raw_lon)
    except (TypeError, ValueError):
        reader.problem(f"{path}.latitude", f"coordinates {raw_lat!r}, {raw_lon!r} are not numbers")
        return None
    if lat > 1000:  # metres: ETRS-TM35FIN northing and easting
        lat, lon = tm35fin_to_wgs84(lat, lon)
    if not (59.0 <= lat <= 70.5 and 19.0 <= lon <= 32.0):
        reader.problem(f"{path}.latitude", f"coordinates {raw_lat!r}, {raw_lon!r} are not in Finland")
        return None
    return round(lat, 6), round(lon, 6)


# --- records --------------------------------------------------------------------------------------


@dataclass
class ServiceRecord:
    source: str
    ptv_id: str
    fields: dict[str, Any]


@dataclass
class LocationRecord:
    source: str
    ptv_id: str
    fields: dict[str, Any]
    service_ids: list[str]


@dataclass
class ChannelRecord:
    source: str
    ptv_id: str
    channel_type: str
    service_ids: list[str]
    phone: str | None = None
    url: str | None = None
    accessibility: str | None = None


def _names(reader: _Reader, data: dict[str, Any], key: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for path, item in reader.items(data, key):
        name_type = reader.code(item.get("type"), NAME_TYPES, f"{path}.type", "name type")
        language = reader.code(item.get("language"), LANGUAGES, f"{path}.language", "language")
        value = item.get("value")
        if name_type != "Name" or language is None:
            continue
        if not isinstance(value, str) or not value.strip():
            reader.problem(f"{path}.value", "a name must be text")
            continue
        names.setdefault(language, value.strip())
    if not _preferred(names):
        reader.problem(key, "has no name (type Name)")
    return names


def _linked_services(reader: _Reader, data: dict[str, Any]) -> list[str]:
    ids = []
    for path, item in reader.items(data, "services"):
        service = item.get("service")
        if not isinstance(service, dict) or not isinstance(service.get("id"), str):
            reader.problem(f"{path}.service.id", "missing")
            continue
        ids.append(service["id"])
    return ids


def _first_code(reader: _Reader, data: dict[str, Any], key: str, *, required: bool) -> str | None:
    for path, item in reader.items(data, key):
        code = item.get("code")
        if not isinstance(code, str) or not code.strip() or len(code) > 20:
            reader.problem(f"{path}.code", f"{code!r} is no code")
            return None
        return code.strip()
    if required:
        reader.problem(key, "is empty")
    return None


def _service(reader: _Reader, data: dict[str, Any]) -> ServiceRecord:
    names = _names(reader, data, "serviceNames")
    for path, language in enumerate(data.get("languages") or []):
        reader.code(language, LANGUAGES, f"languages[{path}]", "language")
    fields = {
        "name_fi": names.get("fi") or _preferred(names),
        "name_sv": names.get("sv") or _preferred(names),
        "name_en": names.get("en") or _preferred(names),
        "service_class": _first_code(reader, data, "serviceClasses", required=True),
        "target_group": _first_code(reader, data, "targetGroups", required=True),
        "life_event": _first_code(reader, data, "lifeEvents", required=False),
    }
    return ServiceRecord(reader.source, reader.ptv_id, fields)


def _time(reader: _Reader, value: Any, path: str, *, closing: bool) -> str | None:
    if not isinstance(value, str) or len(value) < 5 or value[2] != ":":
        reader.problem(path, f"{value!r} is no time of day (HH:MM:SS)")
        return None
    hours, minutes = value[:2], value[3:5]
    if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60):
        reader.problem(path, f"{value!r} is no time of day (HH:MM:SS)")
        return None
    if closing and value[:5] == "00:00":
        return "24:00"
    return value[:5]


def _opening_hours(reader: _Reader, data: dict[str, Any]) -> list[dict[str, str]]:
    """The weekly hours in force (``DaysOfTheWeek``, not closed); exceptional and over-midnight hours are not kept."""
    hours: list[dict[str, str]] = []
    for path, item in reader.items(data, "serviceHours"):
        kind = reader.code(item.get("serviceHourType"), SERVICE_HOUR_TYPES, f"{path}.serviceHourType", "hour type")
        if kind != "DaysOfTheWeek" or item.get("isClosed") or item.get("validForNow") is False:
            continue
        if item.get("isAlwaysOpen"):
            hours.append({"days": "mo-su", "opens": "00:00", "closes": "24:00"})
            continue
        for hour_path, hour in reader.items(item, "openingHour"):
            hour_path = f"{path}.{hour_path}"
            first = reader.code(hour.get("dayFrom"), DAYS, f"{hour_path}.dayFrom", "day")
            last = hour.get("dayTo")
            last = reader.code(last, DAYS, f"{hour_path}.dayTo", "day") if last else first
            opens = _time(reader, hour.get("from"), f"{hour_path}.from", closing=False)
            closes = _time(reader, hour.get("to"), f"{hour_path}.to", closing=True)
            if None in (first, last, opens, closes):
                continue
            if opens >= closes:
                reader.problem(f"{hour_path}.to", f"closes at {closes}, not after it opens at {opens}")
                continue
            days = DAYS[first] if first == last else f"{DAYS[first]}-{DAYS[last]}"
            hours.append({"days": days, "opens": opens, "closes": closes})
    return hours


def _phone(reader: _Reader, data: dict[str, Any], key: str) -> str | None:
    phones: dict[str, str] = {}
    for path, item in reader.items(data, key):
        kind = reader.code(item.get("type", "Phone"), PHONE_TYPES, f"{path}.type", "phone number type")
        number = item.get("number")
        if kind != "Phone":
            continue
        if not isinstance(number, str) or not number.strip():
            reader.problem(f"{path}.number", "missing")
            continue
        prefix = item.get("prefixNumber") or ""
        phones.setdefault(item.get("language") or "fi", f"{prefix} {number.strip()}".strip())
    return _preferred(phones)


def _web_page(reader: _Reader, data: dict[str, Any], key: str) -> str | None:
    urls: dict[str, str] = {}
    for path, item in reader.items(data, key):
        url = item.get("url")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            reader.problem(f"{path}.url", f"{url!r} is no web address")
            continue
        urls.setdefault(item.get("language") or "fi", url.strip())
    return _preferred(urls)


def _address(reader: _Reader, data: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for path, item in reader.items(data, "addresses"):
        kind = reader.code(item.get("type"), ADDRESS_TYPES, f"{path}.type", "address type")
        subtype = reader.code(item.get("subType"), ADDRESS_SUBTYPES, f"{path}.subType", "address subtype")
        if found or kind != "Location" or subtype not in ("Street", "Single"):
            continue
        street = item.get("streetAddress")
        if not isinstance(street, dict):
            reader.problem(f"{path}.streetAddress", "missing")
            continue
        spath = f"{path}.streetAddress"
        name = _preferred(reader.localized(street, "street"))
        if not name:
            reader.problem(f"{spath}.street", "missing")
        number = (street.get("streetNumber") or "").strip()
        postal_code = street.get("postalCode")
        if not (isinstance(postal_code, str) and len(postal_code) == 5 and postal_code.isdigit()):
            reader.problem(f"{spath}.postalCode", f"{postal_code!r} is no postal code")
        municipality = street.get("municipality")
        code = municipality.get("code") if isinstance(municipality, dict) else None
        if not (isinstance(code, str) and len(code) == 3 and code.isdigit()):
            reader.problem(f"{spath}.municipality.code", f"{code!r} is no municipality code")
        coordinates = _coordinates(reader, street, spath)
        if name and coordinates:
            found = {
                "street_address": f"{name} {number}".strip(),
                "postal_code": postal_code,
                "municipality_code": code,
                "latitude": coordinates[0],
                "longitude": coordinates[1],
            }
    if not found and not any(p.record == reader.ptv_id for p in reader.problems):
        reader.problem("addresses", "has no street address of type Location")
    return found


def _location(reader: _Reader, data: dict[str, Any]) -> LocationRecord:
    names = _names(reader, data, "serviceChannelNames")
    languages = []
    for n, language in enumerate(data.get("languages") or []):
        if reader.code(language, LANGUAGES, f"languages[{n}]", "language"):
            languages.append(language)
    if not languages:
        reader.problem("languages", "is empty")
    emails = reader.localized(data, "emails")
    fields = {
        "name": names.get("fi") or _preferred(names),
        "name_sv": names.get("sv"),
        "name_en": names.get("en"),
        **_address(reader, data),
        "languages": ",".join(languages),
        "opening_hours": _opening_hours(reader, data),
        "phone": _phone(reader, data, "phoneNumbers"),
        "email": _preferred(emails),
        "web_url": _web_page(reader, data, "webPages"),
    }
    return LocationRecord(reader.source, reader.ptv_id, fields, _linked_services(reader, data))


def _accessibility(reader: _Reader, data: dict[str, Any]) -> str | None:
    levels: dict[str, str] = {}
    for path, item in reader.items(data, "accessibilityClassification"):
        level = reader.code(
            item.get("accessibilityClassificationLevel"),
            ACCESSIBILITY_LEVELS,
            f"{path}.accessibilityClassificationLevel",
            "accessibility classification level",
        )
        if item.get("wcagLevel") is not None:
            reader.code(item.get("wcagLevel"), WCAG_LEVELS, f"{path}.wcagLevel", "WCAG level")
        if level:
            levels.setdefault(item.get("language") or "fi", level)
    return _preferred(levels)


def _channel(reader: _Reader, data: dict[str, Any], channel_type: str) -> ChannelRecord:
    channel = ChannelRecord(reader.source, reader.ptv_id, channel_type, _linked_services(reader, data))
    _names(reader, data, "serviceChannelNames")
    if channel_type == "Phone":
        channel.phone = _phone(reader, data, "phoneNumbers")
    elif channel_type in ("EChannel", "WebPage"):
        channel.url = _web_page(reader, data, "webPages")
        channel.accessibility = _accessibility(reader, data)
    return channel


@dataclass
class Records:
    services: list[ServiceRecord] = field(default_factory=list)
    locations: list[LocationRecord] = field(default_factory=list)
    channels: list[ChannelRecord] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_records(items: Iterable[tuple[str, Any]], problems: list[Problem]) -> Records:
    """Map (source, JSON record) pairs to records, noting problems instead of stopping at the first one."""
    records = Records()
    seen: dict[str, str] = {}
    for source, data in items:
        if not isinstance(data, dict):
            problems.append(Problem(source, None, None, "a record must be a JSON object"))
            continue
        ptv_id = data.get("id")
        if not isinstance(ptv_id, str) or not ptv_id.strip() or len(ptv_id) > 36:
            problems.append(Problem(source, None, "id", f"a record has no PTV id ({ptv_id!r})"))
            continue
        if ptv_id in seen:
            problems.append(Problem(source, ptv_id, "id", f"the same record is also in {seen[ptv_id]}"))
            continue
        seen[ptv_id] = source
        reader = _Reader(source, ptv_id, problems)
        status = data.get("publishingStatus") or "Published"
        if status != "Published":
            records.skipped.append(f"{source}: record {ptv_id}: skipped (publishingStatus {status})")
            continue
        if "serviceChannelType" in data:
            kind = reader.code(data["serviceChannelType"], CHANNEL_TYPES, "serviceChannelType", "channel type")
            if kind == "ServiceLocation":
                records.locations.append(_location(reader, data))
            elif kind in ("Phone", "EChannel", "WebPage"):
                records.channels.append(_channel(reader, data, kind))
            elif kind == "PrintableForm":
                records.skipped.append(f"{source}: record {ptv_id}: skipped (printable forms are not imported)")
        elif "serviceNames" in data:
            records.services.append(_service(reader, data))
            for n, link in enumerate(data.get("serviceChannels") or []):
                channel = link.get("serviceChannel") if isinstance(link, dict) else None
                if not isinstance(channel, dict) or not isinstance(channel.get("id"), str):
                    reader.problem(f"serviceChannels[{n}].serviceChannel.id", "missing")
        else:
            reader.problem(None, "is neither a service (serviceNames) nor a service channel (serviceChannelType)")
    return records


# --- sources --------------------------------------------------------------------------------------


def load_source(source: str, http: Any = None) -> list[tuple[str, Any]]:
    """The records of one file or http(s) URL (one record, a list, or a PTV page with ``itemList``)."""
    try:
        if source.startswith(("https://", "http://")):
            if http is None:
                import requests

                http = requests.Session()
            response = http.get(source, timeout=60, headers={"Accept": "application/json"})
            response.raise_for_status()
            data = response.json()
        else:
            data = json.loads(Path(source).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as error:
        raise PtvImportError([Problem(source, None, None, f"cannot be read: {error}")]) from None
    except Exception as error:  # the HTTP client's own errors (connection, status)
        raise PtvImportError([Problem(source, None, None, f"cannot be fetched: {error}")]) from None
    if isinstance(data, dict) and isinstance(data.get("itemList"), list):
        data = data["itemList"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise PtvImportError([Problem(source, None, None, "is neither a record, a list of records nor a PTV page")])
    return [(source, item) for item in data]


# --- plan, diff, apply ----------------------------------------------------------------------------


@dataclass
class Planned:
    """One object to create or update: its changed fields as (field, old, new)."""

    object_type: str  # "service" or "service_location"
    ptv_id: str
    name: str
    source: str
    existing: Service | ServiceLocation | None
    changes: list[tuple[str, Any, Any]]
    service_ptv_id: str | None = None  # a new location's service when that service is new too

    @property
    def action(self) -> str:
        return "created" if self.existing is None else "updated"


@dataclass
class Plan:
    organisation: Organisation | None
    items: list[Planned]
    skipped: list[str]
    unchanged: int

    def describe(self) -> list[str]:
        lines = list(self.skipped)
        for item in self.items:
            verb = "create" if item.existing is None else f"update (#{item.existing.id})"
            lines.append(f"{verb} {item.object_type} {item.ptv_id} {item.name!r} [{item.source}]")
            for name, old, new in item.changes:
                if item.existing is None:
                    lines.append(f"    {name}: {_shown(new)}")
                else:
                    lines.append(f"    {name}: {_shown(old)} -> {_shown(new)}")
        created = sum(1 for i in self.items if i.existing is None)
        lines.append(f"{created} to create, {len(self.items) - created} to update, {self.unchanged} unchanged.")
        return lines


def _shown(value: Any) -> str:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return repr(value)


def _diff(existing: Any, wanted: dict[str, Any], names: Sequence[str]) -> list[tuple[str, Any, Any]]:
    changes = []
    for name in names:
        if name not in wanted:
            continue
        old = getattr(existing, name) if existing is not None else None
        new = wanted[name]
        if existing is None and new is None:
            continue
        if isinstance(old, float) and isinstance(new, float) and math.isclose(old, new, abs_tol=1e-7):
            continue
        if old != new:
            changes.append((name, old, new))
    return changes


def plan(session: Session, records: Records, organisation: Organisation | None, problems: list[Problem]) -> Plan:
    """What the import would change, field by field (reads the database, writes nothing)."""
    items: list[Planned] = []
    unchanged = 0
    service_ids = {r.ptv_id for r in records.services}
    existing_services = {
        s.ptv_id: s for s in session.scalars(select(Service).where(Service.ptv_id.is_not(None))) if s.ptv_id
    }
    for rec in records.services:
        existing = existing_services.get(rec.ptv_id)
        if existing is None and organisation is None:
            problems.append(
                Problem(rec.source, rec.ptv_id, None, "a new service needs --organisation (the business id)")
            )
            continue
        changes = _diff(existing, rec.fields, SERVICE_FIELDS)
        if changes:
            name = rec.fields["name_fi"] or ""
            items.append(Planned("service", rec.ptv_id, name, rec.source, existing, changes))
        else:
            unchanged += 1

    # Links between services and channels, from either side (a channel's ``services``).
    channels_of: dict[str, list[ChannelRecord]] = {}
    for channel in records.channels:
        for service_id in channel.service_ids:
            channels_of.setdefault(service_id, []).append(channel)

    existing_locations = {
        loc.ptv_id: loc
        for loc in session.scalars(select(ServiceLocation).where(ServiceLocation.ptv_id.is_not(None)))
        if loc.ptv_id
    }
    for rec in records.locations:
        existing = existing_locations.get(rec.ptv_id)
        wanted = dict(rec.fields)
        service_ptv_id = next((s for s in rec.service_ids if s in service_ids or s in existing_services), None)
        if service_ptv_id is None:
            problems.append(
                Problem(
                    rec.source,
                    rec.ptv_id,
                    "services",
                    "none of its services is in the catalogue or in this import "
                    f"({', '.join(rec.service_ids) or 'no services'})",
                )
            )
            continue
        linked = channels_of.get(service_ptv_id, [])
        # A number or address the record lacks may come from a channel of the same service; when no such channel
        # is in this import either, what the location has is left as it is (never removed for want of input).
        for name, channel_type in (("phone", "Phone"), ("web_url", "WebPage")):
            if not wanted.get(name) and not any(c.channel_type == channel_type for c in linked):
                wanted.pop(name, None)
        for channel in linked:
            if channel.channel_type == "EChannel" and channel.url and "eservice_url" not in wanted:
                wanted["eservice_url"] = channel.url
                wanted["eservice_accessibility"] = channel.accessibility
            if channel.channel_type == "Phone" and channel.phone and not wanted.get("phone"):
                wanted["phone"] = channel.phone
            if channel.channel_type == "WebPage" and channel.url and not wanted.get("web_url"):
                wanted["web_url"] = channel.url
        known = existing_services.get(service_ptv_id)
        if known is not None:
            wanted["service_id"] = known.id
        changes = _diff(existing, wanted, LOCATION_FIELDS)
        if changes or (existing is None):
            new_service = None if known is not None else service_ptv_id
            items.append(
                Planned(
                    "service_location", rec.ptv_id, wanted.get("name") or "", rec.source, existing, changes, new_service
                )
            )
        else:
            unchanged += 1
    return Plan(organisation, items, records.skipped, unchanged)


def apply(session: Session, planned: Plan, actor: Actor = ACTOR, run_id: str | None = None) -> int:
    """Write the plan with its audit rows (the caller commits); returns how many fields changed."""
    run_id = run_id or f"ptv-import-{uuid.uuid4().hex}"
    created_services: dict[str, Service] = {}
    count = 0
    for item in planned.items:
        obj = item.existing
        if obj is None:
            if item.object_type == "service":
                obj = Service(ptv_id=item.ptv_id, organisation_id=planned.organisation.id)
                created_services[item.ptv_id] = obj
            else:
                obj = ServiceLocation(ptv_id=item.ptv_id, is_demo=False)
                if item.service_ptv_id is not None:
                    obj.service = created_services[item.service_ptv_id]
            session.add(obj)
        for name, _old, new in item.changes:
            setattr(obj, name, new)
        session.flush()
        if isinstance(obj, Service):
            where = Where(organisation_id=obj.organisation_id)
        else:
            where = Where(organisation_id=obj.service.organisation_id, location_id=obj.id)
        changes = [Change(item.object_type, obj.id, item.action, name, old, new) for name, old, new in item.changes]
        if item.object_type == "service_location" and item.existing is None and item.service_ptv_id is not None:
            changes.append(Change(item.object_type, obj.id, "created", "service_id", None, obj.service_id))
        record(session, actor, where, changes, channel=CHANNEL, request_id=run_id)
        count += len(changes)
    if planned.items:
        bump_revision(session)
    return count


@dataclass
class Result:
    plan: Plan
    saved: bool
    changed_fields: int


def run(
    session: Session,
    sources: Sequence[str],
    *,
    dry_run: bool = False,
    organisation_business_id: str | None = None,
    http: Any = None,
) -> Result:
    """Read every source, check every record, then (unless ``dry_run``) write the changes and commit them.

    Raises ``PtvImportError`` (nothing saved) on any problem; the session is rolled back then."""
    problems: list[Problem] = []
    items: list[tuple[str, Any]] = []
    for source in sources:
        try:
            items.extend(load_source(source, http))
        except PtvImportError as error:
            problems.extend(error.problems)
    organisation = None
    if organisation_business_id:
        organisation = session.scalar(select(Organisation).where(Organisation.business_id == organisation_business_id))
        if organisation is None:
            problems.append(
                Problem("--organisation", None, None, f"no organisation with business id {organisation_business_id}")
            )
    records = read_records(items, problems)
    if problems:
        raise PtvImportError(problems)
    planned = plan(session, records, organisation, problems)
    if problems:
        raise PtvImportError(problems)
    if dry_run or not planned.items:
        session.rollback()
        return Result(planned, False, 0)
    try:
        changed = apply(session, planned)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return Result(planned, True, changed)
