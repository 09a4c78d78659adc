"""agencies: accredited travel agencies' keys, the filing agency on applications, applicants' confirmations

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 19:20:00

`applications.agency_id` is added in place (nullable, no table rebuild: foreign keys from other
tables to applications make a SQLite rebuild fragile); existing applications were filed by their
applicants and keep NULL.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("requests_per_minute", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agencies")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_agencies_key_hash")),
        sa.UniqueConstraint("name", name=op.f("uq_agencies_name")),
    )
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its REFERENCES clause in place, but cannot ALTER a constraint in.
        op.execute(
            "ALTER TABLE applications ADD COLUMN agency_id CHAR(32) "
            "CONSTRAINT fk_applications_agency_id_agencies REFERENCES agencies (id)"
        )
    else:
        op.add_column("applications", sa.Column("agency_id", sa.Uuid(), nullable=True))
        op.create_foreign_key(
            op.f("fk_applications_agency_id_agencies"), "applications", "agencies", ["agency_id"], ["id"]
        )
    op.create_index(op.f("ix_applications_agency_id"), "applications", ["agency_id"], unique=False)
    op.create_table(
        "applicant_confirmations",
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refused_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_applicant_confirmations_application_id_applications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applicant_confirmations")),
        sa.UniqueConstraint("application_id", name=op.f("uq_applicant_confirmations_application_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_applicant_confirmations_token_hash")),
    )
    op.create_index(
        op.f("ix_applicant_confirmations_expires_at"), "applicant_confirmations", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_applicant_confirmations_expires_at"), table_name="applicant_confirmations")
    op.drop_table("applicant_confirmations")
    op.drop_index(op.f("ix_applications_agency_id"), table_name="applications")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_applications_agency_id_agencies"), type_="foreignkey")
        batch_op.drop_column("agency_id")
    op.drop_table("agencies")
