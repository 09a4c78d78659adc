"""Queries over applications and groups."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keta.db.models import Application, ApplicationEvent, Group


def get(session: Session, application_id: uuid.UUID) -> Application | None:
    return session.get(Application, application_id)


def by_reference(session: Session, reference: str) -> Application | None:
    return session.scalars(select(Application).where(Application.reference == reference)).first()


def group_by_reference(session: Session, reference: str) -> Group | None:
    return session.scalars(select(Group).where(Group.reference == reference)).first()


def by_person_key(session: Session, person_key: str, *, exclude_statuses: Sequence[str] = ()) -> list[Application]:
    query = select(Application).where(Application.person_key == person_key)
    if exclude_statuses:
        query = query.where(Application.status.not_in(exclude_statuses))
    return list(session.scalars(query.order_by(Application.submitted_at)))


def by_passport_key(session: Session, passport_key: str, *, statuses: Sequence[str] = ()) -> list[Application]:
    query = select(Application).where(Application.passport_key == passport_key)
    if statuses:
        query = query.where(Application.status.in_(statuses))
    return list(session.scalars(query.order_by(Application.submitted_at.desc())))


def reference_taken(session: Session, reference: str) -> bool:
    found = session.scalar(select(func.count()).select_from(Application).where(Application.reference == reference))
    found_group = session.scalar(select(func.count()).select_from(Group).where(Group.reference == reference))
    return bool(found or found_group)


def events(session: Session, application_id: uuid.UUID) -> list[ApplicationEvent]:
    query = select(ApplicationEvent).where(ApplicationEvent.application_id == application_id)
    return list(session.scalars(query.order_by(ApplicationEvent.at)))


def count_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(select(Application.status, func.count()).group_by(Application.status))
    return {status: count for status, count in rows}
