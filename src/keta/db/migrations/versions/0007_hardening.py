"""hardening: idempotency records keep keyed hashes of the client's key (not the key) and expire

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 09:00:00.000000

The old rows hold client keys in clear and unsalted body hashes; they cannot be re-keyed without
the data key (a migration never sees it), and they only ever protect a retry for a few hours, so
they are deleted: only a client retrying across the upgrade itself could submit twice.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DELETE FROM idempotency_records")
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.drop_constraint("uq_idempotency_records_scope_key", type_="unique")
        batch_op.alter_column(
            "key", new_column_name="key_hash", existing_type=sa.String(length=128), type_=sa.String(length=64)
        )
    # A second batch: SQLite's table rebuild drops a constraint on a column renamed in the same batch.
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_idempotency_records_scope_key_hash", ["scope", "key_hash"])
        batch_op.create_index(batch_op.f("ix_idempotency_records_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    op.execute("DELETE FROM idempotency_records")
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_records_created_at"))
        batch_op.drop_constraint("uq_idempotency_records_scope_key_hash", type_="unique")
        batch_op.alter_column(
            "key_hash", new_column_name="key", existing_type=sa.String(length=64), type_=sa.String(length=128)
        )
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_idempotency_records_scope_key", ["scope", "key"])
