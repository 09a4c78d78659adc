"""`keta bench rescreen` with a tiny N: the real job path end to end, on a fresh SQLite file and in a
PostgreSQL schema of its own (a smoke test: the numbers are the benchmark's business, not a test's)."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from tests.conftest import _postgres_url

from keta.cli import main
from keta.db.engine import normalize_url


def bench(*extra: str, json_path: Path) -> str:
    args = ["bench", "rescreen", "--authorizations", "300", "--entities", "200", "--planted", "0.1", "--lost", "0.02",
            "--batch-size", "64", "--json", str(json_path), *extra]  # fmt: skip
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def check(output: str, json_path: Path) -> None:
    assert "run: done, total 300, screened 300" in output
    assert "— the same authorizations" in output
    assert output.rstrip().splitlines()[-1].startswith("ratio re-screening / engine alone: ")
    numbers = json.loads(json_path.read_text())
    assert numbers["jobs"] == 1 + 5  # the start job and ceil(300 / 64) batches
    assert numbers["planted"] == 30 and numbers["lost"] == 6
    assert numbers["cases"]["document_alert"] == 6  # every lost passport raised
    assert numbers["planted_found"] >= 27  # listed persons under their romanized names
    assert numbers["opened_equals_expected"] is True and numbers["rate"] > 0 and numbers["baseline_qps"] > 0


def test_on_a_fresh_sqlite_file(tmp_path: Path) -> None:
    before = set(Path(tempfile.gettempdir()).glob("keta-bench-*"))
    check(bench(json_path=tmp_path / "out.json"), tmp_path / "out.json")
    assert set(Path(tempfile.gettempdir()).glob("keta-bench-*")) == before  # the file is gone


def test_in_a_postgresql_schema_of_its_own(tmp_path: Path) -> None:
    url = _postgres_url()
    if url is None:
        pytest.skip("PostgreSQL not reachable")
    output = bench("--database-url", url, json_path=tmp_path / "out.json")
    check(output, tmp_path / "out.json")
    [schema] = re.findall(r"PostgreSQL \(schema (keta_bench_rescreen_[0-9a-f]{8})\)", output)
    engine = create_engine(normalize_url(url))
    with engine.connect() as connection:
        left = connection.execute(text("SELECT count(*) FROM pg_namespace WHERE nspname = :s"), {"s": schema}).scalar()
    engine.dispose()
    assert left == 0  # dropped afterwards
