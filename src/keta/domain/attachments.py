"""Documents a traveller attaches to an answer or a redress request: PDF, JPEG or PNG, recognised by
their first bytes (a file name or a browser's media type proves nothing), at most 5 MB each.

The stored form is what officers read back: the media type found here, the size and the bytes as
base64 — never the file name the traveller's computer gave it (it may carry a name or a date of birth).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, Final

MAX_ATTACHMENT_BYTES: Final = 5_000_000  # "5 MB" as the page says it
MAX_ATTACHMENT_MB: Final = MAX_ATTACHMENT_BYTES // 1_000_000
# PDF 1.x/2.0 (ISO 32000) start with "%PDF-"; JPEG with an SOI marker and a segment; PNG with its signature.
_MAGIC: Final = {b"%PDF-": "application/pdf", b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}


@dataclass(frozen=True, slots=True)
class AttachmentCheck:
    """`problem` is a field-problem code ("attachment_too_large", "attachment_wrong_type") or None."""

    problem: str | None
    media_type: str | None = None


def sniff_media_type(data: bytes) -> str | None:
    return next((media for magic, media in _MAGIC.items() if data.startswith(magic)), None)


def check_attachment(data: bytes) -> AttachmentCheck:
    if len(data) > MAX_ATTACHMENT_BYTES:
        return AttachmentCheck("attachment_too_large")
    media_type = sniff_media_type(data)
    if media_type is None:
        return AttachmentCheck("attachment_wrong_type")
    return AttachmentCheck(None, media_type)


def stored_attachment(data: bytes, media_type: str) -> dict[str, Any]:
    """The attachment as it goes inside the encrypted answer or redress request."""
    return {"media_type": media_type, "size": len(data), "data": base64.b64encode(data).decode("ascii")}
