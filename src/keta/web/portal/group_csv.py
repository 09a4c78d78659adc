"""The group members' CSV: the downloadable template and reading an upload into form values.

Columns have stable English names (a travel agency's spreadsheet keeps working whatever language
the page is in); cells use the form's own values (ISO dates, alpha-3 codes, purpose codes, yes/no).
Excel's habits are accepted: a UTF-8 byte-order mark, and ";" or tab instead of "," (Turkish and
German Excel write ";"). A file that cannot be read as a whole adds nothing; a readable file adds
every row, and each member's own problems are then shown next to that member.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from keta.domain.errors import FieldProblem
from keta.web.portal.uploads import CSV_MAX_BYTES as MAX_BYTES
from keta.web.portal.uploads import MEMBERS_CSV as CSV_INPUT

# CSV column → the form input (API path) it fills.
COLUMNS: dict[str, str] = {
    "surname": "passport.surname",
    "given_names": "passport.given_names",
    "sex": "passport.sex",
    "birth_date": "passport.birth_date",
    "nationality": "passport.nationality",
    "passport_number": "passport.number",
    "issuing_country": "passport.issuing_country",
    "expiry_date": "passport.expiry_date",
    "email": "email",
    "phone": "phone",
    "arrival_date": "travel.arrival_date",
    "purpose": "travel.purpose",
    "address_in_korea": "travel.address_in_korea",
    "flight_number": "travel.flight_number",
    "employment": "background.employment",
    "occupation": "background.occupation",
    "employer": "background.employer",
    "previous_visits": "background.previous_visits",
    "criminal_record": "background.criminal_record",
    "criminal_record_details": "background.criminal_record_details",
    "infectious_disease": "background.infectious_disease",
}
OPTIONAL_COLUMNS = frozenset(
    {"given_names", "email", "phone", "flight_number", "occupation", "employer", "previous_visits"}
    | {"criminal_record_details"}
)
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})
_YES_NO_INPUTS = ("background.criminal_record", "background.infectious_disease")


def template() -> str:
    """The header line, then nothing: a sample row would too easily be submitted as a member."""
    return ",".join(COLUMNS) + "\r\n"


@dataclass
class CsvRead:
    members: list[dict[str, str]] = field(default_factory=list)
    problem: FieldProblem | None = None


def _problem(code: str, **params: str | int) -> CsvRead:
    return CsvRead(problem=FieldProblem(CSV_INPUT, code, tuple(params.items())))


def _cell(name: str, value: str) -> str:
    value = value.strip()
    if name in _YES_NO_INPUTS:
        folded = value.lower()
        return "true" if folded in _YES else "false" if folded in _NO else value
    return value.upper() if name in ("passport.sex", "passport.nationality", "passport.issuing_country") else value


def read(data: bytes, *, room: int) -> CsvRead:
    """Members (as form values) of an uploaded CSV, or the one problem that stops the whole file.
    `room` is how many more members the group may take."""
    if len(data) > MAX_BYTES:
        return _problem("csv_too_large", max_kb=MAX_BYTES // 1024)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _problem("csv_not_utf8")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return _problem("csv_no_rows")
    delimiter = max(",;\t", key=lines[0].count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [column.strip().lower() for column in next(reader)]
    unknown = [column for column in header if column not in COLUMNS]
    if unknown:
        return _problem("csv_unknown_columns", columns=", ".join(unknown))
    missing = [column for column in COLUMNS if column not in header and column not in OPTIONAL_COLUMNS]
    if missing:
        return _problem("csv_missing_columns", columns=", ".join(missing))
    members: list[dict[str, str]] = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue  # blank lines (spreadsheets leave them at the end)
        if len(cells) != len(header):
            return _problem("csv_row_shape", line=reader.line_num, expected=len(header), found=len(cells))
        members.append(_member(dict(zip(header, cells, strict=True))))
    if not members:
        return _problem("csv_no_rows")
    if len(members) > room:
        return _problem("csv_too_many_rows", found=len(members), room=room)
    return CsvRead(members=members)


def _member(row: Mapping[str, str]) -> dict[str, str]:
    return {COLUMNS[column]: _cell(COLUMNS[column], value) for column, value in row.items()}
