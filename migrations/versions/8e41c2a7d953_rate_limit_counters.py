"""rate limit counters (rate_limit): one fixed window per budget and client, shared by every process

Flask-Limiter's counters for sign-in, feedback, reservations and the API (portal/rate_limits.py) live here
unless POLKU_RATE_LIMIT_STORAGE names a cache server: ``key`` is the limits library's key (budget, client
address or person, window), ``hits`` the requests counted in the window, ``expires_at`` when the window ends
in seconds since the epoch. Rows of ended windows are swept now and then; the index serves that DELETE.

Hand-written.

Revision ID: 8e41c2a7d953
Revises: 3db66f1a0345
Create Date: 2026-12-12 12:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "8e41c2a7d953"
down_revision = "3db66f1a0345"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rate_limit",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Float(precision=53), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index(op.f("ix_rate_limit_expires_at"), "rate_limit", ["expires_at"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_rate_limit_expires_at"), table_name="rate_limit")
    op.drop_table("rate_limit")
