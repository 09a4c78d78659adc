"""`keta worker --concurrency 4` on PostgreSQL: four processes drain one queue and no job runs twice;
a child killed with SIGKILL is replaced; SIGTERM stops them all and the supervisor exits 0."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.conftest import TEST_DATA_KEY, Database
from tests.factories import member_json

from keta.adapters.clock import SystemClock
from keta.adapters.crypto import install_keyring
from keta.adapters.payments import SandboxPayments
from keta.adapters.policy_files import load_policy
from keta.config import DEV_SECRET_KEY
from keta.db.models import Application, ApplicationEvent, Job
from keta.db.queue import SCREEN_APPLICATION, enqueue
from keta.db.session import session_scope
from keta.domain.applications import Status
from keta.services import submission
from keta.services.lifecycle import move
from keta.services.runtime import Runtime
from keta.web.api.schemas import ApplicationIn

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("database", ["postgresql"], indirect=True)]
JOBS = 40
DECIDED = {Status.APPROVED.value, Status.IN_REVIEW.value, Status.REFUSED.value}


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def children(pid: int) -> set[int]:
    try:
        return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def running(pid: int) -> bool:
    """Alive, not a zombie waiting for whoever adopted it to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def paid_applications(database: Database, count: int) -> None:
    clock = SystemClock()  # the workers run on the real clock
    rt = Runtime(
        load_policy("kr"), clock, install_keyring(TEST_DATA_KEY), SandboxPayments(secret="x" * 32, clock=clock)
    )
    arrival = (rt.today() + timedelta(days=30)).isoformat()
    with session_scope(database.factory) as session:
        for index in range(count):
            body = member_json(index, travel__arrival_date=arrival)
            body["passport"]["expiry_date"] = f"{rt.today().year + 8}-01-01"
            applicant = ApplicationIn.model_validate(body).to_domain()
            application = submission.submit_application(session, rt, applicant=applicant, language="en")
            move(application, Status.PAID, actor="test", reasons=[], now=rt.now())
            session.flush()
            enqueue(session, SCREEN_APPLICATION, {"application_id": str(application.id)}, now=rt.now())


def test_four_worker_processes_never_run_a_job_twice_and_stop_on_sigterm(database: Database, tmp_path: Path) -> None:
    paid_applications(database, JOBS)
    env = {
        **os.environ,
        "KETA_ENV": "development",  # keta worker refuses the test environment
        "KETA_DATABASE_URL": database.url,
        "KETA_DATA_KEY": TEST_DATA_KEY,
        "KETA_SECRET_KEY": DEV_SECRET_KEY,
        "KETA_WORKER_POLL_SECONDS": "0.1",
        "KETA_JOB_LEASE_SECONDS": "30",
    }
    log = (tmp_path / "pool.log").open("w")
    command = [sys.executable, "-m", "keta", "worker", "--concurrency", "4"]
    supervisor = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: len(children(supervisor.pid)) == 4, 60, "four worker processes")
        first = children(supervisor.pid)

        def drained() -> bool:
            with database.factory() as session:
                return session.scalar(select(func.count()).select_from(Job).where(Job.status != "done")) == 0

        wait_for(drained, 120, "the queue to drain")
        with database.factory() as session:
            jobs = list(session.scalars(select(Job).where(Job.kind == SCREEN_APPLICATION)))
            statuses = set(session.scalars(select(Application.status)))
            moves = Counter(
                (row.application_id, row.to_status)
                for row in session.scalars(select(ApplicationEvent).where(ApplicationEvent.actor == "screening"))
            )
        assert len(jobs) == JOBS and {job.attempts for job in jobs} == {1}  # each claimed once
        assert statuses <= DECIDED
        # Each application moved into screening once and out of it once: no decision was made twice.
        assert sum(1 for (_, to), n in moves.items() if to == Status.SCREENING.value and n == 1) == JOBS
        assert sum(n for (_, to), n in moves.items() if to in DECIDED) == JOBS
        claimers = {job.claimed_by for job in jobs}
        assert {int(name.split(":")[1]) for name in claimers if name} <= first  # only the pool's children

        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        wait_for(lambda: len(children(supervisor.pid) - {victim}) == 4, 60, "a replacement worker")
        alive = children(supervisor.pid)
        assert victim not in alive and len(alive & first) == 3

        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(60) == 0
        for pid in alive:
            wait_for(lambda pid=pid: not running(pid), 30, f"worker {pid} to exit")  # type: ignore[misc]
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
            supervisor.wait(10)
        log.close()
    assert "exited with -9" in (tmp_path / "pool.log").read_text()


def test_children_stop_when_their_supervisor_is_killed(database: Database, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "KETA_ENV": "development",
        "KETA_DATABASE_URL": database.url,
        "KETA_DATA_KEY": TEST_DATA_KEY,
        "KETA_SECRET_KEY": DEV_SECRET_KEY,
    }
    with (tmp_path / "pool.log").open("w") as log:
        command = [sys.executable, "-m", "keta", "worker", "--concurrency", "2"]
        supervisor = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for(lambda: len(children(supervisor.pid)) == 2, 60, "two worker processes")
            orphans = children(supervisor.pid)
            supervisor.kill()  # no chance to pass anything on
            supervisor.wait(10)
            # Nobody would restart or stop them now: they notice and stop by themselves.
            for pid in orphans:
                wait_for(lambda pid=pid: not running(pid), 30, f"orphan {pid} to exit")  # type: ignore[misc]
        finally:
            if supervisor.poll() is None:
                supervisor.kill()
                supervisor.wait(10)
    assert (tmp_path / "pool.log").read_text().count("is gone; stopping") == 2
