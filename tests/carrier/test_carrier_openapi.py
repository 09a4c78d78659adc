"""The carrier contract as OpenAPI publishes it: every answer, the error body, the key scheme."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from keta.domain.carrier import MAX_PASSENGERS, CarrierStatus


def test_openapi_documents_every_answer_of_the_carrier_check(client: TestClient) -> None:
    spec: dict[str, Any] = client.get("/openapi.json").json()
    operation = spec["paths"]["/api/v1/carrier/checks"]["post"]
    assert set(operation["responses"]) == {"200", "401", "403", "413", "415", "422", "429"}
    for status in ("401", "403", "413", "415", "422", "429"):
        schema = operation["responses"][status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorOut"}, status
    assert "WWW-Authenticate" in operation["responses"]["401"]["headers"]
    assert "Retry-After" in operation["responses"]["429"]["headers"]
    assert operation["security"] == [{"HTTPBearer": []}]
    assert spec["components"]["securitySchemes"]["HTTPBearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "a carrier API key from `keta carrier create NAME`",
    }

    body = operation["requestBody"]["content"]["application/json"]["schema"]
    passengers = body["properties"]["passengers"]
    assert (passengers["minItems"], passengers["maxItems"]) == (1, MAX_PASSENGERS)
    assert set(passengers["items"]["required"]) == {
        "document_number",
        "issuing_country",
        "nationality",
        "birth_date",
        "arrival_date",
    }
    assert "flight" in passengers["items"]["properties"]

    components = spec["components"]["schemas"]
    assert set(components["ErrorDetailOut"]["required"]) == {"code", "message", "fields"}
    result = components["ResultOut"]["properties"]
    assert result["status"]["enum"] == [status.value for status in CarrierStatus]
    assert {"index", "valid_until", "exemption", "errors"} <= set(result)
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/ChecksOut"}
