"""The individual application: form (`/apply`) → confirmation with the fee → sandbox payment → paid.

The submitted application is remembered by a cookie holding its reference and an HMAC of it (keyed
by the data key's index key): the confirmation and payment pages need no passport number in a URL,
and a guessed reference shows nothing.
"""

from __future__ import annotations

import hmac
import json
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from keta.db.models import Application
from keta.db.repositories import applications as repo
from keta.domain.applicant import Employment, Purpose
from keta.domain.errors import Conflict, FieldProblem, InvalidInput, ReapplicationBlocked
from keta.services import payment, submission
from keta.services.payment import PaymentDeclinedError
from keta.services.runtime import Runtime
from keta.web.api.schemas import ApplicationIn
from keta.web.deps import RuntimeDep, SessionDep
from keta.web.i18n import error_message, gettext
from keta.web.idempotency import run_once
from keta.web.portal.formdata import FormData
from keta.web.portal.forms import APPLICATION_FIELDS, FormState, application_body, validate, values_of
from keta.web.portal.rendering import PageLocale, day, money, render

router = APIRouter()
APP_COOKIE = "keta_application"
SANDBOX_TOKEN = "tok_sandbox_ok"  # noqa: S105 — the sandbox provider's documented test token


def _form_context(state: FormState) -> dict[str, Any]:
    return {
        "state": state,
        "purposes": [p.value for p in Purpose],
        "employments": [e.value for e in Employment],
        # A fresh key per rendered form: a double click or a re-sent POST replays the first answer.
        "form_token": uuid.uuid4().hex,
    }


@router.get("/apply")
def application_form(request: Request, locale: PageLocale) -> Response:
    return render(request, locale, "apply.html", _form_context(FormState(values_of({}, APPLICATION_FIELDS))))


@router.post("/apply")
def application_submit(
    request: Request, form: FormData, session: SessionDep, rt: RuntimeDep, locale: PageLocale
) -> Response:
    state = FormState(values_of(form, APPLICATION_FIELDS))
    context = _form_context(state)
    body = validate(ApplicationIn, application_body(state.values, locale), state, locale)
    if body is None and state.values["consent"] != "true":
        state.add(locale, [FieldProblem("consent", "must_be_true")])  # said now, not after the next try
    if body is not None:
        applicant = body.to_domain()

        def work() -> tuple[int, dict[str, object]]:
            application = submission.submit_application(session, rt, applicant=applicant, language=locale)
            return 201, {"reference": application.reference}

        try:
            key = form.get("form_token") or None
            answer = run_once(session, rt, scope="portal:applications", key=key, body=body, locale=locale, work=work)
        except InvalidInput as problem:
            state.add(locale, problem.fields)
        except ReapplicationBlocked as blocked:
            context["error"] = error_message(locale, blocked.code, until=day(blocked.until, locale))
        else:
            if answer.status_code == 201:
                reference = json.loads(bytes(answer.body))["reference"]
                response = RedirectResponse("/apply/confirmation", status_code=303)
                response.set_cookie(APP_COOKIE, _seal(rt, reference), httponly=True, samesite="lax")
                return response
            context["error"] = gettext(locale, "portal.apply.sent_twice")  # same form, changed answers
    session.rollback()  # nothing of a refused form is kept
    return render(request, locale, "apply.html", context, status=422)


def _seal(rt: Runtime, reference: str) -> str:
    return f"{reference}.{rt.keyring.blind_index('portal-application', reference)}"


def _remembered(request: Request, session: Session, rt: Runtime) -> Application | None:
    reference, _, mac = request.cookies.get(APP_COOKIE, "").rpartition(".")
    if not reference or not hmac.compare_digest(_seal(rt, reference), f"{reference}.{mac}"):
        return None
    return repo.by_reference(session, reference)


def _summary(rt: Runtime, application: Application, locale: str) -> dict[str, Any]:
    amount, currency, _ = payment.quote(rt, [application])
    return {
        "reference": application.reference,
        "fee": money(amount, currency, locale),
        "status": application.status,
        "status_text": gettext(locale, f"status.{application.status}"),
        "paid": application.payment_id is not None,
    }


@router.get("/apply/confirmation")
def confirmation(request: Request, session: SessionDep, rt: RuntimeDep, locale: PageLocale) -> Response:
    application = _remembered(request, session, rt)
    if application is None:
        return RedirectResponse("/apply", status_code=303)
    context = {"app": _summary(rt, application, locale), "token": SANDBOX_TOKEN}
    return render(request, locale, "confirmation.html", context)


@router.post("/apply/payment")
def pay(request: Request, form: FormData, session: SessionDep, rt: RuntimeDep, locale: PageLocale) -> Response:
    application = _remembered(request, session, rt)
    if application is None:
        return RedirectResponse("/apply", status_code=303)
    try:
        payment.pay(
            session,
            rt,
            applications=[application],
            token=form.get("token", ""),
            description=f"ETA application {application.reference}",
        )
    except (PaymentDeclinedError, Conflict) as refused:
        session.rollback()
        code = refused.reason if isinstance(refused, Conflict) else refused.code
        context = {"app": _summary(rt, application, locale), "token": SANDBOX_TOKEN}
        context["error"] = error_message(locale, code)
        return render(request, locale, "confirmation.html", context, status=402)
    return RedirectResponse("/apply/paid", status_code=303)


@router.get("/apply/paid")
def paid(request: Request, session: SessionDep, rt: RuntimeDep, locale: PageLocale) -> Response:
    application = _remembered(request, session, rt)
    if application is None:
        return RedirectResponse("/apply", status_code=303)
    return render(request, locale, "paid.html", {"app": _summary(rt, application, locale)})
