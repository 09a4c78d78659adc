"""Finding 6, the headers and cookies: every response carries the browser protections (pages, the
API, errors, refusals made before the app runs, static files); no template holds an inline script,
style or event handler that the Content-Security-Policy would have to allow; production cookies are
Secure, HttpOnly and `__Host-`; /docs, /redoc, /openapi.json and /metrics follow their settings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from httpx2 import Response
from pydantic import ValidationError
from tests.conftest import NOW, TEST_DATA_KEY, Database
from tests.fake_gateway import API_KEY, WEBHOOK_SECRET, FakeGateway, running_gateway
from tests.portal.forms import application_form, submit
from tests.portal_client import PortalClient

from keta.adapters.clock import FixedClock
from keta.config import Settings
from keta.web.app import create_app

SECRET_KEY = "Hq3vTz8LwY2nRc6KpX9mB4sJfD7gA1eU"
DATA_KEY = "Zr5Nc8Wq1Lm4Xv7Bt2Ky9Hs6Jd3Fp0Ga"
METRICS_TOKEN = "mT4kP9vQ2xR7sL1nB8cW5zY3hJ6dF0gE"
WEB = Path(__file__).resolve().parents[2] / "src" / "keta" / "web"


def assert_protected(response: Response, *, https: bool = False) -> None:
    headers = response.headers
    where = f"{response.request.method} {response.request.url.path} → {response.status_code}"
    csp = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp and "base-uri 'none'" in csp, where
    if not response.request.url.path.startswith(("/docs", "/redoc")):
        assert "script-src 'self';" in csp and "style-src 'self';" in csp and "unsafe" not in csp, where
    assert headers.get("x-frame-options") == "DENY", where
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("referrer-policy") == "same-origin", where
    assert "camera=()" in headers.get("permissions-policy", "") and "geolocation=()" in headers["permissions-policy"]
    assert ("strict-transport-security" in headers) is https, where
    assert headers.get("cache-control"), where


def get_routes(client: TestClient) -> list[str]:
    paths = []
    for route in iter_route_contexts(client.app.routes):  # type: ignore[attr-defined]
        if "GET" in (route.methods or set()):
            paths.append(re.sub(r"\{[a-z_]+\}", "x", route.path or ""))
    assert len(paths) > 20
    return paths


def test_every_response_carries_the_protections(client: TestClient) -> None:
    for path in get_routes(client):
        assert_protected(client.get(path, follow_redirects=False))
    assert_protected(client.get("/no/such/page"))
    assert_protected(client.post("/api/v1/applications", json={}))  # 422
    assert_protected(client.post("/api/v1/applications", content=b" " * 70_000))  # 413 from the middleware
    assert_protected(client.post("/status", data={"csrf": "forged"}))  # 403 page
    assert_protected(client.get("/static/portal.css"))
    static = client.get("/static/mrz.js")
    assert static.headers["cache-control"].startswith("public")  # a route's own caching is kept


def test_no_template_needs_inline_script_or_style() -> None:
    templates = sorted(WEB.glob("*/templates/*.html"))
    assert len(templates) > 20
    for template in templates:
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert not re.search(r"<style\b", text), template.name
        assert not re.search(r"\sstyle=", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert "javascript:" not in text, template.name


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    with running_gateway() as fake:
        yield fake


def production_settings(database: Database, gateway: FakeGateway, **extra: object) -> Settings:
    return Settings(
        env="production",
        database_url=database.url,
        secret_key=SECRET_KEY,
        data_key=DATA_KEY,
        smtp_url="smtp://127.0.0.1:2525",
        payment_provider="gateway",
        payment_gateway_url=gateway.url,
        payment_api_key=API_KEY,
        payment_webhook_secret=WEBHOOK_SECRET,
        public_url="https://eta.example.org",
        **extra,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_production_cookies_are_secure_and_host_prefixed(database: Database, gateway: FakeGateway) -> None:
    app = create_app(production_settings(database, gateway), clock=FixedClock(NOW), start_worker=False)
    with PortalClient(app, base_url="https://testserver") as client:
        first = client.get("/")
        assert_protected(first, https=True)
        language = client.get("/?lang=tr")
        sent = submit(client, application_form())
        assert sent.status_code == 303, sent.text
        cookies = [c for r in (first, language, sent) for c in r.headers.get_list("set-cookie")]
    names = {cookie.split("=", 1)[0] for cookie in cookies}
    assert {"__Host-keta_csrf", "__Host-keta_lang", "__Host-keta_application"} <= names, names
    for cookie in cookies:
        attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
        assert {"secure", "httponly", "samesite"} <= attributes, cookie
        assert "path=/" in cookie.lower() and "domain=" not in cookie.lower(), cookie


def test_development_cookies_are_plain_but_httponly_and_samesite(client: TestClient) -> None:
    cookie = client.get("/").headers["set-cookie"]
    assert cookie.startswith("keta_csrf=") and "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert "secure" not in cookie.lower()


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_production_hides_the_api_docs_and_metrics_unless_configured(database: Database, gateway: FakeGateway) -> None:
    closed = create_app(production_settings(database, gateway), clock=FixedClock(NOW), start_worker=False)
    with TestClient(closed, base_url="https://testserver") as client:
        for path in ("/docs", "/redoc", "/openapi.json", "/metrics"):
            assert client.get(path).status_code == 404, path
    opened = create_app(
        production_settings(database, gateway, api_docs=True, metrics_token=METRICS_TOKEN),
        clock=FixedClock(NOW),
        start_worker=False,
    )
    with TestClient(opened, base_url="https://testserver") as client:
        assert client.get("/openapi.json").status_code == 200
        assert client.get("/docs").status_code == 200
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers={"authorization": "Bearer wrong"}).status_code == 401
        scraped = client.get("/metrics", headers={"authorization": f"Bearer {METRICS_TOKEN}"})
        assert scraped.status_code == 200 and "keta_applications" in scraped.text


def test_development_serves_the_docs_and_metrics_and_a_token_protects_metrics(
    database: Database, clock: FixedClock
) -> None:
    settings = Settings(env="test", database_url=database.url, data_key=TEST_DATA_KEY, metrics_token=METRICS_TOKEN)
    with TestClient(create_app(settings, clock=clock, start_worker=False)) as client:
        assert client.get("/docs").status_code == 200
        assert_protected(client.get("/docs"))  # its own policy (inline styles), still no framing
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers={"authorization": f"Bearer {METRICS_TOKEN}"}).status_code == 200
    off = Settings(env="test", database_url=database.url, data_key=TEST_DATA_KEY, api_docs=False)
    with TestClient(create_app(off, clock=clock, start_worker=False)) as client:
        assert client.get("/openapi.json").status_code == 404
        assert client.get("/metrics").status_code == 200  # open outside production when no token is set


def test_a_weak_metrics_token_is_refused() -> None:
    with pytest.raises(ValidationError, match="KETA_METRICS_TOKEN must be at least 32 characters"):
        Settings(env="test", metrics_token="short")
