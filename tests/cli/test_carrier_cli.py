"""keta carrier create | list | suspend | resume | revoke, and serve's refusal of a per-process limiter."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.cli.test_server_settings import PRODUCTION
from tests.conftest import TEST_DATA_KEY, Database

from keta.cli import main
from keta.db.models import Carrier
from keta.services.carrier_keys import hash_key

BODY = {
    "passengers": [
        {
            "document_number": "U1",
            "issuing_country": "TUR",
            "nationality": "TUR",
            "birth_date": "1990-01-01",
            "arrival_date": "2026-12-29",
        }
    ]
}


@pytest.fixture
def keta(database: Database, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("KETA_DATABASE_URL", database.url)
    monkeypatch.setenv("KETA_DATA_KEY", TEST_DATA_KEY)  # the key the `client` app registered for this database
    return CliRunner()


def run(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_create_prints_the_key_once_and_stores_only_its_hash(keta: CliRunner, database: Database) -> None:
    code, output = run(keta, "carrier", "create", "Anatolia Air", "--requests-per-minute", "120")
    assert code == 0, output
    key = output.split()[-1]
    assert key.startswith("kc_") and len(key) == 46
    with database.factory() as session:
        carrier = session.scalars(select(Carrier)).one()
    assert (carrier.name, carrier.requests_per_minute, carrier.key_hash) == ("Anatolia Air", 120, hash_key(key))
    assert key not in carrier.key_hash
    code, output = run(keta, "carrier", "list")
    assert code == 0 and key not in output
    header, row = output.splitlines()
    assert header.split() == ["NAME", "STATE", "REQ/MIN", "CREATED"]
    assert row.split()[:4] == ["Anatolia", "Air", "active", "120"]


def test_names_are_unique_and_checked(keta: CliRunner) -> None:
    assert run(keta, "carrier", "create", "SkyLine")[0] == 0
    assert run(keta, "carrier", "create", "SkyLine") == (1, "Error: carrier exists\n")
    assert run(keta, "carrier", "create", "bad/name") == (1, "Error: name: invalid format\n")
    assert run(keta, "carrier", "create", "Ok", "--requests-per-minute", "0") == (
        1,
        "Error: requests_per_minute: too small\n",
    )
    assert run(keta, "carrier", "revoke", "Nobody") == (1, "Error: no carrier with that name\n")


def test_suspend_resume_revoke_take_effect_on_the_api(keta: CliRunner, client: TestClient) -> None:
    key = run(keta, "carrier", "create", "Bosphorus")[1].split()[-1]
    headers = {"Authorization": f"Bearer {key}"}
    assert client.post("/api/v1/carrier/checks", json=BODY, headers=headers).status_code == 200
    assert run(keta, "carrier", "suspend", "Bosphorus") == (0, "carrier Bosphorus: suspended\n")
    assert client.post("/api/v1/carrier/checks", json=BODY, headers=headers).status_code == 403
    assert run(keta, "carrier", "resume", "Bosphorus") == (0, "carrier Bosphorus: active\n")
    assert client.post("/api/v1/carrier/checks", json=BODY, headers=headers).status_code == 200
    assert run(keta, "carrier", "revoke", "Bosphorus") == (0, "carrier Bosphorus: revoked\n")
    assert client.post("/api/v1/carrier/checks", json=BODY, headers=headers).status_code == 401
    assert run(keta, "carrier", "resume", "Bosphorus") == (1, "Error: carrier revoked\n")
    assert run(keta, "carrier", "list")[1].splitlines()[1].split()[:2] == ["Bosphorus", "revoked"]


def test_serve_refuses_a_per_process_limiter_with_several_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {**PRODUCTION, "KETA_RATE_LIMIT_URL": "memory://"}.items():
        monkeypatch.setenv(name, value)
    code, output = run(CliRunner(), "serve", "--workers", "2")
    assert code == 1
    assert "KETA_RATE_LIMIT_URL=memory:// counts per process" in output
