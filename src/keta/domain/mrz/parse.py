"""Reading a TD3 (passport) machine-readable zone: ICAO Doc 9303 Part 4.

The parser never raises on bad input and never stops at the first fault: an officer or an
applicant correcting a typed MRZ wants to see every field that is off at once. Problems are
(field, code) pairs; the edges turn codes into sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum
from typing import Literal

from keta.domain.mrz.checkdigit import check_digit

Sex = Literal["M", "F", "X"]

TD3_LINE_LENGTH = 44
NAME_FIELD_LENGTH = 39
PERSONAL_NUMBER_LENGTH = 14
# Explicit ASCII ranges (no re.IGNORECASE): case-folding would let 'ı', 'ſ' or the Kelvin sign through.
_MRZ_LINE = re.compile(r"[0-9A-Za-z<]*")
_STATE = re.compile(r"[A-Z]{1,3}<*")  # "D<<" is Germany: letters first, fillers after
_SEX: dict[str, Sex] = {"M": "M", "F": "F", "<": "X", "X": "X"}


class MrzProblemCode(StrEnum):
    LINE_LENGTH = "line_length"
    INVALID_CHARACTER = "invalid_character"
    DOCUMENT_CODE = "document_code"
    DOCUMENT_NUMBER_CHECK_DIGIT = "document_number_check_digit"
    BIRTH_DATE_CHECK_DIGIT = "birth_date_check_digit"
    EXPIRY_DATE_CHECK_DIGIT = "expiry_date_check_digit"
    PERSONAL_NUMBER_CHECK_DIGIT = "personal_number_check_digit"
    COMPOSITE_CHECK_DIGIT = "composite_check_digit"
    BIRTH_DATE_INVALID = "birth_date_invalid"
    EXPIRY_DATE_INVALID = "expiry_date_invalid"
    SEX_INVALID = "sex_invalid"
    ISSUING_STATE_INVALID = "issuing_state_invalid"
    NATIONALITY_INVALID = "nationality_invalid"


@dataclass(frozen=True, slots=True)
class MrzProblem:
    field: str
    code: MrzProblemCode


@dataclass(frozen=True, slots=True)
class MrzData:
    """The fields as printed, fillers removed. Dates and sex are None when unreadable."""

    document_code: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: date | None
    sex: Sex | None
    expiry_date: date | None
    personal_number: str

    def to_dict(self) -> dict[str, str | None]:
        """JSON-ready: dates as ISO 8601 strings, unreadable values as None."""
        out: dict[str, str | None] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            out[item.name] = value.isoformat() if isinstance(value, date) else value
        return out


@dataclass(frozen=True, slots=True)
class MrzParse:
    """`data` is None only when the lines cannot be cut into fields; check-digit faults keep it."""

    data: MrzData | None
    problems: tuple[MrzProblem, ...]

    @property
    def valid(self) -> bool:
        return not self.problems


def is_td3_document_code(code: str) -> bool:
    """'P' plus one letter or filler; the second letter is the issuing state's choice (e.g. 'PD')."""
    return len(code) == 2 and code[0] == "P" and ("A" <= code[1] <= "Z" or code[1] == "<")


def composite_input(line2: str) -> str:
    """What the final check digit covers: number, birth date, expiry and optional data with their digits."""
    return line2[0:10] + line2[13:20] + line2[21:43]


def _words(part: str) -> str:
    return " ".join(word for word in part.split("<") if word)


def _names(field: str) -> tuple[str, str]:
    """Surname and given names split at the first double filler, single fillers read as spaces."""
    surname, _, given = field.partition("<<")
    return _words(surname), _words(given)


def _yymmdd(text: str, *, latest: tuple[int, int, int]) -> date | None:
    """Read YYMMDD in the century that keeps the date at or before `latest` (y, m, d), else the one before."""
    if not text.isdecimal():  # the line is already known to be ASCII
        return None
    yy, month, day = int(text[0:2]), int(text[2:4]), int(text[4:6])
    year = 2000 + yy if (2000 + yy, month, day) <= latest else 1900 + yy
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _structure(line1: str, line2: str) -> list[MrzProblem]:
    problems: list[MrzProblem] = []
    for field, line in (("line1", line1), ("line2", line2)):
        if len(line) != TD3_LINE_LENGTH:
            problems.append(MrzProblem(field, MrzProblemCode.LINE_LENGTH))
        if not _MRZ_LINE.fullmatch(line):
            problems.append(MrzProblem(field, MrzProblemCode.INVALID_CHARACTER))
    return problems


def parse_td3(line1: str, line2: str, *, today: date) -> MrzParse:
    """Parse and check both lines; `today` only picks the century of the two-digit years."""
    line1, line2 = line1.strip(), line2.strip()
    structural = _structure(line1, line2)
    if structural:
        return MrzParse(data=None, problems=tuple(structural))
    # Upper-case only after the ASCII check, so 'ß' cannot sneak in as 'SS'.
    line1, line2 = line1.upper(), line2.upper()
    problems: list[MrzProblem] = []

    def require(ok: bool, field: str, code: MrzProblemCode) -> None:
        if not ok:
            problems.append(MrzProblem(field, code))

    def digit_ok(start: int, end: int) -> bool:
        return check_digit(line2[start:end]) == line2[end]

    require(is_td3_document_code(line1[0:2]), "document_code", MrzProblemCode.DOCUMENT_CODE)
    require(bool(_STATE.fullmatch(line1[2:5])), "issuing_state", MrzProblemCode.ISSUING_STATE_INVALID)
    require(digit_ok(0, 9), "document_number", MrzProblemCode.DOCUMENT_NUMBER_CHECK_DIGIT)
    require(bool(_STATE.fullmatch(line2[10:13])), "nationality", MrzProblemCode.NATIONALITY_INVALID)
    birth = _yymmdd(line2[13:19], latest=(today.year, today.month, today.day))
    require(digit_ok(13, 19), "birth_date", MrzProblemCode.BIRTH_DATE_CHECK_DIGIT)
    require(birth is not None, "birth_date", MrzProblemCode.BIRTH_DATE_INVALID)
    sex = _SEX.get(line2[20])
    require(sex is not None, "sex", MrzProblemCode.SEX_INVALID)
    # Passports run for at most ten years, so anything up to fifty years ahead is this century.
    expiry = _yymmdd(line2[21:27], latest=(today.year + 50, today.month, today.day))
    require(digit_ok(21, 27), "expiry_date", MrzProblemCode.EXPIRY_DATE_CHECK_DIGIT)
    require(expiry is not None, "expiry_date", MrzProblemCode.EXPIRY_DATE_INVALID)
    # An empty optional-data field may carry a filler instead of the '0' its check digit would be.
    empty_personal = line2[28:42] == "<" * PERSONAL_NUMBER_LENGTH and line2[42] == "<"
    require(digit_ok(28, 42) or empty_personal, "personal_number", MrzProblemCode.PERSONAL_NUMBER_CHECK_DIGIT)
    composite_ok = check_digit(composite_input(line2)) == line2[43]
    require(composite_ok, "composite", MrzProblemCode.COMPOSITE_CHECK_DIGIT)

    surname, given_names = _names(line1[5:])
    data = MrzData(
        document_code=line1[0:2].rstrip("<"),
        issuing_state=line1[2:5].strip("<"),
        surname=surname,
        given_names=given_names,
        document_number=line2[0:9].strip("<"),
        nationality=line2[10:13].strip("<"),
        birth_date=birth,
        sex=sex,
        expiry_date=expiry,
        personal_number=line2[28:42].strip("<"),
    )
    return MrzParse(data=data, problems=tuple(problems))
