"""/api/v1/agency/applications — an accredited agency files one customer's application.

Same body, photo rules and checks as POST /api/v1/applications; the answer's `waiting_for` starts
with `applicant_confirmation`: the customer gets an e-mail with a link to confirm (or refuse) what
was filed in their name. Only then can the agency pay (…/payment, a checkout of the same payment
provider as every payment), and only a paid application is screened.

An agency sees and changes only what it filed: another agency's reference is not found (404).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from keta.db.models import Application
from keta.db.repositories import agencies as repo
from keta.domain.errors import Conflict, NotFound
from keta.i18n import KNOWN_LOCALES
from keta.services import agency_filing, readiness, status
from keta.services.agency_keys import AgencyPrincipal
from keta.services.references import normalize_reference
from keta.web.agency.auth import AgencyDep, AgencyRoute
from keta.web.agency.docs import FILE_RESPONSES, PAY_RESPONSES, PHOTO_RESPONSES, READ_RESPONSES
from keta.web.checkouts import start_checkout
from keta.web.deps import LocaleDep, RuntimeDep, SessionDep, absolute_url
from keta.web.filing import add_photo, submit_photo, submitted_out
from keta.web.idempotency import IdempotencyKey, run_once
from keta.web.responses import ApplicationOut, PaymentOut, PhotoAddedOut, SubmittedOut
from keta.web.schemas import ApplicationIn, CheckoutIn, PhotoOnlyIn, Reference
from keta.web.uploads_openapi import with_photo_parts

router = APIRouter(prefix="/agency", tags=["agency"], route_class=AgencyRoute)
CONFIRM_PATH = "/filing/confirm"  # the portal page the e-mailed link opens


def filed(session: Session, agency: AgencyPrincipal, reference: str) -> Application:
    application = repo.filed_application(session, agency.id, normalize_reference(reference))
    if application is None or application.purged_at is not None:
        raise NotFound()
    return application


@router.post(
    "/applications",
    status_code=201,
    response_model=SubmittedOut,
    responses=FILE_RESPONSES,
    openapi_extra=with_photo_parts("ApplicationIn", "application", {"photo": "the face photo (JPEG or PNG)"}),
    summary="File an application for a customer",
)
def file_application(
    request: Request,
    agency: AgencyDep,
    body: ApplicationIn,
    session: SessionDep,
    rt: RuntimeDep,
    locale: LocaleDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """JSON, or multipart with the JSON in an `application` part and the photo in a `photo` part.
    The customer's e-mail address (`email`) receives the confirmation link, in `language`."""
    language = body.language if body.language in KNOWN_LOCALES else locale
    photo = submit_photo(request, rt, body)  # before the transaction opens

    def work() -> tuple[int, dict[str, object]]:
        application = agency_filing.file_application(
            session,
            rt,
            agency=agency,
            applicant=body.to_domain(),
            language=language,
            photo=photo,
            confirm_url=absolute_url(request, CONFIRM_PATH),
        )
        return 201, submitted_out(rt, application, locale).model_dump(mode="json")

    scope = f"agency:{agency.id}:applications"
    return run_once(session, rt, scope=scope, key=idempotency_key, body=body, locale=locale, work=work)


@router.get("/applications/{reference}", response_model=ApplicationOut, responses=READ_RESPONSES)
def read_application(
    reference: Reference, agency: AgencyDep, session: SessionDep, rt: RuntimeDep, locale: LocaleDep
) -> ApplicationOut:
    """Where an application the agency filed stands (`waiting_for`, status, decision)."""
    return ApplicationOut.of(status.view(rt, filed(session, agency, reference)), locale)


@router.put(
    "/applications/{reference}/photo",
    response_model=PhotoAddedOut,
    responses=PHOTO_RESPONSES,
    openapi_extra=with_photo_parts("PhotoOnlyIn", None, {"photo": "the face photo (JPEG or PNG)"}, ()),
)
def put_photo(
    request: Request, reference: Reference, agency: AgencyDep, body: PhotoOnlyIn, session: SessionDep, rt: RuntimeDep
) -> PhotoAddedOut:
    """The face photo of an application (or group member) filed without one: JSON
    `{"photo_base64"}`, or multipart with a `photo` file part."""
    photo = submit_photo(request, rt, body)  # checked first, before the transaction opens
    assert photo is not None  # the field is required
    application = filed(session, agency, reference)
    add_photo(rt, application, photo)
    session.flush()
    return PhotoAddedOut(
        reference=application.reference, status=application.status, waiting_for=readiness.waiting_for(rt, application)
    )


@router.post("/applications/{reference}/payment", status_code=201, response_model=PaymentOut, responses=PAY_RESPONSES)
def pay(
    request: Request,
    reference: Reference,
    agency: AgencyDep,
    body: CheckoutIn,
    session: SessionDep,
    rt: RuntimeDep,
    locale: LocaleDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """The agency pays, once its customer confirmed: a checkout of the payment provider, to send
    the agency's own payer to (`checkout_url`); it counts once the provider's webhook confirms it."""

    def work() -> tuple[int, dict[str, object]]:
        application = filed(session, agency, reference)
        if application.group_id is not None:
            raise Conflict("pay_as_group")
        description = f"ETA application {application.reference}"
        return start_checkout(
            request, session, rt, return_url=body.return_url, applications=[application], description=description
        )

    scope = f"agency:{agency.id}:payment:{reference}"
    return run_once(session, rt, scope=scope, key=idempotency_key, body=body, locale=locale, work=work)
