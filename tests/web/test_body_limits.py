"""Finding 2, as a class: every route's body is bounded before it is read, whatever its shape.

Every route that takes a body × an oversized body, declared (Content-Length) and streamed (chunked)
→ 413 in the route's own error shape, and not a row written. A body of 200,000 unknown keys is
refused at once; a body within the limit with thousands of errors gets a bounded answer.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator

from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from tests.conftest import Database
from tests.factories import application_json, member_json
from tests.table_counts import row_counts

from keta.i18n import error_message
from keta.web.body_limits import JSON_BYTES
from keta.web.errors import MAX_REPORTED_FIELDS
from keta.web.route_limits import route_limits
from keta.web.strict_json import MAX_KEYS, StrictJsonRoute

CHUNK = 64 * 1024
# Any well-formed values: the body is refused before they matter.
PARAMETERS = {"{reference}": "AK7M2-9QXR-T4PW", "{case_id}": "00000000-0000-0000-0000-000000000000"}

CARRIER_CHECKS = "/api/v1/carrier/checks"


def body_routes(client: TestClient) -> list[tuple[str, str]]:
    """(method, path) of every route that takes a body: the API, the portal, the webhook, the back office."""
    found = []
    for route in iter_route_contexts(client.app.routes):  # type: ignore[attr-defined]
        for method in sorted((route.methods or set()) & {"POST", "PUT", "PATCH"}):
            path = re.sub(r"\{[a-z_]+\}", lambda m: PARAMETERS.get(m.group(0), "x"), route.path or "")
            found.append((method, path))
    assert len(found) > 25, found
    return found


def content_type(path: str) -> str:
    """JSON for the API and the webhook, a form upload elsewhere (what each route reads)."""
    return "application/json" if path.startswith(("/api/", "/payments/")) else "multipart/form-data; boundary=keta"


def limit_of(client: TestClient, path: str) -> int:
    return route_limits(client.app.state.runtime.policy).for_path(path)  # type: ignore[attr-defined]


def assert_refused(response_status: int, text: str, content_type: str, path: str) -> None:
    assert response_status == 413, (path, response_status, text[:300])
    if path.startswith(("/api/", "/payments/")):
        assert content_type.startswith("application/json"), path
        assert json.loads(text)["error"]["code"] == "payload_too_large"
    elif path.startswith(("/backoffice", "/border")):  # staff pages: the back office's message page
        assert content_type.startswith("text/html"), path
    else:  # the portal's page, in the page's language
        assert content_type.startswith("text/html"), path
        assert error_message("en", "payload_too_large") in text, path


def test_every_route_refuses_an_oversized_declared_body_before_reading_it(
    client: TestClient, database: Database
) -> None:
    before = row_counts(database)
    for method, path in body_routes(client):
        body = b" " * (limit_of(client, path) + 1)
        response = client.request(method, path, content=body, headers={"content-type": content_type(path)})
        assert_refused(response.status_code, response.text, response.headers["content-type"], path)
        assert response.headers["connection"] == "close"
    assert row_counts(database) == before


def test_every_route_refuses_a_chunked_body_that_grows_past_its_limit(client: TestClient, database: Database) -> None:
    before = row_counts(database)
    for method, path in body_routes(client):
        size = limit_of(client, path) + 1

        def chunks(total: int = size) -> Iterator[bytes]:
            sent = 0
            while sent < total:
                piece = min(CHUNK, total - sent)
                sent += piece
                yield b" " * piece

        response = client.request(method, path, content=chunks(), headers={"content-type": content_type(path)})
        assert "content-length" not in response.request.headers  # really streamed
        assert_refused(response.status_code, response.text, response.headers["content-type"], path)
    assert row_counts(database) == before


def padded(body: dict[str, object], size: int) -> bytes:
    """A valid JSON body made `size` bytes long with trailing whitespace (still valid JSON)."""
    raw = json.dumps(body).encode()
    return raw + b" " * (size - len(raw))


def test_a_valid_submission_one_byte_over_the_limit_is_refused_and_saves_nothing(
    client: TestClient, database: Database
) -> None:
    before = row_counts(database)
    for path, body in (
        ("/api/v1/applications", application_json()),
        (
            "/api/v1/groups",
            {
                "representative": {"surname": "Demir", "email": "m@example.org", "phone": "+90 555 010 2040"},
                "members": [member_json(i) for i in range(3)],
            },
        ),
    ):
        limit = limit_of(client, path)
        at_limit = client.post(path, content=padded(body, limit), headers={"content-type": "application/json"})
        assert at_limit.status_code == 201, at_limit.text  # the bound itself is allowed
        over = client.post(path, content=padded(body, limit + 1), headers={"content-type": "application/json"})
        assert over.status_code == 413
    assert row_counts(database)["applications"] == before["applications"] + 4  # the two at the limit only


def test_two_hundred_thousand_unknown_keys_are_refused_at_once_with_a_small_answer(client: TestClient) -> None:
    body = json.dumps({f"k{i}": 0 for i in range(200_000)}).encode()
    assert len(body) > 2_000_000
    started = time.perf_counter()
    response = client.post("/api/v1/applications", content=body, headers={"content-type": "application/json"})
    elapsed = time.perf_counter() - started
    assert response.status_code == 413
    assert len(response.content) < 1_000
    assert elapsed < 1.0, elapsed  # a bound, not a benchmark: 7.7 s before the fix


def test_thousands_of_errors_within_the_limit_get_a_bounded_answer(client: TestClient, database: Database) -> None:
    """A group of 50 members, each with the most unknown keys an object may have: 3,000+ problems."""
    members = []
    for index in range(50):
        member = member_json(index)
        member["background"].update({f"unknown_{n:03d}": n for n in range(MAX_KEYS - len(member["background"]))})
        members.append(member)
    body = {
        "representative": {"surname": "Demir", "email": "m@example.org", "phone": "+90 555 010 2040"},
        "members": members,
    }
    raw = json.dumps(body).encode()
    assert JSON_BYTES < len(raw) < limit_of(client, "/api/v1/groups")
    before = row_counts(database)
    response = client.post("/api/v1/groups", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert len(fields) == MAX_REPORTED_FIELDS + 1
    assert fields[0]["path"].startswith("members[0].background.unknown_") and fields[0]["code"] == "unknown_field"
    last = fields[-1]
    assert (last["path"], last["code"]) == ("body", "too_many_errors")
    assert str(50 * (MAX_KEYS - 5) - MAX_REPORTED_FIELDS) in last["message"]
    assert len(response.content) < 20_000
    assert row_counts(database) == before


def test_an_object_with_more_keys_than_any_of_ours_is_one_problem(client: TestClient) -> None:
    body = application_json()
    body["travel"].update({f"x{n}": n for n in range(MAX_KEYS)})
    response = client.post("/api/v1/applications", json=body)
    assert response.status_code == 422
    assert [(f["path"], f["code"]) for f in response.json()["error"]["fields"]] == [("travel", "too_many_fields")]


def test_every_api_route_reads_json_strictly(client: TestClient) -> None:
    routes = [r for r in iter_route_contexts(client.app.routes) if (r.path or "").startswith("/api/")]  # type: ignore[attr-defined]
    # The carrier check reads its body with the same strict decoder itself, so that a bad passenger makes
    # only its own row INVALID (tests/carrier/test_carrier_strict_rows.py).
    routes = [r for r in routes if r.path != CARRIER_CHECKS]
    assert len(routes) >= 9
    assert all(isinstance(route.original_route, StrictJsonRoute) for route in routes)
