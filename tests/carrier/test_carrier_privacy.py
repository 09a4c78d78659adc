"""The scan every carrier response of the suite goes through (tests/carrier/helpers.py) really
finds personal data: names, birth dates the carrier did not send, grounds, references."""

from __future__ import annotations

import json

import pytest
from tests.carrier.conftest import Traveller
from tests.carrier.helpers import CarrierApi, Recorded, passenger, scan, sensitive_values
from tests.conftest import Database

from keta.services.runtime import Runtime


def test_the_scan_catches_what_must_not_leak(traveller: Traveller, database: Database, runtime: Runtime) -> None:
    reference = traveller(background__criminal_record=True, background__criminal_record_details="Fined 2015")
    forbidden = sensitive_values(database, runtime.keyring)
    assert {"Yılmaz", "Ayşe", "1990-04-12", reference, "declared_criminal_record"} <= forbidden
    sent = {"passengers": [passenger(birth_date="1991-01-01")]}
    leaks = [
        {"results": [{"index": 0, "status": "NOT_OK", "surname": "Yılmaz"}]},
        {"results": [{"index": 0, "status": "OK", "valid_until": "1990-04-12"}]},  # a birth date not sent
        {"results": [{"index": 0, "status": "NOT_OK", "reason": "declared_criminal_record"}]},
        {"results": [{"index": 0, "status": "OK", "reference": reference}]},
    ]
    for leak in leaks:
        with pytest.raises(AssertionError):
            scan(Recorded(sent, 200, json.dumps(leak, ensure_ascii=False), forbidden))
    # The birth date the carrier sent may come back (here: it does not, but it would be allowed).
    scan(Recorded({"passengers": [passenger()]}, 200, '{"results":[{"index":0,"status":"OK"}]}', forbidden))


def test_answers_for_an_application_in_every_state_carry_nothing_personal(
    carrier_api: CarrierApi, carrier_key: str, traveller: Traveller
) -> None:
    traveller(passport__number="P1000001")
    traveller(passport__number="P1000002", background__infectious_disease=True)
    traveller(paid=False, passport__number="P1000003")
    rows = [passenger(document_number=f"P100000{i}") for i in (1, 2, 3)]
    rows += [passenger(document_number="P1000001", birth_date="1980-01-01"), {"document_number": "P1000002"}]
    response = carrier_api.post(carrier_key, {"passengers": rows})  # recorded and scanned by the fixture
    assert [r["status"] for r in response.json()["results"]] == ["OK", "NOT_OK", "NOT_OK", "NOT_OK", "INVALID"]
    assert len(carrier_api.responses.recorded) >= 1
