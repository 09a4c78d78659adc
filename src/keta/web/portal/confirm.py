"""After the application: confirmation with the fee → the provider's checkout → back to keta.

The submitted application is remembered by a cookie holding its reference and an HMAC of it (keyed
by the data key's index key): the confirmation and payment pages need no passport number in a URL,
and a guessed reference shows nothing.

"Pay" starts a checkout and sends the browser to the provider's page (the sandbox's own page in
development). The provider sends it back to `/apply/paid`, which only *shows* the state: paid once
the provider's signed webhook said so, "being confirmed" until then, or declined (pay again).
"""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from keta.db.models import Application
from keta.db.repositories import applications as repo
from keta.db.repositories import payments as payments_repo
from keta.domain.applications import Status
from keta.domain.errors import Conflict
from keta.i18n import error_message, gettext, reason_message
from keta.services import checkout, payment
from keta.services.payment import PaymentUnavailable
from keta.services.runtime import Runtime
from keta.web.deps import RuntimeDep, SessionDep, absolute_url
from keta.web.portal import cookies
from keta.web.portal.facts import payment_facts, processing_hours
from keta.web.portal.formdata import form_data
from keta.web.portal.rendering import PageLocale, money, render

router = APIRouter()
APP_COOKIE = "keta_application"


def seal(rt: Runtime, reference: str, cookie: str) -> str:
    """The cookie's value: the reference and an HMAC of it bound to the cookie's purpose."""
    return f"{reference}.{rt.keyring.blind_index(cookie, reference)}"


def remembered_reference(request: Request, rt: Runtime, cookie: str) -> str | None:
    reference, _, mac = (cookies.read(request, cookie) or "").rpartition(".")
    # Sealed under any key of the keyring: a cookie set just before a key rotation still works.
    if not reference or not any(hmac.compare_digest(ok, mac) for ok in rt.keyring.blind_indexes(cookie, reference)):
        return None
    return reference


def refusal_message(locale: str, refused: PaymentUnavailable | Conflict) -> str:
    """Why no checkout was opened: nothing (left) to pay, or the provider did not answer."""
    return error_message(locale, refused.reason if isinstance(refused, Conflict) else refused.code)


def refusal_status(refused: PaymentUnavailable | Conflict) -> int:
    return 503 if isinstance(refused, PaymentUnavailable) else 409


def payment_state(session: Session, applications: list[Application]) -> str:
    """paid | pending | declined | unpaid — what the return page shows, never what it decides."""
    current = [a for a in applications if a.status != Status.WITHDRAWN]
    if not current:
        return "unpaid"
    if all(a.payment_id is not None for a in current):
        return "paid"
    latest = payments_repo.latest_for(session, current[0].id)
    return latest.status if latest is not None and latest.status in ("pending", "declined") else "unpaid"


def _remembered(request: Request, session: Session, rt: Runtime) -> Application | None:
    reference = remembered_reference(request, rt, APP_COOKIE)
    return repo.by_reference(session, reference) if reference else None


def _summary(rt: Runtime, application: Application, locale: str) -> dict[str, Any]:
    amount, currency, _ = payment.quote(rt, [application])
    applied_on, nationality = application.applied_on, application.nationality
    return {
        "facts": payment_facts(rt.policy, applied_on=applied_on, nationalities=[nationality], locale=locale),
        "exempt": exempt_note(application, locale),
        "processing_hours": processing_hours(rt.policy, rt.today()),
        "reference": application.reference,
        "fee": money(amount, currency, locale),
        "status": application.status,
        "status_text": gettext(locale, f"status.{application.status}"),
        "paid": application.payment_id is not None,
    }


def exempt_note(application: Application, locale: str) -> str | None:
    """Said before paying for someone who needs no authorization for this trip (a voluntary one)."""
    if application.eligibility_outcome != "exempt":
        return None
    reasons = " ".join(reason_message(locale, code) for code in application.eligibility_reasons)
    return gettext(locale, "portal.facts.exempt", reasons=reasons)


def _confirmation(request: Request, rt: Runtime, application: Application, locale: str, **extra: Any) -> Response:
    status = extra.pop("status", 200)
    return render(
        request, locale, "confirmation.html", {"app": _summary(rt, application, locale), **extra}, status=status
    )


@router.get("/apply/confirmation")
def confirmation(request: Request, session: SessionDep, rt: RuntimeDep, locale: PageLocale) -> Response:
    application = _remembered(request, session, rt)
    if application is None:
        return RedirectResponse("/apply", status_code=303)
    return _confirmation(request, rt, application, locale)


@router.post("/apply/payment", dependencies=[Depends(form_data)])  # CSRF checked there
def pay(request: Request, session: SessionDep, rt: RuntimeDep, locale: PageLocale) -> Response:
    application = _remembered(request, session, rt)
    if application is None:
        return RedirectResponse("/apply", status_code=303)
    try:
        started = checkout.start_checkout(
            session,
            rt,
            applications=[application],
            description=f"ETA application {application.reference}",
            return_url=absolute_url(request, "/apply/paid"),
        )
    except (PaymentUnavailable, Conflict) as refused:
        session.rollback()
        error = refusal_message(locale, refused)
        return _confirmation(request, rt, application, locale, error=error, status=refusal_status(refused))
    return RedirectResponse(started.payment.checkout_url or "/apply/paid", status_code=303)


@router.get("/apply/paid")
def paid(request: Request, session: SessionDep, rt: RuntimeDep, locale: PageLocale) -> Response:
    """Where the provider sends the traveller back: shows the state, changes nothing."""
    application = _remembered(request, session, rt)
    if application is None:
        return RedirectResponse("/apply", status_code=303)
    state = payment_state(session, [application])
    if state == "declined":
        error = error_message(locale, "payment_declined")
        return _confirmation(request, rt, application, locale, error=error, status=402)
    if state == "unpaid":
        return RedirectResponse("/apply/confirmation", status_code=303)
    context = {"app": _summary(rt, application, locale), "pending": state == "pending"}
    return render(request, locale, "paid.html", context)
