"""Individual applications: submit (with or without the face photo), add the photo, pay, look up,
withdraw, update travel details.

The photo comes base64 in the JSON body (`photo_base64`) or as a `photo` file part of a multipart
body (keta.web.photo_parts), and is checked exactly as the portal checks an upload. An application
submitted without one is saved but waits for it (`waiting_for: ["photo", …]`): it cannot be paid for,
so it is not screened, until `PUT /applications/{reference}/photo` adds it.

Look-ups take the passport number in the body (POST), never in the URL, so it does not end up in
access logs, browser history or proxies.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from keta.domain.errors import Conflict
from keta.i18n import KNOWN_LOCALES
from keta.services import changes, readiness, status, submission
from keta.web import throttle
from keta.web.checkouts import start_checkout
from keta.web.deps import LocaleDep, RuntimeDep, SessionDep
from keta.web.filing import add_photo, submit_photo, submitted_out
from keta.web.idempotency import IdempotencyKey, run_once
from keta.web.openapi import also, api_errors, error_responses
from keta.web.photo_parts import PhotoPartsRoute
from keta.web.responses import ApplicationOut, PaymentOut, PhotoAddedOut, SubmittedOut, UpdatedOut
from keta.web.schemas import (
    ApplicationIn,
    ApplicationPaymentIn,
    PassportProof,
    PhotoIn,
    Reference,
    TravelUpdateIn,
)
from keta.web.uploads_openapi import with_photo_parts

router = APIRouter(tags=["applications"], route_class=PhotoPartsRoute)

SUBMIT_RESPONSES = api_errors(409, 429) | error_responses(
    {
        409: "the re-application cap applies (`reapplication_cap_reached`, with the date it lifts)",
        413: "the body is larger than the route allows (one photo at the policy's limit, base64)",
        422: "a field is wrong, each named in `fields` (`photo_base64` or `photo` for the photo: "
        "`photo_no_face`, `photo_several_faces`, `photo_too_large`, `photo_wrong_format`, …); nothing is saved",
    }
)
PHOTO_RESPONSES = api_errors(404, 409, 429) | error_responses(
    {
        404: "no application with this reference and passport number",
        409: "the application no longer waits for a photo (`photo_not_needed`: paid, decided or withdrawn)",
        413: "the body is larger than one photo at the policy's limit",
        422: "the photo is refused, named in `fields` as `photo_base64` or `photo`; nothing changes",
    }
)
PAY_RESPONSES = (
    also(200, PaymentOut, "the checkout already open, again")
    | api_errors(404, 409, 429, 503)
    | error_responses(
        {
            404: "no application with this reference and passport number",
            409: "not payable: `photo_required` (the face photo is missing), `already_paid`, `not_payable`, "
            "`pay_as_group`",
            422: "a field is wrong, each named in `fields`",
        }
    )
)


@router.post(
    "/applications",
    status_code=201,
    response_model=SubmittedOut,
    responses=SUBMIT_RESPONSES,
    dependencies=[Depends(throttle.submissions)],
    openapi_extra=with_photo_parts("ApplicationIn", "application", {"photo": "the face photo (JPEG or PNG)"}),
)
def submit(
    request: Request,
    body: ApplicationIn,
    session: SessionDep,
    rt: RuntimeDep,
    locale: LocaleDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """JSON, or multipart with the JSON in an `application` part and the photo in a `photo` part."""
    language = body.language if body.language in KNOWN_LOCALES else locale
    photo = submit_photo(request, rt, body)  # before the transaction opens

    def work() -> tuple[int, dict[str, object]]:
        application = submission.submit_application(
            session, rt, applicant=body.to_domain(), language=language, photo=photo
        )
        return 201, submitted_out(rt, application, locale).model_dump(mode="json")

    return run_once(session, rt, scope="applications", key=idempotency_key, body=body, locale=locale, work=work)


@router.put(
    "/applications/{reference}/photo",
    response_model=PhotoAddedOut,
    responses=PHOTO_RESPONSES,
    dependencies=[Depends(throttle.lookups)],
    openapi_extra=with_photo_parts("PhotoIn", None, {"photo": "the face photo (JPEG or PNG)"}),
)
def put_photo(
    request: Request, reference: Reference, body: PhotoIn, session: SessionDep, rt: RuntimeDep
) -> PhotoAddedOut:
    """Add the face photo an application (or a group member) was submitted without: JSON
    `{"passport_number", "photo_base64"}`, or multipart with `passport_number` and a `photo` file."""
    photo = submit_photo(request, rt, body)  # checked first, before the transaction opens
    assert photo is not None  # the field is required
    application = status.find_application(session, rt, reference=reference, passport_number=body.passport_number)
    add_photo(rt, application, photo)
    session.flush()
    return PhotoAddedOut(
        reference=application.reference,
        status=application.status,
        waiting_for=readiness.waiting_for(rt, application),
    )


@router.post(
    "/applications/{reference}/payment",
    status_code=201,
    response_model=PaymentOut,
    responses=PAY_RESPONSES,
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
        return start_checkout(
            request, session, rt, return_url=body.return_url, applications=[application], description=description
        )

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
