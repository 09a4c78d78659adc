"""What officers decide on a case, with four eyes on everything adverse.

- approve: a screening case approves the application; a redress case overturns the refusal; a
  re-screening or document alert case clears the match (the authorization stays valid). Whatever
  the kind, the watchlist entities the case showed are not raised again for it by re-screening.
- propose: refuse (screening), revoke or annul (re-screening, document alert, revocation), always
  with a ground from the policy's list; it takes effect only when a supervisor who is not the
  proposer confirms it. `send_back` returns it to the queue instead.
- uphold: a redress officer keeps the refusal (the refusal itself already had four eyes).

Every function checks the case's state and the actor's right, writes the case history and the
audit trail, and queues the applicant's e-mail, all in the caller's transaction.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from keta.db.models import Application, ReviewCase, StaffMember
from keta.domain.applications import Status, validity_at_approval
from keta.domain.errors import Conflict, FieldProblem, InvalidInput
from keta.domain.reasons import Reason
from keta.domain.review import CaseKind, CaseStatus, Permission, Proposal, Role, may, may_confirm
from keta.services import notifications, pii
from keta.services.cases import check_access, claim, log_action
from keta.services.lifecycle import move
from keta.services.runtime import Runtime

PROPOSALS_BY_KIND: dict[CaseKind, frozenset[Proposal]] = {
    CaseKind.SCREENING: frozenset({Proposal.REFUSE}),
    CaseKind.RESCREEN: frozenset({Proposal.REVOKE, Proposal.ANNUL}),
    CaseKind.DOCUMENT_ALERT: frozenset({Proposal.REVOKE, Proposal.ANNUL}),
    CaseKind.REVOCATION: frozenset({Proposal.REVOKE, Proposal.ANNUL}),
    CaseKind.REDRESS: frozenset(),
}
MAX_NOTE = 4000


def _require_open(case: ReviewCase) -> None:
    if case.status != CaseStatus.OPEN:
        raise Conflict(f"case_{case.status}")


def _note(note: str | None) -> str | None:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput([FieldProblem("note", "too_long", (("max", MAX_NOTE),))])
    return note or None


def _close(case: ReviewCase, outcome: str, rt: Runtime) -> None:
    case.status, case.outcome, case.closed_at = CaseStatus.CLOSED.value, outcome, rt.now()
    case.claimed_by = case.claimed_at = None


def approve(session: Session, rt: Runtime, *, case: ReviewCase, member: StaffMember, note: str | None = None) -> None:
    _require_open(case)
    claim(session, rt, case=case, member=member)
    application, kind = case.application, CaseKind(case.kind)
    if kind is CaseKind.REVOCATION:
        raise Conflict("nothing_to_approve")
    # Approving past a possible match says the listed person is someone else: re-screening must not
    # raise the same entities again for this authorization.
    cleared = {str(m["entity_id"]) for m in _matches(rt, case)}
    if cleared:
        application.cleared_entities = sorted(set(application.cleared_entities) | cleared)
    if kind in (CaseKind.SCREENING, CaseKind.REDRESS):
        _approve_application(session, rt, application, actor=str(member.id))
        outcome = "approved" if kind is CaseKind.SCREENING else "overturned"
    else:
        outcome = "cleared"
    log_action(session, rt, case=case, action=outcome, member=member, note=_note(note))
    _close(case, outcome, rt)


def _matches(rt: Runtime, case: ReviewCase) -> list[dict[str, object]]:
    if case.findings is None:
        return []
    findings = rt.keyring.decrypt(case.findings)
    return list(findings.get("watchlist", {}).get("matches", []))


def _approve_application(session: Session, rt: Runtime, application: Application, *, actor: str) -> None:
    now, today = rt.now(), rt.today()
    passport_expiry = pii.pii_to_applicant(rt.keyring.decrypt(application.pii)).passport.expiry_date
    window = validity_at_approval(
        approved_on=today, applied_on=application.applied_on, passport_expiry=passport_expiry, policy=rt.policy
    )
    application.valid_from, application.valid_until = window.valid_from, window.valid_until
    application.decided_at, application.decided_on, application.ground = now, today, None
    application.decision_reasons = [Reason.OFFICER_DECISION.value]
    move(application, Status.APPROVED, actor=actor, reasons=[Reason.OFFICER_DECISION], now=now)
    notifications.decided(session, application, now=now)


def propose(
    session: Session,
    rt: Runtime,
    *,
    case: ReviewCase,
    member: StaffMember,
    proposal: Proposal,
    ground: str,
    note: str | None = None,
) -> None:
    _require_open(case)
    if proposal not in PROPOSALS_BY_KIND[CaseKind(case.kind)]:
        raise Conflict("proposal_not_allowed")
    if proposal is not Proposal.REFUSE and not may(Role(member.role), Permission.REVOKE):
        raise Conflict("not_allowed")
    if ground not in rt.policy.review_rules(rt.today()).grounds_for(proposal):
        raise InvalidInput([FieldProblem("ground", "invalid_choice")])
    claim(session, rt, case=case, member=member)
    now = rt.now()
    case.status = CaseStatus.AWAITING_CONFIRMATION.value
    case.proposal, case.proposal_ground, case.proposed_by, case.proposed_at = proposal.value, ground, member.id, now
    case.claimed_by = case.claimed_at = None
    log_action(session, rt, case=case, action="proposed", member=member, ground=ground, note=_note(note),
               detail={"proposal": proposal.value})  # fmt: skip


def confirm(session: Session, rt: Runtime, *, case: ReviewCase, member: StaffMember, note: str | None = None) -> None:
    """The second pair of eyes: the proposal takes effect now."""
    _confirmable(session, case, member)
    assert case.proposal is not None and case.proposal_ground is not None
    proposal, ground, application = Proposal(case.proposal), case.proposal_ground, case.application
    now = rt.now()
    target = {Proposal.REFUSE: Status.REFUSED, Proposal.REVOKE: Status.REVOKED, Proposal.ANNUL: Status.ANNULLED}
    application.ground = ground
    application.decision_reasons = [Reason.OFFICER_DECISION.value]
    application.decided_at, application.decided_on = now, rt.today()
    move(application, target[proposal], actor=str(member.id), reasons=[Reason.OFFICER_DECISION, ground], now=now)
    notifications.decided(session, application, now=now)
    log_action(session, rt, case=case, action="confirmed", member=member, ground=ground, note=_note(note),
               detail={"proposal": proposal.value})  # fmt: skip
    _close(case, target[proposal].value, rt)


def send_back(session: Session, rt: Runtime, *, case: ReviewCase, member: StaffMember, note: str | None) -> None:
    """The confirmer disagrees: the case returns to the queue with the reason in its history."""
    _confirmable(session, case, member)
    reason = _note(note)
    if reason is None:
        raise InvalidInput([FieldProblem("note", "required")])
    case.status = CaseStatus.OPEN.value
    case.proposal = case.proposal_ground = None
    case.proposed_by = case.proposed_at = None
    log_action(session, rt, case=case, action="sent_back", member=member, note=reason)


def _confirmable(session: Session, case: ReviewCase, member: StaffMember) -> None:
    check_access(session, case, member)
    if not may(Role(member.role), Permission.CONFIRM):
        raise Conflict("not_allowed")
    if case.status != CaseStatus.AWAITING_CONFIRMATION:
        raise Conflict(f"case_{case.status}")
    if case.proposed_by is None or not may_confirm(proposer=str(case.proposed_by), confirmer=str(member.id)):
        raise Conflict("own_proposal")


def uphold(session: Session, rt: Runtime, *, case: ReviewCase, member: StaffMember, note: str | None = None) -> None:
    """A redress officer keeps the refusal; the applicant is told."""
    _require_open(case)
    if case.kind != CaseKind.REDRESS:
        raise Conflict("not_a_redress")
    claim(session, rt, case=case, member=member)
    log_action(session, rt, case=case, action="upheld", member=member, note=_note(note))
    _close(case, "upheld", rt)
    notifications.redress_upheld(session, case.application, now=rt.now())
