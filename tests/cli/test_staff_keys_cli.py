"""keta staff api-key create | revoke: the key printed once as the last word, only its hash stored."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.conftest import TEST_DATA_KEY, Database

from keta.cli import main
from keta.db.models import AuditRecord, StaffApiKey
from keta.services.staff_keys import hash_key

BODY = {"document": {"number": "U1", "issuing_country": "TUR"}}


@pytest.fixture
def keta(database: Database, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("KETA_DATABASE_URL", database.url)
    monkeypatch.setenv("KETA_DATA_KEY", TEST_DATA_KEY)
    return CliRunner()


def run(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_create_use_and_revoke(keta: CliRunner, database: Database, client: TestClient) -> None:
    assert run(keta, "staff", "create", "yoon.border", "--role", "border")[0] == 0
    code, output = run(keta, "staff", "api-key", "create", "yoon.border", "--requests-per-minute", "30")
    assert code == 0, output
    key = output.split()[-1]
    assert key.startswith("ks_") and len(key) == 46
    with database.factory() as session:
        row = session.scalars(select(StaffApiKey)).one()
        actions = list(session.scalars(select(AuditRecord.action)))
    assert (row.key_hash, row.requests_per_minute, row.revoked_at) == (hash_key(key), 30, None)
    assert "staff.api_key_created" in actions
    headers = {"Authorization": f"Bearer {key}"}
    assert client.post("/api/v1/border/lookups", json=BODY, headers=headers).status_code == 200
    assert run(keta, "staff", "api-key", "revoke", "yoon.border") == (0, "revoked 1 API key(s) of yoon.border\n")
    assert client.post("/api/v1/border/lookups", json=BODY, headers=headers).status_code == 401
    assert run(keta, "staff", "api-key", "revoke", "yoon.border") == (0, "revoked 0 API key(s) of yoon.border\n")


def test_unknown_or_disabled_accounts_get_no_key(keta: CliRunner, database: Database) -> None:
    assert run(keta, "staff", "api-key", "create", "nobody") == (
        1,
        "Error: nobody: no such account, or it is disabled\n",
    )
    assert run(keta, "staff", "create", "gone.border", "--role", "border")[0] == 0
    assert run(keta, "staff", "disable", "gone.border")[0] == 0
    assert run(keta, "staff", "api-key", "create", "gone.border")[0] == 1
    assert run(keta, "staff", "api-key", "revoke", "nobody") == (1, "Error: nobody: no such account\n")
    assert run(keta, "staff", "api-key", "create", "gone.border", "--requests-per-minute", "0")[0] != 0
    with database.factory() as session:
        assert session.scalars(select(StaffApiKey)).all() == []
