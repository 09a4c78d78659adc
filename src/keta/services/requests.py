"""The applicant's side of a case: answering a request for information, asking for a redress review,
and a proposal to revoke an authorization outside any other case.

The applicant proves who they are the same way as on the status page (reference + passport
number, checked by `keta.services.status`); these functions take the application already found.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keta.db.models import Application, InformationRequest, RedressRequest, ReviewCase, StaffMember
from keta.db.repositories import review as review_repo
from keta.domain.applications import Status
from keta.domain.errors import Conflict, FieldProblem, InvalidInput
from keta.domain.review import CaseKind, CaseStatus, Proposal
from keta.services import notifications
from keta.services.cases import claim, log_action, open_case, pause, resume
from keta.services.decisions import MAX_NOTE, propose
from keta.services.runtime import Runtime

MAX_TEXT = 4000
MAX_DOCUMENTS = 3


def request_information(
    session: Session,
    rt: Runtime,
    *,
    case: ReviewCase,
    member: StaffMember,
    questions: Sequence[str],
    message: str | None,
) -> InformationRequest:
    if case.status != CaseStatus.OPEN:
        raise Conflict(f"case_{case.status}")
    if case.kind not in (CaseKind.SCREENING, CaseKind.REDRESS):
        raise Conflict("not_allowed")
    rules = rt.policy.review_rules(rt.today())
    chosen = list(dict.fromkeys(questions))
    if not chosen:
        raise InvalidInput([FieldProblem("questions", "required")])
    if any(q not in rules.information_requests for q in chosen):
        raise InvalidInput([FieldProblem("questions", "invalid_choice")])
    text = (message or "").strip()
    if len(text) > MAX_NOTE:
        raise InvalidInput([FieldProblem("message", "too_long", (("max", MAX_NOTE),))])
    claim(session, rt, case=case, member=member)
    now = rt.now()
    request = InformationRequest(
        case_id=case.id,
        application_id=case.application_id,
        questions=chosen,
        message=rt.keyring.encrypt({"text": text}) if text else None,
        requested_by=member.id,
        requested_at=now,
        answer_due_on=rt.today() + timedelta(days=rules.info_response_days),
    )
    session.add(request)
    pause(case, now=now)
    case.claimed_by = case.claimed_at = None
    log_action(session, rt, case=case, action="information_requested", member=member, detail={"questions": chosen})
    notifications.information_requested(session, case.application, now=now)
    return request


def open_request(session: Session, application: Application) -> InformationRequest | None:
    """The unanswered request for information on this application, if any."""
    return review_repo.open_information_request(session, application.id)


def _documents(documents: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(documents) > MAX_DOCUMENTS:
        raise InvalidInput([FieldProblem("documents", "too_many", (("max", MAX_DOCUMENTS),))])
    return list(documents)


def _text(text: str, path: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput([FieldProblem(path, "required")])
    if len(text) > MAX_TEXT:
        raise InvalidInput([FieldProblem(path, "too_long", (("max", MAX_TEXT),))])
    return text


def answer_information(
    session: Session, rt: Runtime, *, application: Application, text: str, documents: Sequence[dict[str, Any]] = ()
) -> None:
    """The applicant's answer returns the case to the queue; the deadline moves by the time it waited."""
    request = open_request(session, application)
    if request is None:
        raise Conflict("no_information_requested")
    body = {"text": _text(text, "answer"), "documents": _documents(documents)}
    now = rt.now()
    request.answer, request.answered_at = rt.keyring.encrypt(body), now
    case = session.get(ReviewCase, request.case_id)
    assert case is not None
    resume(case, now=now)
    log_action(session, rt, case=case, action="information_answered", member=None,
               detail={"documents": len(body["documents"])})  # fmt: skip


def lapse_information_requests(session: Session, rt: Runtime) -> int:
    """Requests past their answer date go back to the queue unanswered (the officer may then refuse)."""
    today, now = rt.today(), rt.now()
    overdue = session.scalars(
        select(InformationRequest).where(
            InformationRequest.answered_at.is_(None),
            InformationRequest.lapsed_at.is_(None),
            InformationRequest.answer_due_on < today,
        )
    )
    count = 0
    for request in overdue:
        request.lapsed_at = now
        case = session.get(ReviewCase, request.case_id)
        if case is not None and case.status == CaseStatus.WAITING_INFO:
            resume(case, now=now)
            log_action(session, rt, case=case, action="information_lapsed", member=None)
        count += 1
    return count


def may_ask_redress(session: Session, rt: Runtime, application: Application) -> str | None:
    """None when a redress request is possible now, else the code of why not."""
    if application.status != Status.REFUSED:
        return "not_refused"
    if session.scalar(select(RedressRequest.id).where(RedressRequest.application_id == application.id)):
        return "redress_already_requested"
    rules = rt.policy.review_rules(rt.today())
    if application.decided_on is None or (rt.today() - application.decided_on).days > rules.redress_days:
        return "redress_period_over"
    return None


def ask_redress(
    session: Session, rt: Runtime, *, application: Application, reasons: str, documents: Sequence[dict[str, Any]] = ()
) -> ReviewCase:
    why_not = may_ask_redress(session, rt, application)
    if why_not is not None:
        raise Conflict(why_not)
    body = {"reasons": _text(reasons, "reasons"), "documents": _documents(documents)}
    case = open_case(
        session, rt, application=application, kind=CaseKind.REDRESS, reasons=[application.ground or "refused"],
        findings=None, actor="applicant",
    )  # fmt: skip
    session.add(
        RedressRequest(
            application_id=application.id, case_id=case.id, content=rt.keyring.encrypt(body), submitted_at=rt.now()
        )
    )
    session.flush()
    notifications.redress_received(session, application, now=rt.now())
    return case


def propose_revocation(
    session: Session,
    rt: Runtime,
    *,
    application: Application,
    member: StaffMember,
    proposal: Proposal,
    ground: str,
    note: str | None,
) -> ReviewCase:
    """Start a revocation or annulment of a valid authorization from its page; a supervisor confirms."""
    if application.status != Status.APPROVED:
        raise Conflict("not_approved")
    case = open_case(
        session, rt, application=application, kind=CaseKind.REVOCATION, reasons=[ground], findings=None,
        actor=str(member.id),
    )  # fmt: skip
    propose(session, rt, case=case, member=member, proposal=proposal, ground=ground, note=note)
    return case
