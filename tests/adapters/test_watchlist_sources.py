"""Watchlist and lost/stolen-document files: parsing, line problems with their numbers, statistics."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from keta.adapters.watchlist_sources import (
    DocumentsFile,
    LineProblem,
    Problem,
    ReportedDocument,
    SourceError,
    WatchlistFile,
    alpha3_country,
    file_sha256,
    read_watchlist,
)
from keta.domain.screening.model import PartialDate, WatchlistEntry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "watchlists"


def read(path: Path, fmt: str | None = None) -> tuple[dict[str, WatchlistEntry], list[LineProblem], WatchlistFile]:
    source = read_watchlist(path, fmt)
    items = list(source)
    entries = {item.entity_id: item for item in items if isinstance(item, WatchlistEntry)}
    return entries, [item for item in items if isinstance(item, LineProblem)], source


def test_ftm_persons_in_every_script() -> None:
    entries, _, _ = read(FIXTURES / "sample.jsonl")
    assert entries["kf-001"].names == ("Johan Albert Fictus", "Joe Fictus", "Jo")  # name, alias, weakAlias last
    assert entries["kf-002"].names == ("이서연", "Lee Seo-yeon", "Yi Seoyeon")
    assert entries["kf-003"].names == ("Александр Петрович Вымыслов", "Aleksandr Vymyslov")
    assert entries["kf-004"].names == ("محمد عبد الرحمن الخيالي",)
    assert entries["kf-005"].names == ("王小明", "Wang Xiaoming")
    assert entries["kf-006"].names == ("Γιώργος Νικόλαος Φανταστικός",)  # composed from first/middle/last
    assert entries["kf-001"].datasets == ("keta_fiction",)
    assert entries["kf-001"].passport_numbers == ("C01X00T6U",)


def test_ftm_partial_dates_countries_and_gender() -> None:
    entries, _, source = read(FIXTURES / "sample.jsonl")
    assert entries["kf-001"].birth_dates == (PartialDate(1980, 5, 1),)
    assert entries["kf-002"].birth_dates == (PartialDate(1980, 5),)
    assert entries["kf-003"].birth_dates == (PartialDate(1980),)
    assert entries["kf-005"].birth_dates == (PartialDate(1990, 12, 31),)  # a time part is cut off
    assert entries["kf-001"].nationalities == ("DEU",)
    assert entries["kf-003"].nationalities == ("RUS", "UKR")  # citizenship counts; "suhh" is historic
    assert entries["kf-004"].nationalities == ("GBR",)  # "gb-sct"
    assert entries["kf-005"].nationalities == ("CHN",)  # duplicates collapse
    assert (entries["kf-001"].gender, entries["kf-002"].gender, entries["kf-006"].gender) == ("M", "F", None)
    assert source.stats.unknown_countries == 2  # "suhh", "xx"


def test_ftm_invalid_dates_are_dropped_and_the_entity_kept() -> None:
    entries, problems, source = read(FIXTURES / "sample.jsonl")
    assert entries["kf-004"].birth_dates == (PartialDate(1975, 1, 1),)  # 1975-02-30 dropped
    assert entries["kf-009"].birth_dates == ()  # 1980-02-30 was its only date
    assert entries["kf-009"].names == ("Erika Mustermann-Fiktiv",)
    assert source.stats.dates_dropped == 2
    assert not [p for p in problems if p.code is Problem.INVALID_DATE]


def test_ftm_malformed_lines_are_reported_with_their_numbers() -> None:
    entries, problems, source = read(FIXTURES / "sample.jsonl")
    assert problems == [
        LineProblem(8, Problem.INVALID_JSON),
        LineProblem(9, Problem.MISSING_ID),
        LineProblem(10, Problem.NO_NAME),
    ]
    assert len(entries) == 7
    assert source.stats.schemas_skipped == {"Company": 2, "Vessel": 1}
    assert source.stats.problems == {"invalid_json": 1, "missing_id": 1, "no_name": 1}
    assert source.stats.bytes_read == source.stats.total_bytes == (FIXTURES / "sample.jsonl").stat().st_size


def test_problems_carry_no_personal_data(tmp_path: Path) -> None:
    path = tmp_path / "list.jsonl"
    path.write_text('{"schema": "Person", "properties": {"name": ["Secret Person"]}}\n[1, 2]\n\xff\n')
    _, problems, _ = read(path)
    assert problems == [
        LineProblem(1, Problem.MISSING_ID),
        LineProblem(2, Problem.INVALID_JSON),
        LineProblem(3, Problem.INVALID_JSON),
    ]
    assert "Secret" not in repr(problems)


def test_entries_alone_and_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.ndjson"
    path.write_bytes(b'\xef\xbb\xbf{"id": "x", "schema": "Person", "properties": {"name": ["A B"]}}\nnot json\n')
    assert [entry.entity_id for entry in read_watchlist(path).entries()] == ["x"]


def test_csv_with_aliases_dates_and_countries() -> None:
    entries, problems, source = read(FIXTURES / "sample.csv")
    assert entries["csv-1"] == WatchlistEntry(
        "csv-1", ("Ayşe Hayalî", "Ayse Hayali", "Ayshe Hayali"), (PartialDate(1985, 7),), ("TUR",)
    )
    assert entries["csv-2"].names == ("Иван Вымыслов", "Ivan Vymyslov")
    assert entries["csv-2"].birth_dates == (PartialDate(1970), PartialDate(1971))
    assert entries["csv-2"].nationalities == ("RUS",)
    assert entries["csv-6"].names == ('Jean "Le Fictif" Dupont',)
    assert (entries["csv-6"].birth_dates, entries["csv-6"].nationalities) == ((), ("FRA",))
    assert entries["csv-7"].names == ("Only An Alias",)
    assert problems == [
        LineProblem(4, Problem.NO_NAME),
        LineProblem(5, Problem.MISSING_ID),
        LineProblem(6, Problem.INVALID_ROW),  # an unquoted comma in a name shifts the columns
    ]
    assert (source.stats.dates_dropped, source.stats.unknown_countries) == (1, 1)


def test_format_from_extension_or_override(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_text("id,name\nt-1,Test Fictus\n")
    with pytest.raises(SourceError, match="give ftm or csv"):
        read_watchlist(path)
    assert [e.entity_id for e in read_watchlist(path, "csv").entries()] == ["t-1"]
    assert read_watchlist(FIXTURES / "sample.jsonl").format == "ftm"


def test_a_csv_without_the_header_is_a_file_error(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("t-1,Test Fictus\n")
    with pytest.raises(SourceError, match="expected the header id,name,aliases,birth_date,nationality"):
        list(read_watchlist(path))
    with pytest.raises(SourceError, match="cannot read"):
        read_watchlist(tmp_path / "missing.csv")
    with pytest.raises(SourceError, match="cannot read"):
        file_sha256(tmp_path / "missing.csv")


@pytest.mark.parametrize(
    ("code", "expected"),
    [("tr", "TUR"), ("TUR", "TUR"), ("gb-sct", "GBR"), ("de", "DEU"), ("D", "DEU"), ("suhh", None), ("zz", None)],
)
def test_country_codes(code: str, expected: str | None) -> None:
    assert alpha3_country(code) == expected


def test_documents_csv() -> None:
    source = DocumentsFile(FIXTURES / "lost_v2.csv")
    assert list(source) == [
        ReportedDocument("U12345678", "TUR", date(2026, 3, 4)),
        ReportedDocument("NEW00001", "KOR", date(2026, 3, 5)),
        LineProblem(4, Problem.INVALID_ROW),
        LineProblem(5, Problem.INVALID_DATE),
    ]
    assert list(DocumentsFile(FIXTURES / "lost_v1.csv"))[1:] == [
        ReportedDocument("X9876543", "DEU", date(2026, 2, 3)),  # the MRZ code "D"
        ReportedDocument("AB123", "GRC", None),
    ]


def test_file_checksum() -> None:
    assert file_sha256(FIXTURES / "lost_v1.csv") == file_sha256(FIXTURES / "lost_v1.csv")
    assert len(file_sha256(FIXTURES / "lost_v1.csv")) == 64
    assert file_sha256(FIXTURES / "lost_v1.csv") != file_sha256(FIXTURES / "lost_v2.csv")
