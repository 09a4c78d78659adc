"""`keta bench soak`, half a minute: several processes on PostgreSQL, every kind of request
answered without an error, and the report's lines (latency per kind, RSS at start and end)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import create_engine, inspect
from tests.conftest import _postgres_url

from keta.db.engine import normalize_url

KINDS = ("eligibility", "submit", "payment", "webhook", "lookup", "carrier")


@pytest.mark.slow
def test_soak_drives_every_kind_without_errors_and_reports_memory() -> None:
    base = _postgres_url()
    if base is None:
        pytest.skip("PostgreSQL not reachable")
    schema = f"keta_soak_test_{uuid.uuid4().hex[:8]}"
    command = [sys.executable, "-m", "keta", "bench", "soak", "--minutes", "0.5", "--rate", "20"]
    command += ["--authorizations", "1000", "--clients", "4", "--database-url", base, "--schema", schema]
    env = {k: v for k, v in os.environ.items() if k != "KETA_ENV"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=400, env=env, check=False)
    output = done.stdout
    assert done.returncode == 0, output + done.stderr[-3000:]
    for kind in KINDS:
        [row] = [line for line in output.splitlines() if line.startswith(kind + " ")]
        requests, _, errors, p50, p99, _ = row[len(kind) :].split()
        assert int(requests.replace(",", "")) > 0 and errors == "0", row
        assert 0 < float(p50) <= float(p99), row
    assert "errors: 0 (goal 0)" in output, output
    for process in ("keta serve", "keta worker"):
        found = re.search(rf"^RSS {process}: (\d+) MiB at start, \d+ MiB after the first minute, (\d+) MiB at the end",
                          output, re.MULTILINE)  # fmt: skip
        assert found and int(found.group(1)) > 0 and int(found.group(2)) > 0, output
    assert re.search(r"paid applications still undecided after that: 0$", output, re.MULTILINE), output
    cpu = re.search(r"^server CPU: ([\d.]+) ms per request .*; worker CPU: ([\d.]+) ms per paid application", output,
                    re.MULTILINE)  # fmt: skip
    assert cpu and float(cpu.group(1)) > 0 and float(cpu.group(2)) > 0, output
    engine = create_engine(normalize_url(base))
    assert schema not in inspect(engine).get_schema_names()  # dropped afterwards
    engine.dispose()
