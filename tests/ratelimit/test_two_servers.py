"""Two real `keta serve` processes on one PostgreSQL database: a client's look-up budget is one
budget across both, with the database limiter and with Redis. Look-ups go to the servers in turn;
the one past the limit is refused by whichever server it reaches, and so is every later one."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

import pytest
from tests.conftest import TEST_DATA_KEY, Database

LIMIT = 3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def keta_serve(folder: Path, name: str, env: dict[str, str]) -> Iterator[str]:
    port, log = free_port(), folder / f"{name}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "keta", "serve", "--port", str(port)],
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except (URLError, ConnectionError):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError(f"keta serve did not start:\n{log.read_text()}") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(15)


def lookup(base: str, reference: str) -> tuple[int, str | None, dict[str, object]]:
    request = Request(
        f"{base}/api/v1/applications/{reference}/lookup",
        data=json.dumps({"passport_number": "U12345678"}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("Retry-After"), json.loads(response.read())
    except HTTPError as error:
        return error.code, error.headers.get("Retry-After"), json.loads(error.read())


@pytest.fixture(params=["database", "redis"])
def limiter_url(request: pytest.FixtureRequest) -> str:
    return "database" if request.param == "database" else str(request.getfixturevalue("redis_url"))


@pytest.mark.slow
def test_two_servers_share_one_look_up_budget(tmp_path: Path, postgresql_database: Database, limiter_url: str) -> None:
    env = {
        "KETA_ENV": "development",  # keta serve refuses the test environment
        "KETA_DATABASE_URL": postgresql_database.url,
        "KETA_DATA_KEY": TEST_DATA_KEY,
        # A secret of this run's own: the limiter's hashed keys then collide with no earlier run's in Redis.
        "KETA_SECRET_KEY": secrets.token_urlsafe(32),
        "KETA_EMBEDDED_WORKER": "false",
        "KETA_RATE_LIMIT_URL": limiter_url,
        "KETA_RATE_LIMIT_LOOKUP_CLIENT": f"{LIMIT}/600",
        "KETA_RATE_LIMIT_LOOKUP_REFERENCE": "1000/600",
        "PYTHONUNBUFFERED": "1",
    }
    with ExitStack() as servers:
        bases = [servers.enter_context(keta_serve(tmp_path, name, env)) for name in ("first", "second")]
        answers = [lookup(bases[i % 2], f"AK7M2-9QXR-T{i:03d}") for i in range(LIMIT + 3)]
    statuses = [status for status, _, _ in answers]
    assert statuses == [404] * LIMIT + [429] * 3, statuses
    for _, retry_after, body in answers[LIMIT:]:
        assert retry_after is not None and 1 <= int(retry_after) <= 600
        assert body["error"]["code"] == "rate_limited"  # type: ignore[index]
