"""Finding an application by its reference, its history, and proposing to revoke or annul it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from keta.db.models import ReviewCase
from keta.db.repositories import applications as repo
from keta.domain.applications import Status
from keta.domain.errors import Conflict, InvalidInput
from keta.domain.review import Permission, Proposal
from keta.services import audit, requests
from keta.web.backoffice.rendering import OfficeLocale, render
from keta.web.backoffice.security import Form, Staff, first, require
from keta.web.deps import RuntimeDep, SessionDep

router = APIRouter()
Worker = Annotated[Staff, require(Permission.WORK_CASES)]
REFERENCE_MAX = 20


@router.get("/applications")
def search(request: Request, me: Worker, db: SessionDep, locale: OfficeLocale) -> Response:
    reference = (request.query_params.get("reference") or "").strip().upper()[:REFERENCE_MAX]
    if reference:
        if repo.by_reference(db, reference) is not None:
            return RedirectResponse(f"/backoffice/applications/{reference}", status_code=303)
        return render(request, locale, "search.html", {"me": me, "reference": reference, "missing": True}, status=404)
    return render(request, locale, "search.html", {"me": me, "reference": "", "missing": False})


def _page(request: Request, me: Staff, db: SessionDep, rt: RuntimeDep, locale: str, reference: str,
          **extra: Any) -> Response:  # fmt: skip
    application = repo.by_reference(db, reference[:REFERENCE_MAX])
    if application is None:
        return render(request, locale, "search.html", {"me": me, "reference": reference, "missing": True}, status=404)
    audit.record(
        db, rt.keyring, actor=str(me.member.id), action="application.viewed", object_type="application",
        object_id=str(application.id), now=rt.now(),
    )  # fmt: skip
    case_rows = db.scalars(
        select(ReviewCase).where(ReviewCase.application_id == application.id).order_by(ReviewCase.opened_at)
    )
    rules = rt.policy.review_rules(rt.today())
    context = {
        "me": me,
        "application": application,
        "cases": list(case_rows),
        "revocable": application.status == Status.APPROVED and me.may(Permission.REVOKE),
        "proposals": [Proposal.REVOKE, Proposal.ANNUL],
        "rules": rules,
        **extra,
    }
    return render(request, locale, "application.html", context, status=409 if extra.get("refused") else 200)


@router.get("/applications/{reference}")
def application_page(
    reference: str, request: Request, me: Worker, db: SessionDep, rt: RuntimeDep, locale: OfficeLocale
) -> Response:
    return _page(request, me, db, rt, locale, reference)


@router.post("/applications/{reference}/propose")
def propose(
    reference: str,
    request: Request,
    form: Form,
    me: Annotated[Staff, require(Permission.REVOKE)],
    db: SessionDep,
    rt: RuntimeDep,
    locale: OfficeLocale,
) -> Response:
    me.check_csrf(request, form)
    application = repo.by_reference(db, reference[:REFERENCE_MAX])
    if application is None:
        return _page(request, me, db, rt, locale, reference)
    try:
        proposal = Proposal(first(form, "proposal"))
        if proposal is Proposal.REFUSE:
            raise ValueError(proposal)
    except ValueError:
        return _page(request, me, db, rt, locale, reference, refused="invalid_input")
    try:
        with db.begin_nested():
            case = requests.propose_revocation(
                db, rt, application=application, member=me.member, proposal=proposal,
                ground=first(form, "ground"), note=first(form, "note"),
            )  # fmt: skip
    except InvalidInput:
        return _page(request, me, db, rt, locale, reference, refused="invalid_input")
    except Conflict as conflict:
        return _page(request, me, db, rt, locale, reference, refused=conflict.reason)
    return RedirectResponse(f"/backoffice/cases/{case.id}", status_code=303)
