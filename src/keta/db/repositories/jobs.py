"""Queries over the job table (monitoring and tests; claiming lives in keta.jobs.queue)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keta.db.models import Job


def count_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(select(Job.status, func.count()).group_by(Job.status))
    return {status: count for status, count in rows}
