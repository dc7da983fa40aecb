"""postal codes: is_area (Posti's type code 1) so that a map point is named after a postal area people live in

A point chosen on the map takes the municipality and the name of the nearest postal area with a centroid.
PO box, corporate and parcel-locker codes share their area's centroid in the demo data, so without this flag
a home could read "20105 Pakettiautomaatti". Existing rows become areas (true); `flask load-demo` sets the
flag from Posti's file.

Hand-written; the ALTER goes through batch_alter_table so that SQLite works as well as PostgreSQL.

Revision ID: 5b1f0c7e2a91
Revises: cc3856c1966c
Create Date: 2026-12-03 18:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5b1f0c7e2a91"
down_revision = "cc3856c1966c"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("postal_code", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_area", sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table("postal_code", schema=None) as batch_op:
        batch_op.drop_column("is_area")
