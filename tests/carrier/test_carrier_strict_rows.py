"""The carrier check reads its body as strictly as every API body, row by row: a NUL, a control
character, an oversized value or a duplicate key inside one passenger makes that passenger INVALID
naming the field, and the others are still answered; the same inside the envelope is a 422."""

from __future__ import annotations

import pytest
from tests.carrier.conftest import Traveller
from tests.carrier.helpers import CarrierApi, passenger

FIELDS = ("document_number", "issuing_country", "nationality", "birth_date", "arrival_date", "flight")


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("bad", ["A\x00B", "A\x07B", "A" * 100_000])
def test_a_bad_value_in_one_passenger_is_that_rows_problem(
    carrier_api: CarrierApi, carrier_key: str, traveller: Traveller, field: str, bad: str
) -> None:
    traveller()
    response = carrier_api.post(carrier_key, {"passengers": [passenger(), passenger(**{field: bad})]})
    assert response.status_code == 200, response.text
    good, refused = response.json()["results"]
    assert good["status"] == "OK"
    assert refused["status"] == "INVALID"
    assert [error["path"] for error in refused["errors"]] == [f"passengers[1].{field}"]


def test_a_duplicate_key_in_a_passenger_or_in_the_envelope(carrier_api: CarrierApi, carrier_key: str) -> None:
    row = '{"document_number": "U1", "document_number": "U2", "issuing_country": "TUR", "nationality": "TUR", ' \
          '"birth_date": "1990-01-01", "arrival_date": "2026-12-10"}'  # fmt: skip
    answer = carrier_api.post_raw(carrier_key, f'{{"passengers": [{row}]}}'.encode())
    assert answer.status_code == 200
    [result] = answer.json()["results"]
    assert result["status"] == "INVALID"
    assert result["errors"][0]["path"] == "passengers[0].document_number"
    assert result["errors"][0]["code"] == "duplicate_key"
    envelope = carrier_api.post_raw(carrier_key, f'{{"passengers": [{row}], "passengers": []}}'.encode())
    assert envelope.status_code == 422
    assert envelope.json()["error"]["fields"][0] == {
        "path": "passengers", "code": "duplicate_key", "message": envelope.json()["error"]["fields"][0]["message"],
    }  # fmt: skip
