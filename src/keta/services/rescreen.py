"""Continuous re-screening: every valid authorization is checked again when a list it was screened
against changes, in batches any number of workers share.

    a list switches (watchlist import or rollback, lost/stolen import)
      └─ in the switch's own transaction: a `rescreen_start` job                    request()
    rescreen_start: a RescreenRun (trigger, total) and one `rescreen_batch` job per
      BATCH_SIZE valid authorizations, each a keyset range of application ids       start_run()
    rescreen_batch: decrypt, check, open cases, add to the run's counters           run_batch()

Keyset ranges, not offsets: a range means the same rows however many authorizations were approved
or expired meanwhile, and batches run in any order, on any worker. A batch is one job, so the queue
commits its effects exactly once even when it ran twice (a worker that lost its lease rolls back),
and it never opens a second case for an application that already has an open one.

`screened` counts the authorizations the run has dealt with: each batch adds the number its range
held when the run started (one that expired or was revoked meanwhile needs no screening), so the run
is done exactly when `screened` reaches `total`. The batch whose update gets there marks it done;
the counter update locks the run's row, so two batches finishing together cannot both miss it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, load_only

from keta.db.models import Application, RescreenRun
from keta.db.queue import RESCREEN_BATCH, RESCREEN_START, enqueue
from keta.domain.applications import Status
from keta.services import audit
from keta.services.authorizations import valid_on
from keta.services.rescreen_batch import screen_authorizations
from keta.services.runtime import Runtime

BATCH_SIZE = 500
RUNNING, DONE = "running", "done"
ACTOR = "system:rescreen"
_TRIGGER_LENGTH = 80  # RescreenRun.trigger


def request(session: Session, *, trigger: str, now: datetime) -> None:
    """Queue a re-screening in the caller's transaction: it happens if and only if the change commits."""
    enqueue(session, RESCREEN_START, {"trigger": trigger[:_TRIGGER_LENGTH]}, now=now)


@dataclass(frozen=True, slots=True)
class IdRange:
    after: str | None  # exclusive; None for the first range
    last: str  # inclusive
    count: int


def _ranges(session: Session, today: date, size: int) -> list[IdRange]:
    ids = session.scalars(
        select(Application.id).where(valid_on(today)).order_by(Application.id).execution_options(yield_per=5000)
    )
    ranges: list[IdRange] = []
    after: str | None = None
    count, last = 0, ""
    for application_id in ids:
        count, last = count + 1, str(application_id)
        if count == size:
            ranges.append(IdRange(after, last, count))
            after, count = last, 0
    if count:
        ranges.append(IdRange(after, last, count))
    return ranges


def start_run(session: Session, rt: Runtime, *, trigger: str, batch_size: int | None = None) -> RescreenRun:
    today, now = rt.today(), rt.now()
    ranges = _ranges(session, today, batch_size or BATCH_SIZE)
    total = sum(r.count for r in ranges)
    run = RescreenRun(
        trigger=trigger[:_TRIGGER_LENGTH],
        status=RUNNING if total else DONE,
        total=total,
        screened=0,
        flagged=0,
        started_at=now,
        finished_at=None if total else now,
    )
    session.add(run)
    session.flush()
    for batch in ranges:
        payload = {"run_id": str(run.id), "after": batch.after, "last": batch.last, "count": batch.count}
        enqueue(session, RESCREEN_BATCH, payload, now=now)
    audit.record(
        session, rt.keyring, actor=ACTOR, action="rescreen.started", object_type="rescreen_run",
        object_id=str(run.id), now=now, detail={"trigger": run.trigger, "total": total, "batches": len(ranges)},
    )  # fmt: skip
    return run


def run_batch(session: Session, rt: Runtime, *, run_id: uuid.UUID, after: str | None, last: str, count: int) -> int:
    """Screen the valid authorizations in (after, last]; returns how many cases it opened."""
    if session.scalar(select(RescreenRun.id).where(RescreenRun.id == run_id)) is None:
        return 0  # the run is gone (a test database emptied, an operator's clean-up): nothing to add to
    # `status || ''`, not `status`: SQLite keeps no statistics and would walk the status index (every
    # row here is "approved") for each batch instead of the primary-key range; PostgreSQL takes the
    # range either way.
    valid = ((Application.status + "") == Status.APPROVED.value) & (Application.valid_until >= rt.today())
    query = select(Application).where(valid, Application.id <= uuid.UUID(last))
    if after is not None:
        query = query.where(Application.id > uuid.UUID(after))
    # Only what screening reads: the other JSON columns would be decoded for nothing, 500 times a batch.
    needed = load_only(Application.id, Application.reference, Application.pii, Application.cleared_entities)
    flagged = screen_authorizations(session, rt, list(session.scalars(query.order_by(Application.id).options(needed))))
    counters = {"screened": RescreenRun.screened + count, "flagged": RescreenRun.flagged + flagged}
    unsynced = {"synchronize_session": False}  # SQL arithmetic on the row, not on a loaded object
    session.execute(update(RescreenRun).where(RescreenRun.id == run_id).values(counters), execution_options=unsynced)
    session.execute(
        update(RescreenRun)
        .where(RescreenRun.id == run_id, RescreenRun.status == RUNNING, RescreenRun.screened >= RescreenRun.total)
        .values(status=DONE, finished_at=rt.now()),
        execution_options=unsynced,
    )
    return flagged


def recent_runs(session: Session, *, limit: int = 20) -> list[RescreenRun]:
    """The latest runs first, for the back office's watchlist page."""
    return list(session.scalars(select(RescreenRun).order_by(RescreenRun.started_at.desc()).limit(limit)))


@dataclass(frozen=True, slots=True)
class RescreenProgress:
    running: int  # runs not finished
    waiting: int  # authorizations those runs have still to screen


def progress(session: Session) -> RescreenProgress:
    running, waiting = session.execute(
        select(func.count(), func.coalesce(func.sum(RescreenRun.total - RescreenRun.screened), 0)).where(
            RescreenRun.status == RUNNING
        )
    ).one()
    return RescreenProgress(running=int(running), waiting=int(waiting))
