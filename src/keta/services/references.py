"""Human-friendly references: short, unambiguous (no 0/O, 1/I/L), hard to guess.

`A` = application, `G` = group, `P` = payment, then 12 characters of Crockford base32 (60 bits),
grouped by four so people can read them out on the phone, e.g. `AK7M2-9QXR-T4PW`.
"""

from __future__ import annotations

import secrets

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"[2:]  # drop 0 and 1 too: they look like O and I


def new_reference(kind: str) -> str:
    body = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{kind}{body[:4]}-{body[4:8]}-{body[8:]}"


def normalize_reference(text: str) -> str:
    return text.strip().upper().replace(" ", "")
