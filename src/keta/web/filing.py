"""What the applicant API and the agency API share between filing and answering: the photo a
body carries, adding a photo later, and the "submitted" answers (neutral: both audiences use it)."""

from __future__ import annotations

from fastapi import Request

from keta.db.models import Application, Group
from keta.domain.errors import Conflict
from keta.services import payment, photos, readiness, submission
from keta.services.runtime import Runtime
from keta.web.photo_parts import photo_path
from keta.web.responses import FeeOut, GroupSubmittedOut, MemberRefOut, SubmittedOut, reasons_out
from keta.web.schemas import ApplicationIn, GroupIn, PhotoOnlyIn


def submit_photo(request: Request, body: ApplicationIn | PhotoOnlyIn, *, prefix: str = "") -> submission.Photo | None:
    """The photo a body carries, unchecked, with the name its problems go by."""
    if body.photo_base64 is None:
        return None
    path = photo_path(request, prefix + "photo_base64")
    return submission.Photo(photos.decoded(body.photo_base64, path=path), path)


def member_photos(request: Request, body: GroupIn) -> dict[int, submission.Photo]:
    return {
        index: photo
        for index, member in enumerate(body.members)
        if (photo := submit_photo(request, member, prefix=f"members[{index}].")) is not None
    }


def submitted_out(rt: Runtime, application: Application, locale: str) -> SubmittedOut:
    return SubmittedOut(
        reference=application.reference,
        status=application.status,
        eligibility=application.eligibility_outcome,
        reasons=reasons_out(application.eligibility_reasons, locale),
        fee=FeeOut.of(payment.quote(rt, [application])),
        waiting_for=readiness.waiting_for(rt, application),
    )


def add_photo(request: Request, rt: Runtime, application: Application, body: PhotoOnlyIn | ApplicationIn) -> None:
    """Check and keep the photo of an application that still waits for one (the photo is checked
    first: a bad photo is a 422 naming its field whatever the application's state)."""
    sent = submit_photo(request, body)
    assert sent is not None
    jpeg = photos.checked(rt, sent.data, path=sent.path)
    if readiness.PHOTO not in readiness.waiting_for(rt, application):
        raise Conflict("photo_not_needed")
    photos.attach(rt, application, jpeg)


def group_submitted_out(rt: Runtime, group: Group) -> GroupSubmittedOut:
    members = [
        MemberRefOut(index=m.member_index or 0, reference=m.reference, waiting_for=readiness.waiting_for(rt, m))
        for m in group.members
    ]
    return GroupSubmittedOut(
        reference=group.reference, members=members, fee=FeeOut.of(payment.quote(rt, list(group.members)))
    )
