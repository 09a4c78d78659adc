"""What each periodic job does, run by run: expiry, deadline escalation, renewal reminders, purges."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.approvals import approved, decided, expiring_on, person
from tests.conftest import NOW
from tests.factories import TODAY

from keta.adapters.clock import FixedClock
from keta.db.models import Application, AuditRecord, IdempotencyRecord, Job, ReviewCase
from keta.domain.applications import Status
from keta.domain.review import CaseKind
from keta.services import authorizations, deadlines, retention
from keta.services.cases import open_case, pause
from keta.services.lifecycle import move
from keta.services.notifications import SEND_EMAIL
from keta.services.runtime import Runtime


def audits(session: Session, action: str) -> list[AuditRecord]:
    return list(session.scalars(select(AuditRecord).where(AuditRecord.action == action).order_by(AuditRecord.seq)))


def test_expiry_moves_exactly_the_authorizations_past_their_last_day(
    session: Session, runtime: Runtime, clock: FixedClock
) -> None:
    last_day = TODAY + timedelta(days=40)
    ends = approved(session, runtime, **person(1, "KAYA", "MEHMET", "1980-01-01", **expiring_on(last_day)))
    ends_later = approved(
        session, runtime, **person(2, "DEMIR", "ELIF", "1981-01-01", **expiring_on(last_day + timedelta(days=1)))
    )
    lasting = approved(session, runtime, **person(3, "ARSLAN", "CAN", "1982-01-01"))
    revoked = approved(session, runtime, **person(4, "ÖZTÜRK", "ZEYNEP", "1983-01-01", **expiring_on(last_day)))
    move(revoked, Status.REVOKED, actor="officer", reasons=[], now=runtime.now())
    open_case(
        session, runtime, application=ends, kind=CaseKind.RESCREEN, reasons=["watchlist_possible_match"],
        findings=None, actor="system:rescreen",
    )  # fmt: skip

    # 23:59 KST on the last day: still valid (its dates are KST dates, inclusive).
    clock.advance(datetime(last_day.year, last_day.month, last_day.day, 14, 59, tzinfo=UTC) - clock.now())
    assert authorizations.expire_authorizations(session, runtime, run="day-1") == 0
    assert ends.status == Status.APPROVED
    assert audits(session, "authorizations.expired") == []  # a run that changed nothing leaves no record

    clock.advance(timedelta(minutes=1))  # 00:00 KST the day after
    assert authorizations.expire_authorizations(session, runtime, run="day-2") == 1
    assert (ends.status, ends_later.status, lasting.status, revoked.status) == (
        "expired",
        "approved",
        "approved",
        "revoked",
    )
    assert [(e.from_status, e.to_status, e.actor) for e in ends.events][-1] == (
        "approved",
        "expired",
        "system:scheduler",
    )
    case = session.scalars(select(ReviewCase).where(ReviewCase.application_id == ends.id)).one()
    assert (case.status, case.outcome) == ("closed", "expired")  # nothing can be revoked any more
    [record] = audits(session, "authorizations.expired")
    assert (record.actor, record.object_id, record.detail) == (
        "system:scheduler",
        "day-2",
        {"count": 1, "cases_closed": 1},
    )

    assert authorizations.expire_authorizations(session, runtime, run="day-2-again") == 0
    assert len(audits(session, "authorizations.expired")) == 1


def test_expiry_handles_more_than_one_chunk(
    session: Session, runtime: Runtime, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    last_day = TODAY + timedelta(days=40)
    many = [
        approved(session, runtime, **person(10 + i, "YILDIZ", f"ALI{'ABCDEFGHIJKL'[i]}", f"19{60 + i}-02-03",
                                            **expiring_on(last_day)))
        for i in range(5)
    ]  # fmt: skip
    clock.advance(timedelta(days=42))
    monkeypatch.setattr(authorizations, "CHUNK", 2)
    assert authorizations.expire_authorizations(session, runtime, run="d") == 5
    assert {a.status for a in many} == {"expired"}
    assert audits(session, "authorizations.expired")[0].detail["count"] == 5


def reminder_jobs(session: Session) -> list[Job]:
    jobs = session.scalars(select(Job).where(Job.kind == SEND_EMAIL)).all()
    return [job for job in jobs if job.payload["event"] == "renewal_reminder"]


def test_renewal_reminder_goes_once_and_only_while_valid(session: Session, runtime: Runtime, clock: FixedClock) -> None:
    days = runtime.policy.review_rules(TODAY).renewal_reminder_days
    soon = approved(session, runtime, **person(1, "KAYA", "MEHMET", "1980-01-01",
                                              **expiring_on(TODAY + timedelta(days=days))))  # fmt: skip
    later = approved(session, runtime, **person(2, "DEMIR", "ELIF", "1981-01-01",
                                               **expiring_on(TODAY + timedelta(days=days + 1))))  # fmt: skip
    revoked = approved(session, runtime, **person(3, "ARSLAN", "CAN", "1982-01-01",
                                                 **expiring_on(TODAY + timedelta(days=50))))  # fmt: skip
    move(revoked, Status.REVOKED, actor="officer", reasons=[], now=runtime.now())
    in_review = decided(
        session,
        runtime,
        **person(
            4,
            "ÖZTÜRK",
            "ZEYNEP",
            "1983-01-01",
            background__criminal_record=True,
            background__criminal_record_details="Fined, 2015",
        ),
    )
    assert in_review.status == Status.IN_REVIEW and in_review.valid_until is None

    assert authorizations.send_renewal_reminders(session, runtime) == 1
    assert [job.payload["application_id"] for job in reminder_jobs(session)] == [str(soon.id)]
    assert soon.renewal_reminded_at == NOW and later.renewal_reminded_at is None
    assert authorizations.send_renewal_reminders(session, runtime) == 0  # once per authorization

    clock.advance(timedelta(days=1))  # `later` enters its last 120 days
    assert authorizations.send_renewal_reminders(session, runtime) == 1
    assert len(reminder_jobs(session)) == 2

    clock.advance(timedelta(days=days + 2))  # both past their last day, never reminded again
    assert authorizations.send_renewal_reminders(session, runtime) == 0


def test_escalation_stamps_close_and_late_cases_once(session: Session, runtime: Runtime, clock: FixedClock) -> None:
    def case_for(index: int) -> ReviewCase:
        application = approved(session, runtime, **person(index, "KAYA", f"M{'ABCDEFG'[index]}", f"198{index}-01-01"))
        return open_case(
            session, runtime, application=application, kind=CaseKind.RESCREEN, reasons=["watchlist_possible_match"],
            findings=None, actor="system:rescreen",
        )  # fmt: skip

    first, waiting, confirming = case_for(1), case_for(2), case_for(3)  # due at NOW + 72 h
    confirming.status = "awaiting_confirmation"
    pause(waiting, now=runtime.now())
    clock.advance(timedelta(hours=10))
    second = case_for(4)  # due at NOW + 82 h
    session.flush()

    clock.advance(timedelta(hours=55))  # NOW + 65 h: 7 h left for the first ones, 17 h for the second
    assert deadlines.deadline_counts(session, runtime) == deadlines.DeadlineCounts(late=0, close=2)
    assert deadlines.escalate_deadlines(session, runtime, run="h65") == 2
    session.expire_all()
    assert first.escalated_at == confirming.escalated_at == clock.now()
    assert waiting.escalated_at is None and second.escalated_at is None  # paused; on time
    assert deadlines.escalate_deadlines(session, runtime, run="h65-again") == 0

    clock.advance(timedelta(hours=8))  # NOW + 73 h: the first ones late, the second close
    assert deadlines.deadline_counts(session, runtime) == deadlines.DeadlineCounts(late=2, close=1)
    assert deadlines.escalate_deadlines(session, runtime, run="h73") == 1
    session.expire_all()
    assert second.escalated_at == clock.now() and first.escalated_at == clock.now() - timedelta(hours=8)
    assert [r.detail for r in audits(session, "cases.escalated")] == [{"count": 2}, {"count": 1}]


def test_idempotency_records_are_purged_after_their_time(session: Session, runtime: Runtime) -> None:
    for hours, key in ((25, "old"), (23, "recent")):
        session.add(
            IdempotencyRecord(scope="applications", key_hash=key, request_hash="h", status_code=201, body={},
                              created_at=NOW - timedelta(hours=hours))
        )  # fmt: skip
    session.flush()
    assert retention.purge_idempotency_records(session, runtime) == 1
    assert session.scalars(select(IdempotencyRecord.key_hash)).all() == ["recent"]
    assert (
        retention.purge_idempotency_records(session, dataclasses.replace(runtime, idempotency_ttl=timedelta(hours=1)))
        == 1
    )
    assert session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 0
    assert session.scalar(select(func.count()).select_from(Application)) == 0  # nothing else touched
