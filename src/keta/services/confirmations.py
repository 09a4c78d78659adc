"""The applicant's answer to an agency's filing: shown, confirmed, refused — or lapsed.

The e-mailed link carries a secret; its SHA-256 finds the confirmation. A link that is unknown,
already answered or past its date shows nothing of the application. Confirming makes the
application payable (keta.services.readiness); refusing withdraws it, so it is never screened;
a link nobody answered withdraws it when it lapses (a periodic job). Each answer is an audit
record (ids only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from keta.adapters.clock import local_date
from keta.db.models import Agency, ApplicantConfirmation, Application
from keta.db.repositories import agencies as repo
from keta.domain.applications import Status
from keta.domain.errors import NotFound
from keta.services import audit
from keta.services.agency_filing import token_hash
from keta.services.lifecycle import move
from keta.services.runtime import Runtime

APPLICANT_ACTOR = "applicant"
SYSTEM_ACTOR = "system"
REFUSED, LAPSED = "filing_refused_by_applicant", "filing_not_confirmed"  # reason codes of the withdrawal
EXPIRY_PAGE = 500


@dataclass(frozen=True, slots=True)
class FilingView:
    """What the confirmation page shows: the filing, by whom, until when, and its state."""

    reference: str
    agency: str
    filed_on: date  # in the scheme's time zone, as every date an applicant reads
    expires_on: date
    state: str  # pending | confirmed | refused
    personal: dict[str, Any]  # the decrypted application, as filed (no photo)


def _open(session: Session, rt: Runtime, token: str) -> tuple[ApplicantConfirmation, Application]:
    confirmation = repo.confirmation_by_token(session, token_hash(token)) if token else None
    if confirmation is None:
        raise NotFound()
    application = session.get(Application, confirmation.application_id)
    if application is None or application.purged_at is not None:
        raise NotFound()
    lapsed = (
        confirmation.confirmed_at is None and confirmation.refused_at is None and confirmation.expires_at <= rt.now()
    )
    if lapsed or (confirmation.confirmed_at is None and application.status != Status.SUBMITTED):
        raise NotFound()  # lapsed, or withdrawn meanwhile: nothing to answer any more
    return confirmation, application


def view(session: Session, rt: Runtime, *, token: str) -> FilingView:
    confirmation, application = _open(session, rt, token)
    agency = session.get(Agency, application.agency_id) if application.agency_id else None
    personal = {k: v for k, v in rt.keyring.decrypt(application.pii).items() if k != "photo_jpeg"}
    state = "confirmed" if confirmation.confirmed_at else ("refused" if confirmation.refused_at else "pending")
    return FilingView(
        application.reference,
        agency.name if agency else "",
        local_date(application.submitted_at, rt.policy.timezone),
        local_date(confirmation.expires_at, rt.policy.timezone),
        state,
        personal,
    )


def confirm(session: Session, rt: Runtime, *, token: str) -> Application:
    """Idempotent: confirming twice changes nothing the second time."""
    confirmation, application = _open(session, rt, token)
    if confirmation.confirmed_at is None and confirmation.refused_at is None:
        confirmation.confirmed_at = rt.now()
        _record(session, rt, "applicant.confirmed_filing", application)
    session.flush()
    return application


def refuse(session: Session, rt: Runtime, *, token: str) -> Application:
    confirmation, application = _open(session, rt, token)
    if confirmation.confirmed_at is None and confirmation.refused_at is None:
        confirmation.refused_at = rt.now()
        move(application, Status.WITHDRAWN, actor=APPLICANT_ACTOR, reasons=[REFUSED], now=rt.now())
        _record(session, rt, "applicant.refused_filing", application)
    session.flush()
    return application


def expire_unconfirmed(session: Session, rt: Runtime) -> int:
    """Withdraw the filings whose link lapsed unanswered (one page; the job runs every hour)."""
    now, withdrawn = rt.now(), 0
    for confirmation in repo.lapsed_confirmations(session, now=now, limit=EXPIRY_PAGE):
        application = session.get(Application, confirmation.application_id)
        if application is not None:
            move(application, Status.WITHDRAWN, actor=SYSTEM_ACTOR, reasons=[LAPSED], now=now)
            withdrawn += 1
    session.flush()
    return withdrawn


def _record(session: Session, rt: Runtime, action: str, application: Application) -> None:
    audit.record(
        session,
        rt.keyring,
        actor=APPLICANT_ACTOR,
        action=action,
        object_type="application",
        object_id=str(application.id),
        now=rt.now(),
    )
