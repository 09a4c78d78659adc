"""`keta bench crash`, short: API processes and workers killed with SIGKILL under a submission and
payment load on PostgreSQL; every acknowledged application exists, each paid one was screened
exactly once, no job is stuck, no decision is duplicated, no answer was a 5xx."""

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

ZERO = (
    "missing after 201",
    "unacknowledged applications",
    "paid but not decided",
    "screened more than once",
    "decisions duplicated",
    "screening jobs duplicated",
    "stuck jobs",
    "dead jobs",
    "5xx answers",
)


def count(output: str, name: str) -> int:
    found = re.search(rf"^{re.escape(name)} +(\d+)$", output, re.MULTILINE)
    assert found, f"no line {name!r} in:\n{output}"
    return int(found.group(1))


@pytest.mark.slow
def test_processes_killed_under_load_lose_and_repeat_nothing() -> None:
    base = _postgres_url()
    if base is None:
        pytest.skip("PostgreSQL not reachable")
    schema = f"keta_crash_test_{uuid.uuid4().hex[:8]}"
    command = [sys.executable, "-m", "keta", "bench", "crash", "--applications", "80", "--seconds", "240"]
    command += ["--kills", "4", "--database-url", base, "--schema", schema, "--seed", "3"]
    env = {k: v for k, v in os.environ.items() if k != "KETA_ENV"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=400, env=env, check=False)
    output = done.stdout
    assert done.returncode == 0, output + done.stderr[-3000:]
    assert output.rstrip().endswith("crash drill: PASSED"), output
    for name in ZERO:
        assert count(output, name) == 0, output
    acknowledged, paid = count(output, "acknowledged (201)"), count(output, "paid (webhook 200)")
    assert acknowledged > 0 and paid == acknowledged == count(output, "screened exactly once"), output
    [line] = [line for line in output.splitlines() if line.startswith("processes killed with SIGKILL")]
    kills = {name: int(n) for name, n in re.findall(r"(api-\d|worker-\d) (\d+)", line)}
    # Servers and workers in turn, spread over the submissions: two of each, whatever the machine's speed.
    assert sum(n for name, n in kills.items() if name.startswith("api")) == 2, line
    assert sum(n for name, n in kills.items() if name.startswith("worker")) == 2, line
    engine = create_engine(normalize_url(base))
    assert schema not in inspect(engine).get_schema_names()  # dropped afterwards
    engine.dispose()
