"""Queries over the job table (monitoring and tests; claiming lives in keta.jobs.queue)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keta.db.models import Job


def count_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(select(Job.status, func.count()).group_by(Job.status))
    return {status: count for status, count in rows}


def for_kind(session: Session, kind: str) -> list[Job]:
    return list(session.scalars(select(Job).where(Job.kind == kind).order_by(Job.created_at)))
