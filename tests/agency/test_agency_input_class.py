"""The agency API held to the JSON API's input class (tests/web/test_input_class.py), with its key:
every string field of every agency route × (a NUL, an oversized value) → 4xx naming the field,
never a 5xx, nothing written but the request's own audit record and rate-limit count; the same for
the URL's reference."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.agency.helpers import AgencyApi
from tests.conftest import Database
from tests.factories import application_json, face_base64, member_json
from tests.table_counts import snapshot
from tests.web.test_input_class import OVERSIZED, full_application, replaced, string_paths

from keta.db.models import AuditHead, AuditRecord, RateLimitWindow

RETURN_URL = "https://agency.example/back"


@pytest.fixture
def filed(agency: AgencyApi) -> dict[str, str]:
    application = agency.request("POST", "/applications", json=application_json())
    group = agency.request(
        "POST",
        "/groups",
        json={
            "representative": {"surname": "Demir", "email": "m@example.org", "phone": "+90 555 010 2040"},
            "members": [member_json(1)],
        },
    )
    assert application.status_code == group.status_code == 201, (application.text, group.text)
    return {"application": application.json()["reference"], "group": group.json()["reference"]}


def routes(refs: dict[str, str]) -> list[tuple[str, str, dict[str, object]]]:
    app, group = refs["application"], refs["group"]
    group_body = {
        "representative": {"surname": "Demir", "given_names": "Mehmet", "email": "m@example.org", "phone": "+90 555 1"},
        "members": [full_application()],
        "language": "tr",
    }
    return [
        ("POST", "/applications", full_application()),
        ("PUT", f"/applications/{app}/photo", {"photo_base64": face_base64()}),
        ("POST", f"/applications/{app}/payment", {"return_url": RETURN_URL}),
        ("POST", "/groups", group_body),
        ("POST", f"/groups/{group}/payment", {"return_url": RETURN_URL}),
    ]


def without_audit(database: Database) -> dict[str, object]:
    counts = snapshot(database)
    kept = (AuditRecord.__tablename__, AuditHead.__tablename__, RateLimitWindow.__tablename__)  # the request's own
    return {table: rows for table, rows in counts.items() if table not in kept}


@pytest.mark.parametrize("bad", ["nul", "oversized"])
def test_every_string_field_of_every_agency_route_refuses_a_nul_and_an_oversized_value(
    agency: AgencyApi, database: Database, filed: dict[str, str], bad: str
) -> None:
    before = without_audit(database)
    tried = 0
    for method, path, body in routes(filed):
        for field_path, keys in string_paths(body):
            value = "A\x00B" if bad == "nul" else OVERSIZED
            answer = agency.request(method, path, json=replaced(body, keys, value))
            where = f"{method} {path} {field_path}"
            assert 400 <= answer.status_code < 500, (where, answer.status_code, answer.text[:300])
            named = [f["path"] for f in answer.json()["error"]["fields"]]
            assert field_path in named, (where, named)
            tried += 1
    assert tried > 40
    assert without_audit(database) == before


@pytest.mark.parametrize("bad", ["A%00B", "A" * 2_000, "%ED%A0%80"])
def test_every_reference_in_an_agency_url_refuses_what_no_reference_holds(
    client: TestClient, agency: AgencyApi, database: Database, filed: dict[str, str], bad: str
) -> None:
    before = without_audit(database)
    for method, path, body in [*routes(filed), ("GET", f"/applications/{filed['application']}", {})]:
        if filed["application"] not in path and filed["group"] not in path:
            continue
        for reference in filed.values():
            path = path.replace(reference, bad)
        answer = agency.request(method, path, json=body) if body else agency.request(method, path)
        assert answer.status_code == 422, (path[:80], answer.status_code, answer.text[:300])
        assert [f["path"] for f in answer.json()["error"]["fields"]] == ["reference"]
    assert without_audit(database) == before
    with database.factory() as session:
        longest = session.scalar(select(func.max(func.length(AuditRecord.object_id))))
    assert longest is not None and longest <= 64
