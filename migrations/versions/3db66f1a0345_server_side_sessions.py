"""server-side sessions (web_session) and person ids that are never given again

Sessions move from the signed cookie to the database: the cookie keeps only a random token, the row is found
by its SHA-256 and names the person signed in, so sign-out and account deletion end every session of theirs.
Cookies of the old kind match no row: everyone is signed out once, and answers typed before the upgrade go.

SQLite reuses the highest rowid after a delete, so a deleted account's id went to the next new account;
``person`` is rebuilt with AUTOINCREMENT (through batch_alter_table: SQLite cannot alter a table's key),
which keeps the ids and counts on from the highest kept one. PostgreSQL's sequence never reuses an id, so
nothing changes there.

Hand-written.

Revision ID: 3db66f1a0345
Revises: 5b1f0c7e2a91
Create Date: 2026-12-10 12:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "3db66f1a0345"
down_revision = "5b1f0c7e2a91"
branch_labels = None
depends_on = None


def _rebuild_person(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "person", recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
    ) as batch_op:
        batch_op.alter_column("id", existing_type=sa.Integer(), nullable=False)


def upgrade():
    _rebuild_person(autoincrement=True)
    op.create_table(
        "web_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_session_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_web_session_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_web_session_last_seen_at"), ["last_seen_at"], unique=False)


def downgrade():
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_session_last_seen_at"))
        batch_op.drop_index(batch_op.f("ix_web_session_created_at"))
        batch_op.drop_index(batch_op.f("ix_web_session_person_id"))
    op.drop_table("web_session")
    _rebuild_person(autoincrement=False)
