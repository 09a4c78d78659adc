"""keta watchlist import | list | rollback and keta documents import, through click's runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from tests.conftest import Database

from keta.cli import main
from keta.db.models import LostDocument

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "watchlists"


@pytest.fixture
def keta(database: Database, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("KETA_DATABASE_URL", database.url)
    return CliRunner()


def run(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_import_reports_bad_lines_and_list_shows_the_version(keta: CliRunner) -> None:
    code, output = run(keta, "watchlist", "import", str(FIXTURES / "small.jsonl"), "--list", "fiction")
    assert code == 0, output
    assert "fiction: version 1 active — 3 entities loaded" in output
    assert "skipped 2 lines: invalid_json 1, missing_id 1" in output
    assert "skipped other schemas: Company 1" in output
    assert "line 2: invalid_json\nline 4: missing_id\n" in output
    assert "Fictus" not in output and "김민준" not in output  # no personal data in the report
    code, output = run(keta, "watchlist", "list")
    assert code == 0
    header, row = output.splitlines()
    assert header.split()[:4] == ["NAME", "VERSION", "ENTITIES", "SKIPPED"]
    fields = row.split()
    assert (fields[:4], fields[-1]) == (["fiction", "1", "3", "2"], "small.jsonl")


def test_reimport_and_rollback(keta: CliRunner) -> None:
    assert run(keta, "watchlist", "import", str(FIXTURES / "small.jsonl"), "--list", "fiction")[0] == 0
    code, output = run(keta, "watchlist", "import", str(FIXTURES / "small_v2.jsonl"), "--list", "fiction")
    assert (code, "fiction: version 2 active — 2 entities loaded" in output) == (0, True)
    assert run(keta, "watchlist", "list")[1].splitlines()[1].split()[:3] == ["fiction", "2", "2"]
    assert run(keta, "watchlist", "rollback", "fiction") == (0, "fiction: version 1 active again\n")
    assert run(keta, "watchlist", "list")[1].splitlines()[1].split()[:3] == ["fiction", "1", "3"]
    code, output = run(keta, "watchlist", "rollback", "nothing")
    assert (code, output) == (1, "Error: no watchlist named 'nothing'\n")


def test_files_that_cannot_be_imported_are_one_line_errors(keta: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n{}\n")
    code, output = run(keta, "watchlist", "import", str(bad), "--list", "fiction")
    assert (code, output) == (1, "Error: bad.jsonl: no usable entry (2 lines skipped); the list is unchanged\n")
    unknown = tmp_path / "list.xml"
    unknown.write_text("<list/>")
    code, output = run(keta, "watchlist", "import", str(unknown), "--list", "fiction")
    assert (code, output) == (1, "Error: list.xml: cannot tell the format from the extension; give ftm or csv\n")
    code, output = run(keta, "watchlist", "import", str(unknown), "--list", "fiction", "--format", "csv")
    assert (code, output) == (1, "Error: list.xml: expected the header id,name,aliases,birth_date,nationality\n")
    code, output = run(keta, "watchlist", "list")  # the failed import left the list without a version
    assert output.splitlines()[1].split() == ["fiction", "-", "0", "0", "-", "-"]


def test_list_before_any_import(keta: CliRunner) -> None:
    assert run(keta, "watchlist", "list") == (0, "no watchlists yet: keta watchlist import FILE --list NAME\n")


def test_csv_watchlist(keta: CliRunner) -> None:
    code, output = run(keta, "watchlist", "import", str(FIXTURES / "sample.csv"), "--list", "csv-list")
    assert code == 0, output
    assert "csv-list: version 1 active — 4 entities loaded" in output
    assert "kept without their bad values: 1 invalid birth dates, 1 unknown nationality codes" in output


def test_documents_import_replaces_the_list(keta: CliRunner, database: Database) -> None:
    code, output = run(keta, "documents", "import", str(FIXTURES / "lost_v1.csv"))
    assert (code, output) == (0, "3 new, 0 already listed, 0 skipped; 0 no longer listed, removed\n")
    code, output = run(keta, "documents", "import", str(FIXTURES / "lost_v2.csv"))
    assert code == 0, output
    assert output == (
        "line 4: skipped (invalid_row)\nline 5: skipped (invalid_date)\n"
        "1 new, 1 already listed, 2 skipped; 2 no longer listed, removed\n"
    )
    with database.factory() as session:
        keys = set(session.scalars(select(LostDocument.document_key)))
    assert keys == {"TUR:U12345678", "KOR:NEW00001"}
