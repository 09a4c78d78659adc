"""watchlists: lists, their versions and entities

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 05:56:28.973060
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "watchlists",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("active_version_id", sa.Uuid(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlists")),
        sa.UniqueConstraint("name", name=op.f("uq_watchlists_name")),
    )
    op.create_table(
        "watchlist_versions",
        sa.Column("watchlist_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("entity_count", sa.Integer(), nullable=False),
        sa.Column("skipped_count", sa.Integer(), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["watchlist_id"], ["watchlists.id"], name=op.f("fk_watchlist_versions_watchlist_id_watchlists")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_versions")),
        sa.UniqueConstraint("watchlist_id", "number", name="uq_watchlist_versions_watchlist_id_number"),
    )
    with op.batch_alter_table("watchlist_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_watchlist_versions_watchlist_id"), ["watchlist_id"], unique=False)

    op.create_table(
        "watchlist_entities",
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("entity_id", sa.String(length=255), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("birth_dates", sa.JSON(), nullable=False),
        sa.Column("nationalities", sa.JSON(), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=True),
        sa.Column("passport_numbers", sa.JSON(), nullable=False),
        sa.Column("datasets", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["watchlist_versions.id"], name=op.f("fk_watchlist_entities_version_id_watchlist_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_entities")),
    )
    with op.batch_alter_table("watchlist_entities", schema=None) as batch_op:
        batch_op.create_index("ix_watchlist_entities_version_id_id", ["version_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("watchlist_entities", schema=None) as batch_op:
        batch_op.drop_index("ix_watchlist_entities_version_id_id")

    op.drop_table("watchlist_entities")
    with op.batch_alter_table("watchlist_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_watchlist_versions_watchlist_id"))

    op.drop_table("watchlist_versions")
    op.drop_table("watchlists")
