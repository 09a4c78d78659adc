"""Queries over review cases and requests for information."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from keta.db.models import InformationRequest


def open_information_request(session: Session, application_id: uuid.UUID) -> InformationRequest | None:
    """The unanswered, unlapsed request for information on an application, newest first."""
    query = select(InformationRequest).where(
        InformationRequest.application_id == application_id,
        InformationRequest.answered_at.is_(None),
        InformationRequest.lapsed_at.is_(None),
    )
    return session.scalars(query.order_by(InformationRequest.requested_at.desc())).first()
