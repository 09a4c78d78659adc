"""carrier check: document and birth keys on applications, carriers, their checks, rate-limit windows

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 02:30:00

Existing applications get their `document_key` and `birth_key` here, which needs their passport
data decrypted once: the edge that runs the migration (`keta db upgrade`, `keta serve`) hands
Alembic a `carrier_keys` callable (blob → keys) in `config.attributes`. Without it, a database
that already holds applications refuses to migrate rather than leave them unfindable.

The two columns are added NOT NULL with a server default of '' so SQLite can add them in place
(no table rebuild, which foreign keys from application_events would make fragile); the default is
dropped again on PostgreSQL. keta always writes both columns itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import context, op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 1000


def upgrade() -> None:
    for column in ("document_key", "birth_key"):
        op.add_column("applications", sa.Column(column, sa.String(length=64), nullable=False, server_default=""))
    _backfill()
    if op.get_bind().dialect.name == "postgresql":
        for column in ("document_key", "birth_key"):
            op.alter_column("applications", column, server_default=None)
    op.create_index("ix_applications_document_key_status", "applications", ["document_key", "status"], unique=False)

    op.create_table(
        "carriers",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("requests_per_minute", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carriers")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_carriers_key_hash")),
        sa.UniqueConstraint("name", name=op.f("uq_carriers_name")),
    )
    op.create_table(
        "carrier_checks",
        sa.Column("carrier_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("passengers", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["carrier_id"], ["carriers.id"], name=op.f("fk_carrier_checks_carrier_id_carriers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carrier_checks")),
    )
    op.create_index("ix_carrier_checks_carrier_id_at", "carrier_checks", ["carrier_id", "at"], unique=False)
    op.create_table(
        "rate_limit_windows",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("window_ends_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limit_windows")),
    )
    op.create_index(
        op.f("ix_rate_limit_windows_window_ends_ms"), "rate_limit_windows", ["window_ends_ms"], unique=False
    )


def _backfill() -> None:
    applications = sa.table(
        "applications",
        sa.column("id", sa.Uuid()),
        sa.column("pii", sa.LargeBinary()),
        sa.column("document_key", sa.String()),
        sa.column("birth_key", sa.String()),
    )
    bind = op.get_bind()
    pending = sa.select(applications.c.id, applications.c.pii).where(applications.c.document_key == "")
    first = bind.execute(pending.limit(1)).first()
    if first is None:
        return
    keys_for: Callable[[bytes], tuple[str, str]] | None = context.config.attributes.get("carrier_keys")
    if keys_for is None:
        raise RuntimeError(
            "this migration adds carrier look-up keys to existing applications and needs KETA_DATA_KEY: "
            "run it with `keta db upgrade`"
        )
    update = (
        sa.update(applications)
        .where(applications.c.id == sa.bindparam("row_id"))
        .values(document_key=sa.bindparam("document"), birth_key=sa.bindparam("birth"))
    )
    while rows := bind.execute(pending.order_by(applications.c.id).limit(_BATCH)).all():
        batch = []
        for row_id, blob in rows:
            document, birth = keys_for(blob)
            batch.append({"row_id": row_id, "document": document, "birth": birth})
        bind.execute(update, batch)


def downgrade() -> None:
    op.drop_index(op.f("ix_rate_limit_windows_window_ends_ms"), table_name="rate_limit_windows")
    op.drop_table("rate_limit_windows")
    op.drop_index("ix_carrier_checks_carrier_id_at", table_name="carrier_checks")
    op.drop_table("carrier_checks")
    op.drop_table("carriers")
    op.drop_index("ix_applications_document_key_status", table_name="applications")
    with op.batch_alter_table("applications") as batch_op:
        batch_op.drop_column("birth_key")
        batch_op.drop_column("document_key")
