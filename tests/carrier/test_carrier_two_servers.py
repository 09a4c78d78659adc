"""Two `keta serve` processes on one PostgreSQL database: a carrier's rate limit is one budget
across both (database or Redis limiter), and a revocation made anywhere is seen by both at once."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

import pytest
from tests.carrier.helpers import CHECKS, CarrierResponses, create_carrier, passenger, sensitive_values, set_status
from tests.conftest import TEST_DATA_KEY, Database
from tests.factories import applicant

from keta.adapters.clock import SystemClock, local_date
from keta.db.base import Base
from keta.db.session import session_scope
from keta.domain.applications import Status
from keta.services import submission
from keta.services.lifecycle import move
from keta.services.runtime import Runtime

# The servers run on the real clock: arrive a week from today in Seoul.
ARRIVAL = local_date(SystemClock().now(), "Asia/Seoul") + timedelta(days=7)
BODY = {"passengers": [passenger(arrival_date=ARRIVAL.isoformat())]}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def keta_serve(folder: Path, database_url: str, rate_limit_url: str, name: str) -> Iterator[str]:
    port = free_port()
    log = folder / f"{name}.log"
    env = {
        **os.environ,
        "KETA_ENV": "development",  # keta serve refuses the test environment
        "KETA_DATABASE_URL": database_url,
        "KETA_DATA_KEY": TEST_DATA_KEY,
        "KETA_EMBEDDED_WORKER": "false",
        "KETA_RATE_LIMIT_URL": rate_limit_url,
        "PYTHONUNBUFFERED": "1",
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "keta", "serve", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT
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


def check(base: str, key: str, body: dict[str, Any]) -> tuple[int, dict[str, str], str]:
    request = Request(
        base + CHECKS,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
    )
    try:
        with urlopen(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read().decode()
    except HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read().decode()


@pytest.fixture(params=["postgresql-database", "postgresql-redis"])
def limiter_url(request: pytest.FixtureRequest) -> str:
    return "database" if request.param.endswith("database") else str(request.getfixturevalue("redis_url"))


@pytest.mark.slow
def test_two_servers_share_one_budget_and_see_a_revocation_at_once(
    tmp_path: Path,
    postgresql_database: Database,
    limiter_url: str,
    runtime: Runtime,
    carrier_responses: CarrierResponses,
) -> None:
    database = postgresql_database
    try:
        # A budget of its own per run: Redis keeps counts between runs, the tables do not.
        key = create_carrier(database, f"Two Servers {os.getpid()} {time.monotonic_ns()}", per_minute=4)
        with session_scope(database.factory) as session:
            application = submission.submit_application(session, runtime, applicant=applicant(), language="en")
            for status in (Status.PAID, Status.SCREENING):
                move(application, status, actor="test", reasons=[], now=runtime.now())
            application.valid_from, application.valid_until = runtime.today(), ARRIVAL + timedelta(days=365)
            move(application, Status.APPROVED, actor="test", reasons=["screening_clear"], now=runtime.now())
            reference = application.reference

        with ExitStack() as servers:
            first = servers.enter_context(keta_serve(tmp_path, database.url, limiter_url, "first"))
            second = servers.enter_context(keta_serve(tmp_path, database.url, limiter_url, "second"))
            answers = []
            for base in (first, second, first):
                answers.append(check(base, key, BODY))
            set_status(database, reference, Status.REVOKED, reasons=("officer_decision",))
            answers.append(check(second, key, BODY))  # the 4th request of the minute: the last allowed
            answers.append(check(first, key, BODY))  # the 5th: refused, whichever server gets it
            answers.append(check(second, key, BODY))
        for sent, (status, _, body) in zip([BODY] * len(answers), answers, strict=True):
            carrier_responses.record(sent, status, body, sensitive_values(database, runtime.keyring))

        statuses = [status for status, _, _ in answers]
        assert statuses == [200, 200, 200, 200, 429, 429]
        assert [json.loads(body)["results"][0]["status"] for _, _, body in answers[:4]] == ["OK", "OK", "OK", "NOT_OK"]
        _, headers, body = answers[4]
        assert 1 <= int(headers["retry-after"]) <= 60
        assert json.loads(body)["error"]["code"] == "rate_limited"
    finally:
        with database.engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())
