"""keys and retention: the data-key registry, the key id of each audit record, purge marks

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    data_keys = op.create_table(
        "data_keys",
        sa.Column("key_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("fingerprint", sa.String(length=32), nullable=True),
        sa.Column("audit_key", sa.LargeBinary(), nullable=True),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_data_keys")),
    )
    # Whatever was encrypted before this revision carries key id 1; the first process to start finds
    # which key opens it (or retires the row when there is nothing).
    legacy = {"key_id": 1, "fingerprint": None, "audit_key": None, "first_seen_at": datetime.now(UTC)}
    op.bulk_insert(data_keys, [legacy])
    with op.batch_alter_table("audit_records") as batch_op:
        batch_op.add_column(sa.Column("key_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("applications") as batch_op:
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("groups") as batch_op:
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("groups") as batch_op:
        batch_op.drop_column("purged_at")
    with op.batch_alter_table("applications") as batch_op:
        batch_op.drop_column("purged_at")
    with op.batch_alter_table("audit_records") as batch_op:
        batch_op.drop_column("key_id")
    op.drop_table("data_keys")
