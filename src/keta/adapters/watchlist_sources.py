"""Watchlist and lost/stolen-document files, read as a stream of values and line problems.

FollowTheMoney JSON lines (the OpenSanctions format), a simple watchlist CSV, and the lost/stolen
documents CSV. Each reader walks its file once, line by line, and never holds it in memory. A bad
line becomes `LineProblem(line_number, code)` and the reading goes on; problems carry codes, never
the line's content (it is someone's name). `SourceStats` follows the reading: bytes (for a progress
bar), problems by code, skipped FtM schemas, dropped dates and unknown country codes.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from iso3166 import countries_by_alpha2, countries_by_alpha3

from keta.domain.documents import country_code, normalize_document_number
from keta.domain.screening.model import PartialDate, WatchlistEntry

FORMATS = {".jsonl": "ftm", ".json": "ftm", ".ndjson": "ftm", ".csv": "csv"}
WATCHLIST_HEADER = ("id", "name", "aliases", "birth_date", "nationality")
DOCUMENTS_HEADER = ("document_number", "issuing_country", "reported_on")
MAX_ID = 255  # watchlist_entities.entity_id
MAX_DOCUMENT_NUMBER = 35  # lost_documents.document_key is "TUR:" + number, 40 characters at most
GENDERS = {"male": "M", "female": "F"}
T = TypeVar("T")


class Problem(StrEnum):
    INVALID_JSON = "invalid_json"
    MISSING_ID = "missing_id"
    NO_NAME = "no_name"
    INVALID_DATE = "invalid_date"
    INVALID_ROW = "invalid_row"


@dataclass(frozen=True, slots=True)
class LineProblem:
    line_number: int
    code: Problem


@dataclass(frozen=True, slots=True)
class ReportedDocument:
    number: str
    issuing_country: str
    reported_on: date | None = None


class SourceError(Exception):
    """The file as a whole cannot be read (missing, unknown format, wrong header); names no data."""


@dataclass
class SourceStats:
    total_bytes: int = 0
    bytes_read: int = 0
    problems: Counter[str] = field(default_factory=Counter)
    schemas_skipped: Counter[str] = field(default_factory=Counter)
    dates_dropped: int = 0
    unknown_countries: int = 0


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        raise _unreadable(path, exc) from None
    return digest.hexdigest()


class _LineFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.stats = SourceStats(total_bytes=path.stat().st_size)
        except OSError as exc:
            raise _unreadable(path, exc) from None

    def _raw_lines(self) -> Iterator[bytes]:
        try:
            with self.path.open("rb") as handle:
                for raw in handle:
                    self.stats.bytes_read += len(raw)
                    yield raw
        except OSError as exc:
            raise _unreadable(self.path, exc) from None

    def _text_lines(self) -> Iterator[str]:
        for number, raw in enumerate(self._raw_lines()):
            yield raw.decode("utf-8-sig" if number == 0 else "utf-8", errors="replace")

    def _records(self, header: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]] | LineProblem]:
        """CSV rows as {column: stripped value}, with the line each record starts on; the first two
        columns of `header` are required, the others optional."""
        reader = csv.reader(self._text_lines())
        try:
            columns = [name.strip().lower() for name in next(reader, [])]
        except csv.Error:
            columns = []
        if not set(header[:2]) <= set(columns):
            raise SourceError(f"{self.path.name}: expected the header {','.join(header)}")
        previous = reader.line_num
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:
                row = None
            line, previous = previous + 1, reader.line_num
            if row is not None and not any(cell.strip() for cell in row):
                continue
            if row is None or len(row) != len(columns) or any("\ufffd" in cell for cell in row):
                yield self._problem(line, Problem.INVALID_ROW)
                continue
            yield line, {name: cell.strip() for name, cell in zip(columns, row, strict=True)}

    def _problem(self, line: int, code: Problem) -> LineProblem:
        self.stats.problems[code] += 1
        return LineProblem(line, code)


class WatchlistFile(_LineFile):
    """Iterate for `WatchlistEntry | LineProblem` in file order; `entries()` for the entries alone."""

    def __init__(self, path: Path, fmt: str | None = None) -> None:
        super().__init__(path)
        detected = fmt or FORMATS.get(path.suffix.lower())
        if detected not in ("ftm", "csv"):
            raise SourceError(f"{path.name}: cannot tell the format from the extension; give ftm or csv")
        self.format = detected

    def __iter__(self) -> Iterator[WatchlistEntry | LineProblem]:
        return self._ftm() if self.format == "ftm" else self._csv()

    def entries(self) -> Iterator[WatchlistEntry]:
        return (item for item in self if isinstance(item, WatchlistEntry))

    def _ftm(self) -> Iterator[WatchlistEntry | LineProblem]:
        for line, raw in enumerate(self._raw_lines(), start=1):
            if not raw.strip():
                continue
            try:
                data = json.loads(raw)
            except ValueError:  # JSONDecodeError and UnicodeDecodeError alike
                yield self._problem(line, Problem.INVALID_JSON)
                continue
            if not isinstance(data, dict):
                yield self._problem(line, Problem.INVALID_JSON)
            elif not isinstance(data.get("schema"), str):
                yield self._problem(line, Problem.INVALID_ROW)
            elif data["schema"] != "Person":
                self.stats.schemas_skipped[data["schema"]] += 1
            else:
                yield self._ftm_person(line, data)

    def _ftm_person(self, line: int, data: dict[str, Any]) -> WatchlistEntry | LineProblem:
        entity_id, props = data.get("id"), data.get("properties", {})
        if not isinstance(entity_id, str) or not entity_id.strip():
            return self._problem(line, Problem.MISSING_ID)
        if not isinstance(props, dict) or len(entity_id) > MAX_ID:
            return self._problem(line, Problem.INVALID_ROW)
        names = [*_values(props, "name"), *_values(props, "alias"), *_values(props, "weakAlias")]
        if not names:
            parts = (_values(props, key)[:1] for key in ("firstName", "middleName", "lastName"))
            names = [" ".join(part[0] for part in parts if part)]
        if not any(names):
            return self._problem(line, Problem.NO_NAME)
        genders = [GENDERS[g.lower()] for g in _values(props, "gender") if g.lower() in GENDERS]
        return WatchlistEntry(
            entity_id=entity_id.strip(),
            names=_unique(names),
            birth_dates=self._dates(_values(props, "birthDate")),
            nationalities=self._countries([*_values(props, "nationality"), *_values(props, "citizenship")]),
            gender=genders[0] if genders else None,
            passport_numbers=_unique(filter(None, map(normalize_document_number, _values(props, "passportNumber")))),
            datasets=_unique(_values(data, "datasets")),
        )

    def _csv(self) -> Iterator[WatchlistEntry | LineProblem]:
        for record in self._records(WATCHLIST_HEADER):
            if isinstance(record, LineProblem):
                yield record
                continue
            line, row = record
            names = [row["name"], *row.get("aliases", "").split(";")]
            if not row["id"]:
                yield self._problem(line, Problem.MISSING_ID)
            elif len(row["id"]) > MAX_ID:
                yield self._problem(line, Problem.INVALID_ROW)
            elif not any(name.strip() for name in names):
                yield self._problem(line, Problem.NO_NAME)
            else:
                yield WatchlistEntry(
                    entity_id=row["id"],
                    names=_unique(" ".join(name.split()) for name in names if name.strip()),
                    birth_dates=self._dates(_split(row.get("birth_date", ""))),
                    nationalities=self._countries(_split(row.get("nationality", ""))),
                )

    def _dates(self, texts: list[str]) -> tuple[PartialDate, ...]:
        found = [_partial_date(text) for text in texts]
        self.stats.dates_dropped += found.count(None)
        return _unique(d for d in found if d is not None)

    def _countries(self, codes: list[str]) -> tuple[str, ...]:
        found = [alpha3_country(code) for code in codes]
        self.stats.unknown_countries += found.count(None)
        return _unique(c for c in found if c is not None)


class DocumentsFile(_LineFile):
    """The lost/stolen documents CSV, iterated for `ReportedDocument | LineProblem`."""

    def __iter__(self) -> Iterator[ReportedDocument | LineProblem]:
        for record in self._records(DOCUMENTS_HEADER):
            if isinstance(record, LineProblem):
                yield record
                continue
            line, row = record
            number = normalize_document_number(row["document_number"])
            country = country_code(row["issuing_country"])
            if not number or len(number) > MAX_DOCUMENT_NUMBER or len(country) != 3 or not country.isalpha():
                yield self._problem(line, Problem.INVALID_ROW)
                continue
            try:
                reported = date.fromisoformat(row["reported_on"]) if row.get("reported_on") else None
            except ValueError:
                yield self._problem(line, Problem.INVALID_DATE)
                continue
            yield ReportedDocument(number, country, reported)


def read_watchlist(path: Path, fmt: str | None = None) -> WatchlistFile:
    """A watchlist file, its format taken from `fmt` ("ftm" | "csv") or else from the extension."""
    return WatchlistFile(path, fmt)


def alpha3_country(code: str) -> str | None:
    """FtM's "tr", "gb-sct" or a CSV's "TUR" as "TUR"; historic ("suhh") and unknown codes as None."""
    cleaned = country_code(code)
    if len(cleaned) == 2 or (len(cleaned) > 3 and cleaned[2] == "-"):
        country = countries_by_alpha2.get(cleaned[:2])
    else:
        country = countries_by_alpha3.get(cleaned) if len(cleaned) == 3 else None
    return country.alpha3 if country else None


def _partial_date(text: str) -> PartialDate | None:
    try:  # FtM dates may carry a time: "1980-05-01T00:00:00"
        return PartialDate.parse(text[:10] if text[10:11] == "T" else text)
    except ValueError:
        return None


def _unreadable(path: Path, exc: OSError) -> SourceError:
    return SourceError(f"{path.name}: cannot read the file ({exc.strerror or type(exc).__name__})")


def _values(props: dict[str, Any], key: str) -> list[str]:
    raw = props.get(key)
    items = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    return [" ".join(item.split()) for item in items if isinstance(item, str) and item.strip()]


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _unique(values: Iterable[T]) -> tuple[T, ...]:
    return tuple(dict.fromkeys(values))
