"""Organisation names in Swedish and English

``organisation.name_sv`` and ``organisation.name_en``: an authority's name in the page's language where it has one
(Egentliga Finlands välfärdsområde on a Swedish page, not Varsinais-Suomen hyvinvointialue); empty where no other
name is known, and the Finnish ``name`` is shown. Not personal data.

Revision ID: b2e7d4c9a1f3
Revises: c4f1e9a7b2d6
Create Date: 2026-12-05 04:10:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b2e7d4c9a1f3"
down_revision = "c4f1e9a7b2d6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organisation") as batch:
        batch.add_column(sa.Column("name_sv", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("name_en", sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table("organisation") as batch:
        batch.drop_column("name_en")
        batch.drop_column("name_sv")
