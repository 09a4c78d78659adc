"""OpenAPI documents every answer of the agency API and of the applicant API's photo routes: the
error body for each 4xx, the key scheme, and the multipart variant of each body that takes a photo."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

ERROR = {"$ref": "#/components/schemas/ErrorOut"}
PAY = {"201", "401", "403", "404", "409", "422", "429", "503"}
AGENCY = {
    ("post", "/api/v1/agency/applications"): {"201", "401", "403", "409", "413", "422", "429"},
    ("get", "/api/v1/agency/applications/{reference}"): {"200", "401", "403", "404", "422", "429"},
    ("put", "/api/v1/agency/applications/{reference}/photo"): {"200", "401", "403", "404", "409", "413", "422", "429"},
    ("post", "/api/v1/agency/applications/{reference}/payment"): PAY,
    ("post", "/api/v1/agency/groups"): {"201", "401", "403", "413", "422", "429"},
    ("get", "/api/v1/agency/groups/{reference}"): {"200", "401", "403", "404", "422", "429"},
    ("post", "/api/v1/agency/groups/{reference}/payment"): PAY,
}


def spec(client: TestClient) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/openapi.json").json()
    return document


def test_every_agency_answer_is_documented_with_the_error_body(client: TestClient) -> None:
    document = spec(client)
    found = {(m, p) for p, ops in document["paths"].items() for m in ops if p.startswith("/api/v1/agency/")}
    assert found == set(AGENCY)
    for (method, path), statuses in AGENCY.items():
        operation = document["paths"][path][method]
        assert statuses <= set(operation["responses"]), (path, set(operation["responses"]))
        for status in statuses - {"200", "201"}:
            schema = operation["responses"][status]["content"]["application/json"]["schema"]
            assert schema == ERROR, (path, status)
        assert operation["security"] == [{"AgencyKey": []}]
        assert "WWW-Authenticate" in operation["responses"]["401"]["headers"]
        assert "Retry-After" in operation["responses"]["429"]["headers"]
    assert document["components"]["securitySchemes"]["AgencyKey"]["scheme"] == "bearer"
    assert "carrier" in document["components"]["securitySchemes"]["HTTPBearer"]["description"]


def test_photo_bodies_document_json_and_multipart(client: TestClient) -> None:
    document = spec(client)
    for path, method, part in (
        ("/api/v1/applications", "post", "application"),
        ("/api/v1/groups", "post", "group"),
        ("/api/v1/agency/applications", "post", "application"),
        ("/api/v1/agency/groups", "post", "group"),
        ("/api/v1/applications/{reference}/photo", "put", None),
        ("/api/v1/agency/applications/{reference}/photo", "put", None),
    ):
        content = document["paths"][path][method]["requestBody"]["content"]
        assert set(content) == {"application/json", "multipart/form-data"}, path
        multipart = content["multipart/form-data"]["schema"]["properties"]
        if part is not None:
            ref = multipart[part]["$ref"].rsplit("/", 1)[1]
            assert ref in document["components"]["schemas"], path
        assert any(p.get("format") == "binary" for p in multipart.values()), path
    application = document["components"]["schemas"]["ApplicationIn"]["properties"]
    assert "photo_base64" in application
    submitted = document["components"]["schemas"]["SubmittedOut"]["properties"]
    assert "waiting_for" in submitted
    for path, method in (("/api/v1/applications", "post"), ("/api/v1/applications/{reference}/photo", "put")):
        responses = document["paths"][path][method]["responses"]
        assert {"413", "422"} <= set(responses)
        assert responses["422"]["content"]["application/json"]["schema"] == ERROR
