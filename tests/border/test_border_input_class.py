"""The border API held to the JSON API's input class (tests/web/test_input_class.py), with a staff key:
every string field of both border routes × (a NUL, an oversized value) → 4xx naming the field, never
a 5xx, nothing written but the request's own audit record and rate-limit count."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.border.test_border_api import ENTRIES, LOOKUPS, make_key, post
from tests.conftest import Database
from tests.table_counts import snapshot
from tests.web.test_input_class import OVERSIZED, replaced, string_paths

from keta.db.models import AuditHead, AuditRecord, RateLimitWindow
from keta.domain.review import Role
from keta.services.runtime import Runtime

MRZ = {
    "line1": "P<TURYILMAZ<<AYSE<<<<<<<<<<<<<<<<<<<<<<<<<<<",
    "line2": "U123456784TUR9004121F3304118<<<<<<<<<<<<<<02",
}
DOCUMENT = {"number": "U12345678", "issuing_country": "TUR", "nationality": "TUR", "birth_date": "1990-04-12"}
BODIES = [
    (LOOKUPS, {"mrz": MRZ}),
    (LOOKUPS, {"document": DOCUMENT}),
    (ENTRIES, {"mrz": MRZ, "port": "ICN"}),
    (ENTRIES, {"document": DOCUMENT, "port": "ICN"}),
]


@pytest.fixture
def key(database: Database, runtime: Runtime) -> str:
    return make_key(database, runtime, "yoon.border", Role.BORDER)


def without_own_records(database: Database) -> dict[str, object]:
    counts = snapshot(database)
    kept = (AuditRecord.__tablename__, AuditHead.__tablename__, RateLimitWindow.__tablename__)
    return {table: rows for table, rows in counts.items() if table not in kept}


@pytest.mark.parametrize("bad", ["nul", "oversized"])
def test_every_string_field_of_the_border_api_refuses_a_nul_and_an_oversized_value(
    client: TestClient,
    database: Database,
    key: str,
    bad: str,
) -> None:
    before = without_own_records(database)
    tried = 0
    for path, body in BODIES:
        for field_path, keys in string_paths(body):
            value = "A\x00B" if bad == "nul" else OVERSIZED
            answer = post(client, path, key, replaced(body, keys, value))
            where = f"{path} {field_path}"
            assert 400 <= answer.status_code < 500, (where, answer.status_code, answer.text[:300])
            named = [f["path"] for f in answer.json()["error"]["fields"]]
            assert field_path in named, (where, named)
            tried += 1
    assert tried >= 14
    assert without_own_records(database) == before
