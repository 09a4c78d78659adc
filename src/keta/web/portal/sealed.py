"""Tokens that carry personal data through a page between two steps without storing it: the value
as JSON, encrypted with the data key (AES-GCM, so a changed token fails to open), base64url."""

from __future__ import annotations

import base64
from typing import Any

from keta.services.runtime import Runtime


def seal_token(rt: Runtime, value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(rt.keyring.encrypt(value)).decode("ascii")


def open_token(rt: Runtime, token: str) -> dict[str, Any] | None:
    """The value in a token this server sealed, else None (empty, tampered, truncated or sealed
    with another key)."""
    if not token:
        return None
    try:
        return rt.keyring.decrypt(base64.urlsafe_b64decode(token.encode("ascii")))
    except Exception:  # any failure to decode or authenticate means: no value
        return None
