"""Each group member's face photo, uploaded on the group's confirmation page before the payment.

A CSV file cannot carry photos, so they come after the group is saved: one file input per member
still without a photo, at most PHOTOS_PER_ROUND of them per form (the next ones are asked for once
these are in), and at most PHOTO_PIXEL_BUDGET pixels checked per request: a photo past the budget
is left for the next round and said so. Each photo is checked like an individual applicant's
(the policy's [photo] rules) and a refused one is said next to its member's input; the accepted ones
are kept, so a representative with 30 good photos and one blurred one re-sends only that one. The
payment waits until every payable member has a photo, as an individual application cannot be
submitted without one.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from keta.i18n import field_message, gettext
from keta.services import uploads
from keta.web.deps import RuntimeDep, SessionDep
from keta.web.portal.group_status import confirmation_page, remembered_group
from keta.web.portal.rendering import PageLocale
from keta.web.portal.uploads import (
    MEMBER_PHOTO,
    PHOTO_PIXEL_BUDGET,
    PHOTOS_PER_ROUND,
    attach_photo,
    needs_photo,
    read_upload,
)

router = APIRouter()


async def member_photos(request: Request) -> dict[int, bytes]:
    """The posted photos by member index ("photo.3" → 3); other inputs are ignored."""
    upload = await read_upload(request, max_files=PHOTOS_PER_ROUND, max_fields=PHOTOS_PER_ROUND + 10)
    return {
        int(name.removeprefix(MEMBER_PHOTO)): data
        for name, data in upload.files.items()
        if name.startswith(MEMBER_PHOTO)  # read_upload only keeps "photo." names with a number
    }


MemberPhotos = Annotated[dict[int, bytes], Depends(member_photos)]


@router.post("/group/photos")
def upload_photos(
    request: Request, photos: MemberPhotos, session: SessionDep, rt: RuntimeDep, locale: PageLocale
) -> Response:
    group = remembered_group(request, session, rt)
    if group is None:
        return RedirectResponse("/group", status_code=303)
    waiting = {member.member_index: member for member in group.members if needs_photo(rt, member)}
    problems: dict[int, str] = {}
    saved = spent = 0
    for index, member in waiting.items():
        data = photos.get(index or 0)
        if data is None:
            continue
        pixels = uploads.photo_pixels(data)
        if spent and spent + pixels > PHOTO_PIXEL_BUDGET:  # the first photo is always checked
            problems[index or 0] = field_message(locale, "photo_not_checked")
            continue
        spent += pixels
        result = uploads.check_photo(data, rt.policy)
        if result.problem is not None or result.jpeg is None:
            problems[index or 0] = field_message(locale, f"photo_{result.problem}")
            continue
        attach_photo(rt, member, result.jpeg)
        saved += 1
    if not photos:
        problems = {index or 0: field_message(locale, "required") for index in waiting}
    if not problems:  # the count travels in the URL (no personal data) so the next page confirms it
        return RedirectResponse(f"/group/confirmation?photos={saved}", status_code=303)
    notice = gettext(locale, "portal.group.photos_saved", count=saved) if saved else None
    return confirmation_page(request, rt, group, locale, photo_problems=problems, notice=notice)
