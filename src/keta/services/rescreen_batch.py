"""Re-screening one batch of valid authorizations: the lost/stolen list and the name screening.

What opens a case, and what does not:
- a passport on the lost/stolen list opens a `document_alert` (supervisors see it first), unless a
  document alert is already open, or an officer cleared one opened after the document was reported;
- a possible watchlist match opens a `rescreen` case, unless the matched entities are all ones an
  officer already found to be someone else (`application.cleared_entities`), or a re-screening or
  document alert case is already open on the application;
- both at once: one document alert, with the name matches in its findings too.
A case is work for an officer: re-screening never revokes and never changes the application's
status. A passport name screening could not read is no news (screening sent it to an officer).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keta.db.models import Application, LostDocument, ReviewCase
from keta.db.repositories import documents as documents_repo
from keta.domain.applicant import Applicant
from keta.domain.documents import document_key
from keta.domain.reasons import Reason
from keta.domain.review import CaseKind
from keta.domain.screening.algorithm import triage
from keta.domain.screening.model import ScreeningOutcome
from keta.domain.screening.normalize import InvalidName
from keta.screening.engine import Engine
from keta.services import pii
from keta.services.cases import OPEN_STATES, open_case
from keta.services.runtime import Runtime
from keta.services.watchlist_screening import applicant_query, watchlist_detail

ACTOR = "system:rescreen"
SHOWN_MATCHES = 5
_BLOCKING = (CaseKind.RESCREEN.value, CaseKind.DOCUMENT_ALERT.value)


def screen_authorizations(session: Session, rt: Runtime, applications: Sequence[Application]) -> int:
    """Open the cases this batch calls for; returns how many."""
    if not applications:
        return 0
    ids = [a.id for a in applications]
    busy = _open_case_kinds(session, ids)
    cleared_alerts = _cleared_document_alerts(session, ids)
    people = {a.id: pii.pii_to_applicant(rt.keyring.decrypt(a.pii)) for a in applications}
    keys = {i: document_key(p.passport.number, p.passport.issuing_country) for i, p in people.items()}
    reports = documents_repo.reports(session, sorted(set(keys.values())))
    engine = rt.screening.get(session, dict(rt.policy.screening_thresholds))
    opened = 0
    for application in applications:
        open_kinds = busy.get(application.id, set())
        report = reports.get(keys[application.id])
        alert = (
            report is not None
            and CaseKind.DOCUMENT_ALERT.value not in open_kinds
            and not _already_cleared(cleared_alerts.get(application.id), report)
        )
        if open_kinds and not alert:
            continue  # an officer already has this authorization in hand
        names = _new_matches(engine, application, people[application.id])
        if alert:
            assert report is not None
            reasons = [Reason.DOCUMENT_REPORTED_LOST_OR_STOLEN.value]
            reasons += [Reason.WATCHLIST_POSSIBLE_MATCH.value] if names else []
            findings = {"document": _report_detail(report), **(names or {})}
            kind = CaseKind.DOCUMENT_ALERT
        elif names:
            reasons, findings, kind = [Reason.WATCHLIST_POSSIBLE_MATCH.value], names, CaseKind.RESCREEN
        else:
            continue
        open_case(session, rt, application=application, kind=kind, reasons=reasons, findings=findings, actor=ACTOR)
        opened += 1
    return opened


def _new_matches(engine: Engine, application: Application, applicant: Applicant) -> dict[str, Any] | None:
    """The watchlist detail of the matches an officer has not cleared yet, or None."""
    if not len(engine.index):
        return None
    cleared = set(application.cleared_entities)
    try:
        result = engine.screen(applicant_query(application, applicant), limit=SHOWN_MATCHES + len(cleared))
    except InvalidName:
        return None
    if result.outcome is ScreeningOutcome.CLEAR:
        return None
    matches = [m for m in result.matches if m.entity_id not in cleared][:SHOWN_MATCHES]
    if not matches:
        return None
    return watchlist_detail(triage(matches, engine.thresholds), matches)


def _open_case_kinds(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    rows = session.execute(
        select(ReviewCase.application_id, ReviewCase.kind).where(
            ReviewCase.application_id.in_(ids), ReviewCase.kind.in_(_BLOCKING), ReviewCase.status.in_(OPEN_STATES)
        )
    )
    found: dict[uuid.UUID, set[str]] = {}
    for application_id, kind in rows:
        found.setdefault(application_id, set()).add(kind)
    return found


def _cleared_document_alerts(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, datetime]:
    """When the latest document alert an officer cleared was opened, per application."""
    rows = session.execute(
        select(ReviewCase.application_id, func.max(ReviewCase.opened_at))
        .where(
            ReviewCase.application_id.in_(ids),
            ReviewCase.kind == CaseKind.DOCUMENT_ALERT.value,
            ReviewCase.outcome == "cleared",
        )
        .group_by(ReviewCase.application_id)
    )
    return {application_id: opened_at for application_id, opened_at in rows}


def _already_cleared(cleared_opened_at: datetime | None, report: LostDocument) -> bool:
    """An officer cleared an alert raised by this report (a newer report of the same document alerts again)."""
    if cleared_opened_at is None:
        return False
    return report.reported_on is None or cleared_opened_at.date() >= report.reported_on


def _report_detail(report: LostDocument) -> dict[str, Any]:
    reported_on = report.reported_on.isoformat() if report.reported_on else None
    return {"reported_on": reported_on, "source": report.source}
