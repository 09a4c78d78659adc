"""A worker killed mid-job (SIGKILL, not an exception): another worker finishes it, exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.conftest import NOW, Database

from keta.db.models import Job, LostDocument
from keta.db.queue import enqueue

WORKER = Path(__file__).with_name("effect_worker.py")
ROOT = Path(__file__).resolve().parents[2]


def start_worker(database: Database, name: str, lease: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(WORKER), database.url, name, str(lease)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.slow
def test_killed_worker_job_is_finished_once_by_another(database: Database, tmp_path: Path) -> None:
    started = tmp_path / "started"
    with database.factory() as session:
        job = enqueue(
            session,
            "test.effect",
            {"marker": "crash1", "stall_first_attempt": True, "started_file": str(started)},
            now=NOW,
        )
        session.commit()
        job_id = job.id

    first = start_worker(database, "worker-A", lease=2)
    try:
        wait_for(started.exists, 30, "worker A to be inside the job")
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == -signal.SIGKILL

    second = start_worker(database, "worker-B", lease=2)
    try:

        def done() -> bool:
            with database.factory() as session:
                return session.get(Job, job_id).status == "done"  # type: ignore[union-attr]

        wait_for(done, 60, "worker B to finish the job")
    finally:
        second.terminate()
        second.wait(10)

    with database.factory() as session:
        finished = session.get(Job, job_id)
        assert finished is not None
        assert (finished.status, finished.attempts, finished.claimed_by) == ("done", 2, "worker-B")
        effects = list(
            session.scalars(select(LostDocument.document_key).where(LostDocument.document_key.like("RUN:crash1:%")))
        )
    assert effects == ["RUN:crash1:2"]  # the killed attempt's effect never committed


@pytest.mark.slow
def test_two_workers_drain_the_queue_without_doing_a_job_twice(database: Database) -> None:
    with database.factory() as session:
        for index in range(40):
            enqueue(session, "test.effect", {"marker": f"many{index}"}, now=NOW)
        session.commit()
    workers = [start_worker(database, f"worker-{n}", lease=30) for n in ("C", "D")]
    try:

        def drained() -> bool:
            with database.factory() as session:
                return session.scalar(select(func.count()).select_from(Job).where(Job.status != "done")) == 0

        wait_for(drained, 60, "the queue to drain")
    finally:
        for process in workers:
            process.terminate()
            process.wait(10)
    with database.factory() as session:
        effects = list(session.scalars(select(LostDocument.document_key).where(LostDocument.source == "crash-test")))
        claimers = set(session.scalars(select(Job.claimed_by)))
        attempts = set(session.scalars(select(Job.attempts)))
    assert sorted(effects) == sorted(f"RUN:many{i}:1" for i in range(40))
    assert attempts == {1}
    assert claimers <= {"worker-C", "worker-D"}
