"""Decision deadlines: marking cases that are close to or past their deadline, and counting them.

A case is *close* when less than the policy's `warn_hours` is left and *late* once its deadline has
passed (`keta.domain.review.urgency`). Only cases the officers hold count — open, or waiting for a
supervisor's confirmation; a case waiting for the applicant has its clock stopped. The hourly
scheduler job stamps `escalated_at` once per case, which the queue and the statistics read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from keta.db.models import ReviewCase
from keta.domain.review import CaseStatus
from keta.services import audit
from keta.services.authorizations import SCHEDULER
from keta.services.runtime import Runtime

RUNNING_CLOCK = (CaseStatus.OPEN.value, CaseStatus.AWAITING_CONFIRMATION.value)


def escalate_deadlines(session: Session, rt: Runtime, *, run: str) -> int:
    """Stamp every not-yet-escalated case that is close or late; one audit record with the count."""
    now = rt.now()
    horizon = now + timedelta(hours=rt.policy.review_rules(rt.today()).warn_hours)
    # A bulk UPDATE, not the ORM: it leaves the case's version alone, so an officer working the case
    # right now does not get a conflict because the clock ticked.
    result = session.execute(
        update(ReviewCase)
        .where(ReviewCase.status.in_(RUNNING_CLOCK), ReviewCase.due_at <= horizon, ReviewCase.escalated_at.is_(None))
        .values(escalated_at=now)
        .execution_options(synchronize_session=False)
    )
    count = cast(CursorResult[Any], result).rowcount
    if count:
        audit.record(
            session, rt.keyring, actor=SCHEDULER, action="cases.escalated", object_type="schedule", object_id=run,
            now=now, detail={"count": count},
        )  # fmt: skip
    return count


@dataclass(frozen=True, slots=True)
class DeadlineCounts:
    late: int
    close: int


def deadline_counts(session: Session, rt: Runtime) -> DeadlineCounts:
    now = rt.now()
    horizon = now + timedelta(hours=rt.policy.review_rules(rt.today()).warn_hours)
    count = select(func.count()).select_from(ReviewCase).where(ReviewCase.status.in_(RUNNING_CLOCK))
    late = session.scalar(count.where(ReviewCase.due_at <= now)) or 0
    close = session.scalar(count.where(ReviewCase.due_at > now, ReviewCase.due_at <= horizon)) or 0
    return DeadlineCounts(late=late, close=close)
