"""border desk: entries recorded at ports of entry, staff API keys for border systems

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 19:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "border_entries",
        sa.Column("document_key", sa.String(length=64), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=True),
        sa.Column("port", sa.String(length=8), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_border_entries_application_id_applications")
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_border_entries_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_border_entries")),
        sa.UniqueConstraint("document_key", "port", "entry_date", name=op.f("uq_border_entries_document_key")),
    )
    op.create_index(op.f("ix_border_entries_application_id"), "border_entries", ["application_id"], unique=False)
    op.create_index("ix_border_entries_entry_date_port", "border_entries", ["entry_date", "port"], unique=False)
    op.create_table(
        "staff_api_keys",
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("requests_per_minute", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_staff_api_keys_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_staff_api_keys_key_hash")),
    )
    op.create_index(op.f("ix_staff_api_keys_staff_id"), "staff_api_keys", ["staff_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_staff_api_keys_staff_id"), table_name="staff_api_keys")
    op.drop_table("staff_api_keys")
    op.drop_index("ix_border_entries_entry_date_port", table_name="border_entries")
    op.drop_index(op.f("ix_border_entries_application_id"), table_name="border_entries")
    op.drop_table("border_entries")
