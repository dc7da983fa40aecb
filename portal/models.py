"""The service catalogue as stored: organisations, services, locations, ECEC units, availability, prices.

Column names follow the Suomi.fi service catalogue (PTV) vocabulary where one exists
so that catalogue data can be imported without translation tables.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db

Money = Numeric(10, 2)


class Municipality(db.Model):
    __tablename__ = "municipality"
    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name_fi: Mapped[str] = mapped_column(String(80))
    name_sv: Mapped[str] = mapped_column(String(80))
    ecec_eservice_url: Mapped[str | None] = mapped_column(String(300))
    ecec_phone: Mapped[str | None] = mapped_column(String(40))
    ecec_email: Mapped[str | None] = mapped_column(String(120))


class PostalCode(db.Model):
    """Postal code (every one in Finland) with its municipality; the centroid is known only where demo data
    supplies it. ``is_area`` is False for codes that are no area people live in (PO boxes, corporate codes,
    parcel lockers: Posti's type codes other than 1): a map point is never named after one of them."""

    __tablename__ = "postal_code"
    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    municipality_code: Mapped[str] = mapped_column(String(3), index=True)
    name_fi: Mapped[str] = mapped_column(String(80))
    name_sv: Mapped[str] = mapped_column(String(80))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    is_area: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())


class Organisation(db.Model):
    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[str | None] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(200))  # in Finnish (or the organisation's only name)
    name_sv: Mapped[str | None] = mapped_column(String(200))  # where it has one; pages fall back to ``name``
    name_en: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))  # municipality, company, association, state
    municipality_code: Mapped[str | None] = mapped_column(String(3))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(120))
    web_url: Mapped[str | None] = mapped_column(String(300))
    services: Mapped[list[Service]] = relationship(back_populates="organisation")


class Service(db.Model):
    """A service product with its national codes (PTV service class, target group, life event).

    ``kind`` is one of ``configurator.service_points.SERVICE_KINDS`` for public service points
    (business advice, food control, health centres, ...) and NULL for ECEC. ``charge``, ``fee_eur``
    and ``fee_unit`` say what using the service costs (``CHARGES``, ``FEE_UNITS``); the
    municipalities the service is responsible for are its ``areas``.
    """

    __tablename__ = "service"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    ptv_id: Mapped[str | None] = mapped_column(
        String(36), unique=True, index=True
    )  # the service's id in PTV, when imported
    name_fi: Mapped[str] = mapped_column(String(200))
    name_sv: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    service_class: Mapped[str] = mapped_column(String(20))  # e.g. P3.4
    target_group: Mapped[str] = mapped_column(String(20))  # e.g. KR1.2
    life_event: Mapped[str | None] = mapped_column(String(20))  # e.g. KE1
    kind: Mapped[str | None] = mapped_column(String(40), index=True)  # SERVICE_KINDS; NULL for ECEC
    charge: Mapped[str | None] = mapped_column(String(12))  # "free", "chargeable"
    fee_eur: Mapped[Decimal | None] = mapped_column(Money)
    fee_unit: Mapped[str | None] = mapped_column(String(12))  # "visit", "hour", "decision"
    organisation: Mapped[Organisation] = relationship(back_populates="services")
    locations: Mapped[list[ServiceLocation]] = relationship(back_populates="service")
    areas: Mapped[list[ServiceArea]] = relationship(back_populates="service")


class ServiceArea(db.Model):
    """A municipality a service is responsible for (its PTV service area), whichever point serves it."""

    __tablename__ = "service_area"
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), primary_key=True)
    municipality_code: Mapped[str] = mapped_column(String(3), primary_key=True, index=True)
    service: Mapped[Service] = relationship(back_populates="areas")


class ServiceLocation(db.Model):
    """A place where a service is delivered, with its channels and premises accessibility facts.

    Accessibility facts are tri-state: True, False or None (not known), because an
    unknown answer must never be shown as "no".
    """

    __tablename__ = "service_location"
    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    ptv_id: Mapped[str | None] = mapped_column(
        String(36), unique=True, index=True
    )  # the service location channel's id in PTV
    name: Mapped[str] = mapped_column(String(200))
    name_sv: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    street_address: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(5))
    municipality_code: Mapped[str] = mapped_column(String(3), index=True)
    latitude: Mapped[float]
    longitude: Mapped[float]
    languages: Mapped[str] = mapped_column(String(20))  # comma-separated ISO 639-1: "fi", "fi,sv"
    opening_hours: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    phone_hours: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)  # like opening_hours; when the phone answers
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(120))
    web_url: Mapped[str | None] = mapped_column(String(300))
    eservice_url: Mapped[str | None] = mapped_column(String(300))
    # The PTV accessibility classification of the e-service (AccessibilityClassificationLevelType code).
    eservice_accessibility: Mapped[str | None] = mapped_column(String(30))
    step_free_entrance: Mapped[bool | None] = mapped_column(Boolean)
    accessible_toilet: Mapped[bool | None] = mapped_column(Boolean)
    accessible_parking: Mapped[bool | None] = mapped_column(Boolean)
    induction_loop: Mapped[bool | None] = mapped_column(Boolean)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=True)
    # How many confirmed appointments one person may hold here on one day (the organiser's setting).
    appointments_per_person_per_day: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    service: Mapped[Service] = relationship(back_populates="locations")
    ecec_unit: Mapped[EcecUnit | None] = relationship(back_populates="location", uselist=False)
    availability: Mapped[list[Availability]] = relationship(back_populates="location")
    prices: Mapped[list[UnitPrice]] = relationship(back_populates="location")
    appointment_slots: Mapped[list[AppointmentSlot]] = relationship(back_populates="location")

    __table_args__ = (
        Index("ix_service_location_lat_lon", "latitude", "longitude"),
        CheckConstraint("appointments_per_person_per_day >= 1", name="ck_service_location_appointments_per_day"),
    )


class EcecUnit(db.Model):
    __tablename__ = "ecec_unit"
    location_id: Mapped[int] = mapped_column(ForeignKey("service_location.id"), primary_key=True)
    care_type: Mapped[str] = mapped_column(String(30))  # day_care_centre, family_day_care, group_family_day_care
    provider_type: Mapped[str] = mapped_column(String(30))  # municipal, purchased, private_voucher
    shift_care: Mapped[bool] = mapped_column(Boolean, default=False)
    serves_under_3: Mapped[bool] = mapped_column(Boolean, default=True)
    serves_3_and_over: Mapped[bool] = mapped_column(Boolean, default=True)
    capacity: Mapped[int] = mapped_column(Integer)
    location: Mapped[ServiceLocation] = relationship(back_populates="ecec_unit")


class Availability(db.Model):
    """Free places per age group as last reported by the unit (who and when, so staleness shows)."""

    __tablename__ = "availability"
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("service_location.id"), index=True)
    age_group: Mapped[str] = mapped_column(String(20))  # under_3, 3_and_over
    free_places: Mapped[int] = mapped_column(Integer)
    queue_weeks: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(120))
    # Rises with every change of the row (an organiser's edit or confirmation, a reservation, a cancellation):
    # an edit made from a page that showed an older version is refused (portal/organisers/changes.py).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    location: Mapped[ServiceLocation] = relationship(back_populates="availability")
    __table_args__ = (
        UniqueConstraint("location_id", "age_group"),
        CheckConstraint("free_places >= 0", name="ck_availability_free_places_not_negative"),
    )


class UnitPrice(db.Model):
    """A private provider's full-time monthly price from a date on."""

    __tablename__ = "unit_price"
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("service_location.id"), index=True)
    monthly_price: Mapped[Decimal] = mapped_column(Money)
    valid_from: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # see Availability.version
    location: Mapped[ServiceLocation] = relationship(back_populates="prices")
    __table_args__ = (UniqueConstraint("location_id", "valid_from", name="uq_unit_price_location_valid_from"),)


class MunicipalEcecPricing(db.Model):
    """A municipality's own ECEC fee decisions: part-time steps, voucher values, allowed surcharge."""

    __tablename__ = "municipal_ecec_pricing"
    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_code: Mapped[str] = mapped_column(String(3), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    part_time_steps: Mapped[list[dict[str, str]]] = mapped_column(JSON)  # [{"max_hours": "25", "coefficient": "0.70"}]
    voucher_under_3: Mapped[Decimal] = mapped_column(Money)
    voucher_3_and_over: Mapped[Decimal] = mapped_column(Money)
    max_surcharge: Mapped[Decimal] = mapped_column(Money)
    source: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # see Availability.version
    __table_args__ = (UniqueConstraint("municipality_code", "valid_from"),)


class AppointmentSlot(db.Model):
    """A bookable appointment time at a service point; ``booked`` of ``capacity`` places are taken.

    The database itself keeps 0 <= booked <= capacity, so a reservation that would overbook fails
    (reservations update ``booked`` with a guarded UPDATE and will reference the slot by id).
    """

    __tablename__ = "appointment_slot"
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("service_location.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # local time (Europe/Helsinki), naive
    duration_minutes: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(12))  # APPOINTMENT_CHANNELS: in_person, phone, video
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Rises when a place is reserved or given back and when the organiser cancels the time (see Availability).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Set when the organiser cancels the time: it is then never offered or reserved again (its reservations
    # are cancelled in the same transaction, portal/organisers/changes.py).
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)
    location: Mapped[ServiceLocation] = relationship(back_populates="appointment_slots")

    __table_args__ = (
        UniqueConstraint("location_id", "starts_at", "channel", name="uq_appointment_slot_location_start_channel"),
        CheckConstraint("booked >= 0", name="ck_appointment_slot_booked_not_negative"),
        CheckConstraint("booked <= capacity", name="ck_appointment_slot_booked_within_capacity"),
        CheckConstraint("capacity > 0", name="ck_appointment_slot_capacity_positive"),
        CheckConstraint("duration_minutes > 0", name="ck_appointment_slot_duration_positive"),
        CheckConstraint("channel IN ('in_person', 'phone', 'video')", name="ck_appointment_slot_channel"),
    )


class CatalogueState(db.Model):
    """One row whose revisions change with writes to the catalogue, so caches know when to reload: ``revision``
    with every write (availability, prices and locations alike), ``locations_revision`` only when locations or
    ECEC units change (what the spatial index is built from; see portal/catalogue_cache.py)."""

    __tablename__ = "catalogue_state"
    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    locations_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class CatalogueChange(db.Model):
    """Which unit's figures (availability, unit prices) changed at which catalogue revision. Written by database
    triggers (CHANGE_LOG_TRIGGERS), so every write is logged, through the ORM or not; the catalogue cache reads
    the entries after its revision to refresh only those units. ``bump_revision`` deletes old entries."""

    __tablename__ = "catalogue_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, index=True)
    location_id: Mapped[int] = mapped_column(Integer)  # no foreign key: a deleted unit's entry stays


# The triggers behind catalogue_change, per dialect; the migration that adds the table creates the same ones.
# A row's entry carries the revision of its transaction: every writer raises catalogue_state.revision first
# (ORM events, or bump_revision) and holds that row's lock until it commits.
# table -> its column naming the unit: figures (availability, unit_price) and the unit itself
_LOGGED = {
    "availability": "location_id",
    "unit_price": "location_id",
    "ecec_unit": "location_id",
    "service_location": "id",
}
_REVISION = "COALESCE((SELECT revision FROM catalogue_state WHERE id = 1), 0)"
CHANGE_LOG_TRIGGERS: dict[str, list[str]] = {
    "sqlite": [
        f"CREATE TRIGGER {table}_change_{op.lower()} AFTER {op} ON {table} BEGIN "
        f"INSERT INTO catalogue_change (revision, location_id) VALUES ({_REVISION}, {row}.{column}); END"
        for table, column in _LOGGED.items()
        for op, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))
    ],
    "postgresql": [
        "CREATE FUNCTION catalogue_change_log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO catalogue_change (revision, location_id) VALUES ({_REVISION}, "
        "((CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END) ->> TG_ARGV[0])::integer); RETURN NULL; END $$",
        *(
            f"CREATE TRIGGER {table}_change_log AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION catalogue_change_log('{column}')"
            for table, column in _LOGGED.items()
        ),
    ],
}


@event.listens_for(db.metadata, "after_create")
def _create_change_log_triggers(target: object, connection: Any, **kw: Any) -> None:
    """Tables made by create_all (a few unit tests) get the triggers too, so the cache is never stale there."""
    for statement in CHANGE_LOG_TRIGGERS.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)


AUDIT_CHANNELS = ("page", "csv", "api", "ptv-import")


class AuditEntry(db.Model):
    """One changed field of the catalogue, by an organiser (issue 15): who, when, for which organisation and unit or
    service point, what object and field, the old and the new value (as text), through which channel, and the
    request or idempotency id. Written in the same transaction as the change (portal/organisers/audit.py).

    No foreign keys: the log outlives the rows it describes (a unit removed from the catalogue, a demo reload).
    The staff person is named as signed in (subject and name); citizens are never named here.
    """

    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)  # naive Helsinki wall time, like created_at
    actor_subject: Mapped[str] = mapped_column(String(255))
    actor_name: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    location_id: Mapped[int | None] = mapped_column(Integer, index=True)  # the unit or service point
    municipality_code: Mapped[str | None] = mapped_column(String(3))  # a municipality's pricing
    object_type: Mapped[str] = mapped_column(
        String(30)
    )  # availability, unit_price, municipal_pricing, appointment_slot
    object_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))  # updated, created, confirmed, cancelled
    field: Mapped[str | None] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(12))
    request_id: Mapped[str | None] = mapped_column(String(100), index=True)
    __table_args__ = (
        CheckConstraint("channel IN ('page', 'csv', 'api', 'ptv-import')", name="ck_audit_entry_channel"),
    )
