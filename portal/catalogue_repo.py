"""The domain's catalogue, place and directory queries, implemented over the database."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from configurator.catalogue import Availability as AvailabilityRecord
from configurator.catalogue import EcecUnitRecord, MunicipalPricing, OpeningHours
from configurator.checklist import Contact
from configurator.comparisons import ecec_columns
from configurator.geo import NEAREST_AREA_KM, Coverage, Name, Place, bounding_box, distance_km
from configurator.names import Localized, localized
from configurator.service_points import APPOINTMENT_CHANNELS, ServicePointRecord

from .catalogue_cache import CACHE, current_revisions
from .demo.links import link
from .models import (
    AppointmentSlot,
    Availability,
    EcecUnit,
    MunicipalEcecPricing,
    Municipality,
    Organisation,
    PostalCode,
    Service,
    ServiceArea,
    ServiceLocation,
    UnitPrice,
)

LOCATION_COLUMNS = (
    ServiceLocation.id,
    ServiceLocation.name,
    ServiceLocation.name_sv,
    ServiceLocation.street_address,
    ServiceLocation.postal_code,
    ServiceLocation.municipality_code,
    ServiceLocation.latitude,
    ServiceLocation.longitude,
    ServiceLocation.languages,
    ServiceLocation.opening_hours,
    ServiceLocation.phone,
    ServiceLocation.email,
    ServiceLocation.web_url,
    ServiceLocation.eservice_url,
    ServiceLocation.step_free_entrance,
    ServiceLocation.accessible_toilet,
    ServiceLocation.accessible_parking,
    ServiceLocation.induction_loop,
    ServiceLocation.is_demo,
    EcecUnit.care_type,
    EcecUnit.provider_type,
    EcecUnit.shift_care,
    EcecUnit.serves_under_3,
    EcecUnit.serves_3_and_over,
)
ACCESSIBILITY_COLUMNS = ("step_free_entrance", "accessible_toilet", "accessible_parking", "induction_loop")


def _hours(value: list[dict[str, str]] | None) -> tuple[OpeningHours, ...]:
    return tuple(OpeningHours(h["days"], h["opens"], h["closes"]) for h in value or ())


_LANGUAGES: dict[str, tuple[str, ...]] = {}


def _languages(text: str) -> tuple[str, ...]:
    """A unit's languages ("fi,sv"), one tuple for each distinct value: a results page compares the languages of
    thousands of units with the family's, and a few shared tuples stay in the processor's cache."""
    found = _LANGUAGES.get(text)
    if found is None:
        found = tuple(lang for lang in text.split(",") if lang)
        if len(_LANGUAGES) < 1000:  # a handful of combinations in practice; never an unbounded dict
            _LANGUAGES[text] = found
    return found


def _record(row: Any, availability: dict[str, AvailabilityRecord], price: Decimal | None) -> EcecUnitRecord:
    return EcecUnitRecord(
        id=row.id,
        name=row.name,
        name_sv=row.name_sv,
        street_address=row.street_address,
        postal_code=row.postal_code,
        municipality_code=row.municipality_code,
        latitude=row.latitude,
        longitude=row.longitude,
        languages=_languages(row.languages),
        care_type=row.care_type,
        provider_type=row.provider_type,
        shift_care=row.shift_care,
        serves_under_3=row.serves_under_3,
        serves_3_and_over=row.serves_3_and_over,
        opening_hours=_hours(row.opening_hours),
        availability=availability,
        monthly_price=price,
        accessibility={name: getattr(row, name) for name in ACCESSIBILITY_COLUMNS},
        phone=row.phone,
        email=row.email,
        web_url=row.web_url,
        eservice_url=row.eservice_url,
        is_demo=row.is_demo,
        web_urls=link(row.web_url),
        eservice_urls=link(row.eservice_url),
    )


class SqlEcecCatalogue:
    """EcecCatalogue over SQLAlchemy; a bounding box on the indexed coordinates keeps queries small."""

    def __init__(self, session: Session, on: date) -> None:
        self.session = session
        self.on = on

    def units_within(self, latitude: float, longitude: float, radius_km: float) -> list[EcecUnitRecord]:
        """Served from the revision-checked in-memory index (see catalogue_cache)."""
        index = CACHE.index(self.session, self._all_units, self._availability, self._units)
        return index.within(latitude, longitude, radius_km, self.on)

    def units_near(
        self, home: tuple[float, float], work: tuple[float, float] | None, radius_km: float
    ) -> list[tuple[EcecUnitRecord, float, float | None]]:
        """The units within ``radius_km`` of home or work with their distances to both, from the index in one pass
        (see _Index.near); the comparison uses it instead of two units_within() and its own distances."""
        index = CACHE.index(self.session, self._all_units, self._availability, self._units)
        return index.near(home, work, radius_km, self.on)

    def units_near_columns(
        self, home: tuple[float, float], work: tuple[float, float] | None, radius_km: float
    ) -> ecec_columns.Near:
        """units_near() as columns (configurator/comparisons/ecec_columns.py): the comparison counts and orders the
        units in reach from them and makes Python objects only for the rows it shows."""
        index = CACHE.index(self.session, self._all_units, self._availability, self._units)
        return index.near_columns(home, work, radius_km, self.on)

    def warm_up(self) -> None:
        """Build this process's index now (a worker's start), so no citizen's request waits for the one full build
        (seconds with 100,000 units); later changes only catch it up (see catalogue_cache)."""
        CACHE.index(self.session, self._all_units, self._availability, self._units)

    def _all_units(self) -> list[EcecUnitRecord]:
        rows = list(
            self.session.execute(select(*LOCATION_COLUMNS).join(EcecUnit, EcecUnit.location_id == ServiceLocation.id))
        )
        return self._records(rows)

    def _units(self, ids: Collection[int]) -> list[EcecUnitRecord]:
        """The ECEC units among ``ids`` (the index reads the changed ones again)."""
        listed = list(ids)
        query = select(*LOCATION_COLUMNS).join(EcecUnit, EcecUnit.location_id == ServiceLocation.id)
        rows = [
            row
            for chunk in (listed[i : i + 900] for i in range(0, len(listed), 900))
            for row in self.session.execute(query.where(ServiceLocation.id.in_(chunk)))
        ]
        return self._records(rows)

    def units_within_uncached(self, latitude: float, longitude: float, radius_km: float) -> list[EcecUnitRecord]:
        """The same query straight from the database (for tests that compare it with the index)."""
        south, west, north, east = bounding_box(latitude, longitude, radius_km)
        rows = [
            r
            for r in self.session.execute(
                select(*LOCATION_COLUMNS)
                .join(EcecUnit, EcecUnit.location_id == ServiceLocation.id)
                .where(ServiceLocation.latitude.between(south, north), ServiceLocation.longitude.between(west, east))
            )
            if distance_km(latitude, longitude, r.latitude, r.longitude) <= radius_km
        ]
        return self._records(rows)

    def _availability(self, ids: Collection[int] | None = None) -> dict[int, dict[str, AvailabilityRecord]]:
        """Availability by unit and age group: of the units ``ids``, or of every unit (None). The index refreshes
        its figures with it when only they changed (no location columns)."""
        query = select(
            Availability.location_id,
            Availability.age_group,
            Availability.free_places,
            Availability.queue_weeks,
            Availability.updated_at,
            Availability.updated_by,
        )
        listed = None if ids is None else list(ids)
        chunks = [None] if listed is None else [listed[i : i + 900] for i in range(0, len(listed), 900)]
        availability: dict[int, dict[str, AvailabilityRecord]] = {}
        connection = self.session.connection()  # Core rows: this runs over every unit when figures change
        for chunk in chunks:
            statement = query if chunk is None else query.where(Availability.location_id.in_(chunk))
            for location_id, age_group, free_places, queue_weeks, updated_at, updated_by in connection.execute(
                statement
            ).all():
                groups = availability.get(location_id)
                if groups is None:
                    groups = availability[location_id] = {}
                groups[age_group] = AvailabilityRecord(free_places, queue_weeks, updated_at, updated_by)
        return availability

    def _records(self, rows: list[Any]) -> list[EcecUnitRecord]:
        ids = [r.id for r in rows]
        availability = self._availability(ids)
        prices: dict[int, Decimal] = {}
        for chunk in (ids[i : i + 900] for i in range(0, len(ids), 900)):  # SQLite's bound-parameter limit
            for p in self.session.execute(
                select(UnitPrice.location_id, UnitPrice.monthly_price)
                .where(UnitPrice.location_id.in_(chunk), UnitPrice.valid_from <= self.on)
                .order_by(UnitPrice.valid_from)
            ):
                prices[p.location_id] = Decimal(p.monthly_price)  # the latest price valid on self.on wins
        return [_record(r, availability.get(r.id, {}), prices.get(r.id)) for r in rows]

    def municipal_pricing(self, municipality_code: str, on: date) -> MunicipalPricing | None:
        row = self.session.scalars(
            select(MunicipalEcecPricing)
            .where(MunicipalEcecPricing.municipality_code == municipality_code, MunicipalEcecPricing.valid_from <= on)
            .order_by(MunicipalEcecPricing.valid_from.desc())
        ).first()
        if row is None:
            return None
        steps = tuple((Decimal(s["max_hours"]), Decimal(s["coefficient"])) for s in row.part_time_steps)
        return MunicipalPricing(
            row.municipality_code,
            row.valid_from,
            steps,
            Decimal(row.voucher_under_3),
            Decimal(row.voucher_3_and_over),
            Decimal(row.max_surcharge),
            row.source,
        )


class SqlPlaces:
    """PlaceResolver over the postal-code table: every postal code of Finland names its municipality; a
    centroid is known only where the demo data supplies one, and none is ever made up."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _names(self, municipality_code: str) -> Name | None:
        row = self.session.get(Municipality, municipality_code)
        return Name(row.name_fi, row.name_sv) if row is not None else None

    def _place(self, row: PostalCode) -> Place:
        return Place(
            row.latitude,
            row.longitude,
            row.municipality_code,
            row.code,
            area=Name(row.name_fi, row.name_sv),
            municipality=self._names(row.municipality_code),
        )

    def by_postal_code(self, postal_code: str) -> Place | None:
        """The postal area, with its municipality; without a point where no centroid is known."""
        row = self.session.get(PostalCode, postal_code)
        return self._place(row) if row is not None else None

    def postal_code_exists(self, postal_code: str) -> bool:
        return self.session.get(PostalCode, postal_code) is not None

    def nearest(self, latitude: float, longitude: float) -> Place | None:
        """The closest postal area people live in (not a PO box or parcel-locker code) with a known centroid,
        within NEAREST_AREA_KM; else None: the municipality of a point is not guessed. Ties go to the
        lowest code, the area's own."""
        south, west, north, east = bounding_box(latitude, longitude, NEAREST_AREA_KM)
        rows = self.session.scalars(
            select(PostalCode).where(
                PostalCode.is_area.is_(True),
                PostalCode.latitude.between(south, north),
                PostalCode.longitude.between(west, east),
            )
        )
        scored = [(distance_km(latitude, longitude, r.latitude, r.longitude), r.code, r) for r in rows]
        best = min((s for s in scored if s[0] <= NEAREST_AREA_KM), key=lambda s: s[:2], default=None)
        return self._place(best[2]) if best is not None else None

    def coverage(self) -> Coverage:
        """The municipalities with ECEC units and those that service points serve, named (cached per catalogue
        revision of the locations: the coverage notes are on every start and places page)."""
        key = str(self.session.get_bind().url)
        revision = current_revisions(self.session)[0]
        cached = _COVERAGE.get(key)
        if cached is not None and cached[0] == revision:
            return cached[1]
        ecec = frozenset(
            self.session.scalars(
                select(ServiceLocation.municipality_code)
                .join(EcecUnit, EcecUnit.location_id == ServiceLocation.id)
                .distinct()
            )
        )
        services = frozenset(
            self.session.scalars(
                select(ServiceArea.municipality_code)
                .join(Service, Service.id == ServiceArea.service_id)
                .where(Service.kind.is_not(None), Service.id.in_(select(ServiceLocation.service_id)))
                .distinct()
            )
        )
        names = {
            row.code: Name(row.name_fi, row.name_sv)
            for row in self.session.scalars(select(Municipality).where(Municipality.code.in_(ecec | services)))
        }
        found = Coverage(ecec, services, names)
        _COVERAGE[key] = (revision, found)
        return found


_COVERAGE: dict[str, tuple[int, Coverage]] = {}


def _serves(municipality_code: str) -> Any:
    """Join condition: the service's area includes the municipality."""
    return (ServiceArea.service_id == Service.id) & (ServiceArea.municipality_code == municipality_code)


def location_names(location: ServiceLocation) -> Localized:
    """A service location's (a unit's, a service point's) name in the languages it has one in."""
    return Localized(location.name, location.name_sv)


def service_names(service: Service) -> Localized:
    return Localized(service.name_fi, service.name_sv, service.name_en)


class SqlDirectory:
    """Directory of municipal contacts and of the organisations responsible for a kind of service, for the checklist."""

    def __init__(self, session: Session, locale: str) -> None:
        self.session = session
        self.locale = locale

    def municipality_contact(self, municipality_code: str, service: str) -> Contact | None:
        row = self.session.get(Municipality, municipality_code)
        if row is None:
            return None
        name = Name(row.name_fi, row.name_sv).display(self.locale)
        return Contact(name=name, phone=row.ecec_phone, email=row.ecec_email, **self._urls(row.ecec_eservice_url))

    def service_contact(self, kind: str, municipality_code: str) -> Contact | None:
        """The organisation responsible for this kind of service in the municipality (its first point, by id)."""
        row = self.session.execute(
            select(
                Organisation.name,
                Organisation.name_sv,
                Organisation.name_en,
                Organisation.phone.label("org_phone"),
                Organisation.email.label("org_email"),
                Organisation.web_url.label("org_web_url"),
                ServiceLocation.phone,
                ServiceLocation.email,
                ServiceLocation.web_url,
                ServiceLocation.eservice_url,
            )
            .select_from(Service)
            .join(Organisation, Organisation.id == Service.organisation_id)
            .join(ServiceArea, _serves(municipality_code))
            .outerjoin(ServiceLocation, ServiceLocation.service_id == Service.id)
            .where(Service.kind == kind)
            # A service with a point comes first; a service without one still names who is responsible.
            .order_by(ServiceLocation.id.is_(None), ServiceLocation.id, Service.id)
            .limit(1)
        ).first()
        if row is None:
            return None
        return Contact(
            name=Localized(row.name, row.name_sv, row.name_en).display(self.locale),
            phone=row.phone or row.org_phone,
            email=row.email or row.org_email,
            **self._urls(row.eservice_url or row.web_url or row.org_web_url),
        )

    def _urls(self, stored: str | None) -> dict[str, Any]:
        """A stored address as ``url`` in the page's language (where the site has that version) and ``urls``."""
        versions = link(stored)
        return {"url": versions.display(self.locale) if versions else None, "urls": versions}


SERVICE_POINT_COLUMNS = (
    ServiceLocation.id,
    ServiceLocation.name,
    ServiceLocation.name_sv,
    ServiceLocation.street_address,
    ServiceLocation.postal_code,
    ServiceLocation.municipality_code,
    ServiceLocation.latitude,
    ServiceLocation.longitude,
    ServiceLocation.languages,
    ServiceLocation.opening_hours,
    ServiceLocation.phone_hours,
    ServiceLocation.phone,
    ServiceLocation.email,
    ServiceLocation.web_url,
    ServiceLocation.eservice_url,
    ServiceLocation.step_free_entrance,
    ServiceLocation.accessible_toilet,
    ServiceLocation.accessible_parking,
    ServiceLocation.induction_loop,
    ServiceLocation.is_demo,
    Service.id.label("service_id"),
    Service.kind,
    Service.name_fi.label("service_name_fi"),
    Service.name_sv.label("service_name_sv"),
    Service.name_en.label("service_name_en"),
    Service.charge,
    Service.fee_eur,
    Service.fee_unit,
    Organisation.name.label("organisation"),
    Organisation.name_sv.label("organisation_sv"),
    Organisation.name_en.label("organisation_en"),
)
_CHANNEL_ORDER = {channel: i for i, channel in enumerate(APPOINTMENT_CHANNELS)}


class SqlServiceCatalogue:
    """ServiceCatalogue over SQLAlchemy: public service points by kind and the municipality they serve.

    Not cached (there are tens of points): three queries per call, whatever the number of points:
    the points, the municipalities their services serve, and their upcoming slots grouped by channel.
    """

    def __init__(self, session: Session) -> None:
        self.session = session

    def service_points(self, kinds: tuple[str, ...], municipality_code: str, now: datetime) -> list[ServicePointRecord]:
        if not kinds:
            return []
        rows = list(
            self.session.execute(
                select(*SERVICE_POINT_COLUMNS)
                .join(Service, Service.id == ServiceLocation.service_id)
                .join(Organisation, Organisation.id == Service.organisation_id)
                .join(ServiceArea, _serves(municipality_code))
                .where(Service.kind.in_(kinds))
                .order_by(ServiceLocation.id)
            )
        )
        if not rows:
            return []

        serves: dict[int, set[str]] = {}
        for area in self.session.execute(
            select(ServiceArea.service_id, ServiceArea.municipality_code).where(
                ServiceArea.service_id.in_({r.service_id for r in rows})
            )
        ):
            serves.setdefault(area.service_id, set()).add(area.municipality_code)

        # Per point and channel: the earliest slot at or after now with a place left (NULL if none).
        next_free: dict[int, datetime] = {}
        channels: dict[int, set[str]] = {}
        free_start = case((AppointmentSlot.booked < AppointmentSlot.capacity, AppointmentSlot.starts_at))
        for slot in self.session.execute(
            select(AppointmentSlot.location_id, AppointmentSlot.channel, func.min(free_start).label("next_free"))
            .where(
                AppointmentSlot.location_id.in_([r.id for r in rows]),
                AppointmentSlot.starts_at >= now,
                AppointmentSlot.cancelled_at.is_(None),  # cancelled by the organiser: not offered
            )
            .group_by(AppointmentSlot.location_id, AppointmentSlot.channel)
        ):
            channels.setdefault(slot.location_id, set()).add(slot.channel)
            if slot.next_free is not None:
                next_free[slot.location_id] = min(slot.next_free, next_free.get(slot.location_id, slot.next_free))

        def channel_order(channel: str) -> int:
            return _CHANNEL_ORDER.get(channel, len(_CHANNEL_ORDER))

        return [
            self._record(
                r,
                frozenset(serves.get(r.service_id, ())),
                next_free.get(r.id),
                tuple(sorted(channels.get(r.id, ()), key=channel_order)),
            )
            for r in rows
        ]

    @staticmethod
    def _record(
        row: Any, serves: frozenset[str], next_free: datetime | None, channels: tuple[str, ...]
    ) -> ServicePointRecord:
        return ServicePointRecord(
            id=row.id,
            kind=row.kind,
            service_name={"fi": row.service_name_fi, "sv": row.service_name_sv, "en": row.service_name_en},
            organisation=row.organisation,
            organisation_names=localized(row.organisation, row.organisation_sv, row.organisation_en),
            name=row.name,
            name_sv=row.name_sv,
            street_address=row.street_address,
            postal_code=row.postal_code,
            municipality_code=row.municipality_code,
            latitude=row.latitude,
            longitude=row.longitude,
            languages=tuple(lang for lang in row.languages.split(",") if lang),
            serves_municipalities=serves,
            opening_hours=_hours(row.opening_hours),
            phone_hours=_hours(row.phone_hours),
            charge=row.charge or "free",
            fee=Decimal(row.fee_eur) if row.fee_eur is not None else None,
            fee_unit=row.fee_unit,
            next_free_appointment=next_free,
            appointment_channels=channels,
            accessibility={name: getattr(row, name) for name in ACCESSIBILITY_COLUMNS},
            phone=row.phone,
            email=row.email,
            web_url=row.web_url,
            eservice_url=row.eservice_url,
            is_demo=row.is_demo,
            web_urls=link(row.web_url),
            eservice_urls=link(row.eservice_url),
        )
