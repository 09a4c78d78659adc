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
from keta.domain.text import text_problem
from keta.web.portal import csv_dates
from keta.web.portal.forms import AGENCY, AGENCY_HELPED, OTHER_NATIONALITIES
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
    "other_nationalities": "background.other_nationalities",  # up to two codes, separated by ";" or " "
    "travel_agency": "background.travel_agency",  # empty: no agency helped
}
OPTIONAL_COLUMNS = frozenset(
    {"given_names", "email", "phone", "flight_number", "occupation", "employer", "previous_visits"}
    | {"criminal_record_details", "other_nationalities", "travel_agency"}
)
DATE_COLUMNS = ("birth_date", "expiry_date", "arrival_date")
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})
_YES_NO_INPUTS = ("background.criminal_record", "background.infectious_disease")
# No column takes more than 200 characters; a longer cell (up to this) is said next to its member.
CELL_MAX = 1_000


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


def read(data: bytes, *, room: int, locale: str = "en") -> CsvRead:
    """Members (as form values) of an uploaded CSV, or the one problem that stops the whole file.
    `room` is how many more members the group may take; `locale` the page's language, whose
    spreadsheets' date format is read besides ISO dates (csv_dates)."""
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
    try:
        header = [column.strip().lower() for column in next(reader)]
    except csv.Error:
        return _problem("csv_cell_too_long", line=1, max=CELL_MAX)
    bad = _bad_cell(header, header, 1)
    if bad is not None:
        return bad
    unknown = [column[:40] for column in header if column not in COLUMNS]
    if unknown:  # named back to the reader: a few, and short
        return _problem("csv_unknown_columns", columns=", ".join(unknown[:5]) + (", …" if len(unknown) > 5 else ""))
    missing = [column for column in COLUMNS if column not in header and column not in OPTIONAL_COLUMNS]
    if missing:
        return _problem("csv_missing_columns", columns=", ".join(missing))
    members: list[dict[str, str]] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # blank lines (spreadsheets leave them at the end)
            if len(cells) > len(header) and delimiter == ",":  # "Sejong-daero, Jung-gu" without quotes
                return _problem("csv_unquoted_comma", line=reader.line_num, expected=len(header), found=len(cells))
            if len(cells) != len(header):
                return _problem("csv_row_shape", line=reader.line_num, expected=len(header), found=len(cells))
            bad = _bad_cell(header, cells, reader.line_num) or _bad_date(header, cells, reader.line_num, locale)
            if bad is not None:
                return bad
            members.append(_member(dict(zip(header, cells, strict=True)), locale))
    except csv.Error:  # a cell past the csv module's own bound (an unclosed quote swallows the file)
        return _problem("csv_cell_too_long", line=reader.line_num, max=CELL_MAX)
    if not members:
        return _problem("csv_no_rows")
    if len(members) > room:
        return _problem("csv_too_many_rows", found=len(members), room=room)
    return CsvRead(members=members)


def _bad_cell(header: list[str], cells: list[str], line: int) -> CsvRead | None:
    """The first cell no input may hold (the shared text check), as the file's problem."""
    for number, (column, cell) in enumerate(zip(header, cells, strict=True), start=1):
        code = text_problem(cell, max_length=CELL_MAX)
        if code == "too_long":
            return _problem("csv_cell_too_long", line=line, max=CELL_MAX)
        if code is not None:  # the column by its name when it is one of ours, else by its number
            return _problem("csv_cell_invalid", line=line, column=column if column in COLUMNS else number)
    return None


def _bad_date(header: list[str], cells: list[str], line: int, locale: str) -> CsvRead | None:
    for column, cell in zip(header, cells, strict=True):
        if column in DATE_COLUMNS and cell.strip() and csv_dates.read_date(cell, locale) is None:
            return _problem(
                "csv_date", line=line, column=column, value=cell.strip()[:20], example=csv_dates.example(locale)
            )
    return None


def _member(row: Mapping[str, str], locale: str) -> dict[str, str]:
    values = {
        COLUMNS[column]: _cell(COLUMNS[column], value)
        for column, value in row.items()
        if column not in ("other_nationalities", *DATE_COLUMNS)
    }
    for column in DATE_COLUMNS:
        if column in row:
            values[COLUMNS[column]] = csv_dates.read_date(row[column], locale) or row[column].strip()
    others = row.get("other_nationalities", "").replace(";", " ").replace(",", " ").upper().split()
    for index, name in enumerate(OTHER_NATIONALITIES):
        values[name] = others[index] if index < len(others) else ""
    values[AGENCY_HELPED] = "true" if values.get(AGENCY) else "false"
    return values
