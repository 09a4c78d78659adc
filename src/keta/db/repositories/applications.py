"""Queries over applications and groups."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keta.db.models import Application, Group


def get(session: Session, application_id: uuid.UUID) -> Application | None:
    return session.get(Application, application_id)


def by_reference(session: Session, reference: str) -> Application | None:
    """A purged application (retention) is found by no reference: its personal data is gone."""
    query = select(Application).where(Application.reference == reference, Application.purged_at.is_(None))
    return session.scalars(query).first()


def group_by_reference(session: Session, reference: str) -> Group | None:
    return session.scalars(select(Group).where(Group.reference == reference, Group.purged_at.is_(None))).first()


def by_person_key(
    session: Session, person_keys: Sequence[str], *, exclude_statuses: Sequence[str] = ()
) -> list[Application]:
    """The applications of one person, whose index may be under any key of the keyring (rotation)."""
    query = select(Application).where(Application.person_key.in_(person_keys))
    if exclude_statuses:
        query = query.where(Application.status.not_in(exclude_statuses))
    return list(session.scalars(query.order_by(Application.submitted_at)))


def count_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(select(Application.status, func.count()).group_by(Application.status))
    return {status: count for status, count in rows}
