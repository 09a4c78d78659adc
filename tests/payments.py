"""Paying in tests the way a traveller does: a checkout, then the sandbox's card page, whose buttons
make a signed webhook event that goes through the same verification as a real provider's."""

from __future__ import annotations

import html
import re
from typing import Any, Literal

from fastapi.testclient import TestClient
from httpx2 import Response  # what starlette's TestClient returns
from sqlalchemy.orm import Session

from keta.db.models import Application, Payment
from keta.services import payment_events
from keta.services.runtime import Runtime

Outcome = Literal["captured", "declined"]


def pay_in_service(session: Session, rt: Runtime, applications: list[Application]) -> Payment:
    """Checkout and capture through the services (for tests below the web layer)."""
    return payment_events.pay_in_sandbox(session, rt, applications=applications, description="test")


def sandbox_form(client: TestClient, checkout_url: str) -> tuple[str, dict[str, str]]:
    """The sandbox card page's form: where it posts and its hidden fields."""
    page = client.get(checkout_url)
    assert page.status_code == 200, page.text
    action = re.search(r'<form method="post" action="([^"]+)">', page.text)
    assert action, page.text
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text))
    return html.unescape(action.group(1)), {name: html.unescape(value) for name, value in fields.items()}


def finish_checkout(client: TestClient, checkout_url: str, outcome: Outcome = "captured") -> Response:
    """Press "Pay (sandbox)" or "Decline (sandbox)"; answers the redirect to the return URL."""
    action, fields = sandbox_form(client, checkout_url)
    return client.post(action, data={**fields, "outcome": outcome}, follow_redirects=False)


def pay_api(
    client: TestClient, path: str, proof: dict[str, Any], outcome: Outcome = "captured"
) -> tuple[Response, Response]:
    """POST …/payment, then through the sandbox checkout: (the checkout answer, the return redirect)."""
    started = client.post(path, json=proof)
    assert started.status_code in (200, 201), started.text
    return started, finish_checkout(client, started.json()["checkout_url"], outcome)
