"""Feedback loop: feedback handling columns, the journey and channel counters

Issue 16: ``feedback`` gets the recommend answer (NPS, 0..10), the task a "report an error" is about, an e-mail
address for an answer to anonymous feedback, and the organiser's handling (mark, publication, answer, when
handled). ``journey_count`` and ``channel_count`` hold counts per day, never a row per person or visit.

Hand-written; plain ADD COLUMN and CREATE TABLE, so SQLite and PostgreSQL both run it.

Revision ID: b7d41e9a2c53
Revises: f3b9d2c61e07
Create Date: 2026-12-04 18:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b7d41e9a2c53"
down_revision = "f3b9d2c61e07"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recommend", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("task_id", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("reply_email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("category", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("published_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("answer", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("answered_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("handled_at", sa.DateTime(), nullable=True))
        batch_op.create_check_constraint("ck_feedback_recommend", "recommend IS NULL OR recommend BETWEEN 0 AND 10")
        batch_op.create_index("ix_feedback_location_published", ["location_id", "published_at"], unique=False)
    op.create_table(
        "journey_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("measure", sa.String(length=12), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("day", "event_id", "step", "language", "measure", name="uq_journey_count"),
    )
    op.create_table(
        "channel_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("task_id", sa.String(length=80), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("day", "event_id", "task_id", "channel", "language", name="uq_channel_count"),
    )


def downgrade():
    op.drop_table("channel_count")
    op.drop_table("journey_count")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_location_published")
        batch_op.drop_constraint("ck_feedback_recommend", type_="check")
        for column in (
            "handled_at",
            "answered_at",
            "answer",
            "published_at",
            "category",
            "reply_email",
            "task_id",
            "recommend",
        ):
            batch_op.drop_column(column)
