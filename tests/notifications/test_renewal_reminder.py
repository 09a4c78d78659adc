"""The renewal reminder through a real SMTP server, from the scheduler's daily job to the inbox."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.approvals import approved, approved_group, expiring_on, person
from tests.conftest import Database
from tests.factories import TODAY
from tests.notifications.smtp_inbox import Inbox, parts

from keta.adapters.mailer import RecordingMailer
from keta.db.models import Application, Job
from keta.db.session import session_scope
from keta.i18n import KNOWN_LOCALES
from keta.jobs.runner import Worker
from keta.jobs.schedule import PERIODIC, Scheduler
from keta.services import notifications
from keta.services.authorizations import send_renewal_reminders
from keta.services.runtime import Runtime

LAST_DAY = TODAY + timedelta(days=100)  # 2027-03-09: inside the 120-day window from the first day


def test_the_daily_job_reminds_the_traveller_and_a_group_s_representative(
    database: Database, runtime: Runtime, run_jobs: Callable[[], int], inbox: Inbox
) -> None:
    with session_scope(database.factory) as session:
        alone = approved(session, runtime, **person(1, "KAYA", "MEHMET", "1980-03-01", **expiring_on(LAST_DAY),
                                                   email="mehmet.kaya@example.org"))  # fmt: skip
        [member] = approved_group(session, runtime, person(2, "DEMIR", "ELIF", "1981-04-02", **expiring_on(LAST_DAY)))
        approved(session, runtime, **person(3, "ARSLAN", "CAN", "1982-05-03"))  # valid for years: no reminder
        references = alone.reference, member.reference
    run_jobs()
    inbox.received.clear()  # the submission and decision mail

    worker = Worker(database.factory, runtime, scheduler=Scheduler())
    assert worker.schedule_due() == len(PERIODIC)  # every periodic job's first period
    run_jobs()  # the periodic jobs, then the two reminders they queued
    by_recipient = {mail.recipients[0]: mail.message for mail in inbox.received}
    assert set(by_recipient) == {"mehmet.kaya@example.org", "mehmet.demir@example.org"}  # member → representative
    english = by_recipient["mehmet.kaya@example.org"]
    assert english["Subject"] == f"Your travel authorization {references[0]} expires on 9 March 2027"
    text = parts(english)["text/plain"]
    assert "apply for a new one before you travel" in text and "A new passport always needs a new application." in text
    assert "9 March 2027" in text and references[0] in text
    turkish = by_recipient["mehmet.demir@example.org"]  # the group applied in Turkish
    assert turkish["Content-Language"] == "tr" and references[1] in turkish["Subject"]
    assert "ELIF DEMIR" in parts(turkish)["text/plain"]  # the member it is about

    inbox.received.clear()
    assert worker.schedule_due() == 0  # the same day and hour: nothing new to enqueue
    assert run_jobs() == 0 and inbox.received == []


@pytest.mark.parametrize("language", sorted(KNOWN_LOCALES))
def test_the_reminder_renders_completely_in_every_language(session: Session, runtime: Runtime, language: str) -> None:
    application = approved(session, runtime, **expiring_on(LAST_DAY))
    application.language = language
    assert send_renewal_reminders(session, runtime) == 1
    [job] = [
        j for j in session.scalars(select(Job).where(Job.kind == notifications.SEND_EMAIL))
        if j.payload["event"] == "renewal_reminder"
    ]  # fmt: skip
    assert set(job.payload) == {"event", "application_id", "message_id"}  # ids only, no personal data
    mailer = RecordingMailer("K-ETA <no-reply@keta.example>")
    assert notifications.send(session, dataclasses.replace(runtime, mailer=mailer), dict(job.payload))
    [message] = mailer.sent
    assert message["Content-Language"] == language
    assert application.reference in message["Subject"]
    for text in (message["Subject"], *parts(message).values()):
        assert "email." not in text and "{" not in text and "$" not in text
    assert session.get(Application, application.id).renewal_reminded_at is not None  # type: ignore[union-attr]
