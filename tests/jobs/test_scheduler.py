"""Periodic jobs with two workers and a clock we move: each period's job exists once and runs once."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from tests.approvals import approved, expiring_on, person, staff
from tests.conftest import Database
from tests.factories import TODAY

from keta.adapters.clock import FixedClock
from keta.db.models import Application, AuditRecord, InformationRequest, Job
from keta.db.session import session_scope
from keta.domain.review import CaseKind
from keta.jobs.runner import Worker
from keta.jobs.schedule import PERIODIC, Every, Scheduler, dedupe_key, period_start
from keta.services.cases import open_case
from keta.services.requests import request_information
from keta.services.runtime import Runtime

KINDS = {job.kind: job.every for job in PERIODIC}
HOURLY = sum(every is Every.HOUR for every in KINDS.values())


def periodic_jobs(database: Database) -> list[Job]:
    with database.factory() as session:
        return list(session.scalars(select(Job).where(Job.kind.in_(KINDS)).order_by(Job.created_at)))


def test_period_keys_follow_utc_hours_and_kst_days() -> None:
    at = datetime(2026, 11, 29, 15, 30, tzinfo=UTC)  # 00:30 KST on 30 November
    assert dedupe_key("escalate_deadlines", period_start(Every.HOUR, at, "Asia/Seoul")) == (
        "escalate_deadlines:2026-11-29T15:00:00+00:00"
    )
    assert dedupe_key("expire_authorizations", period_start(Every.DAY, at, "Asia/Seoul")) == (
        "expire_authorizations:2026-11-30T00:00:00+09:00"
    )
    assert period_start(Every.DAY, at - timedelta(minutes=31), "Asia/Seoul").day == 29  # 23:59 KST


def seed(database: Database, runtime: Runtime) -> tuple[str, str]:
    """An authorization ending tomorrow (KST) and one inside its reminder window; an unanswered request."""
    with session_scope(database.factory) as session:
        ends = approved(session, runtime, **person(1, "KAYA", "MEHMET", "1980-01-01",
                                                   **expiring_on(TODAY + timedelta(days=31))))  # fmt: skip
        asked = approved(session, runtime, **person(2, "DEMIR", "ELIF", "1981-01-01"))
        case = open_case(
            session, runtime, application=asked, kind=CaseKind.SCREENING, reasons=["declared_criminal_record"],
            findings=None, actor="system:screening",
        )  # fmt: skip
        officer = staff(session, runtime, "officer1", "officer")
        questions = list(runtime.policy.review_rules(TODAY).information_requests[:1])
        request_information(session, runtime, case=case, member=officer, questions=questions, message=None)
        return str(ends.id), str(asked.id)


def test_two_workers_run_each_period_once_as_the_clock_moves(
    database: Database, runtime: Runtime, clock: FixedClock
) -> None:
    ends, _ = seed(database, runtime)
    workers = [Worker(database.factory, runtime, name=n, scheduler=Scheduler(check_seconds=60)) for n in "AB"]
    inserted: Counter[str] = Counter()
    hours, days = set(), set()
    # 20-minute steps for two hours (several ticks per period), then 8-hour steps for 33 days: past the
    # request's answer date (10 days) and the authorization's last day (31 days). The workers take turns
    # at ticking first, so each both inserts periods and finds them already there.
    steps = [timedelta(minutes=20)] * 6 + [timedelta(hours=8)] * (33 * 3)
    for index, step in enumerate(steps):
        for worker in workers if index % 2 else workers[::-1]:
            inserted[worker.name] += worker.schedule_due()
            worker.run_until_idle()
        hours.add(period_start(Every.HOUR, clock.now(), "Asia/Seoul"))
        days.add(period_start(Every.DAY, clock.now(), "Asia/Seoul"))
        clock.advance(step)

    jobs = periodic_jobs(database)
    per_kind = Counter(job.kind for job in jobs)
    assert per_kind == {kind: len(hours if every is Every.HOUR else days) for kind, every in KINDS.items()}
    assert len({job.dedupe_key for job in jobs}) == len(jobs)
    assert {(job.status, job.attempts) for job in jobs} == {("done", 1)}  # each claimed and run once
    assert sum(inserted.values()) == len(jobs) and min(inserted.values()) > 0  # both inserted some periods
    assert {job.claimed_by for job in jobs} == {"A", "B"}
    with database.factory() as session:
        # The effects, once: one expiry (and its one audit record), one reminder, one lapsed request.
        application = session.get(Application, uuid.UUID(ends))
        assert application is not None and application.status == "expired"
        assert [e.to_status for e in application.events].count("expired") == 1
        expired = session.scalars(select(AuditRecord).where(AuditRecord.action == "authorizations.expired")).all()
        assert [r.detail["count"] for r in expired] == [1]
        reminders = [
            j for j in session.scalars(select(Job).where(Job.kind == "send_email"))
            if j.payload["event"] == "renewal_reminder"
        ]  # fmt: skip
        assert [j.payload["application_id"] for j in reminders] == [ends]
        assert session.scalars(select(InformationRequest.lapsed_at)).one() is not None


def race(schedulers: list[Scheduler], database: Database, runtime: Runtime) -> list[int]:
    """Both schedulers tick at the same instant (threads behind a barrier); what each inserted."""
    barrier = threading.Barrier(len(schedulers))
    results: list[int] = []
    errors: list[BaseException] = []

    def tick(scheduler: Scheduler) -> None:
        try:
            barrier.wait(10)
            results.append(scheduler.tick(database.factory, runtime))
        except BaseException as exc:  # surfaced below: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=tick, args=(s,)) for s in schedulers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    return results


def test_two_workers_racing_on_the_same_period(database: Database, runtime: Runtime, clock: FixedClock) -> None:
    schedulers = [Scheduler(check_seconds=0), Scheduler(check_seconds=0)]
    for hour in range(12):
        due = len(PERIODIC) if hour == 0 else HOURLY  # every kind at first, then the hourly ones
        assert sorted(race(schedulers, database, runtime)) == [0, due]  # one inserted it all, the other nothing
        clock.advance(timedelta(hours=1))
    jobs = periodic_jobs(database)
    hourly = [job for job in jobs if KINDS[job.kind] is Every.HOUR]
    assert len(hourly) == HOURLY * 12 and len({job.dedupe_key for job in hourly}) == HOURLY * 12
    assert Counter(job.kind for job in jobs)["expire_authorizations"] == 1  # 12:00 to 23:00 KST: one day


def test_worker_loops_schedule_as_the_clock_moves(database: Database, runtime: Runtime, clock: FixedClock) -> None:
    """The real loops (`run_forever`), two of them, while the test moves the clock hour by hour."""
    workers = [
        Worker(database.factory, runtime, name=n, poll_seconds=0.01, scheduler=Scheduler(check_seconds=0)) for n in "AB"
    ]
    threads = [worker.start_thread() for worker in workers]
    try:
        for hour in range(6):
            key = dedupe_key("escalate_deadlines", period_start(Every.HOUR, clock.now(), "Asia/Seoul"))
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with database.factory() as session:
                    job = session.scalars(select(Job).where(Job.dedupe_key == key)).first()
                    if job is not None and job.status == "done":
                        break
                time.sleep(0.02)
            else:
                raise AssertionError(f"hour {hour}: {key} never ran")
            clock.advance(timedelta(hours=1))
    finally:
        for worker in workers:
            worker.stop()
        for thread in threads:
            thread.join(10)
    hourly = [job for job in periodic_jobs(database) if job.kind == "escalate_deadlines"]
    assert len(hourly) in (6, 7)  # the seventh hour may have begun before the loops stopped
    assert {job.claimed_by for job in hourly} <= {"A", "B"}
    assert all(job.attempts == 1 for job in hourly if job.status == "done")


def test_a_worker_looks_at_most_every_check_seconds(database: Database, runtime: Runtime, clock: FixedClock) -> None:
    clock.advance(timedelta(minutes=59, seconds=30) - timedelta(minutes=clock.now().minute))  # hh:59:30
    scheduler = Scheduler(check_seconds=60)
    assert scheduler.tick(database.factory, runtime) == len(PERIODIC)
    clock.advance(timedelta(seconds=40))  # a new hour has begun, but the last look was 40 s ago
    assert scheduler.tick(database.factory, runtime) == 0
    clock.advance(timedelta(seconds=20))
    assert scheduler.tick(database.factory, runtime) == HOURLY  # the hourly kinds
    assert scheduler.tick(database.factory, runtime) == 0
