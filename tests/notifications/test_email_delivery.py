"""E-mail through a real SMTP server: submit and decide through the JSON API, then read what arrived."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.conftest import Database
from tests.factories import applicant, application_json, member_json
from tests.notifications.smtp_inbox import Inbox, parts
from tests.payments import pay_api

from keta.adapters.clock import FixedClock
from keta.db.models import Job
from keta.services import submission
from keta.services.documents import ReportedDocument, add_reported
from keta.services.notifications import SEND_EMAIL
from keta.services.runtime import Runtime

PASSPORT = {"passport_number": "U12345678"}
REPRESENTATIVE = {"surname": "Demir", "given_names": "Mehmet", "email": "mehmet.demir@example.org", "phone": "+90 555"}


def submit(client: TestClient, body: dict[str, Any] | None = None, lang: str = "tr") -> str:
    response = client.post("/api/v1/applications", json=body or application_json(), headers={"accept-language": lang})
    assert response.status_code == 201, response.text
    return str(response.json()["reference"])


def test_submission_mail_in_turkish(client: TestClient, run_jobs: Callable[[], int], inbox: Inbox) -> None:
    reference = submit(client)
    assert inbox.received == []  # nothing is sent from the request itself
    assert run_jobs() == 1
    [mail] = inbox.received
    assert mail.recipients == ["ayse.yilmaz@example.org"]  # the envelope: nobody else
    message = mail.message
    assert message["To"].addresses[0].addr_spec == "ayse.yilmaz@example.org"
    assert message["To"].addresses[0].display_name == "Ayşe Yılmaz"
    assert message.get_all("Cc") is None and message.get_all("Bcc") is None
    assert message["Subject"] == f"{reference} numaralı başvurunuz alındı"
    assert message["From"].addresses[0].addr_spec == "no-reply@keta.example"
    assert message["Content-Language"] == "tr"
    assert message["Message-ID"].endswith("@keta.example>")
    body = parts(message)
    assert set(body) == {"text/plain", "text/html"}
    for text in body.values():
        assert reference in text
        assert "Sayın Ayşe Yılmaz" in text
        assert "₩10.300" in text  # the fee, formatted for Turkish
        assert "72 saat" in text
    assert '<html lang="tr" dir="ltr">' in body["text/html"]


def test_an_internationalized_address_is_delivered_with_smtputf8(
    client: TestClient, run_jobs: Callable[[], int], inbox: Inbox
) -> None:
    submit(client, application_json(email="ayşe.yılmaz@example.org"))
    assert run_jobs() == 1
    [mail] = inbox.received
    assert mail.recipients == ["ayşe.yılmaz@example.org"]
    assert mail.message["To"].addresses[0].addr_spec == "ayşe.yılmaz@example.org"


def test_approval_mail_with_validity_dates(client: TestClient, run_jobs: Callable[[], int], inbox: Inbox) -> None:
    reference = submit(client)
    _, back = pay_api(client, f"/api/v1/applications/{reference}/payment", PASSPORT)
    assert back.status_code == 303
    assert run_jobs() == 3  # submission e-mail, screening, decision e-mail
    submitted, approved = inbox.received
    assert submitted.message["Subject"] == f"{reference} numaralı başvurunuz alındı"
    assert approved.recipients == ["ayse.yilmaz@example.org"]
    assert approved.message["Subject"] == f"Seyahat izni onaylandı: {reference}"
    assert approved.message["Message-ID"] != submitted.message["Message-ID"]
    for text in parts(approved.message).values():
        assert reference in text
        assert "29 Kasım 2026" in text and "28 Kasım 2029" in text  # babel's long Turkish dates


def test_refusal_mail_states_the_ground_and_the_review(
    client: TestClient, database: Database, run_jobs: Callable[[], int], inbox: Inbox
) -> None:
    with database.factory() as session:
        add_reported(session, [ReportedDocument("U12345678", "TUR")], source="test")
        session.commit()
    reference = submit(client, lang="ko")
    pay_api(client, f"/api/v1/applications/{reference}/payment", PASSPORT)
    run_jobs()
    refused = inbox.received[-1].message
    assert refused["Subject"] == f"신청 {reference}에 대한 결정 안내"
    assert refused["Content-Language"] == "ko"
    text = parts(refused)["text/plain"]
    assert "불허 사유:" in text and "분실" in text  # the stated ground, via reason_message
    assert "재심사" in text  # how to ask for a review


def test_in_review_mail(client: TestClient, run_jobs: Callable[[], int], inbox: Inbox) -> None:
    body = application_json(background__criminal_record=True, background__criminal_record_details="Fined, 2015")
    reference = submit(client, body, lang="en")
    pay_api(client, f"/api/v1/applications/{reference}/payment", PASSPORT)
    run_jobs()
    message = inbox.received[-1].message
    assert message["Subject"] == f"Application {reference} is being reviewed"
    text = parts(message)["text/plain"]
    assert "an officer will review it" in text and "72 hours" in text
    assert "Fined" not in text  # the declared details stay out of the mail


def test_group_mail_goes_to_the_representative_only(
    client: TestClient, run_jobs: Callable[[], int], inbox: Inbox
) -> None:
    members = [member_json(i, email=f"member{i}@example.org") for i in range(3)]
    response = client.post(
        "/api/v1/groups", json={"representative": REPRESENTATIVE, "members": members}, headers={"accept-language": "tr"}
    )
    assert response.status_code == 201, response.text
    created = response.json()
    group, references = created["reference"], [m["reference"] for m in created["members"]]
    assert run_jobs() == 1
    [mail] = inbox.received
    assert mail.recipients == ["mehmet.demir@example.org"]
    assert mail.message["Subject"] == f"{group} numaralı grup başvurunuz alındı"
    for text in parts(mail.message).values():
        assert group in text and all(reference in text for reference in references)
        assert "₩30.900" in text  # the fee for the whole group

    paid, _ = pay_api(client, f"/api/v1/groups/{group}/payment", {"email": REPRESENTATIVE["email"]})
    assert paid.status_code == 201, paid.text
    assert run_jobs() == 6  # three screenings, three decision e-mails
    decisions = inbox.received[1:]
    assert len(decisions) == 3
    assert {r for d in decisions for r in d.recipients} == {"mehmet.demir@example.org"}
    named = {}
    for decision in decisions:
        text = parts(decision.message)["text/plain"]
        [reference] = [r for r in references if r in text]  # one member per message
        named[reference] = decision.message["Subject"]
    assert named == {r: f"Seyahat izni onaylandı: {r}" for r in references}


def test_a_rolled_back_submission_sends_nothing(
    database: Database, runtime: Runtime, run_jobs: Callable[[], int], inbox: Inbox
) -> None:
    with database.factory() as session:
        submission.submit_application(session, runtime, applicant=applicant(), language="tr")
        assert len(session.scalars(select(Job).where(Job.kind == SEND_EMAIL)).all()) == 1  # queued inside
        session.rollback()
    assert run_jobs() == 0
    assert inbox.received == []


def test_a_failing_server_means_a_retry_and_exactly_one_message(
    client: TestClient, database: Database, clock: FixedClock, run_jobs: Callable[[], int], inbox: Inbox
) -> None:
    inbox.fail_next = 1
    reference = submit(client)
    assert run_jobs() == 1  # attempted, refused with 451, put back with a back-off
    assert inbox.received == []
    with database.factory() as session:
        job = session.scalars(select(Job).where(Job.kind == SEND_EMAIL)).one()
        assert (job.status, job.attempts) == ("queued", 1)
        assert job.last_error is not None and "SMTP" in job.last_error
    assert run_jobs() == 0  # not due yet
    clock.advance(timedelta(seconds=3))
    assert run_jobs() == 1
    assert run_jobs() == 0
    [mail] = inbox.received
    assert reference in mail.message["Subject"]
    with database.factory() as session:
        job = session.scalars(select(Job).where(Job.kind == SEND_EMAIL)).one()
        assert (job.status, job.attempts) == ("done", 2)
