"""service points: service kind and fee, service areas, phone hours, appointment slots

Public service points (business advice, food control, employment services, health centres, ...)
are services with a ``kind``; ``service_area`` lists the municipalities each one is responsible
for; ``appointment_slot`` holds bookable times (and will back reservations).

Hand-written; ALTERs go through batch_alter_table so that SQLite works as well as PostgreSQL.

Revision ID: 23ccd09b78f2
Revises: ed07fc2db4ba
Create Date: 2026-11-22 12:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "23ccd09b78f2"
down_revision = "ed07fc2db4ba"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("charge", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("fee_eur", sa.Numeric(precision=10, scale=2), nullable=True))
        batch_op.add_column(sa.Column("fee_unit", sa.String(length=12), nullable=True))
        batch_op.create_index(batch_op.f("ix_service_kind"), ["kind"], unique=False)

    with op.batch_alter_table("service_location", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone_hours", sa.JSON(), nullable=True))

    op.create_table(
        "service_area",
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("municipality_code", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
        ),
        sa.PrimaryKeyConstraint("service_id", "municipality_code"),
    )
    with op.batch_alter_table("service_area", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_area_municipality_code"), ["municipality_code"], unique=False)

    op.create_table(
        "appointment_slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("booked", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint("booked >= 0", name="ck_appointment_slot_booked_not_negative"),
        sa.CheckConstraint("booked <= capacity", name="ck_appointment_slot_booked_within_capacity"),
        sa.CheckConstraint("capacity > 0", name="ck_appointment_slot_capacity_positive"),
        sa.CheckConstraint("duration_minutes > 0", name="ck_appointment_slot_duration_positive"),
        sa.CheckConstraint("channel IN ('in_person', 'phone', 'video')", name="ck_appointment_slot_channel"),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["service_location.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("location_id", "starts_at", "channel", name="uq_appointment_slot_location_start_channel"),
    )
    with op.batch_alter_table("appointment_slot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appointment_slot_location_id"), ["location_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_appointment_slot_starts_at"), ["starts_at"], unique=False)


def downgrade():
    with op.batch_alter_table("appointment_slot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointment_slot_starts_at"))
        batch_op.drop_index(batch_op.f("ix_appointment_slot_location_id"))

    op.drop_table("appointment_slot")
    with op.batch_alter_table("service_area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_area_municipality_code"))

    op.drop_table("service_area")
    with op.batch_alter_table("service_location", schema=None) as batch_op:
        batch_op.drop_column("phone_hours")

    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_kind"))
        batch_op.drop_column("fee_unit")
        batch_op.drop_column("fee_eur")
        batch_op.drop_column("charge")
        batch_op.drop_column("kind")
