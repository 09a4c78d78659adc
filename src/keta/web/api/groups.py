"""Group applications: one representative files for 1–50 people and pays once."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from keta.i18n import KNOWN_LOCALES
from keta.services import payment, status, submission
from keta.web import throttle
from keta.web.api.applications import IdempotencyKey, start_checkout
from keta.web.api.responses import FeeOut, GroupOut, GroupSubmittedOut, MemberRefOut, PaymentOut
from keta.web.api.schemas import EmailProof, GroupIn, GroupPaymentIn, Reference
from keta.web.deps import LocaleDep, RuntimeDep, SessionDep
from keta.web.idempotency import run_once
from keta.web.openapi import also, api_errors
from keta.web.strict_json import StrictJsonRoute

router = APIRouter(tags=["groups"], route_class=StrictJsonRoute)


@router.post(
    "/groups",
    status_code=201,
    response_model=GroupSubmittedOut,
    responses=api_errors(409, 429),
    dependencies=[Depends(throttle.submissions)],
)
def submit_group(
    body: GroupIn, session: SessionDep, rt: RuntimeDep, locale: LocaleDep, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    language = body.language if body.language in KNOWN_LOCALES else locale
    rep = body.representative

    def work() -> tuple[int, dict[str, object]]:
        group = submission.submit_group(
            session,
            rt,
            members=[m.to_domain() for m in body.members],
            language=language,
            representative=submission.Representative(rep.surname, rep.given_names, str(rep.email), rep.phone),
        )
        fee = FeeOut.of(payment.quote(rt, list(group.members)))
        out = GroupSubmittedOut(
            reference=group.reference,
            members=[MemberRefOut(index=m.member_index or 0, reference=m.reference) for m in group.members],
            fee=fee,
        )
        return 201, out.model_dump(mode="json")

    return run_once(session, rt, scope="groups", key=idempotency_key, body=body, locale=locale, work=work)


@router.post(
    "/groups/{reference}/payment",
    status_code=201,
    response_model=PaymentOut,
    responses={**also(200, PaymentOut, "the checkout already open, again"), **api_errors(404, 409, 429, 503)},
    dependencies=[Depends(throttle.payments)],
)
def pay_group(
    request: Request,
    reference: Reference,
    body: GroupPaymentIn,
    session: SessionDep,
    rt: RuntimeDep,
    locale: LocaleDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """One checkout for every member still waiting for the fee (withdrawn members are not charged)."""

    def work() -> tuple[int, dict[str, object]]:
        group = status.find_group(session, rt, reference=reference, email=str(body.email))
        members = list(group.members)
        description = f"ETA group {group.reference} ({len(members)} persons)"
        return start_checkout(request, session, rt, body, members, description)

    return run_once(session, rt, scope=f"payment:{reference}", key=idempotency_key, body=body, locale=locale, work=work)


@router.post(
    "/groups/{reference}/lookup",
    response_model=GroupOut,
    responses=api_errors(404, 429),
    dependencies=[Depends(throttle.lookups)],
)
def lookup_group(
    reference: Reference, body: EmailProof, session: SessionDep, rt: RuntimeDep, locale: LocaleDep
) -> GroupOut:
    group = status.find_group(session, rt, reference=reference, email=str(body.email))
    return GroupOut.of(status.group_view(rt, group), locale)
