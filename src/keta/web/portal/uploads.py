"""The portal's uploads: the face photo (required), the passport bio page (optional), a group's CSV.

A checked photo travels between the form and the review page as a sealed token (AES-GCM with the
data key, base64url), never as clear bytes, and is saved inside the application's encrypted `pii`
blob (base64, a few hundred kB at most: the policy caps the upload and the stored copy is a fresh
JPEG). Nothing here logs a file or anything read from it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import UploadFile

from keta.db.models import Application
from keta.domain.applications import Status
from keta.domain.attachments import MAX_ATTACHMENT_BYTES
from keta.i18n import field_message
from keta.services import photos, uploads
from keta.services.requests import MAX_DOCUMENTS
from keta.services.runtime import Runtime
from keta.web.portal.csrf import verify as verify_csrf
from keta.web.portal.dates import join_dates
from keta.web.portal.formdata import guard_fields
from keta.web.portal.forms import FormState
from keta.web.portal.sealed import open_token, seal_token

MAX_FIELDS = 100
MAX_PART = 8 * 1024 * 1024  # a sealed photo token is about 4/3 of the policy's largest photo
PHOTO, PAGE, PHOTO_TOKEN = "photo", "passport_page", "photo_token"
MEMBERS_CSV = "members_csv"  # the group page's member list
CSV_MAX_BYTES = 256 * 1024  # 50 members take a few kB; anything near this is not a member list


MEMBER_PHOTO = "photo."  # "photo.3": group member 3's photo (member_index)
# A group's photos come in rounds: each is decoded, searched for a face and re-encoded (about half a
# second of CPU for a 4000 x 4000 photo), so one request checks at most this many photos and this
# many pixels (read from their headers first); the page asks for the next ones once these are in.
PHOTOS_PER_ROUND = photos.PHOTOS_PER_REQUEST
PHOTO_PIXEL_BUDGET = photos.PIXEL_BUDGET
# An answer's or a redress request's attachments, one input each (see web.portal.follow_up).
DOCUMENTS = tuple(f"document.{n}" for n in range(1, MAX_DOCUMENTS + 1))


def read_limit(rt: Runtime, name: str) -> int | None:
    """How much of a file input is read: one byte past its limit, enough to refuse it as too large,
    so an oversized upload never sits whole in memory (Starlette spools files to disk). None for a
    name no form of ours has: such files are not read at all."""
    if name == PHOTO or (name.startswith(MEMBER_PHOTO) and name.removeprefix(MEMBER_PHOTO).isdigit()):
        return rt.policy.photo.max_bytes + 1
    if name in DOCUMENTS:
        return MAX_ATTACHMENT_BYTES + 1
    return {PAGE: uploads.PAGE_MAX_BYTES + 1, MEMBERS_CSV: CSV_MAX_BYTES + 1}.get(name)


@dataclass
class Upload:
    """Text fields of a posted form (the last value of a name wins) and its non-empty files."""

    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)


async def read_upload(request: Request, *, max_files: int, max_fields: int = MAX_FIELDS) -> Upload:
    form = await request.form(max_files=max_files, max_fields=max_fields, max_part_size=MAX_PART)
    rt: Runtime = request.app.state.runtime
    upload = Upload()
    try:
        upload.fields = {name: value for name, value in form.multi_items() if isinstance(value, str)}
        verify_csrf(request, upload.fields)  # before a single file is read
        guard_fields(upload.fields)
        join_dates(upload.fields)
        for name, value in form.multi_items():
            if isinstance(value, UploadFile) and (limit := read_limit(rt, name)) is not None:
                data = await value.read(limit)
                if data:
                    upload.files[name] = data
    finally:
        await form.close()  # the spooled temporary files
    return upload


async def upload_form(request: Request) -> Upload:
    """A form with a photo, a bio page or a CSV file (at most two files)."""
    return await read_upload(request, max_files=2)


UploadData = Annotated[Upload, Depends(upload_form)]


def seal_photo(rt: Runtime, jpeg: bytes) -> str:
    return seal_token(rt, {"jpeg": base64.b64encode(jpeg).decode("ascii")})


def open_photo(rt: Runtime, token: str) -> bytes | None:
    """The JPEG in a token this server sealed, else None (tampered, foreign or empty)."""
    value = open_token(rt, token)
    try:
        return base64.b64decode(value["jpeg"], validate=True) if value else None
    except (KeyError, TypeError, ValueError):  # sealed by us, but not a photo token
        return None


def photo_token(rt: Runtime, upload: Upload, state: FormState, locale: str) -> str | None:
    """A sealed token for the photo just uploaded (checked against the policy) or carried from an
    earlier step; otherwise the problem is put next to the photo input and None is returned."""
    data = upload.files.get(PHOTO)
    if data is None:
        carried = upload.fields.get(PHOTO_TOKEN, "")
        if open_photo(rt, carried) is not None:
            return carried
        state.errors[PHOTO] = field_message(locale, "required")
        return None
    result = uploads.check_photo(data, rt.policy)
    if result.problem is not None or result.jpeg is None:
        state.errors[PHOTO] = field_message(locale, f"photo_{result.problem}")
        return None
    return seal_photo(rt, result.jpeg)


def attach_photo(rt: Runtime, application: Application, jpeg: bytes) -> None:
    """Put the photo into the application's encrypted personal data (same transaction)."""
    photos.attach(rt, application, jpeg)


def has_photo(rt: Runtime, application: Application) -> bool:
    return photos.has_photo(rt, application)


def needs_photo(rt: Runtime, application: Application) -> bool:
    """Still to be paid for and without a photo (a group member from a CSV file): the payment waits."""
    return application.status == Status.SUBMITTED and not has_photo(rt, application)


def prefill_from_page(data: bytes, state: FormState, locale: str) -> bool:
    """Fill the passport inputs and MRZ lines from a bio-page image; say why not next to its input."""
    result = uploads.read_mrz(data)
    if result.problem is not None or result.lines is None or result.data is None:
        state.errors[PAGE] = field_message(locale, f"mrz_{result.problem or 'not_found'}")
        return False
    read = result.data
    found = {
        "passport.surname": read.surname,
        "passport.given_names": read.given_names,
        "passport.number": read.document_number,
        "passport.nationality": read.nationality,
        "passport.issuing_country": read.issuing_state,
        "passport.birth_date": read.birth_date.isoformat() if read.birth_date else "",
        "passport.sex": str(read.sex) if read.sex else "",
        "passport.expiry_date": read.expiry_date.isoformat() if read.expiry_date else "",
        "mrz.0": result.lines[0],
        "mrz.1": result.lines[1],
    }
    state.values.update({name: value for name, value in found.items() if value})
    return True
