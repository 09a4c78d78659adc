"""After the application: confirmation with the fee → sandbox payment → paid.

The submitted application is remembered by a cookie holding its reference and an HMAC of it (keyed
by the data key's index key): the confirmation and payment pages need no passport number in a URL,
and a guessed reference shows nothing.
"""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from keta.db.models import Application
from keta.db.repositories import applications as repo
from keta.domain.errors import Conflict
from keta.i18n import error_message, gettext
from keta.services import payment
from keta.services.payment import PaymentDeclinedError
from keta.services.runtime import Runtime
from keta.web.deps import RuntimeDep, SessionDep
from keta.web.portal.formdata import FormData
from keta.web.portal.rendering import PageLocale, money, render

router = APIRouter()
APP_COOKIE = "keta_application"
SANDBOX_TOKEN = "tok_sandbox_ok"  # noqa: S105 — the sandbox provider's documented test token


def seal(rt: Runtime, reference: str, cookie: str) -> str:
    """The cookie's value: the reference and an HMAC of it bound to the cookie's purpose."""
    return f"{reference}.{rt.keyring.blind_index(cookie, reference)}"


def remembered_reference(request: Request, rt: Runtime, cookie: str) -> str | None:
    reference, _, mac = request.cookies.get(cookie, "").rpartition(".")
    if not reference or not hmac.compare_digest(seal(rt, reference, cookie), f"{reference}.{mac}"):
        return None
    return reference


def refusal_message(locale: str, refused: PaymentDeclinedError | Conflict) -> str:
    """Why a payment was not taken: the card was declined, or there is nothing (left) to pay."""
    return error_message(locale, refused.reason if isinstance(refused, Conflict) else refused.code)


def _remembered(request: Request, session: Session, rt: Runtime) -> Application | None:
    reference = remembered_reference(request, rt, APP_COOKIE)
    return repo.by_reference(session, reference) if reference else None


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
        context = {"app": _summary(rt, application, locale), "token": SANDBOX_TOKEN}
        context["error"] = refusal_message(locale, refused)
        return render(request, locale, "confirmation.html", context, status=402)
    return RedirectResponse("/apply/paid", status_code=303)


@router.get("/apply/paid")
def paid(request: Request, session: SessionDep, rt: RuntimeDep, locale: PageLocale) -> Response:
    application = _remembered(request, session, rt)
    if application is None:
        return RedirectResponse("/apply", status_code=303)
    return render(request, locale, "paid.html", {"app": _summary(rt, application, locale)})
