"""The sandbox provider end to end: its checkout page is bound to the checkout, its buttons make
signed events that go through the same webhook verification, and the outcomes apply once. On
SQLite and PostgreSQL, through the `client` app (development-like `test` settings: the sandbox)."""

from __future__ import annotations

import logging
import threading
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import Database
from tests.factories import application_json, member_json
from tests.payments import finish_checkout, sandbox_form

from keta.adapters.payments import SandboxPayments
from keta.db.models import Application, Job, Payment, PaymentEventRecord
from keta.db.queue import SCREEN_APPLICATION
from keta.i18n import KNOWN_LOCALES, gettext
from keta.services.runtime import Runtime

PROOF = {"passport_number": "U12345678"}


def screenings(database: Database) -> int:
    with database.factory() as session:
        query = select(func.count()).select_from(Job).where(Job.kind == SCREEN_APPLICATION)
        return session.scalar(query) or 0


def start(client: TestClient) -> tuple[str, dict[str, Any]]:
    reference = client.post("/api/v1/applications", json=application_json()).json()["reference"]
    started = client.post(f"/api/v1/applications/{reference}/payment", json=PROOF)
    assert started.status_code == 201, started.text
    return reference, started.json()


def provider_reference(checkout_url: str) -> str:
    return urlsplit(checkout_url).path.rsplit("/", 1)[-1]


def test_a_sandbox_event_posted_to_the_webhook_pays_once(
    client: TestClient, database: Database, runtime: Runtime
) -> None:
    _, checkout = start(client)
    assert isinstance(runtime.payments, SandboxPayments)  # same secret and clock as the app's sandbox
    delivery = runtime.payments.signed_event(
        provider_reference=provider_reference(checkout["checkout_url"]),
        outcome="captured",
        amount=Decimal(10300),
        currency="KRW",
    )
    headers, body = delivery
    first = client.post("/payments/webhook", content=body, headers=headers)
    assert first.json() == {"result": "captured"}
    replay = client.post("/payments/webhook", content=body, headers=headers)
    assert replay.json() == {"result": "replayed"}
    assert screenings(database) == 1
    with database.factory() as session:
        assert session.scalar(select(func.count()).select_from(PaymentEventRecord)) == 1
        [application] = session.scalars(select(Application))
        assert [e.to_status for e in application.events].count("paid") == 1


def test_the_checkout_page_cannot_be_altered_nor_its_form_forged(client: TestClient, database: Database) -> None:
    _, checkout = start(client)
    url = checkout["checkout_url"]
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    for change in ({"amount": "1.00"}, {"return": "https://evil.example/"}, {"sig": "0" * 64}):
        altered = f"{parts.path}?{urlencode({**query, **change})}"
        assert client.get(altered).status_code == 404, change
    action, fields = sandbox_form(client, url)
    for change in ({"amount": "1.00"}, {"return": "https://evil.example/"}, {"sig": "f" * 64}):
        forged = client.post(action, data={**fields, **change, "outcome": "captured"}, follow_redirects=False)
        assert forged.status_code == 404, change
    other = client.post(action.replace("sbx_", "sbx_0"), data={**fields, "outcome": "captured"})
    assert other.status_code == 404  # the MAC names the checkout too
    assert screenings(database) == 0
    with database.factory() as session:
        assert session.scalars(select(Payment.status)).one() == "pending"


def test_a_group_pays_once_through_one_checkout(client: TestClient, database: Database) -> None:
    representative = {
        "surname": "Demir",
        "given_names": "Mehmet",
        "email": "m.demir@example.org",
        "phone": "+90 555 010 2040",
    }
    body = {"representative": representative, "members": [member_json(i) for i in range(3)]}
    group = client.post("/api/v1/groups", json=body).json()
    started = client.post(f"/api/v1/groups/{group['reference']}/payment", json={"email": representative["email"]})
    assert started.status_code == 201
    assert (started.json()["persons"], started.json()["amount"]) == (3, "30900")
    finish_checkout(client, started.json()["checkout_url"])
    assert screenings(database) == 3
    with database.factory() as session:
        [payment] = session.scalars(select(Payment))
        assert (payment.status, payment.persons, len(payment.items)) == ("captured", 3, 3)
        assert {a.payment_id for a in session.scalars(select(Application))} == {payment.id}


def test_money_captured_for_an_application_withdrawn_meanwhile_is_flagged_for_refund(
    client: TestClient, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    reference, checkout = start(client)
    assert client.post(f"/api/v1/applications/{reference}/withdraw", json=PROOF).json()["status"] == "withdrawn"
    finish_checkout(client, checkout["checkout_url"])
    with database.factory() as session:
        assert session.scalars(select(Payment.status)).one() == "unapplied"
        assert session.scalars(select(Application.status)).one() == "withdrawn"
    assert screenings(database) == 0
    assert any("refund" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)


@pytest.mark.parametrize("locale", sorted(KNOWN_LOCALES))
def test_every_portal_page_says_it_is_a_test_system(client: TestClient, locale: str) -> None:
    banner = gettext(locale, "portal.banner.sandbox")
    assert banner != "portal.banner.sandbox"
    for path in ("/", "/apply", "/group", "/status"):
        page = client.get(f"{path}?lang={locale}")
        assert f'<p class="sandbox-banner" role="note">{banner}</p>'.replace("'", "&#39;") in page.text, path


def test_concurrent_deliveries_apply_the_capture_once(client: TestClient, database: Database, runtime: Runtime) -> None:
    _, checkout = start(client)
    assert isinstance(runtime.payments, SandboxPayments)
    checkout_id = provider_reference(checkout["checkout_url"])
    same = runtime.payments.signed_event(
        provider_reference=checkout_id, outcome="captured", amount=Decimal(10300), currency="KRW"
    )
    another = runtime.payments.signed_event(
        provider_reference=checkout_id, outcome="captured", amount=Decimal(10300), currency="KRW"
    )
    deliveries = [same, same, same, another]
    barrier = threading.Barrier(len(deliveries))
    results: list[str] = []

    def deliver(delivery: tuple[dict[str, str], bytes]) -> None:
        own = TestClient(client.app)  # not a context manager: the app's lifespan runs once, in `client`
        barrier.wait()
        headers, body = delivery
        results.append(own.post("/payments/webhook", content=body, headers=headers).json()["result"])

    threads = [threading.Thread(target=deliver, args=(d,)) for d in deliveries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results).count("captured") == 1, results
    assert set(results) <= {"captured", "replayed", "ignored"}
    assert screenings(database) == 1
    with database.factory() as session:
        [application] = session.scalars(select(Application))
        assert [e.to_status for e in application.events].count("paid") == 1
