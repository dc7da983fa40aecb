"""PTV import: the PTV ids of services and service locations, English location names, e-service accessibility

Issue 15: ``flask import-ptv`` (portal/ptv_import.py) finds the rows it imported by their PTV id, so running it again
changes nothing; ``ptv_id`` is NULL for rows that did not come from PTV (the demo catalogue) and unique otherwise.
``service_location.name_en`` holds the English name PTV has, and ``eservice_accessibility`` the accessibility
classification level of the e-service channel (PTV's AccessibilityClassificationLevelType code).

Hand-written; plain ADD COLUMN and CREATE UNIQUE INDEX, so SQLite and PostgreSQL both run it.

Revision ID: f3b9d2c61e07
Revises: a7e5c3d91b40
Create Date: 2026-12-04 15:45:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "f3b9d2c61e07"
down_revision = "a7e5c3d91b40"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ptv_id", sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f("ix_service_ptv_id"), ["ptv_id"], unique=True)
    with op.batch_alter_table("service_location", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ptv_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("name_en", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("eservice_accessibility", sa.String(length=30), nullable=True))
        batch_op.create_index(batch_op.f("ix_service_location_ptv_id"), ["ptv_id"], unique=True)


def downgrade():
    with op.batch_alter_table("service_location", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_location_ptv_id"))
        batch_op.drop_column("eservice_accessibility")
        batch_op.drop_column("name_en")
        batch_op.drop_column("ptv_id")
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_ptv_id"))
        batch_op.drop_column("ptv_id")
