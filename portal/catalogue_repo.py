"""The domain's catalogue, place and directory queries, implemented over the database."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from configurator.catalogue import Availability as AvailabilityRecord
from configurator.catalogue import EcecUnitRecord, MunicipalPricing, OpeningHours
from configurator.checklist import Contact
from configurator.geo import Place, bounding_box, distance_km

from .models import EcecUnit, MunicipalEcecPricing, Municipality, PostalCode, ServiceLocation, UnitPrice


def _record(location: ServiceLocation, on: date) -> EcecUnitRecord:
    unit = location.ecec_unit
    prices = sorted((p for p in location.prices if p.valid_from <= on), key=lambda p: p.valid_from)
    return EcecUnitRecord(
        id=location.id, name=location.name, name_sv=location.name_sv, street_address=location.street_address,
        postal_code=location.postal_code, municipality_code=location.municipality_code,
        latitude=location.latitude, longitude=location.longitude,
        languages=tuple(lang for lang in location.languages.split(",") if lang),
        care_type=unit.care_type, provider_type=unit.provider_type, shift_care=unit.shift_care,
        serves_under_3=unit.serves_under_3, serves_3_and_over=unit.serves_3_and_over,
        opening_hours=tuple(OpeningHours(h["days"], h["opens"], h["closes"]) for h in location.opening_hours or ()),
        availability={a.age_group: AvailabilityRecord(a.free_places, a.queue_weeks, a.updated_at, a.updated_by)
                      for a in location.availability},
        monthly_price=prices[-1].monthly_price if prices else None,
        accessibility={"step_free_entrance": location.step_free_entrance, "accessible_toilet": location.accessible_toilet,
                       "accessible_parking": location.accessible_parking, "induction_loop": location.induction_loop},
        phone=location.phone, email=location.email, web_url=location.web_url, eservice_url=location.eservice_url,
        is_demo=location.is_demo,
    )


class SqlEcecCatalogue:
    """EcecCatalogue over SQLAlchemy; a bounding box on the indexed coordinates keeps queries small."""

    def __init__(self, session: Session, on: date) -> None:
        self.session = session
        self.on = on

    def units_within(self, latitude: float, longitude: float, radius_km: float) -> list[EcecUnitRecord]:
        south, west, north, east = bounding_box(latitude, longitude, radius_km)
        query = (
            select(ServiceLocation)
            .join(EcecUnit, EcecUnit.location_id == ServiceLocation.id)
            .where(ServiceLocation.latitude.between(south, north), ServiceLocation.longitude.between(west, east))
            .options(joinedload(ServiceLocation.ecec_unit), selectinload(ServiceLocation.availability),
                     selectinload(ServiceLocation.prices))
        )
        locations = self.session.scalars(query).unique()
        return [_record(loc, self.on) for loc in locations
                if distance_km(latitude, longitude, loc.latitude, loc.longitude) <= radius_km]

    def unit(self, location_id: int) -> EcecUnitRecord | None:
        location = self.session.get(ServiceLocation, location_id)
        return _record(location, self.on) if location is not None and location.ecec_unit else None

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

    def municipality_name(self, code: str, locale: str) -> str | None:
        row = self.session.get(Municipality, code)
        if row is None:
            return None
        return row.name_sv if locale == "sv" else row.name_fi


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
