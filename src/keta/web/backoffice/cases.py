"""The review queue, a case page, and the decisions taken on it.

Every action is a plain POST form with the session's CSRF token, answered with a redirect back to
the case (POST-redirect-GET). A refused action (someone else holds the case, it changed meanwhile,
four eyes, a missing ground) re-renders the case with the reason said on top; two officers acting
at once on the same case get one decision and one clear conflict.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm.exc import StaleDataError

from keta.domain.errors import Conflict, DomainError, FieldProblem, InvalidInput, NotFound
from keta.domain.review import CaseKind, CaseStatus, Permission, Proposal, urgency
from keta.services import case_view, cases, decisions, requests
from keta.web.backoffice.rendering import OfficeLocale, render
from keta.web.backoffice.security import Forbidden, Form, Staff, first, require
from keta.web.deps import RuntimeDep, SessionDep

router = APIRouter()
# Beyond working cases: only supervisors confirm or send back another person's proposal.
VERB_PERMISSION = {"confirm": Permission.CONFIRM, "send-back": Permission.CONFIRM}
Worker = Annotated[Staff, require(Permission.WORK_CASES)]


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) <= 3 else None


@router.get("/queue")
def queue(request: Request, me: Worker, db: SessionDep, rt: RuntimeDep, locale: OfficeLocale) -> Response:
    q = request.query_params
    filters = cases.QueueFilter(
        kind=(q.get("kind") or None),
        status=(q.get("status") or None),
        nationality=(q.get("nationality") or "").upper()[:3] or None,
        reason=(q.get("reason") or "")[:48] or None,
        min_age=_int(q.get("min_age")),
        max_age=_int(q.get("max_age")),
    )
    rows = cases.queue(db, rt, role=me.role, filters=filters)
    holders = case_view.usernames(db, {r.case.claimed_by for r in rows} - {None})
    context = {
        "me": me,
        "rows": rows,
        "holders": holders,
        "filters": filters,
        "kinds": cases.kinds_for(me.role),
        "statuses": cases.OPEN_STATES,
    }
    return render(request, locale, "queue.html", context)


def _page(
    request: Request, me: Staff, db: SessionDep, rt: RuntimeDep, locale: str, case_id: str, **extra: Any
) -> Response:
    case = cases.get_case(db, case_id=case_id)
    cases.check_access(db, case, me.member)
    view = case_view.build(db, rt, case)
    cases.viewed(db, rt, case=case, member=me.member)
    rules = rt.policy.review_rules(rt.today())
    context = {
        "me": me,
        "view": view,
        "documents": case_view.documents(view),
        "case": case,
        "rules": rules,
        "urgency": urgency(rt.now(), case.due_at, rules=rules, waiting=case.status == CaseStatus.WAITING_INFO),
        "proposals": sorted(decisions.PROPOSALS_BY_KIND[CaseKind(case.kind)]),
        "CaseStatus": CaseStatus,
        "CaseKind": CaseKind,
        **extra,
    }
    return render(request, locale, "case.html", context, status=409 if extra.get("refused") else 200)


@router.get("/cases/{case_id}")
def case_page(
    case_id: str, request: Request, me: Worker, db: SessionDep, rt: RuntimeDep, locale: OfficeLocale
) -> Response:
    try:
        return _page(request, me, db, rt, locale, case_id)
    except NotFound:
        return _message(request, me, locale, "bo.error.not_found", 404)
    except Conflict as conflict:
        return _message(request, me, locale, f"bo.conflict.{conflict.reason}", 403)


EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


@router.get("/cases/{case_id}/documents/{number}")
def document(
    case_id: str, number: int, request: Request, me: Worker, db: SessionDep, rt: RuntimeDep, locale: OfficeLocale
) -> Response:
    """One attached document, as a download (never shown inline: a PDF is only checked by its first bytes)."""
    try:
        case = cases.get_case(db, case_id=case_id)
        cases.check_access(db, case, me.member)
    except NotFound:
        return _message(request, me, locale, "bo.error.not_found", 404)
    except Conflict as conflict:
        return _message(request, me, locale, f"bo.conflict.{conflict.reason}", 403)
    files = case_view.documents(case_view.build(db, rt, case))
    if not 1 <= number <= len(files):
        return _message(request, me, locale, "bo.error.not_found", 404)
    chosen = files[number - 1]
    cases.log_document_view(db, rt, case=case, member=me.member, number=number)
    name = f"{case.application.reference}-{chosen.where}-{number}.{EXTENSIONS.get(chosen.media_type, 'bin')}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(base64.b64decode(chosen.data), media_type=chosen.media_type, headers=headers)


def _message(request: Request, me: Staff, locale: str, message: str, status: int) -> Response:
    context = {"me": me, "title": "bo.error.title", "message": message, "back": "/backoffice/home"}
    return render(request, locale, "message.html", context, status=status)


def _act(
    case_id: str,
    request: Request,
    form: dict[str, list[str]],
    me: Staff,
    db: SessionDep,
    rt: RuntimeDep,
    locale: str,
    action: Callable[[Any], None],
) -> Response:
    me.check_csrf(request, form)
    try:
        case = cases.get_case(db, case_id=case_id)
        cases.check_access(db, case, me.member)
    except NotFound:
        return _message(request, me, locale, "bo.error.not_found", 404)
    except Conflict as conflict:
        return _message(request, me, locale, f"bo.conflict.{conflict.reason}", 403)
    try:
        with db.begin_nested():  # a refused action leaves nothing behind, but the page view is still audited
            action(case)
    except InvalidInput as problems:
        return _page(request, me, db, rt, locale, case_id, refused="invalid_input", problems=problems.fields)
    except Conflict as conflict:
        return _page(request, me, db, rt, locale, case_id, refused=conflict.reason)
    except StaleDataError:
        db.expire_all()
        return _page(request, me, db, rt, locale, case_id, refused="changed_meanwhile")
    except DomainError as error:
        return _page(request, me, db, rt, locale, case_id, refused=error.code)
    return RedirectResponse(f"/backoffice/cases/{case_id}", status_code=303)


def _request_information(db: SessionDep, rt: RuntimeDep, case: Any, me: Staff, form: dict[str, list[str]]) -> None:
    questions, message = form.get("questions", []), first(form, "message")
    requests.request_information(db, rt, case=case, member=me.member, questions=questions, message=message)


def _proposal(form: dict[str, list[str]]) -> Proposal:
    try:
        return Proposal(first(form, "proposal"))
    except ValueError:
        raise InvalidInput([FieldProblem("proposal", "invalid_choice")]) from None


@router.post("/cases/{case_id}/{verb}")
def case_action(
    case_id: str,
    verb: str,
    request: Request,
    form: Form,
    me: Worker,
    db: SessionDep,
    rt: RuntimeDep,
    locale: OfficeLocale,
) -> Response:
    member, note = me.member, first(form, "note")
    verbs: dict[str, Callable[[Any], None]] = {
        "claim": lambda case: cases.claim(db, rt, case=case, member=member),
        "release": lambda case: cases.release(db, rt, case=case, member=member),
        "approve": lambda case: decisions.approve(db, rt, case=case, member=member, note=note),
        "propose": lambda case: decisions.propose(
            db, rt, case=case, member=member, proposal=_proposal(form), ground=first(form, "ground"), note=note
        ),
        "confirm": lambda case: decisions.confirm(db, rt, case=case, member=member, note=note),
        "send-back": lambda case: decisions.send_back(db, rt, case=case, member=member, note=note),
        "uphold": lambda case: decisions.uphold(db, rt, case=case, member=member, note=note),
        "request-information": lambda case: _request_information(db, rt, case, me, form),
    }
    action = verbs.get(verb)
    if action is None:
        return _message(request, me, locale, "bo.error.not_found", 404)
    if not me.may(VERB_PERMISSION.get(verb, Permission.WORK_CASES)):
        raise Forbidden()
    return _act(case_id, request, form, me, db, rt, locale, action)
