"""Travel-document numbers as lists and gates compare them.

People and databases write the same passport number as "u 1234567", "U1234567" or "U-1234567";
lists of lost and stolen documents (Interpol SLTD style) are matched on the normalized number plus
the issuing country, exactly — a near miss here is a different document.
"""

from __future__ import annotations

import re

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def normalize_document_number(raw: str) -> str:
    """Upper-case, drop spaces, dashes, dots and MRZ fillers ('<')."""
    return _NOT_ALNUM.sub("", raw.upper())


# ICAO 9303 Part 3 codes in MRZs that are not ISO alpha-3: Germany writes "D" (padded "D<<").
_MRZ_STATE_CODES = {"D": "DEU"}


def country_code(code: str) -> str:
    """An issuing state or nationality as printed in an MRZ or typed, as the alpha-3 we store."""
    cleaned = code.strip().upper().rstrip("<")
    return _MRZ_STATE_CODES.get(cleaned, cleaned)


def document_key(number: str, issuing_country: str) -> str:
    return f"{country_code(issuing_country)}:{normalize_document_number(number)}"
