"""reservation rules: one ECEC place per child and start date, appointments per person and day, phone number

- ``service_location.appointments_per_person_per_day``: how many confirmed appointments one person may
  hold at the point on one day (the organiser's setting; 1 for every existing point and the demo data).
- ``reservation.appointment_on`` (the slot's day), ``reservation.day_ordinal`` (1.. that limit) and
  ``reservation.phone`` (the number to call for an appointment by phone).
- Partial unique indexes over confirmed rows (SQLite and PostgreSQL): one confirmed ECEC place per person,
  child (``acting_for``) and start date; one confirmed appointment per person, ``acting_for``, point, day and
  ordinal.

A database being upgraded may already hold what the indexes forbid. Before they are created, the later
duplicates (by id: the first reservation made stays) are cancelled, their places given back (the unit's free
places, the slot's booked count; the catalogue revision moves so caches reload) and the person gets the
usual "reservation cancelled" message. An appointment that has already started is never cancelled (it has
happened; the portal does not cancel past appointments either): it keeps its status and gets the next
ordinal of its day, so it stays as history without blocking the index.

Downgrade drops the indexes and columns; reservations cancelled by the upgrade stay cancelled.

Hand-written; ALTERs go through batch_alter_table so that SQLite works as well as PostgreSQL.

Revision ID: cc3856c1966c
Revises: 97b7b60ddd1d
Create Date: 2026-11-23 09:00:00.000000

"""

from datetime import datetime
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "cc3856c1966c"
down_revision = "97b7b60ddd1d"
branch_labels = None
depends_on = None

CONFIRMED_ECEC_PLACE = "status = 'confirmed' AND kind = 'ecec_place'"
CONFIRMED_APPOINTMENT = "status = 'confirmed' AND kind = 'appointment'"

reservation = sa.table(
    "reservation",
    sa.column("id", sa.Integer),
    sa.column("person_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("location_id", sa.Integer),
    sa.column("slot_id", sa.Integer),
    sa.column("age_group", sa.String),
    sa.column("starts_on", sa.Date),
    sa.column("acting_for", sa.String),
    sa.column("acting_for_name", sa.String),
    sa.column("status", sa.String),
    sa.column("cancelled_at", sa.DateTime),
    sa.column("appointment_on", sa.Date),
    sa.column("day_ordinal", sa.Integer),
)
slot = sa.table(
    "appointment_slot",
    sa.column("id", sa.Integer),
    sa.column("starts_at", sa.DateTime),
    sa.column("booked", sa.Integer),
)
availability = sa.table(
    "availability",
    sa.column("location_id", sa.Integer),
    sa.column("age_group", sa.String),
    sa.column("free_places", sa.Integer),
)
location = sa.table("service_location", sa.column("id", sa.Integer), sa.column("name", sa.String))
catalogue_state = sa.table("catalogue_state", sa.column("id", sa.Integer), sa.column("revision", sa.Integer))
message = sa.table(
    "message",
    sa.column("person_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("values", sa.JSON),
    sa.column("link", sa.String),
    sa.column("dedupe_key", sa.String),
    sa.column("created_at", sa.DateTime),
)


def _helsinki_now():
    """Naive Helsinki wall time, as the timestamp and slot columns keep it (the servers run in UTC)."""
    return datetime.now(ZoneInfo("Europe/Helsinki")).replace(tzinfo=None, microsecond=0)


def upgrade():
    with op.batch_alter_table("service_location", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("appointments_per_person_per_day", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.create_check_constraint(
            "ck_service_location_appointments_per_day", "appointments_per_person_per_day >= 1"
        )

    with op.batch_alter_table("reservation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("appointment_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("day_ordinal", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("phone", sa.String(length=40), nullable=True))

    _number_appointments_and_cancel_duplicates(op.get_bind())

    with op.batch_alter_table("reservation", schema=None) as batch_op:
        batch_op.create_check_constraint(
            "ck_reservation_appointment_on", "(kind = 'appointment') = (appointment_on IS NOT NULL)"
        )
        batch_op.create_check_constraint(
            "ck_reservation_day_ordinal", "(kind = 'appointment') = (day_ordinal IS NOT NULL AND day_ordinal >= 1)"
        )
        batch_op.create_check_constraint(
            "ck_reservation_ecec_starts_on", "kind <> 'ecec_place' OR starts_on IS NOT NULL"
        )
    op.create_index(
        "uq_reservation_ecec_child_start",
        "reservation",
        ["person_id", "acting_for", "starts_on"],
        unique=True,
        sqlite_where=sa.text(CONFIRMED_ECEC_PLACE),
        postgresql_where=sa.text(CONFIRMED_ECEC_PLACE),
    )
    op.create_index(
        "uq_reservation_appointment_day",
        "reservation",
        ["person_id", "acting_for", "location_id", "appointment_on", "day_ordinal"],
        unique=True,
        sqlite_where=sa.text(CONFIRMED_APPOINTMENT),
        postgresql_where=sa.text(CONFIRMED_APPOINTMENT),
    )


def _number_appointments_and_cancel_duplicates(bind):
    """Give every appointment its day and ordinal, and cancel what the new indexes forbid (see the docstring)."""
    now = _helsinki_now()
    cancelled = []  # (row, starts_at or None)

    rows = bind.execute(
        sa.select(
            reservation.c.id,
            reservation.c.person_id,
            reservation.c.acting_for,
            reservation.c.location_id,
            reservation.c.slot_id,
            reservation.c.status,
            reservation.c.acting_for_name,
            slot.c.starts_at,
        )
        .select_from(reservation.join(slot, slot.c.id == reservation.c.slot_id))
        .where(reservation.c.kind == "appointment")
        .order_by(reservation.c.id)
    ).all()
    used = {}  # (person, acting_for, point, day) -> ordinals taken by confirmed appointments
    for row in rows:
        day = row.starts_at.date()
        values = {"appointment_on": day, "day_ordinal": 1}
        if row.status == "confirmed":
            taken = used.setdefault((row.person_id, row.acting_for, row.location_id, day), set())
            if taken and row.starts_at > now:  # a later duplicate still to come: cancelled, its place freed
                values.update(status="cancelled", cancelled_at=now)
                bind.execute(
                    sa.update(slot).where(slot.c.id == row.slot_id, slot.c.booked > 0).values(booked=slot.c.booked - 1)
                )
                cancelled.append((row, row.starts_at, None))
            else:  # the first of its day, or one that has already happened: kept with the next ordinal
                values["day_ordinal"] = len(taken) + 1
                taken.add(values["day_ordinal"])
        bind.execute(sa.update(reservation).where(reservation.c.id == row.id).values(**values))

    places = bind.execute(
        sa.select(
            reservation.c.id,
            reservation.c.person_id,
            reservation.c.acting_for,
            reservation.c.location_id,
            reservation.c.age_group,
            reservation.c.starts_on,
            reservation.c.acting_for_name,
        )
        .where(reservation.c.kind == "ecec_place", reservation.c.status == "confirmed")
        .order_by(reservation.c.id)
    ).all()
    held = set()
    freed = False
    for row in places:
        key = (row.person_id, row.acting_for, row.starts_on)
        if key not in held:
            held.add(key)
            continue
        bind.execute(
            sa.update(reservation).where(reservation.c.id == row.id).values(status="cancelled", cancelled_at=now)
        )
        bind.execute(
            sa.update(availability)
            .where(availability.c.location_id == row.location_id, availability.c.age_group == row.age_group)
            .values(free_places=availability.c.free_places + 1)
        )
        freed = True
        cancelled.append((row, None, row.starts_on))
    if (
        freed
        and not bind.execute(
            sa.update(catalogue_state).where(catalogue_state.c.id == 1).values(revision=catalogue_state.c.revision + 1)
        ).rowcount
    ):
        bind.execute(sa.insert(catalogue_state).values(id=1, revision=1))

    names = dict(bind.execute(sa.select(location.c.id, location.c.name)).all()) if cancelled else {}
    for row, starts_at, starts_on in cancelled:  # the message portal.reservations.cancel() gives
        bind.execute(
            sa.insert(message).values(
                person_id=row.person_id,
                kind="reservation_cancelled",
                link=f"/own/reservations/{row.id}",
                dedupe_key=None,
                created_at=now,
                values={
                    "kind": "appointment" if starts_at else "ecec_place",
                    "place": names.get(row.location_id),
                    "location_id": row.location_id,
                    "starts_at": starts_at.isoformat() if starts_at else None,
                    "starts_on": starts_on.isoformat() if starts_on else None,
                    "for": row.acting_for_name,
                },
            )
        )


def downgrade():
    op.drop_index("uq_reservation_appointment_day", table_name="reservation")
    op.drop_index("uq_reservation_ecec_child_start", table_name="reservation")
    with op.batch_alter_table("reservation", schema=None) as batch_op:
        batch_op.drop_constraint("ck_reservation_ecec_starts_on", type_="check")
        batch_op.drop_constraint("ck_reservation_day_ordinal", type_="check")
        batch_op.drop_constraint("ck_reservation_appointment_on", type_="check")
        batch_op.drop_column("phone")
        batch_op.drop_column("day_ordinal")
        batch_op.drop_column("appointment_on")

    with op.batch_alter_table("service_location", schema=None) as batch_op:
        batch_op.drop_constraint("ck_service_location_appointments_per_day", type_="check")
        batch_op.drop_column("appointments_per_person_per_day")
