"""The JSON API asks for the face photo the portal asks for, with the portal's checks: base64 in the
JSON body or a multipart file part; without one an application waits and is never screened."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select
from tests.conftest import Database
from tests.factories import application_json, face_jpeg, member_json
from tests.payments import pay_api
from tests.table_counts import snapshot

from keta.db.models import Application, Job
from keta.db.queue import SCREEN_APPLICATION

PROOF = {"passport_number": "U12345678"}
REPRESENTATIVE = {"surname": "Demir", "email": "mehmet.demir@example.org", "phone": "+90 555 010 2040"}


def blank_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 400), (200, 200, 200)).save(out, format="JPEG")
    return out.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def problems(answer: Any) -> list[tuple[str, str]]:
    assert answer.status_code == 422, answer.text
    return [(f["path"], f["code"]) for f in answer.json()["error"]["fields"]]


def screened(database: Database) -> int:
    with database.factory() as session:
        return session.scalar(select(func.count()).select_from(Job).where(Job.kind == SCREEN_APPLICATION)) or 0


def test_without_a_photo_it_waits_is_not_payable_and_never_screened_until_the_photo_comes(
    client: TestClient, database: Database, run_jobs: Callable[[], int]
) -> None:
    created = client.post("/api/v1/applications", json=application_json(photo_base64=None))
    assert created.status_code == 201, created.text
    assert created.json()["waiting_for"] == ["photo", "payment"]
    reference = created.json()["reference"]
    refused = client.post(f"/api/v1/applications/{reference}/payment", json=PROOF)
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "photo_required")
    assert "photo" in refused.json()["error"]["message"].lower()
    run_jobs()
    assert screened(database) == 0
    assert client.post(f"/api/v1/applications/{reference}/lookup", json=PROOF).json()["status"] == "submitted"

    added = client.put(
        f"/api/v1/applications/{reference}/photo",
        data={"passport_number": "U12345678"},
        files={"photo": ("face.jpg", face_jpeg(), "image/jpeg")},
    )
    assert added.status_code == 200, added.text
    assert added.json()["waiting_for"] == ["payment"]
    again = client.put(f"/api/v1/applications/{reference}/photo", json={**PROOF, "photo_base64": b64(face_jpeg())})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "photo_not_needed")

    pay_api(client, f"/api/v1/applications/{reference}/payment", PROOF)
    run_jobs()
    assert client.post(f"/api/v1/applications/{reference}/lookup", json=PROOF).json()["status"] == "approved"


@pytest.mark.parametrize(
    ("photo", "code"),
    [
        (blank_jpeg(), "photo_no_face"),
        (b"GIF89a not a photo", "photo_wrong_format"),
        (face_jpeg()[:2000], "photo_unreadable"),
        (b"\xff\xd8\xff" + b"\0" * 2_000_001, "photo_too_large"),
    ],
)
def test_a_bad_photo_is_a_422_naming_the_field_it_came_in_and_saves_nothing(
    client: TestClient, database: Database, photo: bytes, code: str
) -> None:
    before = snapshot(database)
    as_json = client.post("/api/v1/applications", json=application_json(photo_base64=b64(photo)))
    assert problems(as_json) == [("photo_base64", code)]
    parts = {"photo": ("face.jpg", photo, "image/jpeg")}
    body = json.dumps(application_json(photo_base64=None))
    as_part = client.post("/api/v1/applications", data={"application": body}, files=parts)
    assert problems(as_part) == [("photo", code)]
    assert snapshot(database) == before


def test_a_photo_that_is_not_base64_is_named(client: TestClient, database: Database) -> None:
    before = snapshot(database)
    answer = client.post("/api/v1/applications", json=application_json(photo_base64="not base64!"))
    assert problems(answer) == [("photo_base64", "photo_not_base64")]
    assert snapshot(database) == before


def test_multipart_with_the_json_as_a_file_part_and_base64_in_json_both_work(client: TestClient) -> None:
    as_file = client.post(
        "/api/v1/applications",
        files={
            "application": ("application.json", json.dumps(application_json(photo_base64=None)), "application/json"),
            "photo": ("face.jpg", face_jpeg(), "image/jpeg"),
        },
    )
    assert as_file.status_code == 201, as_file.text
    assert as_file.json()["waiting_for"] == ["payment"]
    other = application_json(passport__number="U55555555")
    assert client.post("/api/v1/applications", json=other).json()["waiting_for"] == ["payment"]


def test_multipart_refuses_a_part_it_does_not_know_and_strict_json_still_applies(
    client: TestClient, database: Database
) -> None:
    before = snapshot(database)
    body = json.dumps(application_json(photo_base64=None))
    unknown = client.post(
        "/api/v1/applications", data={"application": body}, files={"selfie": ("a.jpg", face_jpeg(), "image/jpeg")}
    )
    assert problems(unknown) == [("selfie", "unknown_field")]
    twice = body[:-1] + ', "consent": false}'
    as_text_part = client.post("/api/v1/applications", files={"application": (None, twice)})  # no filename: text
    assert ("consent", "duplicate_key") in problems(as_text_part)
    assert snapshot(database) == before


def test_group_members_photos_as_parts_and_a_member_without_one(
    client: TestClient, database: Database, run_jobs: Callable[[], int]
) -> None:
    members = [member_json(i, photo_base64=None) for i in range(3)]
    members[2]["photo_base64"] = b64(face_jpeg())
    body = {"representative": REPRESENTATIVE, "members": members}
    created = client.post(
        "/api/v1/groups",
        data={"group": json.dumps(body)},
        files={"photo.0": ("0.jpg", face_jpeg(), "image/jpeg")},
    )
    assert created.status_code == 201, created.text
    waiting = [m["waiting_for"] for m in created.json()["members"]]
    assert waiting == [["payment"], ["photo", "payment"], ["payment"]]
    group = created.json()["reference"]
    refused = client.post(f"/api/v1/groups/{group}/payment", json={"email": REPRESENTATIVE["email"]})
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "photo_required")
    run_jobs()
    assert screened(database) == 0

    member = created.json()["members"][1]["reference"]
    proof = {"passport_number": "U20000001", "photo_base64": b64(face_jpeg())}
    assert client.put(f"/api/v1/applications/{member}/photo", json=proof).status_code == 200
    pay_api(client, f"/api/v1/groups/{group}/payment", {"email": REPRESENTATIVE["email"]})
    run_jobs()
    with database.factory() as session:
        statuses = set(session.scalars(select(Application.status)))
    assert statuses == {"approved"}


def test_a_bad_member_photo_names_the_member_and_the_group_is_refused_whole(
    client: TestClient, database: Database
) -> None:
    before = snapshot(database)
    members = [member_json(i) for i in range(2)]
    members[1]["photo_base64"] = b64(blank_jpeg())
    as_json = client.post("/api/v1/groups", json={"representative": REPRESENTATIVE, "members": members})
    assert problems(as_json) == [("members[1].photo_base64", "photo_no_face")]
    members[1]["photo_base64"] = None
    as_part = client.post(
        "/api/v1/groups",
        data={"group": json.dumps({"representative": REPRESENTATIVE, "members": members})},
        files={"photo.1": ("1.jpg", blank_jpeg(), "image/jpeg")},
    )
    assert problems(as_part) == [("photo.1", "photo_no_face")]
    beyond = client.post(
        "/api/v1/groups",
        data={"group": json.dumps({"representative": REPRESENTATIVE, "members": members})},
        files={"photo.7": ("7.jpg", face_jpeg(), "image/jpeg")},
    )
    assert problems(beyond) == [("photo.7", "unknown_field")]
    assert snapshot(database) == before


def test_more_than_ten_photos_in_one_submission_are_refused(client: TestClient, database: Database) -> None:
    members = [member_json(i) for i in range(11)]
    answer = client.post("/api/v1/groups", json={"representative": REPRESENTATIVE, "members": members})
    assert ("members", "too_many") in problems(answer)
    assert "10" in answer.json()["error"]["fields"][0]["message"]


def test_a_photo_over_the_route_limit_is_refused_before_it_is_read(client: TestClient) -> None:
    huge = b"\xff\xd8\xff" + b"\0" * 3_000_000
    body = json.dumps({**PROOF, "photo_base64": b64(huge)})
    answer = client.put(
        "/api/v1/applications/A0000-0000-0000/photo", content=body, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "payload_too_large"


def test_photos_past_the_pixel_budget_are_not_checked_and_named(client: TestClient, database: Database) -> None:
    out = io.BytesIO()
    Image.new("RGB", (3840, 3840), (200, 200, 200)).save(out, "JPEG")  # 14.7 megapixels in a few kB
    members = [member_json(i, photo_base64=b64(out.getvalue())) for i in range(8)]
    before = snapshot(database)
    answer = client.post("/api/v1/groups", json={"representative": REPRESENTATIVE, "members": members})
    found = dict(problems(answer))
    assert found["members[0].photo_base64"] == "photo_no_face"  # checked (and refused: no face)
    assert found["members[5].photo_base64"] == "photo_no_face"  # 6 x 14.7 Mpx: still within 100 Mpx
    assert found["members[6].photo_base64"] == "photo_not_checked"  # past the budget: send it again
    assert found["members[7].photo_base64"] == "photo_not_checked"
    assert snapshot(database) == before


def test_a_multipart_body_the_parser_cannot_read_is_422_naming_the_body(client: TestClient) -> None:
    parts = [(f"extra{index}", (None, "x")) for index in range(200)]  # past the text parts a body may hold
    answer = client.post("/api/v1/applications", files=parts)
    assert answer.status_code == 422, answer.text
    assert [f["path"] for f in answer.json()["error"]["fields"]] == ["body"]
