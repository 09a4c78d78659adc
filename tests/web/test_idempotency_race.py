"""Two identical submissions with the same Idempotency-Key at the same moment: one application."""

from __future__ import annotations

import threading
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import Database
from tests.factories import application_json

from keta.db.models import Application


def test_concurrent_twins_create_one_application(client: TestClient, database: Database) -> None:
    body = application_json()
    barrier = threading.Barrier(4)
    results: list[Any] = []

    def submit() -> None:
        # One client per thread on the same app; not as a context manager, so the app's lifespan
        # (which disposes the engine at exit) runs only once, in the `client` fixture.
        own = TestClient(client.app)
        barrier.wait()
        results.append(own.post("/api/v1/applications", json=body, headers={"Idempotency-Key": "twin-1"}))

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [r.status_code for r in results] == [201, 201, 201, 201]
    assert len({r.json()["reference"] for r in results}) == 1
    with database.factory() as session:
        assert session.scalar(select(func.count()).select_from(Application)) == 1
