"""/api/v1/agency/groups — an accredited agency files a group (1–50 customers) and pays once.

Every member is asked to confirm at their own e-mail address; the group can be paid for once every
member still waiting for the fee has confirmed (a member who refused, or let the link lapse, is
withdrawn and not charged).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from keta.db.models import Group
from keta.db.repositories import applications as applications_repo
from keta.domain.errors import NotFound
from keta.i18n import KNOWN_LOCALES
from keta.services import agency_filing, status, submission
from keta.services.agency_keys import AgencyPrincipal
from keta.services.references import normalize_reference
from keta.web.agency.applications import CONFIRM_PATH
from keta.web.agency.auth import AgencyDep, AgencyRoute
from keta.web.agency.docs import GROUP_RESPONSES, PAY_RESPONSES, READ_RESPONSES
from keta.web.checkouts import start_checkout
from keta.web.deps import LocaleDep, RuntimeDep, SessionDep, absolute_url
from keta.web.filing import group_submitted_out, member_photos
from keta.web.idempotency import IdempotencyKey, run_once
from keta.web.responses import GroupOut, GroupSubmittedOut, PaymentOut
from keta.web.schemas import CheckoutIn, GroupIn, Reference
from keta.web.uploads_openapi import with_photo_parts

router = APIRouter(prefix="/agency", tags=["agency"], route_class=AgencyRoute)


def filed_group(session: Session, agency: AgencyPrincipal, reference: str) -> Group:
    group = applications_repo.group_by_reference(session, normalize_reference(reference))
    if group is None or group.purged_at is not None or any(m.agency_id != agency.id for m in group.members):
        raise NotFound()
    return group


@router.post(
    "/groups",
    status_code=201,
    response_model=GroupSubmittedOut,
    responses=GROUP_RESPONSES,
    openapi_extra=with_photo_parts("GroupIn", "group", {"photo.0": "member 0's photo; `photo.N` for member N"}),
    summary="File a group for customers",
)
def file_group(
    request: Request,
    agency: AgencyDep,
    body: GroupIn,
    session: SessionDep,
    rt: RuntimeDep,
    locale: LocaleDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """JSON, or multipart with the JSON in a `group` part and member N's photo in `photo.N`."""
    language = body.language if body.language in KNOWN_LOCALES else locale
    rep = body.representative
    photos = member_photos(request, rt, body)  # before the transaction opens

    def work() -> tuple[int, dict[str, object]]:
        group = agency_filing.file_group(
            session,
            rt,
            agency=agency,
            representative=submission.Representative(rep.surname, rep.given_names, str(rep.email), rep.phone),
            members=[m.to_domain() for m in body.members],
            language=language,
            photos_by_member=photos,
            confirm_url=absolute_url(request, CONFIRM_PATH),
        )
        return 201, group_submitted_out(rt, group).model_dump(mode="json")

    scope = f"agency:{agency.id}:groups"
    return run_once(session, rt, scope=scope, key=idempotency_key, body=body, locale=locale, work=work)


@router.get("/groups/{reference}", response_model=GroupOut, responses=READ_RESPONSES)
def read_group(
    reference: Reference, agency: AgencyDep, session: SessionDep, rt: RuntimeDep, locale: LocaleDep
) -> GroupOut:
    return GroupOut.of(status.group_view(rt, filed_group(session, agency, reference)), locale)


@router.post("/groups/{reference}/payment", status_code=201, response_model=PaymentOut, responses=PAY_RESPONSES)
def pay_group(
    request: Request,
    reference: Reference,
    agency: AgencyDep,
    body: CheckoutIn,
    session: SessionDep,
    rt: RuntimeDep,
    locale: LocaleDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """One checkout for every member still waiting for the fee, once they have all confirmed."""

    def work() -> tuple[int, dict[str, object]]:
        group = filed_group(session, agency, reference)
        members = list(group.members)
        description = f"ETA group {group.reference} ({len(members)} persons)"
        return start_checkout(
            request, session, rt, return_url=body.return_url, applications=members, description=description
        )

    scope = f"agency:{agency.id}:payment:{reference}"
    return run_once(session, rt, scope=scope, key=idempotency_key, body=body, locale=locale, work=work)
