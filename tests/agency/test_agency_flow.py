"""The agency flow end to end, through the HTTP edge and a real SMTP server (aiosmtpd): filed by the
agency, the e-mail arrives, the applicant opens the link and confirms, the agency pays, the
application is screened and approved. And the ways it must not go: unconfirmed, refused, lapsed."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.agency.helpers import AgencyApi, confirmation_links, token_of
from tests.conftest import Database
from tests.factories import application_json, member_json
from tests.notifications.smtp_inbox import Inbox, parts
from tests.payments import finish_checkout

from keta.adapters.clock import FixedClock
from keta.db.models import Application, AuditRecord, Job
from keta.db.queue import SCREEN_APPLICATION, enqueue
from keta.db.session import session_scope
from keta.services.agency_filing import CONFIRMATION_HOURS

CUSTOMER = "ayse.yilmaz@example.org"


def file_one(agency: AgencyApi, **overrides: object) -> str:
    body = application_json(language="tr", **overrides)
    filed = agency.request("POST", "/applications", json=body)
    assert filed.status_code == 201, filed.text
    assert filed.json()["waiting_for"] == ["applicant_confirmation", "payment"]
    return str(filed.json()["reference"])


def screenings(database: Database) -> int:
    with database.factory() as session:
        return session.scalar(select(func.count()).select_from(Job).where(Job.kind == SCREEN_APPLICATION)) or 0


def status_of(database: Database, reference: str) -> str:
    with database.factory() as session:
        return session.scalars(select(Application.status).where(Application.reference == reference)).one()


def test_filed_mailed_confirmed_paid_screened_approved(
    client: TestClient,
    agency: AgencyApi,
    inbox: Inbox,
    database: Database,
    run_jobs: Callable[[], int],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    reference = file_one(agency)
    assert run_jobs() == 1  # the confirmation e-mail, and nothing else: no screening before confirmation
    [received] = inbox.received
    assert received.recipients == [CUSTOMER]
    message = received.message
    assert message["Content-Language"] == "tr"
    assert reference in message["Subject"]
    text = parts(message)["text/plain"]
    assert "Istanbul Travel" in text and "seyahat acentesi" in text  # by whom, in the customer's language
    link = confirmation_links(inbox)[CUSTOMER]
    assert f'href="{html.escape(link)}"' in parts(message)["text/html"]

    assert link.endswith("&lang=tr")  # the page opens in the language the application was filed in
    page = client.get(link)
    assert page.status_code == 200
    assert '<html lang="tr"' in page.text
    assert "Istanbul Travel" in page.text and reference in page.text
    assert "Yılmaz" in page.text and "U12345678" in page.text  # what was filed in their name
    early = agency.request("POST", f"/applications/{reference}/payment", json={})
    assert (early.status_code, early.json()["error"]["code"]) == (409, "confirmation_required")

    confirmed = client.post("/filing/confirm", data={"t": token_of(link), "action": "confirm"})
    assert confirmed.status_code == 200, confirmed.text
    assert reference in confirmed.text
    assert agency.request("GET", f"/applications/{reference}").json()["waiting_for"] == ["payment"]

    started = agency.request("POST", f"/applications/{reference}/payment", json={})
    assert started.status_code == 201, started.text
    assert finish_checkout(client, started.json()["checkout_url"]).status_code == 303
    run_jobs()  # screening, then the decision e-mail
    view = agency.request("GET", f"/applications/{reference}").json()
    assert (view["status"], view["paid"], view["waiting_for"]) == ("approved", True, [])
    assert [r.recipients for r in inbox.received][-1] == [CUSTOMER]  # the decision went to the applicant

    with database.factory() as session:
        actions = list(session.scalars(select(AuditRecord.action).order_by(AuditRecord.seq)))
        application = session.scalars(select(Application).where(Application.reference == reference)).one()
        assert application.agency_id is not None
    assert actions.count("agency.request") == 5  # file, pay (refused), read, pay, read
    assert {"agency.filed", "applicant.confirmed_filing"} <= set(actions)
    # keta's own logs (the SMTP server's and the test client's are the test's, not the server's)
    logged = "\n".join(
        f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records if r.name.startswith(("keta", "uvicorn"))
    )
    assert "e-mail sent" in logged  # the logs were captured
    for secret in ("Yılmaz", "Ayşe", "U12345678", CUSTOMER, "1990-04-12", token_of(link)):
        assert secret not in logged


def test_an_unconfirmed_filing_is_never_screened_and_lapses(
    client: TestClient,
    agency: AgencyApi,
    inbox: Inbox,
    database: Database,
    clock: FixedClock,
    run_jobs: Callable[[], int],
) -> None:
    reference = file_one(agency)
    run_jobs()
    link = confirmation_links(inbox)[CUSTOMER]
    refused = agency.request("POST", f"/applications/{reference}/payment", json={})
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "confirmation_required")

    clock.advance(timedelta(hours=CONFIRMATION_HOURS - 1))
    with session_scope(database.factory) as session:
        enqueue(session, "expire_unconfirmed_filings", {}, now=clock.now())
    run_jobs()
    assert status_of(database, reference) == "submitted"  # not yet

    clock.advance(timedelta(hours=2))
    assert client.get(link).status_code == 404  # past its date: the page shows nothing of it
    with session_scope(database.factory) as session:
        enqueue(session, "expire_unconfirmed_filings", {}, now=clock.now())
    run_jobs()
    assert status_of(database, reference) == "withdrawn"
    assert screenings(database) == 0
    page = client.get(link)
    assert page.status_code == 404 and reference not in page.text


def test_the_applicant_refuses_and_the_filing_is_withdrawn(
    client: TestClient, agency: AgencyApi, inbox: Inbox, database: Database, run_jobs: Callable[[], int]
) -> None:
    reference = file_one(agency)
    run_jobs()
    token = token_of(confirmation_links(inbox)[CUSTOMER])
    answer = client.post("/filing/confirm", data={"t": token, "action": "refuse"})
    assert answer.status_code == 200 and reference in answer.text
    assert status_of(database, reference) == "withdrawn"
    paid = agency.request("POST", f"/applications/{reference}/payment", json={})
    assert (paid.status_code, paid.json()["error"]["code"]) == (409, "not_payable")
    again = client.post("/filing/confirm", data={"t": token, "action": "confirm"})
    assert again.status_code == 404  # a refused filing cannot be confirmed afterwards
    assert screenings(database) == 0


def test_a_group_each_member_confirms_at_their_own_address(
    client: TestClient, agency: AgencyApi, inbox: Inbox, database: Database, run_jobs: Callable[[], int]
) -> None:
    members = [member_json(i, email=f"member{i}@example.org") for i in range(2)]
    body = {
        "representative": {"surname": "Demir", "email": "office@agency.example", "phone": "+90 555 010 2040"},
        "members": members,
        "language": "ko",
    }
    filed = agency.request("POST", "/groups", json=body)
    assert filed.status_code == 201, filed.text
    group = filed.json()["reference"]
    run_jobs()
    links = confirmation_links(inbox)
    assert set(links) == {"member0@example.org", "member1@example.org"}  # not the representative
    assert all(r.message["Content-Language"] == "ko" for r in inbox.received)

    client.post("/filing/confirm", data={"t": token_of(links["member0@example.org"]), "action": "confirm"})
    early = agency.request("POST", f"/groups/{group}/payment", json={})
    assert (early.status_code, early.json()["error"]["code"]) == (409, "confirmation_required")
    client.post("/filing/confirm", data={"t": token_of(links["member1@example.org"]), "action": "confirm"})
    started = agency.request("POST", f"/groups/{group}/payment", json={})
    assert started.status_code == 201, started.text
    assert started.json()["persons"] == 2
    finish_checkout(client, started.json()["checkout_url"])
    run_jobs()
    view = agency.request("GET", f"/groups/{group}").json()
    assert {m["status"] for m in view["members"]} == {"approved"}
