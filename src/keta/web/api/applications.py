"""Individual applications: submit, pay, look up, withdraw, update travel details.

Look-ups take the passport number in the body (POST), never in the URL, so it does not end up in
access logs, browser history or proxies.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from keta.db.models import Application
from keta.domain.errors import Conflict
from keta.i18n import KNOWN_LOCALES
from keta.services import changes, checkout, payment, status, submission
from keta.services.runtime import Runtime
from keta.web import throttle
from keta.web.api.responses import ApplicationOut, FeeOut, PaymentOut, SubmittedOut, UpdatedOut, reasons_out
from keta.web.api.schemas import (
    ApplicationIn,
    ApplicationPaymentIn,
    CheckoutIn,
    PassportProof,
    Reference,
    TravelUpdateIn,
)
from keta.web.deps import LocaleDep, RuntimeDep, SessionDep, absolute_url
from keta.web.idempotency import run_once
from keta.web.openapi import also, api_errors
from keta.web.strict_json import StrictJsonRoute

router = APIRouter(tags=["applications"], route_class=StrictJsonRoute)
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]


@router.post(
    "/applications",
    status_code=201,
    response_model=SubmittedOut,
    responses=api_errors(409, 429),
    dependencies=[Depends(throttle.submissions)],
)
def submit(
    body: ApplicationIn, session: SessionDep, rt: RuntimeDep, locale: LocaleDep, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    language = body.language if body.language in KNOWN_LOCALES else locale

    def work() -> tuple[int, dict[str, object]]:
        application = submission.submit_application(session, rt, applicant=body.to_domain(), language=language)
        fee = FeeOut.of(payment.quote(rt, [application]))
        out = SubmittedOut(
            reference=application.reference,
            status=application.status,
            eligibility=application.eligibility_outcome,
            reasons=reasons_out(application.eligibility_reasons, locale),
            fee=fee,
        )
        return 201, out.model_dump(mode="json")

    return run_once(session, rt, scope="applications", key=idempotency_key, body=body, locale=locale, work=work)


def start_checkout(
    request: Request, session: Session, rt: Runtime, body: CheckoutIn, applications: list[Application], description: str
) -> tuple[int, dict[str, object]]:
    """201 and a new checkout, or 200 and the open one; nothing is paid until the provider's webhook."""
    started = checkout.start_checkout(
        session,
        rt,
        applications=applications,
        description=description,
        return_url=body.return_url or absolute_url(request, "/status"),
    )
    url = absolute_url(request, started.payment.checkout_url or "")
    out = PaymentOut.of(started.payment, started.applications, checkout_url=url, sandbox=rt.payments.sandbox)
    return (201 if started.created else 200), out.model_dump(mode="json")


@router.post(
    "/applications/{reference}/payment",
    status_code=201,
    response_model=PaymentOut,
    responses={**also(200, PaymentOut, "the checkout already open, again"), **api_errors(404, 409, 429, 503)},
    dependencies=[Depends(throttle.payments)],
)
def pay(
    request: Request,
    reference: Reference,
    body: ApplicationPaymentIn,
    session: SessionDep,
    rt: RuntimeDep,
    locale: LocaleDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Start the payment: answers the provider's `checkout_url` to send the traveller to."""

    def work() -> tuple[int, dict[str, object]]:
        application = status.find_application(session, rt, reference=reference, passport_number=body.passport_number)
        if application.group_id is not None:
            raise Conflict("pay_as_group")
        description = f"ETA application {application.reference}"
        return start_checkout(request, session, rt, body, [application], description)

    return run_once(session, rt, scope=f"payment:{reference}", key=idempotency_key, body=body, locale=locale, work=work)


@router.post(
    "/applications/{reference}/lookup",
    response_model=ApplicationOut,
    responses=api_errors(404, 429),
    dependencies=[Depends(throttle.lookups)],
)
def lookup(
    reference: Reference, body: PassportProof, session: SessionDep, rt: RuntimeDep, locale: LocaleDep
) -> ApplicationOut:
    application = status.find_application(session, rt, reference=reference, passport_number=body.passport_number)
    return ApplicationOut.of(status.view(rt, application), locale)


@router.post(
    "/applications/{reference}/withdraw",
    response_model=ApplicationOut,
    responses=api_errors(404, 409, 429),
    dependencies=[Depends(throttle.lookups)],
)
def withdraw(
    reference: Reference, body: PassportProof, session: SessionDep, rt: RuntimeDep, locale: LocaleDep
) -> ApplicationOut:
    application = status.find_application(session, rt, reference=reference, passport_number=body.passport_number)
    changes.withdraw(rt, application)
    session.flush()
    return ApplicationOut.of(status.view(rt, application), locale)


@router.patch(
    "/applications/{reference}/travel",
    response_model=UpdatedOut,
    responses=api_errors(404, 409, 429),
    dependencies=[Depends(throttle.lookups)],
)
def update_travel(reference: Reference, body: TravelUpdateIn, session: SessionDep, rt: RuntimeDep) -> UpdatedOut:
    application = status.find_application(session, rt, reference=reference, passport_number=body.passport_number)
    update = changes.TravelUpdate(
        arrival_date=body.arrival_date,
        address_in_korea=body.address_in_korea,
        flight_number=body.flight_number,
        email=str(body.email) if body.email else None,
        phone=body.phone,
    )
    changed = changes.update_travel(session, rt, application=application, update=update)
    session.flush()
    return UpdatedOut(reference=application.reference, status=application.status, changed=changed)
