"""The domain's catalogue, place and directory queries, implemented over the database."""
from __future__ import annotations

from datetime import date
from typing import Any
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from configurator.catalogue import Availability as AvailabilityRecord
from configurator.catalogue import EcecUnitRecord, MunicipalPricing, OpeningHours
from configurator.checklist import Contact
from configurator.geo import Place, bounding_box, distance_km

from .catalogue_cache import CACHE
from .models import Availability, EcecUnit, MunicipalEcecPricing, Municipality, PostalCode, ServiceLocation, UnitPrice


LOCATION_COLUMNS = (
    ServiceLocation.id, ServiceLocation.name, ServiceLocation.name_sv, ServiceLocation.street_address,
    ServiceLocation.postal_code, ServiceLocation.municipality_code, ServiceLocation.latitude, ServiceLocation.longitude,
    ServiceLocation.languages, ServiceLocation.opening_hours, ServiceLocation.phone, ServiceLocation.email,
    ServiceLocation.web_url, ServiceLocation.eservice_url, ServiceLocation.step_free_entrance,
    ServiceLocation.accessible_toilet, ServiceLocation.accessible_parking, ServiceLocation.induction_loop,
    ServiceLocation.is_demo, EcecUnit.care_type, EcecUnit.provider_type, EcecUnit.shift_care,
    EcecUnit.serves_under_3, EcecUnit.serves_3_and_over,
)
ACCESSIBILITY_COLUMNS = ("step_free_entrance", "accessible_toilet", "accessible_parking", "induction_loop")


def _record(row: Any, availability: dict[str, AvailabilityRecord], price: Decimal | None) -> EcecUnitRecord:
    return EcecUnitRecord(
        id=row.id, name=row.name, name_sv=row.name_sv, street_address=row.street_address,
        postal_code=row.postal_code, municipality_code=row.municipality_code,
        latitude=row.latitude, longitude=row.longitude,
        languages=tuple(lang for lang in row.languages.split(",") if lang),
        care_type=row.care_type, provider_type=row.provider_type, shift_care=row.shift_care,
        serves_under_3=row.serves_under_3, serves_3_and_over=row.serves_3_and_over,
        opening_hours=tuple(OpeningHours(h["days"], h["opens"], h["closes"]) for h in row.opening_hours or ()),
        availability=availability, monthly_price=price,
        accessibility={name: getattr(row, name) for name in ACCESSIBILITY_COLUMNS},
        phone=row.phone, email=row.email, web_url=row.web_url, eservice_url=row.eservice_url, is_demo=row.is_demo,
    )


class SqlEcecCatalogue:
    """EcecCatalogue over SQLAlchemy; a bounding box on the indexed coordinates keeps queries small."""

    def __init__(self, session: Session, on: date) -> None:
        self.session = session
        self.on = on

    def units_within(self, latitude: float, longitude: float, radius_km: float) -> list[EcecUnitRecord]:
        """Served from the revision-checked in-memory index (see catalogue_cache)."""
        index = CACHE.index(self.session, self._all_units)
        return index.within(latitude, longitude, radius_km, self.on)

    def _all_units(self) -> list[EcecUnitRecord]:
        rows = list(self.session.execute(
            select(*LOCATION_COLUMNS).join(EcecUnit, EcecUnit.location_id == ServiceLocation.id)))
        return self._records(rows)

    def units_within_uncached(self, latitude: float, longitude: float, radius_km: float) -> list[EcecUnitRecord]:
        """The same query straight from the database (for tests that compare it with the index)."""
        south, west, north, east = bounding_box(latitude, longitude, radius_km)
        rows = [r for r in self.session.execute(
            select(*LOCATION_COLUMNS).join(EcecUnit, EcecUnit.location_id == ServiceLocation.id)
            .where(ServiceLocation.latitude.between(south, north), ServiceLocation.longitude.between(west, east)))
            if distance_km(latitude, longitude, r.latitude, r.longitude) <= radius_km]
        return self._records(rows)

    def _records(self, rows: list[Any]) -> list[EcecUnitRecord]:
        ids = [r.id for r in rows]
        availability: dict[int, dict[str, AvailabilityRecord]] = {}
        prices: dict[int, Decimal] = {}
        for chunk in (ids[i:i + 900] for i in range(0, len(ids), 900)):  # SQLite's bound-parameter limit
            for a in self.session.execute(select(Availability.location_id, Availability.age_group, Availability.free_places,
                                                 Availability.queue_weeks, Availability.updated_at, Availability.updated_by)
                                          .where(Availability.location_id.in_(chunk))):
                availability.setdefault(a.location_id, {})[a.age_group] = AvailabilityRecord(
                    a.free_places, a.queue_weeks, a.updated_at, a.updated_by)
            for p in self.session.execute(select(UnitPrice.location_id, UnitPrice.monthly_price)
                                          .where(UnitPrice.location_id.in_(chunk), UnitPrice.valid_from <= self.on)
                                          .order_by(UnitPrice.valid_from)):
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
        return MunicipalPricing(row.municipality_code, row.valid_from, steps, Decimal(row.voucher_under_3),
                                Decimal(row.voucher_3_and_over), Decimal(row.max_surcharge), row.source)


class SqlPlaces:
    """PlaceResolver over the postal-code table (all of Finland; centroids where known)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _place(self, row: PostalCode) -> Place | None:
        if row.latitude is None or row.longitude is None:
            return None
        return Place(row.latitude, row.longitude, row.municipality_code, row.code)

    def by_postal_code(self, postal_code: str) -> Place | None:
        row = self.session.get(PostalCode, postal_code)
        return self._place(row) if row is not None else None

    def postal_code_exists(self, postal_code: str) -> bool:
        return self.session.get(PostalCode, postal_code) is not None

    def nearest(self, latitude: float, longitude: float) -> Place | None:
        """The closest postal area with a known centroid, within 10 km (else we do not guess)."""
        south, west, north, east = bounding_box(latitude, longitude, 10)
        rows = self.session.scalars(select(PostalCode).where(
            PostalCode.latitude.between(south, north), PostalCode.longitude.between(west, east)))
        best = min(rows, key=lambda r: distance_km(latitude, longitude, r.latitude, r.longitude), default=None)
        return self._place(best) if best is not None else None



class SqlDirectory:
    """Directory of municipal contacts for the checklist."""

    def __init__(self, session: Session, locale: str) -> None:
        self.session = session
        self.locale = locale

    def municipality_contact(self, municipality_code: str, service: str) -> Contact | None:
        row = self.session.get(Municipality, municipality_code)
        if row is None:
            return None
        name = row.name_sv if self.locale == "sv" else row.name_fi
        return Contact(name=name, url=row.ecec_eservice_url, phone=row.ecec_phone, email=row.ecec_email)
