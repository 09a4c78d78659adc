"""Individual applications: submit, pay, look up, withdraw, update travel details.

Look-ups take the passport number in the body (POST), never in the URL, so it does not end up in
access logs, browser history or proxies.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse

from keta.domain.errors import Conflict
from keta.i18n import KNOWN_LOCALES
from keta.services import changes, payment, status, submission
from keta.web.api.responses import ApplicationOut, FeeOut, PaymentOut, SubmittedOut, UpdatedOut, reasons_out
from keta.web.api.schemas import ApplicationIn, ApplicationPaymentIn, PassportProof, TravelUpdateIn
from keta.web.deps import LocaleDep, RuntimeDep, SessionDep
from keta.web.idempotency import run_once

router = APIRouter(tags=["applications"])
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]


@router.post("/applications", status_code=201, response_model=SubmittedOut)
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


@router.post("/applications/{reference}/payment", status_code=201, response_model=PaymentOut)
def pay(
    reference: str,
    body: ApplicationPaymentIn,
    session: SessionDep,
    rt: RuntimeDep,
    locale: LocaleDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    def work() -> tuple[int, dict[str, object]]:
        application = status.find_application(session, rt, reference=reference, passport_number=body.passport_number)
        if application.group_id is not None:
            raise Conflict("pay_as_group")
        done = payment.pay(
            session,
            rt,
            applications=[application],
            token=body.token,
            description=f"ETA application {application.reference}",
        )
        out = PaymentOut.of(done, [application])
        return 201, out.model_dump(mode="json")

    return run_once(session, rt, scope=f"payment:{reference}", key=idempotency_key, body=body, locale=locale, work=work)


@router.post("/applications/{reference}/lookup", response_model=ApplicationOut)
def lookup(
    reference: str, body: PassportProof, session: SessionDep, rt: RuntimeDep, locale: LocaleDep
) -> ApplicationOut:
    application = status.find_application(session, rt, reference=reference, passport_number=body.passport_number)
    return ApplicationOut.of(status.view(rt, application), locale)


@router.post("/applications/{reference}/withdraw", response_model=ApplicationOut)
def withdraw(
    reference: str, body: PassportProof, session: SessionDep, rt: RuntimeDep, locale: LocaleDep
) -> ApplicationOut:
    application = status.find_application(session, rt, reference=reference, passport_number=body.passport_number)
    changes.withdraw(rt, application)
    session.flush()
    return ApplicationOut.of(status.view(rt, application), locale)


@router.patch("/applications/{reference}/travel", response_model=UpdatedOut)
def update_travel(reference: str, body: TravelUpdateIn, session: SessionDep, rt: RuntimeDep) -> UpdatedOut:
    application = status.find_application(session, rt, reference=reference, passport_number=body.passport_number)
    update = changes.TravelUpdate(
        arrival_date=body.arrival_date,
        address_in_korea=body.address_in_korea,
        flight_number=body.flight_number,
        email=str(body.email) if body.email else None,
        phone=body.phone,
    )
    changed = changes.update_travel(rt, application, update)
    session.flush()
    return UpdatedOut(reference=application.reference, status=application.status, changed=changed)
