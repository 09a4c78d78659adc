"""Manifests: bad rows answered INVALID next to good ones, envelope errors, body bounds, order."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from tests.carrier.conftest import Traveller
from tests.carrier.helpers import CHECKS, CarrierApi, passenger
from tests.conftest import Database

from keta.db.models import CarrierCheck
from keta.web.carrier.manifest import MAX_BODY_BYTES


def audits(database: Database) -> int:
    with database.factory() as session:
        return session.scalar(select(func.count()).select_from(CarrierCheck)) or 0


def test_bad_rows_are_invalid_with_their_fields_and_good_rows_are_answered(
    carrier_api: CarrierApi, carrier_key: str, traveller: Traveller
) -> None:
    traveller()
    rows = [
        passenger(),
        passenger(birth_date="1990-02-30", nationality="TURKEY"),
        "not an object",
        passenger(document_number="E1", issuing_country="CHN", nationality="CHN"),
        {"document_number": "U1", "surname": "Yılmaz"},
        passenger(arrival_date="2026-11-20", birth_date="2027-01-01", flight="??"),
        passenger(document_number=""),
    ]
    response = carrier_api.post(carrier_key, {"passengers": rows}, **{"Accept-Language": "tr"})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["index"] for r in results] == list(range(7))
    assert [r["status"] for r in results] == [
        "OK",
        "INVALID",
        "INVALID",
        "VISA_REQUIRED",
        "INVALID",
        "INVALID",
        "INVALID",
    ]

    def fields(index: int) -> dict[str, str]:
        return {e["path"]: e["code"] for e in results[index]["errors"]}

    assert fields(1) == {"passengers[1].birth_date": "invalid_date", "passengers[1].nationality": "invalid_format"}
    assert fields(2) == {"passengers[2]": "invalid_type"}
    assert fields(4) == {
        "passengers[4].surname": "unknown_field",
        "passengers[4].issuing_country": "required",
        "passengers[4].nationality": "required",
        "passengers[4].birth_date": "required",
        "passengers[4].arrival_date": "required",
    }
    assert fields(5) == {"passengers[5].flight": "invalid_format"}  # shape first; dates are checked once it is right
    assert fields(6) == {"passengers[6].document_number": "too_short"}
    messages = {e["path"]: e["message"] for e in results[1]["errors"]}
    assert messages["passengers[1].birth_date"] == "Bu geçerli bir tarih değil."  # in the request's language


def test_dates_that_make_no_sense_for_a_boarding_are_invalid(carrier_api: CarrierApi, carrier_key: str) -> None:
    past, future_birth, far = carrier_api.results(
        carrier_key,
        passenger(arrival_date="2026-11-27"),  # today is 2026-11-29 in Seoul; one day of slack is allowed
        passenger(birth_date="2026-11-30"),
        passenger(arrival_date="2027-12-31"),
    )
    assert past["errors"][0]["path"] == "passengers[0].arrival_date" and past["errors"][0]["code"] == "in_past"
    assert [(e["path"], e["code"]) for e in future_birth["errors"]] == [("passengers[1].birth_date", "in_future")]
    assert [(e["path"], e["code"]) for e in far["errors"]] == [("passengers[2].arrival_date", "too_far_ahead")]
    assert carrier_api.status(carrier_key, passenger(arrival_date="2026-11-28")) == "NOT_OK"  # within the slack


def test_a_full_manifest_of_1000_is_answered_in_order(
    carrier_api: CarrierApi, carrier_key: str, traveller: Traveller
) -> None:
    traveller()
    rows = [passenger(document_number=f"M{index:07d}") for index in range(999)] + [passenger()]
    results = carrier_api.results(carrier_key, *rows)
    assert len(results) == 1000 and [r["index"] for r in results] == list(range(1000))
    assert {r["status"] for r in results[:999]} == {"NOT_OK"} and results[999]["status"] == "OK"


def test_envelope_errors_are_422_and_nothing_is_recorded(
    carrier_api: CarrierApi, carrier_key: str, database: Database
) -> None:
    cases = [
        ({"passengers": []}, [("passengers", "passenger_count")]),
        ({"passengers": [passenger()] * 1001}, [("passengers", "passenger_count")]),
        ({}, [("passengers", "required")]),
        ({"passengers": {"0": passenger()}}, [("passengers", "invalid_type")]),
        ({"passengers": [passenger()], "carrier": "XX"}, [("carrier", "unknown_field")]),
        ([passenger()], [("body", "invalid_type")]),
    ]
    for body, expected in cases:
        response = carrier_api.post(carrier_key, body)
        assert response.status_code == 422, body
        error = response.json()["error"]
        assert error["code"] == "invalid_input"
        assert [(f["path"], f["code"]) for f in error["fields"]] == expected
    count = carrier_api.post(carrier_key, {"passengers": []}, **{"Accept-Language": "de"}).json()["error"]["fields"][0]
    assert count["message"] == "Senden Sie zwischen 1 und 1000 Passagiere."
    assert audits(database) == 0


def test_malformed_json_and_wrong_media_type(carrier_api: CarrierApi, carrier_key: str) -> None:
    headers = {"Authorization": f"Bearer {carrier_key}"}
    for raw in (b"{not json", b"[" * 100_000 + b"]" * 100_000, b"\xff\xfe"):
        response = carrier_api.client.post(CHECKS, content=raw, headers={**headers, "Content-Type": "application/json"})
        carrier_api.record(None, response)
        assert response.status_code == 422, raw[:10]
        assert response.json()["error"]["fields"] == [
            {"path": "body", "code": "invalid_format", "message": "This value is not in the expected format."}
        ]
    response = carrier_api.client.post(
        CHECKS, content=b"passengers=1", headers={**headers, "Content-Type": "text/plain"}
    )
    carrier_api.record(None, response)
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_a_body_over_the_bound_is_413_before_it_is_read(
    carrier_api: CarrierApi, carrier_key: str, database: Database
) -> None:
    headers = {"Authorization": f"Bearer {carrier_key}", "Content-Type": "application/json"}
    padded = json.dumps({"passengers": [passenger()]}).encode() + b" " * MAX_BODY_BYTES
    response = carrier_api.client.post(CHECKS, content=padded, headers=headers)
    carrier_api.record(None, response)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"

    def chunks():  # no Content-Length: the bound holds on what is actually read
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b" " * 65536

    response = carrier_api.client.post(CHECKS, content=chunks(), headers=headers)
    carrier_api.record(None, response)
    assert response.status_code == 413
    assert audits(database) == 0
