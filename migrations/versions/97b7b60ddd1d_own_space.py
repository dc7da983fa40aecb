"""own space: people, consents, saved plans with progress, share links, reservations, messages, feedback

Also keeps ``availability.free_places`` from going below zero (ECEC place reservations take one
with a guarded UPDATE; the CHECK is the last line of defence).

Revision ID: 97b7b60ddd1d
Revises: 23ccd09b78f2
Create Date: 2026-11-22 10:25:04.293068

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "97b7b60ddd1d"
down_revision = "23ccd09b78f2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("availability", schema=None) as batch_op:
        batch_op.create_check_constraint("ck_availability_free_places_not_negative", "free_places >= 0")
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=300), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("claims", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_signed_in_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("issuer", "subject", name="uq_person_issuer_subject"),
    )
    op.create_table(
        "consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=30), nullable=False),
        sa.Column("given_at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_person_id"), ["person_id"], unique=False)

    op.create_table(
        "message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "dedupe_key", name="uq_message_dedupe"),
    )
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_message_person_id"), ["person_id"], unique=False)

    op.create_table(
        "saved_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("acting_for", sa.String(length=80), nullable=False),
        sa.Column("acting_for_name", sa.String(length=200), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "event_id", "acting_for", name="uq_saved_plan_subject"),
    )
    with op.batch_alter_table("saved_plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_saved_plan_person_id"), ["person_id"], unique=False)

    op.create_table(
        "share_link",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["saved_plan.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token"),
    )
    with op.batch_alter_table("share_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_share_link_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "task_progress",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.String(length=80), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["saved_plan.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("plan_id", "task_id"),
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("event_id", sa.String(length=40), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("effort", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("effort IS NULL OR effort BETWEEN 1 AND 7", name="ck_feedback_effort"),
        sa.CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="ck_feedback_rating"),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["service_location.id"],
        ),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_person_id"), ["person_id"], unique=False)

    op.create_table(
        "reservation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("slot_id", sa.Integer(), nullable=True),
        sa.Column("age_group", sa.String(length=20), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("acting_for", sa.String(length=80), nullable=False),
        sa.Column("acting_for_name", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("(kind = 'appointment') = (slot_id IS NOT NULL)", name="ck_reservation_slot"),
        sa.CheckConstraint("kind IN ('appointment', 'ecec_place')", name="ck_reservation_kind"),
        sa.CheckConstraint("status IN ('confirmed', 'cancelled')", name="ck_reservation_status"),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["service_location.id"],
        ),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["slot_id"],
            ["appointment_slot.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reservation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reservation_location_id"), ["location_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reservation_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reservation_slot_id"), ["slot_id"], unique=False)


def downgrade():
    with op.batch_alter_table("reservation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reservation_slot_id"))
        batch_op.drop_index(batch_op.f("ix_reservation_person_id"))
        batch_op.drop_index(batch_op.f("ix_reservation_location_id"))

    op.drop_table("reservation")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_person_id"))

    op.drop_table("feedback")
    op.drop_table("task_progress")
    with op.batch_alter_table("share_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_link_plan_id"))

    op.drop_table("share_link")
    with op.batch_alter_table("saved_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_plan_person_id"))

    op.drop_table("saved_plan")
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_person_id"))

    op.drop_table("message")
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_person_id"))

    op.drop_table("consent")
    op.drop_table("person")
    with op.batch_alter_table("availability", schema=None) as batch_op:
        batch_op.drop_constraint("ck_availability_free_places_not_negative", type_="check")
