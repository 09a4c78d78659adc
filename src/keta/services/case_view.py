"""Everything a case page shows, gathered and decrypted in one place (and nowhere else).

The officer sees the applicant's declared data beside each matched watchlist entity with the
engine's reasons, the document and background checks, the requests for information and their
answers, a redress request, the person's other applications, and the case's history with notes.
Building this view is what the audit trail records as "case.viewed".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keta.db.models import (
    Application,
    CaseAction,
    InformationRequest,
    RedressRequest,
    ReviewCase,
    StaffMember,
    WatchlistEntity,
    WatchlistVersion,
)
from keta.services.cases import previous_applications
from keta.services.runtime import Runtime


@dataclass
class HistoryEntry:
    action: CaseAction
    staff: str | None  # username
    note: str | None


@dataclass
class Request:
    request: InformationRequest
    message: str | None
    answer: dict[str, Any] | None


@dataclass
class MatchView:
    match: dict[str, Any]  # entity_id, score, name, reasons
    entity: WatchlistEntity | None
    cleared_before: bool


@dataclass
class CaseView:
    case: ReviewCase
    application: Application
    personal: dict[str, Any]  # the decrypted applicant (passport, contact, travel, background, photo)
    findings: dict[str, Any]
    matches: list[MatchView]
    requests: list[Request]
    redress: dict[str, Any] | None
    previous: list[Application]
    history: list[HistoryEntry]
    proposer: str | None


@dataclass(frozen=True)
class Document:
    """A file the applicant attached (to the redress request or an answer), as stored: checked by its bytes."""

    where: str  # "redress" | "answer"
    media_type: str
    size: int
    data: str  # base64


def documents(view: CaseView) -> list[Document]:
    """The case's documents in a stable order: the redress request's, then each answer's."""
    found = [
        Document("redress", d["media_type"], d["size"], d["data"]) for d in (view.redress or {}).get("documents", [])
    ]
    for request in view.requests:
        for d in (request.answer or {}).get("documents", []):
            found.append(Document("answer", d["media_type"], d["size"], d["data"]))
    return found


def usernames(session: Session, ids: set[Any]) -> dict[Any, str]:
    if not ids:
        return {}
    rows = session.execute(select(StaffMember.id, StaffMember.username).where(StaffMember.id.in_(ids)))
    return {staff_id: username for staff_id, username in rows}


def _entity(session: Session, entity_id: str) -> WatchlistEntity | None:
    """The entity as the currently active version of its list has it."""
    query = (
        select(WatchlistEntity)
        .join(WatchlistVersion, WatchlistEntity.version_id == WatchlistVersion.id)
        .where(WatchlistEntity.entity_id == entity_id, WatchlistVersion.status == "active")
    )
    return session.scalars(query).first()


def build(session: Session, rt: Runtime, case: ReviewCase) -> CaseView:
    application = case.application
    keyring = rt.keyring
    findings = keyring.decrypt(case.findings) if case.findings else {}
    matches = [
        MatchView(m, _entity(session, str(m["entity_id"])), str(m["entity_id"]) in application.cleared_entities)
        for m in findings.get("watchlist", {}).get("matches", [])
    ]
    requests = [
        Request(
            r,
            str(keyring.decrypt(r.message)["text"]) if r.message else None,
            keyring.decrypt(r.answer) if r.answer else None,
        )
        for r in session.scalars(
            select(InformationRequest)
            .where(InformationRequest.application_id == application.id)
            .order_by(InformationRequest.requested_at)
        )
    ]
    redress_row = session.scalars(select(RedressRequest).where(RedressRequest.case_id == case.id)).first()
    names = usernames(session, {a.staff_id for a in case.actions} | {case.proposed_by, case.claimed_by} - {None})
    history = [
        HistoryEntry(a, names.get(a.staff_id), str(keyring.decrypt(a.note)["text"]) if a.note else None)
        for a in case.actions
    ]
    personal = keyring.decrypt(application.pii)
    return CaseView(
        case=case,
        application=application,
        personal=personal,
        findings=findings,
        matches=matches,
        requests=requests,
        redress=keyring.decrypt(redress_row.content) if redress_row else None,
        previous=previous_applications(session, rt, application, personal),
        history=history,
        proposer=names.get(case.proposed_by),
    )
