"""Guest visits: a visit to an ECEC unit booked with a name and a phone number, without signing in

Issue 16 item 2: ``reservation.person_id`` becomes nullable (a guest's visit has no person), and a guest's visit
keeps ``guest_name``, ``guest_phone`` (both deleted when the visit is cancelled or has passed) and
``guest_token_hash`` (SHA-256 of the private cancellation link's token; the token itself is never stored).

Hand-written. The two partial unique indexes are dropped before the batch (SQLite re-creates the table) and
created again after it, so they keep their WHERE clauses on SQLite and PostgreSQL alike.

Revision ID: e5a8c4f2b915
Revises: b7d41e9a2c53
Create Date: 2026-12-04 19:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "e5a8c4f2b915"
down_revision = "b7d41e9a2c53"
branch_labels = None
depends_on = None

CONFIRMED_ECEC_PLACE = "status = 'confirmed' AND kind = 'ecec_place'"
CONFIRMED_APPOINTMENT = "status = 'confirmed' AND kind = 'appointment'"


def _drop_rule_indexes():
    op.drop_index("uq_reservation_appointment_day", table_name="reservation")
    op.drop_index("uq_reservation_ecec_child_start", table_name="reservation")


def _create_rule_indexes():
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


def upgrade():
    _drop_rule_indexes()
    with op.batch_alter_table("reservation", schema=None) as batch_op:
        batch_op.alter_column("person_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("guest_name", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("guest_phone", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("guest_token_hash", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_reservation_guest_token_hash", ["guest_token_hash"], unique=True)
    _create_rule_indexes()


def downgrade():
    op.execute("DELETE FROM reservation WHERE person_id IS NULL")
    _drop_rule_indexes()
    with op.batch_alter_table("reservation", schema=None) as batch_op:
        batch_op.drop_index("ix_reservation_guest_token_hash")
        batch_op.drop_column("guest_token_hash")
        batch_op.drop_column("guest_phone")
        batch_op.drop_column("guest_name")
        batch_op.alter_column("person_id", existing_type=sa.Integer(), nullable=False)
    _create_rule_indexes()
