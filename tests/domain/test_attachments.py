"""Attached documents are recognised by their first bytes and bounded in size."""

from __future__ import annotations

import base64

from keta.domain.attachments import MAX_ATTACHMENT_BYTES, check_attachment, stored_attachment

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20


def test_pdf_jpeg_and_png_are_recognised_by_content() -> None:
    assert check_attachment(b"%PDF-1.4\n...").media_type == "application/pdf"
    assert check_attachment(b"\xff\xd8\xff\xe0" + b"\0" * 10).media_type == "image/jpeg"
    assert check_attachment(PNG).media_type == "image/png"


def test_anything_else_is_the_wrong_type() -> None:
    for data in (b"", b"GIF89a", b"PK\x03\x04 a zip or docx", b"%PDF", b"<html>", b"\x89PNG"):
        assert check_attachment(data).problem == "attachment_wrong_type", data


def test_the_size_limit_is_inclusive() -> None:
    at_limit = b"%PDF-" + b"0" * (MAX_ATTACHMENT_BYTES - 5)
    assert check_attachment(at_limit).problem is None
    assert check_attachment(at_limit + b"0").problem == "attachment_too_large"


def test_the_stored_form_keeps_type_size_and_bytes_only() -> None:
    stored = stored_attachment(PNG, "image/png")
    assert stored == {"media_type": "image/png", "size": len(PNG), "data": base64.b64encode(PNG).decode()}
