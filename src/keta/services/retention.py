"""The retention purge: delete the personal data the policy no longer allows keta to keep.

For each application the domain rule (keta.domain.retention) says is due, the purge empties its
`pii` blob (tombstone) and blind indexes, the free texts of its review cases, requests for
information and redress request, and the watchlist entities an officer cleared for it; it keeps
every clear column the statistics count (status, dates, nationality, ground, case states, events)
and the audit trail, which holds ids and codes only. A group's representative goes once every
member is purged. Idempotency records (request hashes and replayed answers) go once older than
`KETA_IDEMPOTENCY_HOURS` (the runtime's `idempotency_ttl`): a client retrying after that long is not
retrying; the scheduler purges them hourly, the daily purge once more.

The work is paged (`purge_step`, keyset over application ids) so each page is one short
transaction of its edge: the CLI loops over pages, the `retention_purge` job enqueues the next page
itself. An application with an open case is kept until the case closes. Re-running is harmless:
purged rows are never selected again.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session

from keta.adapters.clock import local_date
from keta.adapters.crypto import PURGED
from keta.db.models import (
    Application,
    ApplicationEvent,
    CaseAction,
    Group,
    IdempotencyRecord,
    InformationRequest,
    RedressRequest,
    ReviewCase,
)
from keta.db.queue import enqueue
from keta.domain.applications import Status
from keta.domain.dates import add_months, add_years
from keta.domain.retention import RetentionFacts, RetentionRule, category, is_due
from keta.services import audit
from keta.services.cases import OPEN_STATES
from keta.services.runtime import Runtime

RETENTION_PURGE = "retention_purge"
PAGE_ROWS = 500
ACTOR = "system:retention"


@dataclass
class Step:
    applications: Counter[str] = field(default_factory=Counter)  # Category → applications due
    texts: Counter[str] = field(default_factory=Counter)  # findings | notes | requests | redress
    due_ids: list[uuid.UUID] = field(default_factory=list)
    after: uuid.UUID | None = None  # where the next page starts; None: no page left


def purge_step(
    session: Session, rt: Runtime, *, after: uuid.UUID | None, dry_run: bool, limit: int | None = None
) -> Step:
    """One page of candidates: count what is due and, unless `dry_run`, delete its personal data."""
    limit = limit or PAGE_ROWS
    today, rule = rt.today(), rt.policy.retention_rule(rt.today())
    step = Step()
    if rule is None:
        return step
    candidates = list(session.scalars(_candidates(rule, today, after).limit(limit)))
    step.after = candidates[-1].id if len(candidates) == limit else None
    last_steps = _last_steps(session, [a.id for a in candidates], rt.policy.timezone)
    for application in candidates:
        facts = facts_of(application, last_steps.get(application.id, application.applied_on))
        if is_due(facts, rule, today=today):
            step.applications[str(category(facts))] += 1
            step.due_ids.append(application.id)
    due = [a for a in candidates if a.id in set(step.due_ids)]
    step.texts = _texts(session, step.due_ids)
    if not dry_run and due:
        _purge(session, due, now=rt.now())
        audit.record(
            session, rt.keyring, actor=ACTOR, action="retention.purged", object_type="retention",
            object_id=today.isoformat(), now=rt.now(), detail={"applications": dict(step.applications)},
        )  # fmt: skip
    return step


def facts_of(application: Application, last_step_on: date) -> RetentionFacts:
    return RetentionFacts(
        status=Status(application.status),
        paid=application.payment_id is not None,
        valid_until=application.valid_until,
        decided_on=application.decided_on,
        last_step_on=last_step_on,
    )


def _candidates(rule: RetentionRule, today: date, after: uuid.UUID | None) -> Select[Application]:
    """A superset of the due applications, narrowed in SQL by loose date bounds; the domain decides."""
    expired_by = today - timedelta(days=1 + rule.after_validity_days)
    refused_by = add_years(today, -rule.after_refusal_years)
    # add_months clamps to the month's end (31 Aug + 6 months = 28 Feb): three days of slack keep it a superset.
    unfinished_by = add_months(today, -rule.unfinished_months) + timedelta(days=3)
    due_by_dates: ColumnElement[bool] = or_(
        and_(Application.status.in_([Status.APPROVED, Status.EXPIRED]), Application.valid_until <= expired_by),
        and_(
            Application.status.in_([Status.REFUSED, Status.REVOKED, Status.ANNULLED]),
            or_(Application.decided_on <= refused_by, Application.decided_on.is_(None)),
        ),
        and_(
            Application.status.in_([Status.WITHDRAWN, Status.SUBMITTED, Status.DRAFT]),
            Application.applied_on <= unfinished_by,
        ),
    )
    open_case = exists().where(ReviewCase.application_id == Application.id, ReviewCase.status.in_(OPEN_STATES))
    query = select(Application).where(Application.purged_at.is_(None), due_by_dates, ~open_case)
    if after is not None:
        query = query.where(Application.id > after)
    return query.order_by(Application.id)


def _last_steps(session: Session, ids: list[uuid.UUID], timezone: str) -> dict[uuid.UUID, date]:
    if not ids:
        return {}
    rows = session.execute(
        select(ApplicationEvent.application_id, func.max(ApplicationEvent.at))
        .where(ApplicationEvent.application_id.in_(ids))
        .group_by(ApplicationEvent.application_id)
    )
    return {application_id: local_date(at, timezone) for application_id, at in rows if at is not None}


def _texts(session: Session, ids: list[uuid.UUID]) -> Counter[str]:
    if not ids:
        return Counter()
    cases = select(ReviewCase.id).where(ReviewCase.application_id.in_(ids))
    counts = {
        "findings": select(func.count()).where(ReviewCase.application_id.in_(ids), ReviewCase.findings.is_not(None)),
        "notes": select(func.count()).where(CaseAction.case_id.in_(cases), CaseAction.note.is_not(None)),
        "requests": select(func.count()).where(
            InformationRequest.application_id.in_(ids),
            or_(InformationRequest.message.is_not(None), InformationRequest.answer.is_not(None)),
        ),
        "redress": select(func.count()).where(
            RedressRequest.application_id.in_(ids), func.length(RedressRequest.content) > 0
        ),
    }
    return Counter({name: int(session.scalar(query) or 0) for name, query in counts.items()})


def _purge(session: Session, due: list[Application], *, now: datetime) -> None:
    ids = [a.id for a in due]
    for application in due:
        application.pii, application.passport_key, application.person_key = PURGED, "", ""
        application.document_key = application.birth_key = ""  # the carrier check answers NOT_OK
        application.cleared_entities, application.purged_at = [], now
    cases = select(ReviewCase.id).where(ReviewCase.application_id.in_(ids)).scalar_subquery()
    for statement in (
        update(ReviewCase).where(ReviewCase.application_id.in_(ids)).values(findings=None),
        update(CaseAction).where(CaseAction.case_id.in_(cases)).values(note=None),
        update(InformationRequest).where(InformationRequest.application_id.in_(ids)).values(message=None, answer=None),
        update(RedressRequest).where(RedressRequest.application_id.in_(ids)).values(content=PURGED),
    ):
        session.execute(statement.execution_options(synchronize_session=False))
    session.flush()


def purge_groups(session: Session, rt: Runtime, *, dry_run: bool, also_due: Collection[uuid.UUID] = ()) -> int:
    """Representatives whose every member is purged (or, in a dry run, due: `also_due`)."""
    left = exists().where(
        Application.group_id == Group.id, Application.purged_at.is_(None), Application.id.not_in(also_due)
    )
    groups = list(session.scalars(select(Group).where(Group.purged_at.is_(None), ~left)))
    if not dry_run:
        for group in groups:
            group.pii, group.email_key, group.purged_at = PURGED, "", rt.now()
        session.flush()
    return len(groups)


def purge_idempotency_records(session: Session, rt: Runtime, *, dry_run: bool = False) -> int:
    old = IdempotencyRecord.created_at < rt.now() - rt.idempotency_ttl
    if dry_run:
        return int(session.scalar(select(func.count()).select_from(IdempotencyRecord).where(old)) or 0)
    result = session.execute(delete(IdempotencyRecord).where(old))
    return int(result.rowcount)  # type: ignore[attr-defined]


def job_step(session: Session, rt: Runtime, payload: dict[str, object]) -> None:
    """The `retention_purge` job: one page, then the next page's job, then groups and idempotency records.
    The scheduler enqueues it daily with an empty payload."""
    after = payload.get("after")
    step = purge_step(session, rt, after=uuid.UUID(str(after)) if after else None, dry_run=False)
    if step.after is not None:
        enqueue(session, RETENTION_PURGE, {"after": str(step.after)}, now=rt.now())
        return
    purge_groups(session, rt, dry_run=False)
    purge_idempotency_records(session, rt, dry_run=False)
