"""Findings 7 and 8 on the JSON API, as classes, on SQLite and PostgreSQL:

- every JSON route × every string field × (a NUL character, an oversized value) → 4xx naming the
  field, never a 5xx, nothing written; the same for the `{reference}` in every URL;
- strict booleans, duplicate keys, plausible dates and visible text, on submission and on a
  travel-detail update alike.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import GENEROUS_LIMITS, TEST_DATA_KEY, Database
from tests.factories import TODAY, application_json, face_base64, member_json
from tests.portal_client import PortalClient
from tests.table_counts import snapshot

from keta.adapters.clock import FixedClock
from keta.config import Settings
from keta.web.app import create_app

PASSPORT = "U12345678"
OVERSIZED = "x" * 10_000  # longer than any field takes, well within the 64 KiB body limit


def full_application() -> dict[str, Any]:
    """Every optional string of an application filled in, so every string field is exercised."""
    body = application_json()
    body["background"].update(employer="Acme", criminal_record_details="none")
    body["passport"]["type"] = "ordinary"
    body["language"] = "tr"
    body["mrz"] = ["P<TURYILMAZ<<AYSE<<<<<<<<<<<<<<<<<<<<<<<<<<<", "U123456784TUR9004121F3304118<<<<<<<<<<<<<<02"]
    return body


def string_paths(value: Any, prefix: str = "") -> Iterator[tuple[str, list[str | int]]]:
    """(API path, key list) of every string leaf of a JSON body."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from ((p, [key, *k]) for p, k in string_paths(item, f"{prefix}.{key}" if prefix else key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from ((p, [index, *k]) for p, k in string_paths(item, f"{prefix}[{index}]"))
    elif isinstance(value, str):
        yield prefix, []


def replaced(body: dict[str, Any], keys: list[str | int], new: Any) -> dict[str, Any]:
    changed = copy.deepcopy(body)
    target: Any = changed
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = new
    return changed


@pytest.fixture
def client(database: Database, clock: FixedClock) -> Iterator[TestClient]:
    """The suite's client, with rate limits out of the way: this class sends every field of every route."""
    settings = Settings(env="test", database_url=database.url, data_key=TEST_DATA_KEY, **GENEROUS_LIMITS)
    with PortalClient(create_app(settings, clock=clock, start_worker=False)) as test_client:
        yield test_client


@pytest.fixture
def references(client: TestClient) -> dict[str, str]:
    application = client.post("/api/v1/applications", json=application_json())
    group = client.post(
        "/api/v1/groups",
        json={
            "representative": {"surname": "Demir", "email": "m@example.org", "phone": "+90 555 010 2040"},
            "members": [member_json(1)],
        },
    )
    assert application.status_code == group.status_code == 201, (application.text, group.text)
    return {"application": application.json()["reference"], "group": group.json()["reference"]}


def routes(refs: dict[str, str]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every JSON route with a valid body (method, path, body)."""
    app, group = refs["application"], refs["group"]
    return_url = "https://agency.example/back"
    group_body = {
        "representative": {
            "surname": "Demir",
            "given_names": "Mehmet",
            "email": "m@example.org",
            "phone": "+90 555 010 2040",
        },
        "members": [full_application()],
        "language": "tr",
    }
    return [
        (
            "POST",
            "/api/v1/eligibility",
            {
                "nationality": "TUR",
                "birth_date": "1990-04-12",
                "arrival_date": "2026-12-29",
                "passport_type": "ordinary",
            },
        ),
        ("POST", "/api/v1/applications", full_application()),
        ("POST", f"/api/v1/applications/{app}/payment", {"passport_number": PASSPORT, "return_url": return_url}),
        ("POST", f"/api/v1/applications/{app}/lookup", {"passport_number": PASSPORT}),
        ("POST", f"/api/v1/applications/{app}/withdraw", {"passport_number": PASSPORT}),
        ("PUT", f"/api/v1/applications/{app}/photo", {"passport_number": PASSPORT, "photo_base64": face_base64()}),
        (
            "PATCH",
            f"/api/v1/applications/{app}/travel",
            {
                "passport_number": PASSPORT,
                "arrival_date": "2026-12-30",
                "address_in_korea": "Seoul",
                "flight_number": "TK90",
                "email": "a@example.org",
                "phone": "+90 555 010 2030",
            },
        ),
        ("POST", "/api/v1/groups", group_body),
        ("POST", f"/api/v1/groups/{group}/payment", {"email": "m@example.org", "return_url": return_url}),
        ("POST", f"/api/v1/groups/{group}/lookup", {"email": "m@example.org"}),
    ]


def test_the_class_covers_every_json_route(client: TestClient, references: dict[str, str]) -> None:
    spec = client.get("/openapi.json").json()["paths"]
    operations = {(method.upper(), path) for path, ops in spec.items() for method in ops if path.startswith("/api/")}
    # A bad passenger in a carrier manifest is that row's INVALID, not the request's 4xx:
    # tests/carrier/test_carrier_strict_rows.py holds the carrier check to the same class.
    operations.discard(("POST", "/api/v1/carrier/checks"))
    # The agency API answers 401 before it reads a body: tests/agency/test_agency_input_class.py
    # holds it to the same class with an agency's key.
    operations = {(method, path) for method, path in operations if not path.startswith("/api/v1/agency/")}
    # The border API, likewise, answers 401 before it reads a body: tests/border/test_border_input_class.py.
    operations = {(method, path) for method, path in operations if not path.startswith("/api/v1/border/")}
    covered = set()
    for method, path, _ in routes(references):
        for reference in references.values():
            path = path.replace(reference, "{reference}")
        covered.add((method, path))
    assert operations == covered


@pytest.mark.parametrize("bad", ["nul", "oversized"])
def test_every_string_field_of_every_json_route_refuses_a_nul_and_an_oversized_value(
    client: TestClient, database: Database, references: dict[str, str], bad: str
) -> None:
    before = snapshot(database)
    tried = 0
    for method, path, body in routes(references):
        for field_path, keys in string_paths(body):
            value = "A\x00B" if bad == "nul" else OVERSIZED
            answer = client.request(method, path, json=replaced(body, keys, value))
            where = f"{method} {path} {field_path}"
            assert 400 <= answer.status_code < 500, (where, answer.status_code, answer.text[:300])
            named = [f["path"] for f in answer.json()["error"]["fields"]]
            assert field_path in named, (where, named)
            tried += 1
    assert tried > 60
    assert snapshot(database) == before


@pytest.mark.parametrize("bad", ["A%00B", "A" * 2_000, "A%0AB", "%ED%A0%80"])
def test_every_reference_in_a_url_refuses_what_no_reference_holds(
    client: TestClient, database: Database, references: dict[str, str], bad: str
) -> None:
    before = snapshot(database)
    for method, path, body in routes(references):
        if references["application"] not in path and references["group"] not in path:
            continue
        for reference in references.values():
            path = path.replace(reference, bad)
        answer = client.request(method, path, json=body)
        assert answer.status_code == 422, (path[:80], answer.status_code, answer.text[:300])
        assert [f["path"] for f in answer.json()["error"]["fields"]] == ["reference"]
    assert snapshot(database) == before


# --- finding 8: loose input -----------------------------------------------------------------------


def problems(answer: Any) -> list[tuple[str, str]]:
    assert answer.status_code == 422, answer.text
    return [(f["path"], f["code"]) for f in answer.json()["error"]["fields"]]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("consent", "yes"),
        ("consent", 1),
        ("consent", "true"),
        ("consent", "on"),
        ("background__criminal_record", "off"),
        ("background__criminal_record", 0),
        ("background__infectious_disease", "no"),
        ("corrects_personal_data", "1"),
    ],
)
def test_booleans_are_json_true_or_false_only(client: TestClient, database: Database, path: str, value: Any) -> None:
    before = snapshot(database)
    answer = client.post("/api/v1/applications", json=application_json(**{path: value}))
    assert problems(answer) == [(path.replace("__", "."), "invalid_type")]
    assert snapshot(database) == before


def test_a_duplicate_key_is_refused_wherever_it_is(client: TestClient, database: Database) -> None:
    before = snapshot(database)
    raw = json.dumps(application_json(consent=False))
    twice = raw[:-1] + ', "consent": true}'
    assert problems(
        client.post("/api/v1/applications", content=twice, headers={"content-type": "application/json"})
    ) == [("consent", "duplicate_key")]
    nested = raw.replace('"number": "U12345678"', '"number": "U12345678", "number": "X9999999"')
    answer = client.post("/api/v1/applications", content=nested, headers={"content-type": "application/json"})
    assert problems(answer) == [("passport.number", "duplicate_key")]
    assert snapshot(database) == before


def years_from_today(years: int, days: int = 0) -> str:
    return (TODAY.replace(year=TODAY.year + years) + timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("passport__birth_date", "0001-01-01", "too_early"),
        ("passport__birth_date", "1899-12-31", "too_early"),
        ("passport__expiry_date", "9999-12-31", "too_far_ahead"),
        ("passport__expiry_date", years_from_today(11, days=1), "too_far_ahead"),
        ("passport__birth_date", 0, "invalid_date"),  # not "1970-01-01"
        ("passport__birth_date", "1990-4-12", "invalid_date"),
        ("travel__arrival_date", years_from_today(5), "too_far_ahead"),
    ],
)
def test_implausible_dates_are_refused(
    client: TestClient, database: Database, field: str, value: Any, code: str
) -> None:
    before = snapshot(database)
    answer = client.post("/api/v1/applications", json=application_json(**{field: value}))
    assert (field.replace("__", "."), code) in problems(answer)
    assert snapshot(database) == before


def test_the_edges_of_the_plausible_dates_are_accepted(client: TestClient) -> None:
    edges = application_json(passport__birth_date="1900-01-01", passport__expiry_date=years_from_today(11))
    assert client.post("/api/v1/applications", json=edges).status_code == 201


def test_the_eligibility_check_refuses_an_impossible_birth_date(client: TestClient) -> None:
    body = {"nationality": "TUR", "birth_date": "0001-01-01", "arrival_date": "2026-12-29"}
    assert problems(client.post("/api/v1/eligibility", json=body)) == [("birth_date", "too_early")]


@pytest.mark.parametrize("field", ["travel__address_in_korea", "background__occupation", "background__employer"])
@pytest.mark.parametrize("invisible", ["\u200b\u200b\u200b", "\u2060", "\u3164", "\u200d\u200c"])
def test_free_text_must_show_something(client: TestClient, field: str, invisible: str) -> None:
    answer = client.post("/api/v1/applications", json=application_json(**{field: invisible}))
    assert (field.replace("__", "."), "not_visible") in problems(answer)


def test_a_travel_update_passes_the_submissions_checks(
    client: TestClient, database: Database, references: dict[str, str]
) -> None:
    path = f"/api/v1/applications/{references['application']}/travel"
    before = snapshot(database)
    cases = [
        ({"arrival_date": years_from_today(5)}, ("arrival_date", "too_far_ahead")),
        ({"arrival_date": "2026-11-28"}, ("arrival_date", "in_past")),
        ({"arrival_date": "2034-01-01"}, ("arrival_date", "too_far_ahead")),
        ({"address_in_korea": "\u200b\u200b"}, ("address_in_korea", "not_visible")),
        ({"arrival_date": 1_700_000_000}, ("arrival_date", "invalid_date")),
    ]
    for change, expected in cases:
        answer = client.patch(path, json={"passport_number": PASSPORT, **change})
        assert expected in problems(answer), change
    assert snapshot(database) == before
    fine = client.patch(path, json={"passport_number": PASSPORT, "arrival_date": "2027-03-01"})
    assert fine.status_code == 200 and fine.json()["changed"] == ["arrival_date"]


def test_a_name_of_invisible_characters_only_is_refused(client: TestClient) -> None:
    answer = client.post("/api/v1/applications", json=application_json(passport__given_names="\u200b"))
    assert problems(answer)[0][0] == "passport.given_names"
