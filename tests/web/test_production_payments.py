"""With production settings (real keys, SMTP, the gateway), no path pays without a verified webhook:
not the API, not the portal's forms or return page, not the sandbox's routes, not a token, not an
event signed the way the sandbox would sign it. PostgreSQL only: production refuses SQLite."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import Database
from tests.factories import application_json
from tests.fake_gateway import API_KEY, WEBHOOK_SECRET, FakeGateway, running_gateway
from tests.portal.forms import application_form, submit
from tests.portal_client import PortalClient

from keta.adapters.clock import FixedClock
from keta.adapters.payments import SandboxPayments
from keta.config import Settings
from keta.db.models import Application, Job
from keta.db.queue import SCREEN_APPLICATION
from keta.i18n import gettext
from keta.web.app import create_app

SECRET_KEY = "Hq3vTz8LwY2nRc6KpX9mB4sJfD7gA1eU"
DATA_KEY = "Zr5Nc8Wq1Lm4Xv7Bt2Ky9Hs6Jd3Fp0Ga"
pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    with running_gateway() as fake:
        yield fake


@pytest.fixture
def production(database: Database, clock: FixedClock, gateway: FakeGateway) -> Iterator[TestClient]:
    settings = Settings(
        env="production",
        database_url=database.url,
        secret_key=SECRET_KEY,
        data_key=DATA_KEY,
        smtp_url="smtp://127.0.0.1:2525",  # never reached: no job runs here
        payment_provider="gateway",
        payment_gateway_url=gateway.url,
        payment_api_key=API_KEY,
        payment_webhook_secret=WEBHOOK_SECRET,
        public_url="https://eta.example.org",
    )
    with PortalClient(create_app(settings, clock=clock, start_worker=False), base_url="https://testserver") as client:
        yield client


def paid_anything(database: Database) -> bool:
    with database.factory() as session:
        paid = session.scalar(select(func.count()).select_from(Application).where(Application.payment_id.is_not(None)))
        queued = session.scalar(select(func.count()).select_from(Job).where(Job.kind == SCREEN_APPLICATION))
        return bool(paid or queued)


def test_no_path_pays_without_a_verified_webhook(
    production: TestClient, database: Database, gateway: FakeGateway, clock: FixedClock
) -> None:
    client = production
    proof = {"passport_number": "U12345678"}
    reference = client.post("/api/v1/applications", json=application_json()).json()["reference"]
    path = f"/api/v1/applications/{reference}/payment"
    assert client.post(path, json={**proof, "token": "tok_sandbox_ok"}).status_code == 422  # no token API
    started = client.post(path, json=proof)
    assert started.json()["sandbox"] is False and started.json()["checkout_url"].startswith(gateway.url)

    # The portal: no banner, no token field, and "Pay" only leads to the gateway.
    submit(client, application_form(passport__number="U87654321"))
    confirmation = client.get("/apply/confirmation")
    assert "sandbox-banner" not in confirmation.text and 'name="token"' not in confirmation.text
    assert gettext("en", "portal.banner.sandbox") not in confirmation.text
    to_gateway = client.post("/apply/payment", data={"token": "tok_sandbox_ok"}, follow_redirects=False)
    assert to_gateway.headers["location"].startswith(f"{gateway.url}/pay/")
    assert gettext("en", "portal.paid.pending_title") in client.get("/apply/paid").text

    # The sandbox's routes do not exist, and an event signed as the sandbox would sign it is refused.
    checkout = started.json()["checkout_url"].rsplit("/", 1)[-1]
    for method in (client.get, client.post):
        assert method(f"/sandbox/checkout/{checkout}").status_code == 404
    sandbox = SandboxPayments(secret=SECRET_KEY, clock=clock)
    headers, body = sandbox.signed_event(
        provider_reference=checkout, outcome="captured", amount=Decimal(10300), currency="KRW"
    )
    assert client.post("/payments/webhook", content=body, headers=headers).status_code == 400
    forged = hmac.new(b"guessed", f"{int(clock.now().timestamp())}.".encode() + body, hashlib.sha256).hexdigest()
    guessed = {"Keta-Signature": f"t={int(clock.now().timestamp())},v1={forged}"}
    assert client.post("/payments/webhook", content=body, headers=guessed).status_code == 400
    assert not paid_anything(database)
    assert client.post(f"/api/v1/applications/{reference}/lookup", json=proof).json()["paid"] is False

    # Only the gateway's signed word pays.
    headers, body = gateway.event(checkout, at=clock.now().timestamp())
    assert client.post("/payments/webhook", content=body, headers=headers).json() == {"result": "captured"}
    assert client.post(f"/api/v1/applications/{reference}/lookup", json=proof).json()["paid"] is True
