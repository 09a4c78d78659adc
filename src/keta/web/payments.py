"""The payment provider's side of keta: the signed webhook, and the sandbox's checkout page.

`POST /payments/webhook` is for the provider only: a JSON body of at most 64 KiB, accepted when its
signature verifies (keta.services.payment_events). It is not a portal form and has no cookie; the
signature is its only credential.

`/sandbox/checkout/<reference>` exists only while the sandbox provider is active (development and
tests): it stands in for a gateway's card page, with "Pay (sandbox)" and "Decline (sandbox)" as
plain form buttons. Its link and form carry the sandbox's HMAC of the checkout, so a page cannot be
made up for another amount or return address, nor its form posted from another site.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from keta.adapters.payments import SandboxPayments
from keta.domain.errors import NotFound
from keta.services import payment_events
from keta.services.runtime import Runtime
from keta.web.deps import RuntimeDep, SessionDep
from keta.web.openapi import API_ERRORS, error_responses
from keta.web.portal.csrf import verify as verify_csrf
from keta.web.portal.formdata import guard_fields
from keta.web.portal.rendering import PageLocale, money, render

MAX_WEBHOOK_BYTES = 64 * 1024


class WebhookOut(BaseModel):
    result: str = Field(description="what the event did: `captured`, `declined`, `ignored`, `unapplied` or `replayed`")


router = APIRouter(tags=["payments"])
sandbox_router = APIRouter(include_in_schema=False)


async def webhook_body(request: Request) -> bytes:
    """The raw body (the signature covers its exact bytes), refused past 64 KiB without reading on."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_WEBHOOK_BYTES:
        raise HTTPException(413)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_WEBHOOK_BYTES:
            raise HTTPException(413)
    return bytes(body)


WebhookBody = Annotated[bytes, Depends(webhook_body)]


@router.post(
    "/payments/webhook",
    summary="Payment provider events (signed; for the provider only)",
    responses={
        200: {"model": WebhookOut, "description": "the event was taken (or had been already)"},
        **error_responses({status: API_ERRORS[status] for status in (400, 404, 408, 409, 413)}),
    },
)
def webhook(request: Request, body: WebhookBody, session: SessionDep, rt: RuntimeDep) -> JSONResponse:
    result = payment_events.receive_webhook(session, rt, headers=dict(request.headers), raw_body=body)
    return JSONResponse({"result": result})


def _sandbox(rt: Runtime) -> SandboxPayments:
    assert isinstance(rt.payments, SandboxPayments)  # the routes exist only with the sandbox
    return rt.payments


def _checked(rt: Runtime, reference: str, sig: str, amount: str, currency: str, return_url: str) -> None:
    if not _sandbox(rt).token_is_valid(reference, sig, amount=amount, currency=currency, return_url=return_url):
        raise NotFound()


@sandbox_router.get("/sandbox/checkout/{reference}")
def sandbox_page(
    request: Request, reference: str, rt: RuntimeDep, locale: PageLocale, amount: str, currency: str, sig: str
) -> Response:
    return_url = request.query_params.get("return", "")
    _checked(rt, reference, sig, amount, currency, return_url)
    context = {
        "reference": reference,
        "fee": money(Decimal(amount), currency, locale),
        "fields": {"amount": amount, "currency": currency, "return": return_url, "sig": sig},
    }
    return render(request, locale, "sandbox_checkout.html", context)


async def sandbox_form(request: Request) -> None:
    """The sandbox page posts like a portal form: CSRF and the text guard, on the form FastAPI read."""
    form = await request.form()
    fields = {name: value for name, value in form.multi_items() if isinstance(value, str)}
    verify_csrf(request, fields)
    guard_fields(fields)


@sandbox_router.post("/sandbox/checkout/{reference}", dependencies=[Depends(sandbox_form)])
def sandbox_pay(
    reference: str,
    session: SessionDep,
    rt: RuntimeDep,
    outcome: Annotated[Literal["captured", "declined"], Form()],
    amount: Annotated[str, Form(max_length=24)],
    currency: Annotated[str, Form(max_length=3)],
    return_url: Annotated[str, Form(alias="return", max_length=2000)],
    sig: Annotated[str, Form(max_length=64)],
) -> Response:
    _checked(rt, reference, sig, amount, currency, return_url)
    payment_events.settle_in_sandbox(
        session, rt, provider_reference=reference, outcome=outcome, amount=Decimal(amount), currency=currency
    )
    return RedirectResponse(return_url, status_code=303)
