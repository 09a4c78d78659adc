"""application event positions: the steps of one transaction share a timestamp; their position orders them

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 04:31:55.075291
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("application_events", schema=None) as batch_op:
        # Earlier events keep 0: their timestamps alone ordered them before, as they still do.
        batch_op.add_column(sa.Column("position", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("application_events", schema=None) as batch_op:
        batch_op.drop_column("position")
