"""Writing a TD3 (passport) machine-readable zone from its fields.

Used to build test documents and to show an applicant the MRZ we expect their passport to carry,
so the output must be exactly what `parse_td3` reads back (round trip).
"""

from __future__ import annotations

import re
from datetime import date

from keta.domain.mrz.checkdigit import check_digit
from keta.domain.mrz.parse import (
    NAME_FIELD_LENGTH,
    PERSONAL_NUMBER_LENGTH,
    composite_input,
    is_td3_document_code,
)
from keta.domain.mrz.transliterate import to_mrz_name_chars

_STATE = re.compile(r"[A-Z]{1,3}")
_DOCUMENT_NUMBER = re.compile(r"[0-9A-Z]{1,9}")
_PERSONAL_NUMBER = re.compile(rf"[0-9A-Z]{{0,{PERSONAL_NUMBER_LENGTH}}}")
# ICAO writes "unspecified" as a filler; 'X' is accepted as the everyday spelling of the same thing.
_SEX = {"M": "M", "F": "F", "X": "<", "<": "<"}


def _field(value: str, pattern: re.Pattern[str], width: int, what: str) -> str:
    upper = value.strip().upper()
    if not pattern.fullmatch(upper):
        raise ValueError(f"{what} {value!r} does not fit the MRZ")
    return upper.ljust(width, "<")


def _name_field(surname: str, given_names: str) -> str:
    primary, secondary = to_mrz_name_chars(surname), to_mrz_name_chars(given_names)
    if not primary:
        raise ValueError("surname is empty after transliteration")
    name = f"{primary}<<{secondary}" if secondary else primary
    # ICAO Part 3 4.6: a name longer than the field is cut so that it fills the field exactly.
    return name[:NAME_FIELD_LENGTH].ljust(NAME_FIELD_LENGTH, "<")


def _dated(value: date) -> str:
    """YYMMDD with its check digit; the century is dropped, the parser's `today` restores it."""
    text = f"{value.year % 100:02d}{value.month:02d}{value.day:02d}"
    return text + check_digit(text)


def render_td3(
    *,
    document_code: str = "P",
    issuing_state: str,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth_date: date,
    sex: str,
    expiry_date: date,
    personal_number: str = "",
) -> tuple[str, str]:
    """The two 44-character lines; ValueError when a field cannot be represented.

    Document numbers over nine characters need ICAO's overflow into the optional-data field,
    which we do not issue: they are rejected rather than silently truncated.
    """
    code = document_code.strip().upper().ljust(2, "<")
    if not is_td3_document_code(code):
        raise ValueError(f"document code {document_code!r} is not a TD3 passport code")
    sex_char = _SEX.get(sex.strip().upper())
    if sex_char is None:
        raise ValueError(f"sex {sex!r} is not one of M, F, X")

    line1 = code + _field(issuing_state, _STATE, 3, "issuing state") + _name_field(surname, given_names)
    number = _field(document_number, _DOCUMENT_NUMBER, 9, "document number")
    optional = _field(personal_number, _PERSONAL_NUMBER, PERSONAL_NUMBER_LENGTH, "personal number")
    body = (
        number
        + check_digit(number)
        + _field(nationality, _STATE, 3, "nationality")
        + _dated(birth_date)
        + sex_char
        + _dated(expiry_date)
        + optional
        + check_digit(optional)
    )
    return line1, body + check_digit(composite_input(body))
