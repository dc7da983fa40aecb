"""organiser changes: version columns, cancelled appointment times, unique unit prices per date, the audit log

Issue 15: the rows organisers edit (availability, unit_price, municipal_ecec_pricing, appointment_slot) get a
``version`` that rises with every change, so an edit made from a stale page is refused; an appointment time the
organiser cancels keeps its row (its reservations point at it) with ``cancelled_at`` set; a unit has at most one
price per start date; and ``audit_entry`` logs every change (see portal/models.py AuditEntry).

Hand-written; ALTERs go through batch_alter_table so that SQLite works as well as PostgreSQL.

Revision ID: a7e5c3d91b40
Revises: 8e41c2a7d953
Create Date: 2026-12-04 12:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a7e5c3d91b40"
down_revision = "8e41c2a7d953"
branch_labels = None
depends_on = None

VERSIONED = ("availability", "unit_price", "municipal_ecec_pricing", "appointment_slot")


def upgrade():
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("appointment_slot", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("unit_price", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_unit_price_location_valid_from", ["location_id", "valid_from"])
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_subject", sa.String(length=255), nullable=False),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("municipality_code", sa.String(length=3), nullable=True),
        sa.Column("object_type", sa.String(length=30), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("request_id", sa.String(length=100), nullable=True),
        sa.CheckConstraint("channel IN ('page', 'csv', 'api', 'ptv-import')", name="ck_audit_entry_channel"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_audit_entry_at"), "audit_entry", ["at"], unique=False)
    op.create_index(op.f("ix_audit_entry_organisation_id"), "audit_entry", ["organisation_id"], unique=False)
    op.create_index(op.f("ix_audit_entry_location_id"), "audit_entry", ["location_id"], unique=False)
    op.create_index(op.f("ix_audit_entry_request_id"), "audit_entry", ["request_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_audit_entry_request_id"), table_name="audit_entry")
    op.drop_index(op.f("ix_audit_entry_location_id"), table_name="audit_entry")
    op.drop_index(op.f("ix_audit_entry_organisation_id"), table_name="audit_entry")
    op.drop_index(op.f("ix_audit_entry_at"), table_name="audit_entry")
    op.drop_table("audit_entry")
    with op.batch_alter_table("unit_price", schema=None) as batch_op:
        batch_op.drop_constraint("uq_unit_price_location_valid_from", type_="unique")
    with op.batch_alter_table("appointment_slot", schema=None) as batch_op:
        batch_op.drop_column("cancelled_at")
    for table in reversed(VERSIONED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
