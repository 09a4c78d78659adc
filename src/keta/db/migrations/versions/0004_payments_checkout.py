"""payments: hosted checkouts, the applications each payment covers, webhook events, instance flags

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 02:19:42.773291
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "instance_flags",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_instance_flags")),
    )
    op.create_table(
        "payment_events",
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"], name=op.f("fk_payment_events_payment_id_payments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_events")),
        sa.UniqueConstraint("provider", "event_id", name="uq_payment_events_provider_event_id"),
    )
    with op.batch_alter_table("payment_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_events_payment_id"), ["payment_id"], unique=False)

    op.create_table(
        "payment_items",
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_payment_items_application_id_applications")
        ),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"], name=op.f("fk_payment_items_payment_id_payments")),
        sa.PrimaryKeyConstraint("payment_id", "application_id", name=op.f("pk_payment_items")),
    )
    with op.batch_alter_table("payment_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_items_application_id"), ["application_id"], unique=False)

    # Added columns and a unique index: SQLite does both in place, without rebuilding `payments`
    # (which `applications.payment_id` references).
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checkout_url", sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column("return_url", sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_payments_provider_reference", ["provider", "provider_reference"], unique=True)

    # Payments made before checkouts existed were captured at once: record what each one paid for.
    op.execute(
        "INSERT INTO payment_items (payment_id, application_id) "
        "SELECT payment_id, id FROM applications WHERE payment_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index("ix_payments_provider_reference")
        batch_op.drop_column("settled_at")
        batch_op.drop_column("return_url")
        batch_op.drop_column("checkout_url")
    with op.batch_alter_table("payment_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_items_application_id"))
    op.drop_table("payment_items")
    with op.batch_alter_table("payment_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_events_payment_id"))
    op.drop_table("payment_events")
    op.drop_table("instance_flags")
