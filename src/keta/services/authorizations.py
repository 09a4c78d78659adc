"""Valid authorizations over time: expiry after their last day, and the renewal reminder before it.

Both are run by the scheduler (daily, in the scheme's time zone) and both are catch-up queries, not
"what happened since yesterday": a day the workers were down is made up by the next run, and running
twice in a day changes nothing the second time.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, selectinload

from keta.db.models import Application, CaseAction, ReviewCase
from keta.domain.applications import Status
from keta.domain.review import CaseStatus
from keta.services import audit, notifications
from keta.services.cases import OPEN_STATES
from keta.services.lifecycle import move
from keta.services.runtime import Runtime

SCHEDULER = "system:scheduler"
CHUNK = 1000  # rows per query, so a big first run never holds every application in memory at once


def valid_on(today: date) -> ColumnElement[bool]:
    """An authorization that can still be used: approved, and its last day not yet past."""
    return (Application.status == Status.APPROVED.value) & (Application.valid_until >= today)


def expire_authorizations(session: Session, rt: Runtime, *, run: str) -> int:
    """Approved authorizations whose last valid day is before today become `expired`; cases still open
    on them (a re-screening, a document alert, a revocation proposal) are closed, since nothing can be
    revoked any more. One audit record for the whole run, with the counts."""
    today, now = rt.today(), rt.now()
    expired = closed = 0
    query = (
        select(Application)
        .where(Application.status == Status.APPROVED.value, Application.valid_until < today)
        .order_by(Application.id)
        .limit(CHUNK)
        .options(selectinload(Application.events))
    )
    while chunk := list(session.scalars(query)):
        for application in chunk:
            move(application, Status.EXPIRED, actor=SCHEDULER, reasons=[], now=now)
        session.flush()  # the moved rows drop out of the next chunk's WHERE
        closed += _close_open_cases(session, [a.id for a in chunk], rt)
        expired += len(chunk)
    if expired:
        audit.record(
            session, rt.keyring, actor=SCHEDULER, action="authorizations.expired", object_type="schedule",
            object_id=run, now=now, detail={"count": expired, "cases_closed": closed},
        )  # fmt: skip
    return expired


def _close_open_cases(session: Session, application_ids: Sequence[uuid.UUID], rt: Runtime) -> int:
    now = rt.now()
    cases = session.scalars(
        select(ReviewCase).where(ReviewCase.application_id.in_(application_ids), ReviewCase.status.in_(OPEN_STATES))
    ).all()
    for case in cases:
        case.status, case.outcome, case.closed_at = CaseStatus.CLOSED.value, Status.EXPIRED.value, now
        case.claimed_by = case.claimed_at = None
        session.add(CaseAction(case_id=case.id, action="closed_on_expiry", staff_id=None, at=now))
    return len(cases)


def send_renewal_reminders(session: Session, rt: Runtime) -> int:
    """Queue one reminder per authorization entering its last `renewal_reminder_days`, while it is
    still valid; `renewal_reminded_at` makes it once per authorization."""
    today, now = rt.today(), rt.now()
    last_day = today + timedelta(days=rt.policy.review_rules(today).renewal_reminder_days)
    query = (
        select(Application)
        .where(valid_on(today), Application.valid_until <= last_day, Application.renewal_reminded_at.is_(None))
        .order_by(Application.id)
        .limit(CHUNK)
    )
    sent = 0
    while chunk := list(session.scalars(query)):
        for application in chunk:
            notifications.renewal_reminder(session, application, now=now)
            application.renewal_reminded_at = now
        session.flush()
        sent += len(chunk)
    return sent
