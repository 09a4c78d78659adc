"""Review cases: opening them, the queue, claiming, and what a case page shows.

Screening opens a `screening` case for every application it sends to review; re-screening opens
`rescreen` or `document_alert` cases on valid authorizations; a redress request opens a `redress`
case on a refused application; a supervisor's revocation proposal opens a `revocation` case.
The queue is oldest deadline first. A claim keeps two officers off the same case; it lapses
after `CLAIM_HOLD` without action, so a case is never stuck behind an absent officer.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keta.db.models import Application, CaseAction, ReviewCase, StaffMember
from keta.domain.dates import full_age
from keta.domain.errors import Conflict, NotFound
from keta.domain.review import (
    KIND_PERMISSION,
    CaseKind,
    CaseStatus,
    Role,
    Urgency,
    due_at,
    may,
    may_handle_redress,
    urgency,
)
from keta.services import audit, pii
from keta.services.runtime import Runtime

CLAIM_HOLD = timedelta(hours=2)
OPEN_STATES = (CaseStatus.OPEN.value, CaseStatus.WAITING_INFO.value, CaseStatus.AWAITING_CONFIRMATION.value)


def open_case(
    session: Session,
    rt: Runtime,
    *,
    application: Application,
    kind: CaseKind,
    reasons: Sequence[str],
    findings: dict[str, Any] | None,
    actor: str,
) -> ReviewCase:
    now = rt.now()
    rules = rt.policy.review_rules(rt.today())
    case = ReviewCase(
        application=application,
        kind=kind.value,
        status=CaseStatus.OPEN.value,
        reasons=list(reasons),
        findings=rt.keyring.encrypt(findings) if findings else None,
        opened_at=now,
        due_at=due_at(now, rules=rules),
    )
    session.add(case)
    session.flush()
    audit.record(
        session, rt.keyring, actor=actor, action="case.opened", object_type="case", object_id=str(case.id), now=now,
        detail={"kind": kind.value, "application": str(application.id), "reasons": list(reasons)},
    )  # fmt: skip
    return case


@dataclass(frozen=True, slots=True)
class QueueRow:
    case: ReviewCase
    urgency: Urgency
    age: int | None  # the traveller's full age on the arrival date (only computed when filtering by age)


@dataclass(frozen=True, slots=True)
class QueueFilter:
    kind: str | None = None
    status: str | None = None
    nationality: str | None = None
    reason: str | None = None
    min_age: int | None = None
    max_age: int | None = None


def kinds_for(role: Role) -> list[str]:
    return [kind.value for kind, permission in KIND_PERMISSION.items() if may(role, permission)]


def queue(session: Session, rt: Runtime, *, role: Role, filters: QueueFilter, limit: int = 200) -> list[QueueRow]:
    """Open cases this role may work, oldest deadline first."""
    kinds = kinds_for(role)
    if filters.kind:
        kinds = [k for k in kinds if k == filters.kind]
    query = (
        select(ReviewCase)
        .join(ReviewCase.application)
        .where(ReviewCase.kind.in_(kinds), ReviewCase.status.in_(OPEN_STATES))
        .order_by(ReviewCase.due_at, ReviewCase.opened_at)
    )
    if filters.status:
        query = query.where(ReviewCase.status == filters.status)
    if filters.nationality:
        query = query.where(Application.nationality == filters.nationality)
    now = rt.now()
    rules = rt.policy.review_rules(rt.today())
    rows: list[QueueRow] = []
    by_age = filters.min_age is not None or filters.max_age is not None
    for case in session.scalars(query.limit(limit * 5 if (filters.reason or by_age) else limit)):
        if filters.reason and filters.reason not in case.reasons:
            continue
        age = _age(rt, case.application) if by_age else None
        if age is not None and not (
            (filters.min_age is None or age >= filters.min_age) and (filters.max_age is None or age <= filters.max_age)
        ):
            continue
        waiting = case.status == CaseStatus.WAITING_INFO
        rows.append(QueueRow(case, urgency(now, case.due_at, rules=rules, waiting=waiting), age))
        if len(rows) >= limit:
            break
    return rows


def _age(rt: Runtime, application: Application) -> int:
    birth = date.fromisoformat(rt.keyring.decrypt(application.pii)["passport"]["birth_date"])
    return full_age(birth, application.arrival_date)


def get_case(session: Session, *, case_id: str) -> ReviewCase:
    try:
        found = session.get(ReviewCase, uuid.UUID(case_id))
    except ValueError:
        found = None
    if found is None:
        raise NotFound()
    return found


def check_access(session: Session, case: ReviewCase, member: StaffMember) -> None:
    """Raise when this member may not work this case (role, or a part in the refusal under redress)."""
    if case.kind not in kinds_for(Role(member.role)):
        raise NotFound()  # as if it did not exist: the role does not see this kind of case
    if case.kind == CaseKind.REDRESS and not may_handle_redress(
        handler=str(member.id), deciders=deciders(session, case.application)
    ):
        raise Conflict("took_part_in_decision")


def deciders(session: Session, application: Application) -> set[str]:
    """Everyone who proposed or confirmed an adverse decision on this application."""
    rows = session.scalars(
        select(CaseAction.staff_id)
        .join(ReviewCase, CaseAction.case_id == ReviewCase.id)
        .where(ReviewCase.application_id == application.id, CaseAction.action.in_(("proposed", "confirmed")))
    )
    return {str(staff_id) for staff_id in rows if staff_id is not None}


def claim(session: Session, rt: Runtime, *, case: ReviewCase, member: StaffMember) -> None:
    """Take the case; refused while someone else holds a live claim."""
    now = rt.now()
    check_access(session, case, member)
    if case.status == CaseStatus.CLOSED:
        raise Conflict("case_closed")
    holder = case.claimed_by
    if holder is not None and holder != member.id and case.claimed_at and now - case.claimed_at < CLAIM_HOLD:
        raise Conflict("claimed_by_other")
    if holder != member.id:
        case.claimed_by, case.claimed_at = member.id, now
        log_action(session, rt, case=case, action="claimed", member=member)
    else:
        case.claimed_at = now  # acting refreshes the hold


def release(session: Session, rt: Runtime, *, case: ReviewCase, member: StaffMember) -> None:
    if case.claimed_by == member.id:
        case.claimed_by = case.claimed_at = None
        log_action(session, rt, case=case, action="released", member=member)


def log_action(
    session: Session,
    rt: Runtime,
    *,
    case: ReviewCase,
    action: str,
    member: StaffMember | None,
    ground: str | None = None,
    note: str | None = None,
    detail: dict[str, Any] | None = None,
) -> CaseAction:
    """One step on a case, in the case's history and in the audit trail (the note only in the former,
    encrypted: it is free text and may name people)."""
    now = rt.now()
    entry = CaseAction(
        case_id=case.id,
        action=action,
        staff_id=member.id if member else None,
        ground=ground,
        note=rt.keyring.encrypt({"text": note}) if note else None,
        at=now,
    )
    session.add(entry)
    audit.record(
        session, rt.keyring, actor=str(member.id) if member else "applicant", action=f"case.{action}",
        object_type="case", object_id=str(case.id), now=now,
        detail={k: v for k, v in {"ground": ground, **(detail or {})}.items() if v is not None},
    )  # fmt: skip
    return entry


def viewed(session: Session, rt: Runtime, *, case: ReviewCase, member: StaffMember) -> None:
    """Reading a case's personal data is itself an audited act."""
    audit.record(
        session, rt.keyring, actor=str(member.id), action="case.viewed", object_type="case",
        object_id=str(case.id), now=rt.now(),
    )  # fmt: skip


def log_document_view(session: Session, rt: Runtime, *, case: ReviewCase, member: StaffMember, number: int) -> None:
    """Opening an applicant's document is a view of personal data: audited like the case page."""
    audit.record(
        session, rt.keyring, actor=str(member.id), action="case.document_viewed", object_type="case",
        object_id=str(case.id), now=rt.now(), detail={"document": number},
    )  # fmt: skip


def previous_applications(
    session: Session, rt: Runtime, application: Application, personal: dict[str, Any]
) -> list[Application]:
    """The same person's other applications, through the person blind index under every key (during a
    key rotation, some of them may still carry the index under the old key)."""
    keys = pii.person_keys(rt.keyring, pii.pii_to_applicant(personal).passport)
    query = (
        select(Application)
        .where(Application.person_key.in_(keys), Application.id != application.id)
        .order_by(Application.submitted_at.desc())
        .limit(50)
    )
    return list(session.scalars(query))


def pause(case: ReviewCase, *, now: datetime) -> None:
    case.status, case.paused_at = CaseStatus.WAITING_INFO.value, now


def resume(case: ReviewCase, *, now: datetime) -> None:
    """Back to the queue; the time spent waiting is added to the deadline."""
    if case.paused_at is not None:
        case.due_at = case.due_at + (now - case.paused_at)
    case.status, case.paused_at = CaseStatus.OPEN.value, None
