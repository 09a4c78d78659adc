"""Idempotency records (finding 4): the client's key and body are kept only as keyed hashes, and a
record past KETA_IDEMPOTENCY_HOURS no longer replays — the key is free again."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.conftest import Database
from tests.factories import application_json

from keta.adapters.clock import FixedClock
from keta.db.models import Application, IdempotencyRecord
from keta.services.runtime import Runtime

KEY = "agency-42-U12345678"


def post(client: TestClient, **overrides: object) -> dict[str, object]:
    answer = client.post("/api/v1/applications", json=application_json(**overrides), headers={"Idempotency-Key": KEY})
    assert answer.status_code in (201, 422), answer.text
    return {"status": answer.status_code, "body": answer.json(), "replayed": answer.headers.get("idempotent-replayed")}


def records(database: Database) -> list[IdempotencyRecord]:
    with database.factory() as session:
        return list(session.scalars(select(IdempotencyRecord)))


def test_neither_the_key_nor_a_plain_hash_of_the_body_is_stored(
    client: TestClient, database: Database, runtime: Runtime
) -> None:
    post(client)
    [record] = records(database)
    assert KEY not in (record.key_hash, record.request_hash, record.scope)
    assert record.key_hash == runtime.keyring.blind_index("idempotency-key", "applications", KEY)
    body = json.dumps(application_json(), sort_keys=True, separators=(",", ":"))
    assert record.request_hash != hashlib.sha256(body.encode()).hexdigest()  # not brute-forceable without the key


def test_a_repeat_within_the_window_replays_and_after_it_counts_as_new(
    client: TestClient, database: Database, clock: FixedClock
) -> None:
    first = post(client)
    clock.advance(timedelta(hours=23, minutes=59))
    again = post(client)
    assert again["replayed"] == "true" and again["body"] == first["body"]
    clock.advance(timedelta(minutes=2))  # past the default 24 hours
    later = post(client, email="later@example.org")  # another body: no longer a "key reused" error
    assert later["status"] == 201 and later["replayed"] is None
    assert later["body"]["reference"] != first["body"]["reference"]  # type: ignore[index]
    with database.factory() as session:
        assert len(list(session.scalars(select(Application)))) == 2
    assert len(records(database)) == 1  # the expired record was replaced, not kept beside
