"""Shared state across processes: the development provider's tables, the catalogue's locations revision

Issue 17, item 2: the development provider's codes, tokens and single sign-on sessions move from process
memory to three tables (dev_idp_code, dev_idp_token, dev_idp_sign_on), and the catalogue gets a second revision,
``locations_revision``, which only location changes raise (availability and price changes no longer rebuild
the spatial index).

Revision ID: a3c8e61f0d27
Revises: e5a8c4f2b915
Create Date: 2026-12-04 21:20:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a3c8e61f0d27"
down_revision = "e5a8c4f2b915"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "dev_idp_code",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("redirect_uri", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("sub", sa.String(length=200), nullable=False),
        sa.Column("nonce", sa.String(length=255), nullable=True),
        sa.Column("auth_time", sa.Integer(), nullable=False),
        sa.Column("code_challenge", sa.String(length=128), nullable=False),
        sa.Column("code_challenge_method", sa.String(length=10), nullable=False),
        sa.Column("expires_at", sa.Float(precision=53), nullable=False),
        sa.Column("kept_until", sa.Float(precision=53), nullable=False),
        sa.Column("used", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("code_hash"),
    )
    op.create_index("ix_dev_idp_code_client_id_nonce", "dev_idp_code", ["client_id", "nonce"], unique=False)
    op.create_index(op.f("ix_dev_idp_code_kept_until"), "dev_idp_code", ["kept_until"], unique=False)
    op.create_table(
        "dev_idp_token",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("sub", sa.String(length=200), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("issued_at", sa.Float(precision=53), nullable=False),
        sa.Column("expires_in", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Float(precision=53), nullable=False),
        sa.Column("revoked", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index(op.f("ix_dev_idp_token_code_hash"), "dev_idp_token", ["code_hash"], unique=False)
    op.create_index(op.f("ix_dev_idp_token_expires_at"), "dev_idp_token", ["expires_at"], unique=False)
    op.create_index(op.f("ix_dev_idp_token_sub"), "dev_idp_token", ["sub"], unique=False)
    op.create_table(
        "dev_idp_sign_on",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("sub", sa.String(length=200), nullable=False),
        sa.Column("auth_time", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Float(precision=53), nullable=False),
        sa.PrimaryKeyConstraint("id_hash"),
    )
    op.create_index(op.f("ix_dev_idp_sign_on_expires_at"), "dev_idp_sign_on", ["expires_at"], unique=False)
    with op.batch_alter_table("catalogue_state") as batch_op:
        batch_op.add_column(sa.Column("locations_revision", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("catalogue_state") as batch_op:
        batch_op.drop_column("locations_revision")
    op.drop_index(op.f("ix_dev_idp_sign_on_expires_at"), table_name="dev_idp_sign_on")
    op.drop_table("dev_idp_sign_on")
    op.drop_index(op.f("ix_dev_idp_token_sub"), table_name="dev_idp_token")
    op.drop_index(op.f("ix_dev_idp_token_expires_at"), table_name="dev_idp_token")
    op.drop_index(op.f("ix_dev_idp_token_code_hash"), table_name="dev_idp_token")
    op.drop_table("dev_idp_token")
    op.drop_index(op.f("ix_dev_idp_code_kept_until"), table_name="dev_idp_code")
    op.drop_index("ix_dev_idp_code_client_id_nonce", table_name="dev_idp_code")
    op.drop_table("dev_idp_code")
