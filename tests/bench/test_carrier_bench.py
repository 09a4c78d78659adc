"""`keta bench carrier` end to end at a tiny size: load, two servers, wrk, the report's lines."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import create_engine, inspect
from tests.conftest import _postgres_url

from keta.db.engine import normalize_url


@pytest.mark.slow
def test_bench_carrier_runs_and_reports_the_ratio_and_the_targets() -> None:
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (make system-deps)")
    base = _postgres_url()
    if base is None:
        pytest.skip("PostgreSQL not reachable")
    schema = f"keta_bench_test_{uuid.uuid4().hex[:8]}"
    command = [sys.executable, "-m", "keta", "bench", "carrier", "--authorizations", "500", "--seconds", "1"]
    command += ["--clients", "4", "--database-url", base, "--schema", schema]
    env = {k: v for k, v in os.environ.items() if k != "KETA_ENV"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert any(line.startswith("loaded 500 approved authorizations: COPY") for line in lines), done.stdout
    for scenario in ("ceiling: constant endpoint", "single check", "manifest of 300"):
        [row] = [line for line in lines if line.startswith(scenario + "  ")]
        fields = row[len(scenario) :].split()
        clients, per_second, _, _, _, failed, cpu_per_request = fields
        assert (clients, failed) == ("4", "0"), row  # no error answers
        assert float(per_second.replace(",", "")) > 0 and float(cpu_per_request) > 0, row
    assert any(line.startswith("single checks / ceiling at 4 clients: ") for line in lines)
    assert any(line.startswith("  ceiling / single check server CPU per request at 4 clients: ") for line in lines)
    assert any(line.startswith("300-passenger manifest p99 at 4 clients: ") for line in lines)
    assert any(line.startswith("server peak RSS: ") for line in lines)
    engine = create_engine(normalize_url(base))
    assert schema not in inspect(engine).get_schema_names()  # dropped afterwards
    engine.dispose()
