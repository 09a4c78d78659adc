"""The worker loop: claim one job, run it in its own transaction, record the outcome, repeat.

Used standalone (`keta worker`) and embedded in `keta serve` (a thread). Many workers — threads
or processes on many machines — can drain the same table; see `keta.db.queue` for why each
job's effects commit exactly once. The loop also enqueues the periodic jobs that are due
(`keta.jobs.schedule`), so every worker is a scheduler too and no single one is needed.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from keta.adapters.safelog import describe
from keta.db import queue
from keta.db.session import session_scope
from keta.jobs import tasks  # noqa: F401 - registers the handlers keta ships
from keta.jobs.handlers import JobContext, dispatch
from keta.jobs.schedule import Scheduler
from keta.services.runtime import Runtime

log = logging.getLogger("keta.worker")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Worker:
    def __init__(
        self,
        factory: sessionmaker[Session],
        runtime: Runtime,
        *,
        lease_seconds: int = 60,
        poll_seconds: float = 0.5,
        name: str | None = None,
        scheduler: Scheduler | None = None,
    ) -> None:
        self.factory, self.runtime, self.clock = factory, runtime, runtime.clock
        self.lease = timedelta(seconds=lease_seconds)
        self.poll_seconds = poll_seconds
        self.name = name or worker_name()
        self.stopping = threading.Event()
        self.scheduler = scheduler  # None: this worker only drains the queue (tests, `keta demo`'s seeding)

    def schedule_due(self) -> int:
        """Enqueue the periodic jobs whose period has begun; how many this worker inserted."""
        if self.scheduler is None:
            return 0
        return self.scheduler.tick(self.factory, self.runtime)

    def run_once(self) -> bool:
        """Claim and run at most one job; True when a job was found."""
        with session_scope(self.factory) as session:
            claim = queue.claim_next(session, worker=self.name, now=self.clock.now(), lease=self.lease)
        if claim is None:
            return False
        log.info("job %s kind=%s attempt=%d claimed", claim.job_id, claim.kind, claim.attempt)
        try:
            with session_scope(self.factory) as session:
                dispatch(claim.kind, JobContext(session, self.runtime, claim.payload, claim.attempt, self.clock.now()))
                queue.complete(session, claim, now=self.clock.now())
        except queue.LeaseLost:
            log.warning("job %s: lease lost to another worker; effects rolled back", claim.job_id)
        except Exception as exc:
            # Only the exception type and our own frames are logged: messages may quote personal data.
            error = describe(exc)
            with session_scope(self.factory) as session:
                outcome = queue.fail(session, claim, now=self.clock.now(), error=error)
            log.error("job %s kind=%s failed with %s -> %s", claim.job_id, claim.kind, type(exc).__name__, outcome)
        else:
            log.info("job %s done", claim.job_id)
        return True

    def run_until_idle(self, max_jobs: int = 10_000) -> int:
        done = 0
        while done < max_jobs and self.run_once():
            done += 1
        return done

    def run_forever(self) -> None:
        log.info("worker %s started", self.name)
        while not self.stopping.is_set():
            try:
                self.schedule_due()
                found = self.run_once()
            except Exception:
                log.exception("worker %s: scheduling or claiming failed; retrying", self.name)
                found = False
            if not found:
                self.stopping.wait(self.poll_seconds)
        log.info("worker %s stopped", self.name)

    def start_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.run_forever, name=f"keta-worker-{self.name}", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.stopping.set()
