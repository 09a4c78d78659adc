"""Group applications: one representative files for 1–50 people and pays once.

Each member's photo comes as `members[N].photo_base64`, or as a `photo.N` file part of a multipart
body; at most ten in one submission (keta.services.photos.PHOTOS_PER_REQUEST). A member without
one waits for it (PUT /applications/{member reference}/photo), and the group cannot be paid for
until every member still waiting for the fee has theirs.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from keta.i18n import KNOWN_LOCALES
from keta.services import status, submission
from keta.web import throttle
from keta.web.checkouts import start_checkout
from keta.web.deps import LocaleDep, RuntimeDep, SessionDep
from keta.web.filing import group_submitted_out, member_photos
from keta.web.idempotency import IdempotencyKey, run_once
from keta.web.openapi import also, api_errors, error_responses
from keta.web.photo_parts import PhotoPartsRoute
from keta.web.responses import GroupOut, GroupSubmittedOut, PaymentOut
from keta.web.schemas import EmailProof, GroupIn, GroupPaymentIn, Reference
from keta.web.uploads_openapi import with_photo_parts

router = APIRouter(tags=["groups"], route_class=PhotoPartsRoute)

GROUP_RESPONSES = api_errors(409, 429) | error_responses(
    {
        413: "the body is larger than the route allows (the policy's largest group, ten photos at the limit)",
        422: "the group is refused whole, every problem named in `fields` (`members[3].passport.number`, "
        "`members[2].photo_base64` or `photo.2` for a photo, `members` for more than ten photos); nothing is saved",
    }
)
PAY_RESPONSES = (
    also(200, PaymentOut, "the checkout already open, again")
    | api_errors(404, 409, 429, 503)
    | error_responses(
        {
            404: "no group with this reference and representative's e-mail",
            409: "not payable: `photo_required` (a member's photo is missing), `already_paid`, `not_payable`",
            422: "a field is wrong, each named in `fields`",
        }
    )
)


@router.post(
    "/groups",
    status_code=201,
    response_model=GroupSubmittedOut,
    responses=GROUP_RESPONSES,
    dependencies=[Depends(throttle.submissions)],
    openapi_extra=with_photo_parts("GroupIn", "group", {"photo.0": "member 0's photo; `photo.N` for member N"}),
)
def submit_group(
    request: Request,
    body: GroupIn,
    session: SessionDep,
    rt: RuntimeDep,
    locale: LocaleDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """JSON, or multipart with the JSON in a `group` part and member N's photo in a `photo.N` part."""
    language = body.language if body.language in KNOWN_LOCALES else locale
    rep = body.representative
    photos = member_photos(request, rt, body)  # before the transaction opens

    def work() -> tuple[int, dict[str, object]]:
        group = submission.submit_group(
            session,
            rt,
            members=[m.to_domain() for m in body.members],
            language=language,
            representative=submission.Representative(rep.surname, rep.given_names, str(rep.email), rep.phone),
            photos_by_member=photos,
        )
        return 201, group_submitted_out(rt, group).model_dump(mode="json")

    return run_once(session, rt, scope="groups", key=idempotency_key, body=body, locale=locale, work=work)


@router.post(
    "/groups/{reference}/payment",
    status_code=201,
    response_model=PaymentOut,
    responses=PAY_RESPONSES,
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
        return start_checkout(
            request, session, rt, return_url=body.return_url, applications=members, description=description
        )

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
