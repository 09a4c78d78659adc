"""Agencies' keys: `keta agency create | list | revoke`, and what the API answers a missing, wrong,
revoked or over-used key — before it reads a body, every admitted request audited by id."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.agency.helpers import AgencyApi, bearer, create_agency, revoke_agency
from tests.conftest import TEST_DATA_KEY, Database
from tests.factories import application_json
from tests.table_counts import snapshot

from keta.cli import main
from keta.db.models import Agency, AuditRecord
from keta.services.api_keys import hash_key
from keta.services.runtime import Runtime


@pytest.fixture
def keta(database: Database, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("KETA_DATABASE_URL", database.url)
    monkeypatch.setenv("KETA_DATA_KEY", TEST_DATA_KEY)  # the key the `client` app registered for this database
    return CliRunner()


def run(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_create_prints_the_key_once_list_shows_none_and_revoke_ends_it(
    keta: CliRunner, client: TestClient, database: Database
) -> None:
    code, output = run(keta, "agency", "create", "Seoul Tours", "--requests-per-minute", "30")
    assert code == 0, output
    key = output.split()[-1]
    assert key.startswith("ka_") and len(key) == 46
    with database.factory() as session:
        agency = session.scalars(select(Agency)).one()
    assert (agency.name, agency.requests_per_minute, agency.key_hash) == ("Seoul Tours", 30, hash_key(key))
    code, listing = run(keta, "agency", "list")
    assert code == 0 and "Seoul Tours" in listing and "active" in listing and key not in listing
    assert run(keta, "agency", "create", "Seoul Tours")[0] == 1  # the name is taken
    assert "invalid format" in run(keta, "agency", "create", "bad name!")[1]

    api = AgencyApi(client, key)
    assert api.request("GET", "/applications/A0000-0000-0000").status_code == 404  # admitted: not found
    assert run(keta, "agency", "revoke", "Seoul Tours") == (0, "agency Seoul Tours: revoked\n")
    refused = api.request("GET", "/applications/A0000-0000-0000")
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert "revoked" in run(keta, "agency", "list")[1]
    assert run(keta, "agency", "revoke", "Nobody")[0] == 1


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer ka_" + "x" * 43, "Bearer kc_" + "x" * 43, "Basic dXNlcjpwYXNz", "Bearer ", "ka_only"],
)
def test_no_or_a_wrong_key_is_401_before_the_body_is_read(
    client: TestClient, database: Database, agency_key: str, authorization: str | None
) -> None:
    before = snapshot(database)
    headers = {"Authorization": authorization} if authorization else {}
    for body in (application_json(), {"not": "an application"}):
        answer = client.post("/api/v1/agency/applications", json=body, headers=headers)
        assert answer.status_code == 401, answer.text
        assert answer.json()["error"]["code"] == "unauthorized"
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    multipart = client.post("/api/v1/agency/groups", files={"group": (None, "{")}, headers=headers)
    assert multipart.status_code == 401
    assert snapshot(database) == before  # not even an audit record


def test_a_revoked_key_is_refused_from_the_next_request_on(
    client: TestClient, database: Database, runtime: Runtime, agency: AgencyApi
) -> None:
    assert agency.request("POST", "/applications", json=application_json()).status_code == 201
    revoke_agency(database, runtime)
    answer = agency.request("POST", "/applications", json=application_json(passport__number="U77777777"))
    assert answer.status_code == 401


def test_the_rate_limit_is_per_agency_key(client: TestClient, database: Database, runtime: Runtime) -> None:
    slow = AgencyApi(client, create_agency(database, runtime, "Slow Travel", per_minute=2))
    other = AgencyApi(client, create_agency(database, runtime, "Other Travel", per_minute=2))
    assert [slow.request("GET", "/groups/G0000-0000-0000").status_code for _ in range(2)] == [404, 404]
    limited = slow.request("POST", "/applications", json=application_json())
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    assert other.request("GET", "/groups/G0000-0000-0000").status_code == 404  # its own budget


def test_an_agency_sees_only_what_it_filed_and_every_request_is_audited_by_id(
    client: TestClient, database: Database, runtime: Runtime, agency: AgencyApi
) -> None:
    filed = agency.request("POST", "/applications", json=application_json())
    reference = filed.json()["reference"]
    rival = AgencyApi(client, create_agency(database, runtime, "Rival Travel"))
    assert rival.request("GET", f"/applications/{reference}").status_code == 404
    assert rival.request("POST", f"/applications/{reference}/payment", json={}).status_code == 404
    assert agency.request("GET", f"/applications/{reference}").status_code == 200
    with database.factory() as session:
        agencies = {a.name: a.id for a in session.scalars(select(Agency))}
        records = list(session.scalars(select(AuditRecord).where(AuditRecord.action == "agency.request")))
    seen = [(r.actor, r.object_id, (r.detail or {}).get("reference")) for r in records]
    mine, theirs = f"agency:{agencies['Istanbul Travel']}", f"agency:{agencies['Rival Travel']}"
    assert seen == [
        (mine, "POST /api/v1/agency/applications", None),
        (theirs, "GET /api/v1/agency/applications/{reference}", reference),
        (theirs, "POST /api/v1/agency/applications/{reference}/payment", reference),
        (mine, "GET /api/v1/agency/applications/{reference}", reference),
    ]
    for record in records:  # ids only: nothing of the applicant
        assert "Yılmaz" not in str(record.detail) and "U12345678" not in str(record.detail)


def test_a_suspended_agency_is_known_but_refused_until_resumed(
    keta: CliRunner, client: TestClient, database: Database, agency: AgencyApi
) -> None:
    assert run(keta, "agency", "suspend", "Istanbul Travel") == (0, "agency Istanbul Travel: suspended\n")
    refused = agency.request("POST", "/applications", json=application_json(), headers={"Accept-Language": "tr"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "agency_suspended"
    assert "askıya" in refused.json()["error"]["message"]  # in the caller's language
    assert "suspended" in run(keta, "agency", "list")[1]
    assert run(keta, "agency", "resume", "Istanbul Travel") == (0, "agency Istanbul Travel: active\n")
    assert agency.request("POST", "/applications", json=application_json()).status_code == 201
    run(keta, "agency", "revoke", "Istanbul Travel")
    assert run(keta, "agency", "resume", "Istanbul Travel")[0] == 1  # a revoked key stays dead
    assert agency.request("GET", "/groups/G0000-0000-0000").status_code == 401


def test_bearer_is_the_only_scheme(client: TestClient, agency_key: str) -> None:
    assert client.get("/api/v1/agency/groups/G0000-0000-0000", headers=bearer(agency_key)).status_code == 404
    lower = client.get("/api/v1/agency/groups/G0000-0000-0000", headers={"Authorization": f"bearer {agency_key}"})
    assert lower.status_code == 404  # the scheme is case-insensitive (RFC 7235)
