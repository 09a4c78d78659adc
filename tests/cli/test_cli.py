"""The command line, through click's runner and (for the installed entry point) a real process."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import Database

from keta.cli import main
from keta.domain.mrz import render_td3

SPECIMEN = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_eligibility_json_for_one_case() -> None:
    code, output = run(
        "eligibility", "--nationality", "TUR", "--birth-date", "2008-12-01", "--arrival", "2026-11-30", "--json"
    )
    assert code == 0
    assert json.loads(output) == {"outcome": "exempt", "reasons": ["age_17_or_under"]}
    code, output = run(
        "eligibility", "--nationality", "TUR", "--birth-date", "2008-12-01", "--arrival", "2026-12-01", "--json"
    )
    assert json.loads(output) == {"outcome": "required", "reasons": ["authorization_required"]}


def test_eligibility_file_keeps_ids_and_reports_bad_lines(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        "\n".join(
            [
                json.dumps({"id": "a", "nationality": "KOR", "birth_date": "1990-01-01", "arrival_date": "2026-12-01"}),
                json.dumps({"id": "b", "nationality": "CHN", "birth_date": "2015-01-01", "arrival_date": "2026-12-01"}),
                json.dumps({"id": "c", "nationality": "USA", "birth_date": "1990-01-01", "arrival_date": "2026-12-31"}),
                json.dumps({"id": "d", "nationality": "USA", "birth_date": "1990-02-30", "arrival_date": "2027-01-01"}),
                "this is not json",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    code, output = run("eligibility", "--input", str(cases))
    lines = [json.loads(line) for line in output.splitlines()]
    assert code == 1  # some lines were invalid
    assert lines[0] == {"id": "a", "outcome": "not_applicable", "reasons": ["korean_national"]}
    assert lines[1] == {"id": "b", "outcome": "visa_required", "reasons": ["not_visa_free"]}
    assert lines[2] == {"id": "c", "outcome": "exempt", "reasons": ["temporary_exemption"]}
    assert lines[3]["id"] == "d"
    assert lines[3]["error"]["fields"] == [{"path": "birth_date", "code": "invalid_date"}]
    assert lines[4] == {"line": 5, "error": {"code": "invalid_format", "fields": []}}


def test_mrz_check_valid_and_invalid() -> None:
    code, output = run("mrz", "check", *SPECIMEN)
    assert code == 0
    parsed = json.loads(output)
    assert parsed["valid"] is True
    assert parsed["fields"]["surname"] == "ERIKSSON"
    assert parsed["fields"]["birth_date"] == "1974-08-12"
    broken = SPECIMEN[1][:13] + "8" + SPECIMEN[1][14:]  # birth date 740812 -> 840812
    code, output = run("mrz", "check", SPECIMEN[0], broken)
    assert code == 1
    assert json.loads(output)["problems"] == [
        {"field": "birth_date", "code": "birth_date_check_digit"},
        {"field": "composite", "code": "composite_check_digit"},
    ]


def test_mrz_rendered_by_the_domain_checks_out() -> None:
    from datetime import date

    lines = render_td3(
        issuing_state="TUR",
        surname="Öztürk",
        given_names="Ayşe",
        document_number="U12345678",
        nationality="TUR",
        birth_date=date(1990, 4, 12),
        sex="F",
        expiry_date=date(2033, 4, 11),
    )
    assert run("mrz", "check", *lines)[0] == 0


def test_documents_import_reports_bad_lines(
    tmp_path: Path, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KETA_DATABASE_URL", database.url)
    csv_file = tmp_path / "lost.csv"
    csv_file.write_text(
        "document_number,issuing_country,reported_on\nU 1234-5678,tur,2026-01-02\n"
        ",TUR,2026-01-02\nX1,TURKEY,2026-01-02\nZ9,GRC,not-a-date\nU12345678,TUR,\n"
    )
    result = CliRunner().invoke(main, ["documents", "import", str(csv_file)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "1 new, 1 already listed, 3 skipped" in result.output
    assert "line 3: skipped" in result.output


def test_installed_entry_point_runs(tmp_path: Path) -> None:
    keta = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "keta"
    if not keta.exists():
        pytest.skip("no .venv entry point (suite not run through make)")
    completed = subprocess.run([str(keta), "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert completed.returncode == 0
    assert "eligibility" in completed.stdout and "worker" in completed.stdout


def test_db_upgrade_on_a_fresh_sqlite_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    monkeypatch.setenv("KETA_DATABASE_URL", url)
    code, _ = run("db", "upgrade")
    assert code == 0
    assert (tmp_path / "fresh.db").stat().st_size > 0
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    assert {"applications", "jobs", "groups", "alembic_version"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_serve_refuses_insecure_default_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KETA_ENV", raising=False)
    code, output = run("serve", "--port", "1")
    assert code == 1
    assert "KETA_SECRET_KEY must be set outside development" in output
    monkeypatch.setenv("KETA_SECRET_KEY", "Hq3vTz8LwY2nRc6KpX9mB4sJfD7gA1eU")
    monkeypatch.setenv("KETA_DATA_KEY", "short")
    code, output = run("serve", "--port", "1")
    assert code == 1
    assert "KETA_DATA_KEY must be" in output


def test_a_bad_policy_file_is_a_one_line_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('[policy]\ncode = "x"\n')
    code, output = run(
        "eligibility",
        "--policy",
        str(broken),
        "--nationality",
        "TUR",
        "--birth-date",
        "1990-01-01",
        "--arrival",
        "2026-12-01",
    )
    assert code == 1
    assert output.startswith("Error: broken.toml: bad key")
