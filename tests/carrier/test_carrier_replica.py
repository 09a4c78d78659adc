"""KETA_CARRIER_DATABASE_URL: the carrier check reads from a replica and writes its audit record to
the primary. The replica is played by a read-only connection to the same PostgreSQL database
(`default_transaction_read_only`), which refuses any write as a standby would."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from fastapi.testclient import TestClient
from psycopg.errors import ReadOnlySqlTransaction
from sqlalchemy import func, select
from tests.carrier.conftest import Traveller
from tests.carrier.helpers import CHECKS, passenger
from tests.conftest import NOW, TEST_DATA_KEY, Database

from keta.adapters.clock import FixedClock
from keta.config import Settings
from keta.db.engine import make_lean_engine
from keta.db.models import CarrierCheck
from keta.db.repositories import carriers as carriers_repo
from keta.db.session import autocommit_session
from keta.web.app import create_app

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)


def read_only(url: str) -> str:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    options = " ".join([*query.get("options", []), "-cdefault_transaction_read_only=on"])
    return urlunsplit(parts._replace(query=urlencode({**query, "options": options}, doseq=False)))


@pytest.fixture
def replica_client(database: Database, clock: FixedClock) -> Iterator[TestClient]:
    settings = Settings(
        env="test", database_url=database.url, data_key=TEST_DATA_KEY, carrier_database_url=read_only(database.url)
    )
    with TestClient(create_app(settings, clock=clock, start_worker=False)) as client:
        yield client


def checks(database: Database) -> int:
    with database.factory() as session:
        return int(session.scalar(select(func.count()).select_from(CarrierCheck)) or 0)


def test_the_replica_refuses_writes(database: Database, carrier_key: str) -> None:
    engine = make_lean_engine(read_only(database.url))
    try:
        with autocommit_session(engine) as session, pytest.raises(ReadOnlySqlTransaction):
            carriers_repo.record_check(session, carrier_id=uuid.uuid4(), at=NOW, answers=[(None, "NOT_OK")])
    finally:
        engine.dispose()


def test_checks_read_the_replica_and_audit_on_the_primary(
    database: Database, traveller: Traveller, carrier_key: str, replica_client: TestClient
) -> None:
    traveller()  # approved on the primary (this test's replica is the same database)
    before = checks(database)
    headers = {"Authorization": f"Bearer {carrier_key}"}
    body = {"passengers": [passenger(), passenger(document_number="Z1")]}
    response = replica_client.post(CHECKS, json=body, headers=headers)
    assert response.status_code == 200, response.text
    assert [r["status"] for r in response.json()["results"]] == ["OK", "NOT_OK"]
    assert checks(database) == before + 1  # the audit record reached the primary
    assert replica_client.post(CHECKS, json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
