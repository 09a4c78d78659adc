"""Screening a paid application: policy re-checks, the lost/stolen document list, declared answers,
then any pluggable screeners (the name-matching engine plugs in here), then a decision.

Only a reported lost or stolen document refuses automatically. Anything else that needs a human —
a declared criminal record or disease, a possible watchlist match — goes to `in_review` with the
reasons stored for the officer. A clean application is approved with validity computed from the
policy in force on the application date.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy.orm import Session

from keta.db.models import Application
from keta.db.repositories import applications as repo
from keta.db.repositories import documents as documents_repo
from keta.domain.applicant import Applicant
from keta.domain.applications import Status, validity_at_approval
from keta.domain.documents import document_key
from keta.domain.reasons import Reason
from keta.domain.review import CaseKind
from keta.services import notifications, pii
from keta.services.cases import open_case
from keta.services.findings import Finding, merged_detail
from keta.services.lifecycle import move
from keta.services.runtime import Runtime
from keta.services.watchlist_screening import screen_names

SYSTEM_ACTOR = "screening"


Screener = Callable[[Session, Runtime, Application, Applicant], "Finding | None"]


def lost_or_stolen_document(
    session: Session, rt: Runtime, application: Application, applicant: Applicant
) -> Finding | None:
    key = document_key(applicant.passport.number, applicant.passport.issuing_country)
    if documents_repo.is_reported(session, key):
        return Finding("refuse", (Reason.DOCUMENT_REPORTED_LOST_OR_STOLEN,))
    return None


def passport_still_valid(
    session: Session, rt: Runtime, application: Application, applicant: Applicant
) -> Finding | None:
    if applicant.passport.expiry_date < applicant.travel.arrival_date:
        return Finding("review", (Reason.PASSPORT_EXPIRES_BEFORE_ARRIVAL,))
    return None


def declared_answers(session: Session, rt: Runtime, application: Application, applicant: Applicant) -> Finding | None:
    reasons = []
    if applicant.background.criminal_record:
        reasons.append(Reason.DECLARED_CRIMINAL_RECORD)
    if applicant.background.infectious_disease:
        reasons.append(Reason.DECLARED_INFECTIOUS_DISEASE)
    return Finding("review", tuple(reasons)) if reasons else None


SCREENERS: list[Screener] = [lost_or_stolen_document, passport_still_valid, declared_answers, screen_names]


def screen_application(session: Session, rt: Runtime, *, application_id: uuid.UUID) -> Status | None:
    """Decide one paid application. Returns the new status, or None when there was nothing to do
    (withdrawn meanwhile, or already decided by an earlier run)."""
    application = repo.get(session, application_id)
    if application is None or application.status != Status.PAID:
        return None
    now = rt.now()
    move(application, Status.SCREENING, actor=SYSTEM_ACTOR, reasons=[], now=now)
    applicant = pii.pii_to_applicant(rt.keyring.decrypt(application.pii))
    findings = [f for screener in SCREENERS if (f := screener(session, rt, application, applicant))]

    refusals = [f for f in findings if f.action == "refuse"]
    if refusals:
        outcome, chosen = Status.REFUSED, refusals
    elif findings:
        outcome, chosen = Status.IN_REVIEW, findings
    else:
        outcome, chosen = Status.APPROVED, [Finding("approve", (Reason.SCREENING_CLEAR,))]
    reasons = [reason for finding in chosen for reason in finding.reasons]
    application.decision_reasons = reasons
    # Codes only in clear; what an officer reads (matched names, explanations) is sealed in the case.
    application.decision_detail = {"findings": [{"action": f.action, "reasons": list(f.reasons)} for f in findings]}
    if outcome is not Status.IN_REVIEW:
        application.decided_at, application.decided_on = now, rt.today()
    if outcome is Status.APPROVED:
        window = validity_at_approval(
            approved_on=rt.today(),
            applied_on=application.applied_on,
            passport_expiry=applicant.passport.expiry_date,
            policy=rt.policy,
        )
        application.valid_from, application.valid_until = window.valid_from, window.valid_until
    move(application, outcome, actor=SYSTEM_ACTOR, reasons=reasons, now=now)
    if outcome is Status.IN_REVIEW:
        open_case(
            session, rt, application=application, kind=CaseKind.SCREENING, reasons=reasons,
            findings=merged_detail(findings), actor=f"system:{SYSTEM_ACTOR}",
        )  # fmt: skip
    notifications.decided(session, application, now=now)
    session.flush()
    return outcome
