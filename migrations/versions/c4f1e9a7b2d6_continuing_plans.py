"""Continuing plans and suggestions: calendar subscriptions, dismissed suggestions, kept private answers

Issue 18: ``calendar_feed`` (a saved plan's secret, revocable calendar address; only the SHA-256 of its token is
kept), ``dismissed_suggestion`` (a suggested life event a person dismissed for good) and
``saved_plan.private_answers`` (the answers to an event's private questions, kept only with the person's
"keep_private" consent). The new consent purposes need no schema change (``consent.purpose`` is a string).

Revision ID: c4f1e9a7b2d6
Revises: a3c8e61f0d27
Create Date: 2026-12-04 23:55:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c4f1e9a7b2d6"
down_revision = "a3c8e61f0d27"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_feed",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_read_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["saved_plan.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_calendar_feed_plan_id", "calendar_feed", ["plan_id"], unique=False)
    op.create_table(
        "dismissed_suggestion",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("person_id", "key"),
    )
    with op.batch_alter_table("saved_plan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("private_answers", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("saved_plan", schema=None) as batch_op:
        batch_op.drop_column("private_answers")
    op.drop_table("dismissed_suggestion")
    op.drop_index("ix_calendar_feed_plan_id", table_name="calendar_feed")
    op.drop_table("calendar_feed")
