"""docs/API.md's examples: every operation of the OpenAPI document has a curl example there, and each
body in docs/examples/ sent to its operation through the app gets the status the document states."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import shlex
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from tests.agency.helpers import bearer, create_agency
from tests.carrier.helpers import create_carrier
from tests.conftest import NOW, Database
from tests.factories import TODAY, face_base64, face_jpeg

from keta.adapters.payments.signing import SIGNATURE_HEADER, signature_header
from keta.config import DEV_SECRET_KEY
from keta.db.session import session_scope
from keta.domain.applicant import MAX_DAYS_AHEAD
from keta.domain.review import Role
from keta.services import staff, staff_keys
from keta.services.runtime import Runtime

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "API.md"
EXAMPLES = ROOT / "docs" / "examples"
# The day the examples' arrival dates were written for (the doc: any day from today to 366 days ahead);
# the test moves them by as many days as the test clock's today is from it.
EXAMPLES_WRITTEN_ON = date(2026, 11, 29)
_PLACEHOLDER = re.compile(r"\$\{?[A-Z_]+\}?")
_STATUS = re.compile(r"#\s*→\s*(\d{3})\b")
_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Example:
    method: str
    path: str  # as in the OpenAPI document: /api/v1/applications/{reference}/photo
    files: frozenset[str]  # the docs/examples/ files the command reads
    status: int


def _commands(text: str) -> list[tuple[str, str]]:
    """Each shell command of the ```sh blocks (continuation lines joined), with the comment after it."""
    found: list[tuple[str, str]] = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        command = ""
        for line in block.splitlines():
            stripped = line.strip()
            if stripped.startswith("#"):
                if found and not command:
                    found[-1] = (found[-1][0], found[-1][1] + " " + stripped)
                continue
            code, _, comment = line.partition(" # ")
            command += " " + code.rstrip().removesuffix("\\").rstrip()
            if code.rstrip().endswith(("\\", "|")):
                continue
            found.append((command.strip(), "# " + comment if comment else ""))
            command = ""
    return found


def _example(command: str, comment: str) -> Example | None:
    words = shlex.split(_PLACEHOLDER.sub("X", command.partition("curl ")[2])) if "curl " in command else []
    urls = [w for w in words if w.startswith("localhost:8000/")]
    if not urls:
        return None
    method = words[words.index("-X") + 1] if "-X" in words else None
    if method is None:
        method = "POST" if {"-d", "-F", "--data-binary"} & set(words) else "GET"
    path = re.sub(r"/X(?=/|$)", "/{reference}", urlsplit("http://" + urls[0]).path)
    status = _STATUS.search(comment)
    assert status, f"no '# → status' after: {command}"
    files = frozenset(re.findall(r"docs/examples/([\w-]+\.json)", command))
    return Example(method.upper(), path, files, int(status.group(1)))


def examples() -> list[Example]:
    found = [_example(command, comment) for command, comment in _commands(DOC.read_text(encoding="utf-8"))]
    return [example for example in found if example is not None]


def documented(method: str, path: str, file: str | None = None) -> int:
    """The status docs/API.md states for this operation (sent this file)."""
    statuses = {
        e.status for e in examples() if (e.method, e.path) == (method, path) and (file is None or file in e.files)
    }
    assert len(statuses) == 1, f"docs/API.md: {method} {path} with {file}: statuses {statuses}"
    return statuses.pop()


def operations(client: TestClient) -> set[tuple[str, str]]:
    spec = client.get("/openapi.json").json()
    return {(method.upper(), path) for path, item in spec["paths"].items() for method in item if method in _METHODS}


def test_every_operation_has_an_example(client: TestClient) -> None:
    shown = {(e.method, e.path) for e in examples()}
    missing = sorted(operations(client) - shown)
    assert missing == [], f"operations without a curl example in docs/API.md: {missing}"
    assert sorted(shown - operations(client)) == [], "examples of operations the API does not have"


def test_every_example_file_is_used() -> None:
    blocks = "".join(re.findall(r"```sh\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S))
    used = set(re.findall(r"docs/examples/([\w-]+\.json)", blocks))
    assert used == {p.name for p in EXAMPLES.glob("*.json")}


def load(name: str) -> Any:
    """An example body, its arrival dates moved to the same distance from the test clock's today."""
    shift = TODAY - EXAMPLES_WRITTEN_ON

    def moved(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: moved_date(v) if k == "arrival_date" else moved(v) for k, v in value.items()}
        if isinstance(value, list):
            return [moved(v) for v in value]
        return value

    def moved_date(value: str) -> str:
        return (date.fromisoformat(value) + shift).isoformat()

    return moved(json.loads((EXAMPLES / name).read_text(encoding="utf-8")))


def with_photo(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "photo_base64": face_base64()}


def photo_part(name: str = "photo") -> dict[str, Any]:
    return {name: ("face.jpg", face_jpeg(), "image/jpeg")}


def check(response: Response, method: str, path: str, file: str | None = None) -> Any:
    expected = documented(method, path, file)
    assert response.status_code == expected, f"{method} {path} ({file}): {response.status_code} {response.text}"
    return response.json()


A = "/api/v1/applications"


def test_eligibility(client: TestClient) -> None:
    body = check(client.post("/api/v1/eligibility", json=load("eligibility.json")), "POST", "/api/v1/eligibility")
    assert body["may_apply"] is True


def test_an_application_with_its_photo_in_the_json(client: TestClient) -> None:
    sent = client.post(A, json=with_photo(load("application.json")), headers={"Idempotency-Key": "7f7c1c2e-first"})
    assert check(sent, "POST", A, "application.json")["waiting_for"] == ["payment"]


def test_an_application_as_multipart(client: TestClient) -> None:
    part = {"application": (None, json.dumps(load("application.json")), "application/json")}
    sent = client.post(A, files={**part, **photo_part()})
    assert check(sent, "POST", A, "application.json")["waiting_for"] == ["payment"]


def test_apply_add_the_photo_pay_look_up_change_withdraw(client: TestClient) -> None:
    submitted = check(client.post(A, json=load("application.json")), "POST", A, "application.json")
    assert submitted["waiting_for"] == ["photo", "payment"]
    one = A + "/{reference}"
    url = f"{A}/{submitted['reference']}"
    proof = load("passport-proof.json")
    added = client.put(f"{url}/photo", data=proof, files=photo_part())
    assert check(added, "PUT", one + "/photo")["waiting_for"] == ["payment"]
    paid = check(client.post(f"{url}/payment", json=load("payment.json")), "POST", one + "/payment")
    assert paid["status"] == "pending" and paid["checkout_url"]
    looked_up = check(client.post(f"{url}/lookup", json=proof), "POST", one + "/lookup", "passport-proof.json")
    assert looked_up["reference"] == submitted["reference"]
    check(client.patch(f"{url}/travel", json=load("travel-update.json")), "PATCH", one + "/travel")
    check(client.post(f"{url}/withdraw", json=proof), "POST", one + "/withdraw", "passport-proof.json")


def test_the_photo_as_json(client: TestClient) -> None:
    reference = client.post(A, json=load("application.json")).json()["reference"]
    body = with_photo(load("passport-proof.json"))
    added = client.put(f"{A}/{reference}/photo", json=body)
    assert check(added, "PUT", A + "/{reference}/photo", "passport-proof.json")["waiting_for"] == ["payment"]


def group_parts() -> dict[str, Any]:
    part = {"group": (None, json.dumps(load("group.json")), "application/json")}
    return {**part, **photo_part("photo.0"), **photo_part("photo.1")}


def test_a_group(client: TestClient) -> None:
    group = check(client.post("/api/v1/groups", files=group_parts()), "POST", "/api/v1/groups", "group.json")
    assert [m["waiting_for"] for m in group["members"]] == [["payment"], ["payment"]]
    url, one = f"/api/v1/groups/{group['reference']}", "/api/v1/groups/{reference}"
    proof = load("group-proof.json")
    shown = check(client.post(f"{url}/lookup", json=proof), "POST", one + "/lookup", "group-proof.json")
    assert len(shown["members"]) == 2
    check(client.post(f"{url}/payment", json=proof), "POST", one + "/payment", "group-proof.json")


def test_a_carrier_check(client: TestClient, database: Database) -> None:
    key = create_carrier(database)
    checks = "/api/v1/carrier/checks"
    answer = check(client.post(checks, json=load("carrier-manifest.json"), headers=bearer(key)), "POST", checks)
    assert [r["status"] for r in answer["results"]][1:] == ["VISA_REQUIRED", "INVALID"]


def border_key(database: Database, runtime: Runtime) -> str:
    with session_scope(database.factory) as session:
        staff.create(session, runtime, username="yoon.border", role=Role.BORDER, actor="test")
        _, key = staff_keys.create(session, runtime, username="yoon.border", requests_per_minute=100, actor="test")
    return key


def test_a_border_lookup_and_entry(client: TestClient, database: Database, runtime: Runtime) -> None:
    client.post(A, json=with_photo(load("application.json")))
    headers = bearer(border_key(database, runtime))
    lookups, entries = "/api/v1/border/lookups", "/api/v1/border/entries"
    looked_up = check(client.post(lookups, json=load("border-lookup.json"), headers=headers), "POST", lookups)
    assert looked_up["authorization"]["reference"].startswith("A")
    entered = check(client.post(entries, json=load("border-entry.json"), headers=headers), "POST", entries)
    assert entered["created"] is True and entered["port"] == "ICN"


def test_an_agency_files_for_its_customer(client: TestClient, database: Database, runtime: Runtime) -> None:
    key = bearer(create_agency(database, runtime))
    base = "/api/v1/agency"
    part = {"application": (None, json.dumps(load("agency-application.json")), "application/json")}
    filed = client.post(f"{base}/applications", files={**part, **photo_part()}, headers=key)
    filed_body = check(filed, "POST", f"{base}/applications", "agency-application.json")
    assert filed_body["waiting_for"] == ["applicant_confirmation", "payment"]
    url, one = f"{base}/applications/{filed_body['reference']}", base + "/applications/{reference}"
    check(client.get(url, headers=key), "GET", one)
    paying = client.post(f"{url}/payment", json=load("agency-payment.json"), headers=key)
    assert check(paying, "POST", one + "/payment")["error"]["code"] == "confirmation_required"


def test_an_agency_adds_a_photo_and_files_a_group(client: TestClient, database: Database, runtime: Runtime) -> None:
    key = bearer(create_agency(database, runtime))
    base = "/api/v1/agency"
    filed = client.post(f"{base}/applications", json=load("agency-application.json"), headers=key).json()
    added = client.put(f"{base}/applications/{filed['reference']}/photo", files=photo_part(), headers=key)
    check(added, "PUT", base + "/applications/{reference}/photo")
    group = check(client.post(f"{base}/groups", files=group_parts(), headers=key), "POST", f"{base}/groups")
    url, one = f"{base}/groups/{group['reference']}", base + "/groups/{reference}"
    check(client.get(url, headers=key), "GET", one)
    paying = client.post(f"{url}/payment", json=load("agency-payment.json"), headers=key)
    assert check(paying, "POST", one + "/payment")["error"]["code"] == "confirmation_required"


def test_the_payment_webhook(client: TestClient) -> None:
    reference = client.post(A, json=with_photo(load("application.json"))).json()["reference"]
    checkout = client.post(f"{A}/{reference}/payment", json=load("payment.json")).json()["checkout_url"]
    provider_reference = urlsplit(checkout).path.rsplit("/", 1)[-1]
    body = (EXAMPLES / "payment-webhook.json").read_bytes().replace(b"CHECKOUT_ID", provider_reference.encode())
    # The test system's webhook secret, derived from its KETA_SECRET_KEY as the sandbox provider does;
    # a real provider shares KETA_PAYMENT_WEBHOOK_SECRET instead.
    secret = hmac.new(DEV_SECRET_KEY.encode(), b"keta sandbox webhook", hashlib.sha256).digest()
    signed = {SIGNATURE_HEADER: signature_header(secret, body, timestamp=int(NOW.timestamp()))}
    headers = {**signed, "content-type": "application/json"}
    answer = check(client.post("/payments/webhook", content=body, headers=headers), "POST", "/payments/webhook")
    assert answer == {"result": "captured"}
    looked_up = client.post(f"{A}/{reference}/lookup", json=load("passport-proof.json")).json()
    assert looked_up["paid"] is True


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_arrival_dates_are_in_the_window_from_the_day_written(name: str) -> None:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    for found in re.findall(r'"arrival_date": "([\d-]+)"', text):
        ahead = date.fromisoformat(found) - EXAMPLES_WRITTEN_ON
        assert timedelta(0) < ahead <= timedelta(days=MAX_DAYS_AHEAD), (name, found)


@pytest.mark.parametrize(("days", "code"), [(-1, "in_past"), (MAX_DAYS_AHEAD + 1, "too_far_ahead")])
def test_an_arrival_date_outside_the_window_is_named(client: TestClient, days: int, code: str) -> None:
    body = load("application.json")
    body["travel"]["arrival_date"] = (TODAY + timedelta(days=days)).isoformat()
    refused = client.post(A, json=body)
    assert refused.status_code == 422
    assert [(f["path"], f["code"]) for f in refused.json()["error"]["fields"]] == [("travel.arrival_date", code)]
