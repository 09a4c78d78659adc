"""Operator endpoints and the API description."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.factories import application_json


def test_healthz_and_metrics(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "policy": "kr"}
    client.post("/api/v1/applications", json=application_json())
    metrics = client.get("/metrics").text
    assert 'keta_applications{status="submitted"} 1.0' in metrics


def test_openapi_describes_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {
        "/api/v1/applications",
        "/api/v1/groups",
        "/api/v1/eligibility",
        "/api/v1/applications/{reference}/lookup",
    } <= set(spec["paths"])
    assert client.get("/docs").status_code == 200


def test_unknown_route_and_bad_json_are_clean_4xx(client: TestClient) -> None:
    missing = client.get("/api/v1/nothing-here", headers={"Accept-Language": "ko"})
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    broken = client.post("/api/v1/applications", content=b"{not json", headers={"content-type": "application/json"})
    assert broken.status_code == 422
    assert broken.json()["error"]["code"] == "invalid_input"
    wrong_method = client.delete("/api/v1/applications")
    assert wrong_method.status_code == 405


def test_openapi_states_the_policy_group_limit_and_serves_its_own_docs_assets(client: TestClient) -> None:
    members = client.get("/openapi.json").json()["components"]["schemas"]["GroupIn"]["properties"]["members"]
    assert members["maxItems"] == 50  # K-ETA's group limit, not the schema's 500 guard
    docs, redoc = client.get("/docs").text, client.get("/redoc").text
    assert "cdn." not in docs + redoc and "https://" not in docs + redoc
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/docs/assets/redoc.standalone.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/docs/assets/..%2Fcore.py").status_code == 404  # only the named files
