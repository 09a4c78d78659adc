"""Queries over travel agencies and the confirmations their filings wait for."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keta.db.models import Agency, ApplicantConfirmation, Application


def by_name(session: Session, name: str) -> Agency | None:
    return session.scalars(select(Agency).where(Agency.name == name)).first()


def by_key_hash(session: Session, key_hash: str) -> Agency | None:
    return session.scalars(select(Agency).where(Agency.key_hash == key_hash)).first()


def all_by_name(session: Session) -> list[Agency]:
    return list(session.scalars(select(Agency).order_by(Agency.name)))


def confirmation_by_token(session: Session, token_hash: str) -> ApplicantConfirmation | None:
    return session.scalars(select(ApplicantConfirmation).where(ApplicantConfirmation.token_hash == token_hash)).first()


def filed_application(session: Session, agency_id: uuid.UUID, reference: str) -> Application | None:
    query = select(Application).where(Application.reference == reference, Application.agency_id == agency_id)
    return session.scalars(query).first()


def lapsed_confirmations(session: Session, *, now: datetime, limit: int) -> list[ApplicantConfirmation]:
    """Unanswered confirmations past their date whose application still waits, oldest first."""
    query = (
        select(ApplicantConfirmation)
        .join(Application, Application.id == ApplicantConfirmation.application_id)
        .where(
            Application.status == "submitted",
            ApplicantConfirmation.expires_at <= now,
            ApplicantConfirmation.confirmed_at.is_(None),
            ApplicantConfirmation.refused_at.is_(None),
        )
        .order_by(ApplicantConfirmation.expires_at)
        .limit(limit)
    )
    return list(session.scalars(query))
