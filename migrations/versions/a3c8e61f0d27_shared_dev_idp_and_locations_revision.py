"""Shared state across processes: the development provider's tables, the catalogue's locations revision

Issue 17, item 2: the development provider's codes, tokens and single sign-on sessions move from process
memory to three tables (dev_idp_code, dev_idp_token, dev_idp_sign_on), and the catalogue gets a second revision,
``locations_revision``, which only location changes raise (availability and price changes no longer rebuild
the spatial index), and a change log, ``catalogue_change``: which unit's availability or prices changed at
which revision, written by triggers on ``availability`` and ``unit_price`` (SQLite and PostgreSQL), so the
cache refreshes only those units. The trigger texts are the ones of portal/models.py CHANGE_LOG_TRIGGERS,
copied so that this migration stays as it is when the models change.

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

# table -> its column naming the unit: figures (availability, unit_price) and the unit itself
LOGGED = {
    "availability": "location_id",
    "unit_price": "location_id",
    "ecec_unit": "location_id",
    "service_location": "id",
}
REVISION = "COALESCE((SELECT revision FROM catalogue_state WHERE id = 1), 0)"
TRIGGERS = {
    "sqlite": [
        f"CREATE TRIGGER {table}_change_{op.lower()} AFTER {op} ON {table} BEGIN "
        f"INSERT INTO catalogue_change (revision, location_id) VALUES ({REVISION}, {row}.{column}); END"
        for table, column in LOGGED.items()
        for op, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))
    ],
    "postgresql": [
        "CREATE FUNCTION catalogue_change_log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO catalogue_change (revision, location_id) VALUES ({REVISION}, "
        "((CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END) ->> TG_ARGV[0])::integer); RETURN NULL; END $$",
        *(
            f"CREATE TRIGGER {table}_change_log AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION catalogue_change_log('{column}')"
            for table, column in LOGGED.items()
        ),
    ],
}
DROP_TRIGGERS = {
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {table}_change_{op}" for table in LOGGED for op in ("insert", "update", "delete")
    ],
    "postgresql": [f"DROP TRIGGER IF EXISTS {table}_change_log ON {table}" for table in LOGGED]
    + ["DROP FUNCTION IF EXISTS catalogue_change_log()"],
}


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
    op.create_table(
        "catalogue_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_catalogue_change_revision"), "catalogue_change", ["revision"], unique=False)
    for statement in TRIGGERS.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def downgrade():
    for statement in DROP_TRIGGERS.get(op.get_bind().dialect.name, ()):
        op.execute(statement)
    op.drop_index(op.f("ix_catalogue_change_revision"), table_name="catalogue_change")
    op.drop_table("catalogue_change")
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
