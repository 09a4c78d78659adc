"""Personal data is encrypted at rest and never written to logs."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.conftest import Database
from tests.factories import application_json
from tests.payments import pay_api

from keta.db.base import Base

SECRETS = ["U12345678", "Yılmaz", "ayse.yilmaz@example.org", "Sejong-daero", "1990-04-12", "555 010 2030"]


def test_no_personal_data_in_clear_in_any_table(
    client: TestClient, database: Database, run_jobs: Callable[[], int]
) -> None:
    reference = client.post("/api/v1/applications", json=application_json()).json()["reference"]
    pay_api(client, f"/api/v1/applications/{reference}/payment", {"passport_number": "U12345678"})
    run_jobs()
    dump = []
    with database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(text(f"SELECT * FROM {table.name}")):  # noqa: S608 - our own table names
                dump.extend(value.decode("latin-1") if isinstance(value, bytes) else str(value) for value in row)
    everything = "\n".join(dump)
    assert reference in everything  # the dump is real
    for secret in SECRETS:
        assert secret not in everything, secret


def test_logs_carry_no_personal_data(
    client: TestClient, run_jobs: Callable[[], int], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    reference = client.post("/api/v1/applications", json=application_json()).json()["reference"]
    client.post("/api/v1/applications", json=application_json(consent=False, email="bad"))
    pay_api(client, f"/api/v1/applications/{reference}/payment", {"passport_number": "U12345678"})
    client.post(f"/api/v1/applications/{reference}/lookup", json={"passport_number": "U12345678"})
    run_jobs()
    assert caplog.records  # the worker did log
    for secret in SECRETS:
        assert secret not in caplog.text, secret
