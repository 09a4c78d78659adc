"""The HTTP gateway adapter against a fake gateway on 127.0.0.1: the checkout call, signed webhooks
(forged, replayed, mismatched, declined), and a gateway that does not answer. On SQLite and
PostgreSQL, in development mode with KETA_PAYMENT_PROVIDER=gateway (production itself, which also
refuses SQLite, is tested in test_production_payments.py)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import TEST_DATA_KEY, Database
from tests.factories import application_json
from tests.fake_gateway import API_KEY, WEBHOOK_SECRET, FakeGateway, running_gateway
from tests.portal.forms import application_form, submit
from tests.portal.test_portal_pages import payment_error
from tests.portal_client import PortalClient

from keta.adapters.clock import FixedClock
from keta.config import Settings
from keta.db.models import Application, Job, Payment, PaymentEventRecord
from keta.db.queue import SCREEN_APPLICATION
from keta.i18n import error_message
from keta.web.app import create_app

PROOF = {"passport_number": "U12345678"}
PERSONAL = ("U12345678", "Yılmaz", "Ayşe", "ayse.yilmaz", "1990-04-12", "Sejong")


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    with running_gateway() as fake:
        yield fake


@pytest.fixture
def client(database: Database, clock: FixedClock, gateway: FakeGateway) -> Iterator[TestClient]:
    settings = Settings(
        env="development",
        database_url=database.url,
        data_key=TEST_DATA_KEY,
        payment_provider="gateway",
        payment_gateway_url=gateway.url,
        payment_api_key=API_KEY,
        payment_webhook_secret=WEBHOOK_SECRET,
        payment_timeout_seconds=1,
        public_url="https://eta.example.org",
    )
    with PortalClient(
        create_app(settings, clock=clock, start_worker=False), base_url="https://testserver"
    ) as test_client:
        yield test_client


def count(database: Database, model: type[Any], *where: Any) -> int:
    with database.factory() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def status_of(database: Database) -> tuple[str, bool]:
    with database.factory() as session:
        application = session.scalars(select(Application)).one()
        return application.status, application.payment_id is not None


def start(client: TestClient) -> tuple[str, dict[str, Any]]:
    reference = client.post("/api/v1/applications", json=application_json()).json()["reference"]
    started = client.post(f"/api/v1/applications/{reference}/payment", json=PROOF)
    assert started.status_code == 201, started.text
    return reference, started.json()


def deliver(client: TestClient, delivery: tuple[dict[str, str], bytes]) -> Any:
    headers, body = delivery
    return client.post("/payments/webhook", content=body, headers=headers)


def test_checkout_at_the_gateway_then_a_signed_webhook_pays_once(
    client: TestClient, database: Database, gateway: FakeGateway, clock: FixedClock
) -> None:
    reference, checkout = start(client)
    assert checkout["checkout_url"] == f"{gateway.url}/pay/chk_1"
    assert (checkout["status"], checkout["sandbox"]) == ("pending", False)
    [(headers, body)] = gateway.calls
    assert headers["authorization"] == f"Bearer {API_KEY}"
    assert headers["idempotency-key"] == checkout["payment_reference"]
    assert body == {
        "reference": checkout["payment_reference"],
        "amount": "10300.00",
        "currency": "KRW",
        "description": f"ETA application {reference}",
        "return_url": "https://eta.example.org/status",  # from KETA_PUBLIC_URL, not the Host header
    }
    assert not any(value in str(body) for value in PERSONAL)  # the gateway learns no personal data
    assert status_of(database) == ("submitted", False)

    event = gateway.event("chk_1", at=clock.now().timestamp())
    paid = deliver(client, event)
    assert (paid.status_code, paid.json()) == (200, {"result": "captured"})
    assert status_of(database) == ("paid", True)
    assert count(database, Job, Job.kind == SCREEN_APPLICATION) == 1

    replayed = deliver(client, event)  # the gateway retries the same event
    assert (replayed.status_code, replayed.json()) == (200, {"result": "replayed"})
    again = deliver(client, gateway.event("chk_1", at=clock.now().timestamp()))  # a new event, same capture
    assert again.json() == {"result": "ignored"}
    assert count(database, Job, Job.kind == SCREEN_APPLICATION) == 1
    assert count(database, PaymentEventRecord) == 2
    lookup = client.post(f"/api/v1/applications/{reference}/lookup", json=PROOF).json()
    assert (lookup["status"], lookup["paid"]) == ("paid", True)


@pytest.mark.parametrize("forgery", ["other-secret", "tampered-body", "no-signature", "an-hour-old"])
def test_a_forged_or_old_webhook_is_refused_and_pays_nothing(
    client: TestClient, database: Database, gateway: FakeGateway, clock: FixedClock, forgery: str
) -> None:
    start(client)
    now = clock.now().timestamp()
    headers, body = gateway.event("chk_1", at=now - 3600 if forgery == "an-hour-old" else now)
    if forgery == "other-secret":
        headers, body = gateway.event("chk_1", at=now, secret="whsec_someone_else_Zp4Kq8Lm2Xr6Vt9")
    elif forgery == "tampered-body":
        body = body.replace(b"chk_1", b"chk_2")
    elif forgery == "no-signature":
        headers = {"Content-Type": "application/json"}
    refused = client.post("/payments/webhook", content=body, headers={**headers, "Accept-Language": "tr"})
    assert refused.status_code == 400
    assert refused.json()["error"] == {
        "code": "invalid_webhook",
        "message": error_message("tr", "invalid_webhook"),
        "fields": [],
    }
    assert status_of(database) == ("submitted", False)
    assert count(database, PaymentEventRecord) == 0 and count(database, Job, Job.kind == SCREEN_APPLICATION) == 0


def test_an_amount_or_currency_mismatch_is_refused_and_logged_without_personal_data(
    client: TestClient, database: Database, gateway: FakeGateway, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    _, checkout = start(client)
    at = clock.now().timestamp()
    for wrong in (gateway.event("chk_1", amount="1.00", at=at), gateway.event("chk_1", currency="USD", at=at)):
        refused = deliver(client, wrong)
        assert refused.status_code == 409
        assert refused.json()["error"]["code"] == "payment_mismatch"
    assert status_of(database) == ("submitted", False)
    assert count(database, PaymentEventRecord) == 0
    logged = [r.getMessage() for r in caplog.records if r.name == "keta.payments"]
    assert len(logged) == 2 and all(checkout["payment_reference"] in line for line in logged)
    for personal in PERSONAL:
        assert personal not in caplog.text, personal


def test_a_declined_event_leaves_the_application_payable(
    client: TestClient, database: Database, gateway: FakeGateway, clock: FixedClock
) -> None:
    reference, first = start(client)
    declined = deliver(client, gateway.event("chk_1", outcome="declined", at=clock.now().timestamp()))
    assert declined.json() == {"result": "declined"}
    assert status_of(database) == ("submitted", False)
    retried = client.post(f"/api/v1/applications/{reference}/payment", json=PROOF)
    assert retried.status_code == 201 and retried.json()["payment_reference"] != first["payment_reference"]
    paid = deliver(client, gateway.event("chk_2", at=clock.now().timestamp()))
    assert paid.json() == {"result": "captured"}
    with database.factory() as session:
        assert sorted(session.scalars(select(Payment.status))) == ["captured", "declined"]


@pytest.mark.parametrize("trouble", ["stalls", "fails"])
def test_a_gateway_that_does_not_answer_gets_a_try_again_and_nothing_is_paid(
    client: TestClient, database: Database, gateway: FakeGateway, trouble: str, caplog: pytest.LogCaptureFixture
) -> None:
    if trouble == "stalls":
        gateway.stall_seconds = 1.5  # KETA_PAYMENT_TIMEOUT_SECONDS is 1 here
    else:
        gateway.fail_with = 502
    reference = client.post("/api/v1/applications", json=application_json()).json()["reference"]
    api = client.post(f"/api/v1/applications/{reference}/payment", json=PROOF, headers={"Accept-Language": "tr"})
    assert api.status_code == 503 and api.headers["Retry-After"] == "30"
    assert api.json()["error"]["code"] == "payment_unavailable"
    assert api.json()["error"]["message"] == error_message("tr", "payment_unavailable")
    assert count(database, Payment) == 0
    submit(client, application_form(passport__number="U87654321"))  # the portal, in another tab
    portal = client.post("/apply/payment")
    assert portal.status_code == 503
    assert payment_error(portal.text) == error_message("en", "payment_unavailable")
    assert count(database, Payment) == 0 and count(database, Job, Job.kind == SCREEN_APPLICATION) == 0
    assert ("gateway_timeout" if trouble == "stalls" else "gateway_status_502") in caplog.text
    gateway.stall_seconds, gateway.fail_with = 0, None
    assert client.post(f"/api/v1/applications/{reference}/payment", json=PROOF).status_code == 201


def test_the_webhook_takes_bounded_json_and_has_no_sandbox_beside_it(
    client: TestClient, database: Database, gateway: FakeGateway, clock: FixedClock
) -> None:
    start(client)
    too_big = client.post("/payments/webhook", content=b"{" + b" " * 70_000 + b"}")
    assert too_big.status_code == 413 and too_big.json()["error"]["code"] == "payload_too_large"
    headers, _ = gateway.event("chk_1", at=clock.now().timestamp())
    assert client.post("/payments/webhook", content=b"not json", headers=headers).status_code == 400
    unknown = deliver(client, gateway.event("chk_999", at=clock.now().timestamp()))
    assert unknown.status_code == 404
    assert client.get("/payments/webhook").status_code == 405
    assert client.get("/sandbox/checkout/sbx_1?amount=1&currency=KRW&sig=x").status_code == 404
    assert "sandbox-banner" not in client.get("/apply").text
    assert status_of(database) == ("submitted", False)
