"""What the applicant API and the agency API share between filing and answering: the photo a
body carries, adding a photo later, and the "submitted" answers (neutral: both audiences use it)."""

from __future__ import annotations

from fastapi import Request

from keta.db.models import Application, Group
from keta.domain.errors import Conflict, FieldProblem, InvalidInput
from keta.services import payment, photos, readiness
from keta.services.photos import CheckedPhoto
from keta.services.runtime import Runtime
from keta.web.photo_parts import photo_path
from keta.web.responses import FeeOut, GroupSubmittedOut, MemberRefOut, SubmittedOut, reasons_out
from keta.web.schemas import ApplicationIn, GroupIn, PhotoOnlyIn


def submit_photo(request: Request, rt: Runtime, body: ApplicationIn | PhotoOnlyIn) -> CheckedPhoto | None:
    """The photo a body carries, checked, named by the field it came in. Call it before the
    request's transaction opens: the face search takes CPU time, and a transaction holds locks."""
    if body.photo_base64 is None:
        return None
    path = photo_path(request, "photo_base64")
    return photos.check(rt, photos.decoded(body.photo_base64, path=path), path=path)


def member_photos(request: Request, rt: Runtime, body: GroupIn) -> dict[int, CheckedPhoto]:
    """A group's photos, checked within the per-request bounds (keta.services.photos.check_members)."""
    sent = {}
    for index, member in enumerate(body.members):
        if member.photo_base64 is not None:
            path = photo_path(request, f"members[{index}].photo_base64")
            sent[index] = (photos.decoded(member.photo_base64, path=path), path)
    return photos.check_members(rt, sent)


def submitted_out(rt: Runtime, application: Application, locale: str) -> SubmittedOut:
    return SubmittedOut(
        reference=application.reference,
        status=application.status,
        eligibility=application.eligibility_outcome,
        reasons=reasons_out(application.eligibility_reasons, locale),
        fee=FeeOut.of(payment.quote(rt, [application])),
        waiting_for=readiness.waiting_for(rt, application),
    )


def add_photo(rt: Runtime, application: Application, photo: CheckedPhoto) -> None:
    """Keep the (checked) photo of an application that still waits for one; a refused photo is a 422
    naming its field whatever the application's state."""
    if photo.problem is not None or photo.jpeg is None:
        raise InvalidInput([photo.problem or FieldProblem(photo.path, "photo_unreadable")])
    if readiness.PHOTO not in readiness.waiting_for(rt, application):
        raise Conflict("photo_not_needed")
    photos.attach(rt, application, photo.jpeg)


def group_submitted_out(rt: Runtime, group: Group) -> GroupSubmittedOut:
    members = [
        MemberRefOut(index=m.member_index or 0, reference=m.reference, waiting_for=readiness.waiting_for(rt, m))
        for m in group.members
    ]
    return GroupSubmittedOut(
        reference=group.reference, members=members, fee=FeeOut.of(payment.quote(rt, list(group.members)))
    )
