"""The audit trail, for auditors: newest records first, filterable, with the chain's verification."""

from __future__ import annotations

import re
import uuid
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, select

from keta.db.models import AuditRecord
from keta.domain.review import Permission
from keta.services import audit, case_view
from keta.web.backoffice.rendering import OfficeLocale, render
from keta.web.backoffice.security import Staff, require
from keta.web.deps import RuntimeDep, SessionDep

router = APIRouter()
Auditor = Annotated[Staff, require(Permission.AUDIT)]
PAGE = 100
_STAFF_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@router.get("/audit")
def audit_page(request: Request, me: Auditor, db: SessionDep, rt: RuntimeDep, locale: OfficeLocale) -> Response:
    q = request.query_params
    action = (q.get("action") or "")[:48]
    before = q.get("before") or ""
    query = select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(PAGE)
    if action:
        query = query.where(AuditRecord.action == action)
    if before.isdigit() and len(before) < 12:
        query = query.where(AuditRecord.seq < int(before))
    records = list(db.scalars(query))
    verification = audit.verify(db, rt.keyring) if q.get("verify") == "1" else None
    staff_ids = {uuid.UUID(r.actor) for r in records if _STAFF_ID.fullmatch(r.actor)}
    context = {
        "me": me,
        "records": records,
        "action": action,
        "names": {str(k): v for k, v in case_view.usernames(db, staff_ids).items()},
        "total": db.scalar(select(func.count()).select_from(AuditRecord)),
        "verification": verification,
        "next_before": records[-1].seq if len(records) == PAGE else None,
    }
    return render(request, locale, "audit.html", context)
