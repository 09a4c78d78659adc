"""Fixtures of the carrier tests (helpers in tests/carrier/helpers.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.carrier.helpers import CarrierApi, CarrierResponses, create_carrier, scan
from tests.conftest import Database
from tests.factories import application_json
from tests.payments import pay_api

from keta.services.runtime import Runtime


@pytest.fixture(scope="session")
def carrier_responses() -> Iterator[CarrierResponses]:
    collected = CarrierResponses()
    yield collected
    for entry in collected.recorded:
        scan(entry)


@pytest.fixture
def carrier_api(
    client: TestClient, database: Database, runtime: Runtime, carrier_responses: CarrierResponses
) -> CarrierApi:
    return CarrierApi(client, database, runtime.keyring, carrier_responses)


@pytest.fixture
def carrier_key(database: Database) -> str:
    return create_carrier(database)


Traveller = Callable[..., str]


@pytest.fixture
def traveller(client: TestClient, run_jobs: Callable[[], int]) -> Traveller:
    """Submit (and by default pay for) an application through the API and run its screening;
    returns the reference. `paid=False` leaves it submitted."""

    def make(*, paid: bool = True, **overrides: Any) -> str:
        body = application_json(**overrides)
        response = client.post("/api/v1/applications", json=body)
        assert response.status_code == 201, response.text
        reference: str = response.json()["reference"]
        if paid:
            pay_api(
                client, f"/api/v1/applications/{reference}/payment", {"passport_number": body["passport"]["number"]}
            )
            run_jobs()
        return reference

    return make
