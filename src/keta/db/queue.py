"""The job protocol, on one table, for SQLite and PostgreSQL.

- **Enqueue** is an INSERT in the caller's transaction: a job exists only if the data it is about
  was committed (the transactional outbox). Nothing runs for data that rolled back.
- **Claim** is a short transaction of its own: pick the oldest runnable job — queued and due, or
  running with an expired lease (its worker died) — mark it running with a lease, commit. PostgreSQL
  uses `FOR UPDATE SKIP LOCKED` so claimers never wait for each other; SQLite serializes writers.
- **Enqueue once** (`enqueue_once`) inserts unless a job with the same `dedupe_key` was ever
  enqueued: the scheduler's periodic jobs use it so every worker may try, and one row wins.
- **Complete** happens inside the handler's transaction and only if this worker still holds the
  claim. A worker that lost its lease (or died) cannot also commit the job's effects, so each job's
  effects are committed exactly once even when it ran twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from keta.db.models import Job

QUEUED, RUNNING, DONE, DEAD = "queued", "running", "done", "dead"

# Job kinds written by services; their handlers live in keta.jobs (the layer above services).
SCREEN_APPLICATION = "screen_application"
RESCREEN_START = "rescreen_start"
RESCREEN_BATCH = "rescreen_batch"


class LeaseLost(Exception):
    """Another worker took this job over; our transaction must roll back."""


@dataclass(frozen=True, slots=True)
class Claim:
    job_id: uuid.UUID
    kind: str
    payload: dict[str, Any]
    attempt: int
    worker: str


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    *,
    now: datetime,
    delay: timedelta = timedelta(0),
    max_attempts: int = 5,
) -> Job:
    job = Job(
        kind=kind,
        payload=payload,
        status=QUEUED,
        attempts=0,
        max_attempts=max_attempts,
        run_after=now + delay,
        created_at=now,
    )
    session.add(job)
    return job


def enqueue_once(
    session: Session, kind: str, payload: dict[str, Any], *, dedupe_key: str, now: datetime, max_attempts: int = 5
) -> bool:
    """Insert the job unless one with `dedupe_key` exists (ever enqueued, whatever its state); True
    when this call inserted it. The unique index decides, so two workers racing both succeed and
    exactly one row exists: `INSERT … ON CONFLICT DO NOTHING` on both backends, never an error that
    would abort the caller's transaction."""
    values = {
        "id": uuid.uuid4(),
        "kind": kind,
        "payload": payload,
        "status": QUEUED,
        "attempts": 0,
        "max_attempts": max_attempts,
        "run_after": now,
        "created_at": now,
        "dedupe_key": dedupe_key,
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Job).values(values).on_conflict_do_nothing(index_elements=[Job.dedupe_key])
    # RETURNING, not rowcount: psycopg reports -1 for this statement; a skipped row returns nothing.
    return session.execute(statement.returning(Job.id)).first() is not None


def claim_next(session: Session, *, worker: str, now: datetime, lease: timedelta) -> Claim | None:
    """Claim one job; the caller commits right after so the claim is visible to other workers."""
    runnable = or_(
        (Job.status == QUEUED) & (Job.run_after <= now),
        (Job.status == RUNNING) & (Job.lease_until < now),
    )
    query = select(Job).where(runnable).order_by(Job.run_after, Job.created_at).limit(1)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    job = session.scalars(query).first()
    if job is None:
        return None
    job.status = RUNNING
    job.attempts += 1
    job.lease_until = now + lease
    job.claimed_by = worker
    session.flush()
    return Claim(job.id, job.kind, dict(job.payload), job.attempts, worker)


def complete(session: Session, claim: Claim, *, now: datetime) -> None:
    """Mark done in the handler's own transaction; refuse if the claim was lost."""
    result = session.execute(
        update(Job)
        .where(
            Job.id == claim.job_id, Job.status == RUNNING, Job.claimed_by == claim.worker, Job.attempts == claim.attempt
        )
        .values(status=DONE, finished_at=now, lease_until=None, last_error=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise LeaseLost(str(claim.job_id))


def fail(session: Session, claim: Claim, *, now: datetime, error: str) -> str:
    """Record a failure; retry with exponential back-off, or park the job as dead."""
    job = session.get(Job, claim.job_id)
    if job is None or job.claimed_by != claim.worker or job.attempts != claim.attempt:
        return "lost"
    job.last_error = error[:2000]
    job.lease_until = None
    if job.attempts >= job.max_attempts:
        job.status, job.finished_at = DEAD, now
    else:
        job.status, job.run_after = QUEUED, now + timedelta(seconds=min(300, 2**job.attempts))
    return job.status
