"""POST /api/v1/border/lookups and /entries with a staff API key, on SQLite and PostgreSQL: the answers,
the keys (wrong, revoked, disabled account, wrong role), the rate limit, the audit, the OpenAPI."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.border.helpers import approved_traveller, born, mrz, set_status, with_check_digit_broken
from tests.conftest import Database
from tests.factories import TODAY

from keta.db.models import AuditRecord, BorderEntry
from keta.db.session import session_scope
from keta.domain.applications import Status
from keta.domain.border import ArrivalCard, BorderStatus
from keta.domain.review import Role
from keta.services import staff, staff_keys
from keta.services.runtime import Runtime

LOOKUPS, ENTRIES = "/api/v1/border/lookups", "/api/v1/border/entries"


def make_key(database: Database, runtime: Runtime, username: str, role: Role, *, per_minute: int = 1000) -> str:
    with session_scope(database.factory) as session:
        staff.create(session, runtime, username=username, role=role, actor="test")
        _, key = staff_keys.create(session, runtime, username=username, requests_per_minute=per_minute, actor="test")
    return key


@pytest.fixture
def key(database: Database, runtime: Runtime) -> str:
    return make_key(database, runtime, "yoon.border", Role.BORDER)


def post(client: TestClient, path: str, key: str | None, body: Any, **headers: str) -> Any:
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    return client.post(path, json=body, headers=headers)


def by_mrz(lines: tuple[str, str], **more: Any) -> dict[str, Any]:
    return {"mrz": {"line1": lines[0], "line2": lines[1]}, **more}


def test_an_approved_traveller_by_mrz(client: TestClient, database: Database, runtime: Runtime, key: str) -> None:
    traveller = approved_traveller(database, runtime)
    answer = post(client, LOOKUPS, key, by_mrz(traveller.lines))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == BorderStatus.AUTHORIZED and body["arrival_card"] == ArrivalCard.EXEMPT
    assert body["arrival_date"] == TODAY.isoformat() and body["mismatch"] is False
    shown = body["authorization"]
    assert (shown["reference"], shown["status"], shown["surname"]) == (traveller.reference, "approved", "Yılmaz")
    assert shown["valid_until"] is not None and shown["photo_jpeg"]  # the photo as filed, for the desk
    with database.factory() as session:
        record = session.scalars(select(AuditRecord).where(AuditRecord.action == "border.lookup")).one()
    assert record.detail["channel"] == "api" and record.detail["status"] == "authorized"


def test_by_document_number_revoked_shows_revoked(
    client: TestClient, database: Database, runtime: Runtime, key: str
) -> None:
    traveller = approved_traveller(database, runtime)
    document = {"document": {"number": traveller.number, "issuing_country": "TUR"}}
    assert post(client, LOOKUPS, key, document).json()["status"] == "authorized"
    set_status(database, traveller.reference, Status.REVOKED)
    body = post(client, LOOKUPS, key, document).json()  # the very next query sees it
    assert body["status"] == BorderStatus.NOT_VALID and body["authorization"]["status"] == "revoked"
    assert body["arrival_card"] == ArrivalCard.REQUIRED


def test_exempt_unknown_and_korean(client: TestClient, key: str) -> None:
    old = post(client, LOOKUPS, key, by_mrz(mrz(passport__number="U5", passport__birth_date=born(70, TODAY)))).json()
    assert old["status"] == "exempt" and [e["code"] for e in old["exemptions"]] == ["age_65_or_over"]
    assert old["authorization"] is None and old["exemptions_checked"] is True
    japanese = mrz(passport__number="TR1234567", passport__nationality="JPN", passport__issuing_country="JPN")
    assert post(client, LOOKUPS, key, by_mrz(japanese)).json()["exemptions"][0]["code"] == "temporary_exemption"
    unknown = post(client, LOOKUPS, key, by_mrz(mrz(passport__number="X99999999"))).json()
    assert unknown["status"] == "no_authorization" and unknown["arrival_card"] == "required"
    typed = post(client, LOOKUPS, key, {"document": {"number": "X9", "issuing_country": "TUR"}}).json()
    assert typed["status"] == "no_authorization" and typed["exemptions_checked"] is False
    korean = mrz(passport__number="M1234567", passport__nationality="KOR", passport__issuing_country="KOR")
    body = post(client, LOOKUPS, key, by_mrz(korean)).json()
    assert body["status"] == "not_applicable" and body["exemptions"][0]["code"] == "korean_national"


def test_a_bad_check_digit_is_422_naming_the_field(client: TestClient, database: Database, key: str) -> None:
    line1, line2 = mrz()
    answer = post(client, LOOKUPS, key, by_mrz((line1, with_check_digit_broken(line2, 9))), **{"Accept-Language": "ko"})
    assert answer.status_code == 422
    fields = answer.json()["error"]["fields"]
    # the composite digit covers the document number's digit too, so both are named
    assert [(f["path"], f["code"]) for f in fields] == [
        ("mrz.document_number", "document_number_check_digit"),
        ("mrz.composite", "composite_check_digit"),
    ]
    assert fields[0]["message"] and answer.json()["error"]["code"] == "invalid_input"
    for body in ({}, {**by_mrz((line1, line2)), "document": {"number": "U1", "issuing_country": "TUR"}}):
        refused = post(client, LOOKUPS, key, body)
        assert refused.status_code == 422 and refused.json()["error"]["fields"][0]["code"] == "mrz_or_document"
    shape = post(client, LOOKUPS, key, {"document": {"number": "U1", "issuing_country": "T1"}, "extra": 1})
    assert shape.status_code == 422
    assert {f["path"] for f in shape.json()["error"]["fields"]} == {"document.issuing_country", "extra"}
    with database.factory() as session:
        assert (
            session.scalar(select(func.count()).select_from(AuditRecord).where(AuditRecord.action == "border.lookup"))
            == 0
        )


def test_an_entry_is_recorded_once(client: TestClient, database: Database, runtime: Runtime, key: str) -> None:
    traveller = approved_traveller(database, runtime)
    first = post(client, ENTRIES, key, by_mrz(traveller.lines, port="ICN"))
    assert first.status_code == 201, first.text
    assert first.json()["created"] is True and first.json()["status"] == "authorized"
    assert first.json()["lookup"]["authorization"]["reference"] == traveller.reference
    again = post(
        client, ENTRIES, key, {"document": {"number": traveller.number, "issuing_country": "TUR"}, "port": "icn"}
    )
    assert again.status_code == 200 and again.json()["created"] is False and again.json()["id"] == first.json()["id"]
    elsewhere = post(client, ENTRIES, key, by_mrz(traveller.lines, port="PUS"))
    assert elsewhere.status_code == 201  # another port the same day is another entry
    bad_port = post(client, ENTRIES, key, by_mrz(traveller.lines, port="XXX"))
    assert bad_port.status_code == 422 and bad_port.json()["error"]["fields"][0]["path"] == "port"
    with database.factory() as session:
        assert session.scalar(select(func.count()).select_from(BorderEntry)) == 2
        channels = {e.channel for e in session.scalars(select(BorderEntry))}
    assert channels == {"api"}


def test_missing_wrong_and_revoked_keys_are_401(
    client: TestClient, database: Database, runtime: Runtime, key: str
) -> None:
    body = by_mrz(mrz())
    for sent in (None, "ks_" + "A" * 43, "not-a-key", key[:-1] + ("A" if key[-1] != "A" else "B")):
        answer = post(client, LOOKUPS, sent, body)
        assert answer.status_code == 401, sent
        assert answer.json()["error"]["code"] == "unauthorized" and "Bearer" in answer.headers["www-authenticate"]
    assert post(client, LOOKUPS, key, body).status_code == 200
    with session_scope(database.factory) as session:
        assert staff_keys.revoke(session, runtime, username="yoon.border", actor="test") == 1
    assert post(client, LOOKUPS, key, body).status_code == 401
    assert post(client, ENTRIES, key, {**body, "port": "ICN"}).status_code == 401


def test_a_disabled_account_s_key_is_401(client: TestClient, database: Database, runtime: Runtime, key: str) -> None:
    with session_scope(database.factory) as session:
        staff.disable(session, runtime, username="yoon.border", actor="test")
    assert post(client, LOOKUPS, key, by_mrz(mrz())).status_code == 401


def test_a_key_of_staff_without_the_border_role_is_403(
    client: TestClient, database: Database, runtime: Runtime
) -> None:
    for role in (Role.OFFICER, Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR):
        officer_key = make_key(database, runtime, f"user.{role.value}", role)
        answer = post(client, LOOKUPS, officer_key, by_mrz(mrz()), **{"Accept-Language": "de"})
        assert answer.status_code == 403, role
        assert answer.json()["error"]["code"] == "border_role_required"
        assert "Grenzschnittstelle" in answer.json()["error"]["message"]
    with database.factory() as session:
        assert (
            session.scalar(select(func.count()).select_from(AuditRecord).where(AuditRecord.action == "border.lookup"))
            == 0
        )


def test_the_key_s_rate_limit_is_429_with_retry_after(client: TestClient, database: Database, runtime: Runtime) -> None:
    limited = make_key(database, runtime, "slow.border", Role.BORDER, per_minute=2)
    body = by_mrz(mrz())
    assert [post(client, LOOKUPS, limited, body).status_code for _ in range(3)] == [200, 200, 429]
    refused = post(client, LOOKUPS, limited, body)
    assert refused.json()["error"]["code"] == "rate_limited" and int(refused.headers["retry-after"]) > 0


def test_openapi_documents_the_border_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, ok in ((LOOKUPS, {"200"}), (ENTRIES, {"200", "201"})):
        operation = spec["paths"][path]["post"]
        assert set(operation["responses"]) == ok | {"401", "403", "413", "422", "429"}, path
        for status in ("401", "403", "413", "422", "429"):
            assert operation["responses"][status]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorOut"
            }
        assert operation["security"] == [{"StaffApiKey": []}]
        assert "Retry-After" in operation["responses"]["429"]["headers"]
    schemes = spec["components"]["securitySchemes"]
    assert schemes["StaffApiKey"]["scheme"] == "bearer" and "carrier" in schemes["HTTPBearer"]["description"]
    statuses = spec["components"]["schemas"]["LookupOut"]["properties"]["status"]["enum"]
    assert statuses == [s.value for s in BorderStatus]
