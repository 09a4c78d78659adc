"""What the carrier tests share: carrier keys, travellers in every state, and a recorder of every
carrier response of the run that scans each one for personal data it must not carry."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import httpx2 as httpx
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.conftest import NOW, Database

from keta.adapters.crypto import Keyring
from keta.db.models import Application
from keta.db.session import session_scope
from keta.domain.applications import Status
from keta.services import carrier_keys
from keta.services.lifecycle import move

CHECKS = "/api/v1/carrier/checks"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Codes a carrier may see: the exemptions of OK_EXEMPT answers. Every other reason is a ground.
_SHAREABLE_REASONS = ("age_", "temporary_exemption")


@dataclass
class Recorded:
    sent: Any
    status: int
    body: str
    forbidden: set[str]  # personal data in the database when the answer was given


@dataclass
class CarrierResponses:
    """Every carrier response of the run. Each is scanned when it is recorded, and all of them
    again when the run ends."""

    recorded: list[Recorded] = field(default_factory=list)

    def record(self, sent: Any, status: int, body: str, forbidden: set[str]) -> None:
        entry = Recorded(sent, status, body, forbidden)
        scan(entry)
        self.recorded.append(entry)


def sensitive_values(database: Database, keyring: Keyring) -> set[str]:
    """Names, contact details, references, decision grounds and birth dates of every application
    in the database: what no carrier answer may contain (birth dates: unless the carrier sent them)."""
    values: set[str] = set()
    with database.factory() as session:
        for application in session.scalars(select(Application)):
            data = keyring.decrypt(application.pii)
            passport = data["passport"]
            values |= {passport["surname"], passport["given_names"], passport["birth_date"], data["email"]}
            values |= {data["phone"], data["travel"]["address_in_korea"], application.reference}
            values |= {str(reason) for reason in [*application.decision_reasons, *application.eligibility_reasons]}
            if application.group is not None:
                values.add(application.group.reference)
    return {v for v in values if v and not v.startswith(_SHAREABLE_REASONS) and v != "authorization_required"}


def scan(entry: Recorded) -> None:
    sent_dates = set(_DATE.findall(json.dumps(entry.sent)))
    leaked = sorted(v for v in entry.forbidden if v in entry.body and not (_DATE.fullmatch(v) and v in sent_dates))
    assert leaked == [], f"a carrier answer carries personal data: {leaked}"
    if entry.status == 200:
        for result in json.loads(entry.body)["results"]:
            assert set(result) <= {"index", "status", "valid_until", "exemption", "errors"}, result
            if result["status"] == "NOT_OK":
                assert set(result) == {"index", "status"}, result  # no reason, ever


@dataclass
class CarrierApi:
    client: TestClient
    database: Database
    keyring: Keyring
    responses: CarrierResponses

    def post(self, key: str | None, body: Any, **headers: str) -> httpx.Response:
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        response = self.client.post(CHECKS, json=body, headers=headers)
        self.record(body, response)
        return response

    def post_raw(self, key: str, body: bytes) -> httpx.Response:
        """Bytes as sent (JSON a dict cannot hold, such as a duplicate key)."""
        headers = {"Authorization": f"Bearer {key}", "content-type": "application/json"}
        response = self.client.post(CHECKS, content=body, headers=headers)
        self.record(body.decode(), response)
        return response

    def record(self, body: Any, response: httpx.Response) -> None:
        self.responses.record(body, response.status_code, response.text, sensitive_values(self.database, self.keyring))

    def results(self, key: str, *passengers: dict[str, Any]) -> list[dict[str, Any]]:
        response = self.post(key, {"passengers": list(passengers)})
        assert response.status_code == 200, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        return results

    def status(self, key: str, row: dict[str, Any]) -> str:
        status: str = self.results(key, row)[0]["status"]
        return status


def create_carrier(database: Database, name: str = "Anatolia Air", *, per_minute: int = 1000) -> str:
    with session_scope(database.factory) as session:
        _, key = carrier_keys.create(session, name=name, requests_per_minute=per_minute, now=NOW)
    return key


def passenger(**overrides: Any) -> dict[str, Any]:
    """The carrier's view of the default applicant of tests.factories.application_json."""
    row = {
        "document_number": "U12345678",
        "issuing_country": "TUR",
        "nationality": "TUR",
        "birth_date": "1990-04-12",
        "arrival_date": "2026-12-29",
        "flight": "TK90",
    }
    row.update(overrides)
    return row


def set_status(database: Database, reference: str, status: Status, *, reasons: tuple[str, ...] = ()) -> None:
    """Change a status as the back office will: through keta.services.lifecycle.move, committed."""
    with session_scope(database.factory) as session:
        application = session.scalars(select(Application).where(Application.reference == reference)).one()
        move(application, status, actor="officer:test", reasons=list(reasons), now=NOW)
        if reasons:
            application.decision_reasons = list(reasons)


def status_of(database: Database, reference: str) -> str:
    with database.factory() as session:
        return session.scalars(select(Application.status).where(Application.reference == reference)).one()
