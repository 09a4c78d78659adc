"""The applicant's face photo through every door: the portal, the JSON API and the agency API.

There is one check (keta.services.uploads.check_photo: the policy's size and pixel bounds, exactly
one face, kept as a fresh JPEG without metadata) and one place the kept photo lives: the
application's encrypted personal data (`photo_jpeg`, base64). A problem is an InvalidInput naming
the field the photo came in (`photo`, `photo_base64`, `members[2].photo_base64`, `photo.2`), with
the same codes the portal shows (`photo_no_face`, `photo_too_large`, …). Nothing here logs the file.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass

from keta.db.models import Application
from keta.domain.errors import FieldProblem, InvalidInput
from keta.services import pii, uploads
from keta.services.runtime import Runtime

# A request checks at most this many photos: each is decoded, searched for a face and re-encoded
# (about half a second of CPU for a 4000 x 4000 photo). A larger group sends the rest afterwards,
# one member at a time (PUT …/photo), as the portal asks for them in rounds of the same size.
PHOTOS_PER_REQUEST = 10
# …and at most this many pixels, read from their headers before anything is decoded; a photo past the
# budget is `photo_not_checked` (send it again, alone), as on the portal's photo page.
PIXEL_BUDGET = 100_000_000
# How long a base64 photo may be in a JSON body: the policy's largest file, base64-encoded, with
# room for line breaks. The policy's own byte limit is checked on the decoded bytes.
BASE64_MAX_CHARS = 12_000_000


def base64_chars(max_bytes: int) -> int:
    """Characters the base64 text of a `max_bytes` file takes (padding included)."""
    return (max_bytes + 2) // 3 * 4


def decoded(text: str, *, path: str) -> bytes:
    """The bytes of a base64 photo (standard or URL-safe alphabet, line breaks ignored)."""
    compact = "".join(text.split())
    try:
        return base64.b64decode(compact.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput([FieldProblem(path, "photo_not_base64")]) from None


@dataclass(frozen=True, slots=True)
class CheckedPhoto:
    """A photo after the check: the JPEG to keep, or the problem named by the field it came in.

    The check costs CPU (a face search), so the edges run it before their transaction opens (on
    SQLite a transaction holds the write lock) and hand the result to the submission services."""

    path: str
    jpeg: bytes | None
    problem: FieldProblem | None = None


def check(rt: Runtime, data: bytes, *, path: str) -> CheckedPhoto:
    result = uploads.check_photo(data, rt.policy)
    if result.problem is not None or result.jpeg is None:
        return CheckedPhoto(path, None, FieldProblem(path, f"photo_{result.problem or 'unreadable'}"))
    return CheckedPhoto(path, result.jpeg)


def check_members(rt: Runtime, sent: Mapping[int, tuple[bytes, str]]) -> dict[int, CheckedPhoto]:
    """A group's photos (member index → (bytes, field)) within PHOTOS_PER_REQUEST and PIXEL_BUDGET
    (pixels read from the headers): beyond them a photo is `photo_not_checked`; the first one is
    always checked."""
    checked: dict[int, CheckedPhoto] = {}
    spent = 0
    for index, (data, path) in sorted(sent.items()):
        pixels = uploads.photo_pixels(data)
        if len(sent) > PHOTOS_PER_REQUEST or (spent and spent + pixels > PIXEL_BUDGET):
            checked[index] = CheckedPhoto(path, None, FieldProblem(path, "photo_not_checked"))
            continue
        spent += pixels
        checked[index] = check(rt, data, path=path)
    return checked


def attach(rt: Runtime, application: Application, jpeg: bytes) -> None:
    """Put a checked photo into the application's encrypted personal data (the caller's transaction)."""
    personal = rt.keyring.decrypt(application.pii)
    personal["photo_jpeg"] = base64.b64encode(jpeg).decode("ascii")
    pii.seal_application(rt.keyring, application, personal)


def has_photo(rt: Runtime, application: Application) -> bool:
    return "photo_jpeg" in rt.keyring.decrypt(application.pii)
