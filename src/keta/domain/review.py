"""The back office's rules as values: who may do what, how a case's deadline runs, and four eyes.

A *case* is a unit of officer work about one application:

    screening       the automated screening sent a paid application to review
    rescreen        a watchlist change found a new possible match for a valid authorization
    document_alert  a valid authorization's passport was reported lost or stolen (supervisors first)
    redress         a refused applicant asked for the refusal to be reviewed
    revocation      someone proposed revoking or annulling a valid authorization outside any other case

and moves through

    open ⇄ waiting_info            (an officer asked the applicant for more information; the clock pauses)
    open → awaiting_confirmation   (an officer proposed a refusal/revocation; a second person confirms)
    awaiting_confirmation → open   (the confirmer sent it back)
    open | awaiting_confirmation → closed

Refusing, revoking and annulling always take two different people: the one who proposes and a
supervisor who confirms. A redress is handled by someone who took no part in the refusal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Role(StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    AUDITOR = "auditor"
    BORDER = "border"


class Permission(StrEnum):
    WORK_CASES = "work_cases"  # read the queue and case pages, claim, approve, propose, ask for information
    CONFIRM = "confirm"  # confirm or send back another person's refusal/revocation proposal
    REVOKE = "revoke"  # propose revocation or annulment of a valid authorization
    DOCUMENT_ALERTS = "document_alerts"  # see and work lost/stolen alerts on valid authorizations
    WATCHLISTS = "watchlists"  # see list versions and re-screening runs, roll a list back
    STATISTICS = "statistics"
    AUDIT = "audit"  # read the audit trail
    ACCOUNTS = "accounts"  # create and disable staff accounts
    BORDER = "border"  # look up travellers and record entries at the border


PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OFFICER: frozenset({Permission.WORK_CASES, Permission.REVOKE}),
    Role.SUPERVISOR: frozenset(
        {
            Permission.WORK_CASES,
            Permission.CONFIRM,
            Permission.REVOKE,
            Permission.DOCUMENT_ALERTS,
            Permission.WATCHLISTS,
            Permission.STATISTICS,
        }
    ),
    Role.ADMIN: frozenset({Permission.ACCOUNTS}),
    Role.AUDITOR: frozenset({Permission.AUDIT, Permission.STATISTICS}),
    Role.BORDER: frozenset({Permission.BORDER}),
}


def may(role: Role, permission: Permission) -> bool:
    return permission in PERMISSIONS[role]


class CaseKind(StrEnum):
    SCREENING = "screening"
    RESCREEN = "rescreen"
    DOCUMENT_ALERT = "document_alert"
    REDRESS = "redress"
    REVOCATION = "revocation"


class CaseStatus(StrEnum):
    OPEN = "open"
    WAITING_INFO = "waiting_info"
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    CLOSED = "closed"


class Proposal(StrEnum):
    """Decisions that take effect only once a second person confirms them."""

    REFUSE = "refuse"
    REVOKE = "revoke"
    ANNUL = "annul"


# Which permission a case kind needs beyond working cases (a lost/stolen alert is a supervisor's first).
KIND_PERMISSION: dict[CaseKind, Permission] = {
    CaseKind.SCREENING: Permission.WORK_CASES,
    CaseKind.RESCREEN: Permission.WORK_CASES,
    CaseKind.REDRESS: Permission.WORK_CASES,
    CaseKind.REVOCATION: Permission.WORK_CASES,
    CaseKind.DOCUMENT_ALERT: Permission.DOCUMENT_ALERTS,
}


class Urgency(StrEnum):
    ON_TIME = "on_time"
    CLOSE = "close"  # the deadline is within the policy's warning window
    LATE = "late"
    PAUSED = "paused"  # waiting for the applicant


@dataclass(frozen=True, slots=True)
class ReviewRules:
    """The policy's review settings in force on a date."""

    decision_hours: int  # from the case opening to the decision, pauses excluded
    warn_hours: int  # "close" when less than this is left
    info_response_days: int  # how long an applicant has to answer a request for information
    redress_days: int  # how long after a refusal the applicant may ask for a review
    renewal_reminder_days: int  # e-mail this many days before an authorization expires
    refusal_grounds: tuple[str, ...]
    revocation_grounds: tuple[str, ...]
    annulment_grounds: tuple[str, ...]
    information_requests: tuple[str, ...]  # codes of the standard questions an officer can ask

    def grounds_for(self, proposal: Proposal) -> tuple[str, ...]:
        return {
            Proposal.REFUSE: self.refusal_grounds,
            Proposal.REVOKE: self.revocation_grounds,
            Proposal.ANNUL: self.annulment_grounds,
        }[proposal]


def due_at(opened_at: datetime, *, rules: ReviewRules, paused: timedelta = timedelta(0)) -> datetime:
    """The decision deadline: `decision_hours` after opening, plus the time spent waiting for the applicant."""
    return opened_at + timedelta(hours=rules.decision_hours) + paused


def urgency(now: datetime, due: datetime, *, rules: ReviewRules, waiting: bool = False) -> Urgency:
    if waiting:
        return Urgency.PAUSED
    if now >= due:
        return Urgency.LATE
    if due - now <= timedelta(hours=rules.warn_hours):
        return Urgency.CLOSE
    return Urgency.ON_TIME


def may_confirm(*, proposer: str, confirmer: str) -> bool:
    """Four eyes: nobody confirms their own proposal."""
    return proposer != confirmer


def may_handle_redress(*, handler: str, deciders: Iterable[str]) -> bool:
    """A redress goes to someone who neither proposed nor confirmed the refusal under review."""
    return handler not in set(deciders)
