"""The traveller's answers to an officer, from the status page: answering a request for information
(`POST /status/answer`) and asking for a review of a refusal (`POST /status/redress`), each with up
to three documents; then a confirmation page (`GET /status/sent`, POST-redirect-GET).

Both forms carry the sealed token of the look-up (see status_token), never the passport number.
Every problem is said next to its input in the page's language and nothing is saved; a token that
is missing, expired or not ours sends the traveller back to the look-up.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from keta.db.models import Application
from keta.domain.attachments import MAX_ATTACHMENT_MB, check_attachment, stored_attachment
from keta.domain.errors import Conflict, FieldProblem, InvalidInput
from keta.i18n import error_message, gettext
from keta.services import requests
from keta.services.runtime import Runtime
from keta.web.deps import RuntimeDep, SessionDep
from keta.web.portal import cookies, status_token
from keta.web.portal.forms import FormState, values_of
from keta.web.portal.pages import STATUS_FIELDS
from keta.web.portal.rendering import PageLocale, number, render
from keta.web.portal.status_view import application_context
from keta.web.portal.uploads import DOCUMENTS, Upload, read_upload

router = APIRouter()
SENT = {
    "answer": "portal.status.sent_answer",
    "redress": "portal.status.sent_redress",
    "travel": "portal.manage.travel_saved",  # the self-service pages (manage.py) end here too
    "withdraw": "portal.manage.withdrawn",
}
Act = Callable[[Application, str, list[dict[str, Any]]], object]


async def follow_up_form(request: Request) -> Upload:
    return await read_upload(request, max_files=len(DOCUMENTS), max_fields=10)


FollowUpForm = Annotated[Upload, Depends(follow_up_form)]


def back_to_lookup(request: Request, locale: str) -> Response:
    state = FormState(values_of({}, STATUS_FIELDS))
    context = {"state": state, "look_up_again": gettext(locale, "portal.status.look_up_again")}
    return render(request, locale, "status.html", context, status=403)


def _text(upload: Upload, name: str, state: FormState, locale: str) -> str:
    # Browsers send a textarea's line breaks as CRLF but count them as one character against maxlength.
    text = upload.fields.get(name, "").replace("\r\n", "\n").strip()
    state.values[name] = text
    if not text:
        state.add(locale, [FieldProblem(name, "required")])
    elif len(text) > requests.MAX_TEXT:
        state.add(locale, [FieldProblem(name, "text_too_long", (("max", number(requests.MAX_TEXT, locale)),))])
    return text


def _documents(upload: Upload, state: FormState, locale: str) -> list[dict[str, Any]]:
    kept: list[dict[str, Any]] = []
    for name in DOCUMENTS:
        data = upload.files.get(name)
        if data is None:
            continue
        check = check_attachment(data)
        if check.problem is not None or check.media_type is None:
            state.add(locale, [FieldProblem(name, check.problem or "generic", (("max", MAX_ATTACHMENT_MB),))])
        else:
            kept.append(stored_attachment(data, check.media_type))
    return kept


def _act(
    request: Request,
    upload: Upload,
    session: Session,
    rt: Runtime,
    locale: str,
    *,
    kind: str,
    text_input: str,
    act: Act,
) -> Response:
    token = upload.fields.get("token", "")
    application = status_token.application_for(session, rt, token)
    if application is None:
        return back_to_lookup(request, locale)
    state = FormState(values_of({}, STATUS_FIELDS))
    text = _text(upload, text_input, state, locale)
    documents = _documents(upload, state, locale)
    refusal = None
    if not state.errors:
        try:
            act(application, text, documents)
        except InvalidInput as problems:
            state.add(locale, problems.fields)
        except Conflict as conflict:
            refusal = error_message(locale, conflict.reason)
        else:
            return sent_page(request, rt, application, kind)
    session.rollback()  # nothing of a refused attempt is kept
    context = {"state": state, **application_context(session, rt, application, locale, token=token)}
    context.update(follow_error=refusal, follow_form=kind)
    return render(request, locale, "status.html", context, status=409 if refusal else 422)


def sent_page(request: Request, rt: Runtime, application: Application, kind: str) -> Response:
    """POST-redirect-GET to the status page saying what was just done (`kind`, a key of SENT)."""
    sent = RedirectResponse("/status/sent", status_code=303)
    lifetime = int(status_token.TOKEN_LIFETIME.total_seconds())
    sealed = status_token.issue(rt, application, sent=kind)
    cookies.put(sent, request, status_token.SENT_COOKIE, sealed, max_age=lifetime, path="/status", samesite="strict")
    return sent


@router.post("/status/answer")
def answer(request: Request, upload: FollowUpForm, session: SessionDep, rt: RuntimeDep, locale: PageLocale) -> Response:
    def act(application: Application, text: str, documents: list[dict[str, Any]]) -> None:
        requests.answer_information(session, rt, application=application, text=text, documents=documents)

    return _act(request, upload, session, rt, locale, kind="answer", text_input="answer", act=act)


@router.post("/status/redress")
def redress(
    request: Request, upload: FollowUpForm, session: SessionDep, rt: RuntimeDep, locale: PageLocale
) -> Response:
    def act(application: Application, text: str, documents: list[dict[str, Any]]) -> object:
        return requests.ask_redress(session, rt, application=application, reasons=text, documents=documents)

    return _act(request, upload, session, rt, locale, kind="redress", text_input="reasons", act=act)


@router.get("/status/sent")
def sent(request: Request, session: SessionDep, rt: RuntimeDep, locale: PageLocale) -> Response:
    value = status_token.opened(rt, cookies.read(request, status_token.SENT_COOKIE, path="/status") or "")
    application = session.get(Application, uuid.UUID(value["application"])) if value else None
    if value is None or application is None or value.get("sent") not in SENT:
        return RedirectResponse("/status", status_code=303)
    state = FormState(values_of({}, STATUS_FIELDS))
    context = {"state": state, **application_context(session, rt, application, locale)}
    context["sent"] = gettext(locale, SENT[value["sent"]])
    return render(request, locale, "status.html", context)
