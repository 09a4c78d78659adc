"""Group applications: 1–50 members, validated together, accepted atomically, paid once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import Database
from tests.factories import application_json, member_json
from tests.payments import pay_api

from keta.db.models import Application, Group, Payment

REPRESENTATIVE = {
    "surname": "Demir",
    "given_names": "Mehmet",
    "email": "mehmet.demir@example.org",
    "phone": "+90 555 010 2040",
}


def group_body(size: int, **member_overrides: Any) -> dict[str, Any]:
    return {"representative": REPRESENTATIVE, "members": [member_json(i, **member_overrides) for i in range(size)]}


def rows(database: Database, model: type) -> int:
    with database.factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_group_of_50_is_accepted_and_paid_once(
    client: TestClient, database: Database, run_jobs: Callable[[], int]
) -> None:
    body = group_body(50)
    for member in body["members"][10:]:  # ten photos per submission; the others come one by one
        member.pop("photo_base64")
    response = client.post("/api/v1/groups", json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    assert len(created["members"]) == 50
    assert created["fee"]["amount"] == str(50 * 10300)
    assert [m["waiting_for"] for m in created["members"]] == [["payment"]] * 10 + [["photo", "payment"]] * 40
    reference = created["reference"]

    early = client.post(f"/api/v1/groups/{reference}/payment", json={"email": "mehmet.demir@example.org"})
    assert (early.status_code, early.json()["error"]["code"]) == (409, "photo_required")
    for index, member in enumerate(created["members"][10:], start=10):
        photo = {"passport_number": f"U{20000000 + index}", "photo_base64": body["members"][0]["photo_base64"]}
        added = client.put(f"/api/v1/applications/{member['reference']}/photo", json=photo)
        assert added.json()["waiting_for"] == ["payment"], added.text

    paid, back = pay_api(client, f"/api/v1/groups/{reference}/payment", {"email": "Mehmet.Demir@example.org"})
    assert paid.status_code == 201, paid.text
    assert (paid.json()["persons"], paid.json()["amount"]) == (50, str(50 * 10300))
    assert len(paid.json()["applications"]) == 50
    assert back.status_code == 303
    assert rows(database, Payment) == 1
    assert run_jobs() == 101  # one submission e-mail, then a screening and a decision e-mail per member

    view = client.post(f"/api/v1/groups/{reference}/lookup", json={"email": "mehmet.demir@example.org"}).json()
    assert view["paid"] is True
    assert {m["status"] for m in view["members"]} == {"approved"}
    # each member can also check their own application with their own passport number
    first = created["members"][0]["reference"]
    own = client.post(f"/api/v1/applications/{first}/lookup", json={"passport_number": "U20000000"})
    assert own.status_code == 200
    assert own.json()["group_reference"] == reference
    alone = client.post(f"/api/v1/applications/{first}/payment", json={"passport_number": "U20000000"})
    assert alone.status_code == 409


def test_group_of_51_is_rejected_whole(client: TestClient, database: Database) -> None:
    response = client.post("/api/v1/groups", json=group_body(51))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "group_invalid"
    assert {"path": "members", "code": "group_too_large"} in [
        {"path": f["path"], "code": f["code"]} for f in error["fields"]
    ]
    assert "50" in next(f["message"] for f in error["fields"] if f["code"] == "group_too_large")
    assert rows(database, Group) == rows(database, Application) == 0


def test_one_bad_member_rejects_the_group_with_per_member_errors(client: TestClient, database: Database) -> None:
    body = group_body(4)
    body["members"][1]["passport"]["nationality"] = "IND"
    body["members"][3]["consent"] = False
    body["members"][2]["passport"]["number"] = body["members"][0]["passport"]["number"]
    body["members"][2]["email"] = "broken"
    response = client.post("/api/v1/groups", json=body)
    assert response.status_code == 422
    fields = {(f["path"], f["code"]) for f in response.json()["error"]["fields"]}
    assert fields == {("members[2].email", "invalid_email")}  # shape errors come first, before any meaning check
    body["members"][2]["email"] = "fine@example.org"
    response = client.post("/api/v1/groups", json=body)
    fields = {(f["path"], f["code"]) for f in response.json()["error"]["fields"]}
    assert fields == {
        ("members[1].passport.nationality", "visa_required"),
        ("members[3].consent", "must_be_true"),
        ("members[2].passport.number", "duplicate_in_group"),
    }
    assert rows(database, Group) == rows(database, Application) == 0


@pytest.mark.parametrize("size", [0])
def test_empty_group_is_refused(client: TestClient, size: int) -> None:
    response = client.post("/api/v1/groups", json=group_body(size))
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["code"] == "group_empty"


def test_group_lookup_needs_the_representatives_email(client: TestClient) -> None:
    reference = client.post("/api/v1/groups", json=group_body(2)).json()["reference"]
    wrong = client.post(f"/api/v1/groups/{reference}/lookup", json={"email": "someone@example.org"})
    assert wrong.status_code == 404
    ok = client.post(f"/api/v1/groups/{reference}/lookup", json={"email": REPRESENTATIVE["email"]})
    assert [m["surname"] for m in ok.json()["members"]] == ["Yılmaz", "Yılmaz"]


def test_exempt_child_may_join_and_pays(client: TestClient) -> None:
    body = {
        "representative": REPRESENTATIVE,
        "members": [application_json(), member_json(1, passport__birth_date="2015-02-14")],
    }
    created = client.post("/api/v1/groups", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["fee"]["amount"] == "20600"  # K-ETA charges voluntary applicants too
