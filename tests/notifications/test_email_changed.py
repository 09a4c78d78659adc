"""An e-mail change is told to the old address (finding 8), through a real SMTP server; the old
address waits in the job queue encrypted, never in clear."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.conftest import Database
from tests.notifications.smtp_inbox import Inbox, parts
from tests.notifications.test_email_delivery import PASSPORT, submit

from keta.db.models import Job
from keta.i18n import gettext


def test_the_old_address_is_told_of_an_e_mail_change(
    client: TestClient, database: Database, run_jobs: Callable[[], int], inbox: Inbox
) -> None:
    reference = submit(client)
    run_jobs()
    inbox.received.clear()
    changed = client.patch(
        f"/api/v1/applications/{reference}/travel", json={**PASSPORT, "email": "new.address@example.org"}
    )
    assert changed.status_code == 200, changed.text
    with database.engine.connect() as connection:
        payloads = [str(row) for row in connection.execute(select(Job.payload))]
    assert not any("ayse.yilmaz@example.org" in payload for payload in payloads)  # sealed in the queue
    assert run_jobs() == 1
    [mail] = inbox.received
    assert mail.recipients == ["ayse.yilmaz@example.org"]  # the old address, and only it
    assert mail.message["Subject"] == gettext("tr", "email.email_changed.subject", reference=reference)
    text = parts(mail.message)["text/plain"]
    assert reference in text
    assert gettext("tr", "email.email_changed.intro") in text
    assert gettext("tr", "email.email_changed.not_you") in text
    assert all("new.address@example.org" not in part for part in parts(mail.message).values())


def test_no_message_when_the_address_is_the_same(client: TestClient, run_jobs: Callable[[], int], inbox: Inbox) -> None:
    reference = submit(client)
    run_jobs()
    inbox.received.clear()
    same = client.patch(
        f"/api/v1/applications/{reference}/travel", json={**PASSPORT, "email": "Ayse.Yilmaz@example.org"}
    )
    assert same.status_code == 200
    run_jobs()
    assert inbox.received == []
