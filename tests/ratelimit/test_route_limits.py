"""Finding 3, as a class: every limited route × over its limit → 429 with Retry-After, in the shape
the route speaks (the API's error body, the portal's translated page, the back office's sign-in
page); a look-up budget per reference shared by every client and by API and portal alike; and the
client address read from X-Forwarded-For only when the peer is a configured proxy.

Every limit is 2 per hour here, on the database limiter (SQLite and PostgreSQL): the third request
of a kind is refused, whatever the first two answered (an unknown reference's 404 counts too).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from tests.conftest import TEST_DATA_KEY, Database
from tests.factories import application_json, face_base64, member_json
from tests.portal.test_csrf import FORMS
from tests.portal_client import PortalClient
from tests.web.test_api_groups import REPRESENTATIVE

from keta.adapters.clock import FixedClock
from keta.config import Settings
from keta.i18n import error_message, gettext
from keta.services.runtime import Runtime
from keta.web import throttle
from keta.web.app import create_app

PASSPORT = {"passport_number": "U12345678"}
TWO = "2/3600"


def app_with(database: Database, clock: FixedClock, **limits: str) -> FastAPI:
    rates = {
        "rate_limit_lookup_client": TWO,
        "rate_limit_lookup_reference": TWO,
        "rate_limit_submission_client": TWO,
        "rate_limit_payment_client": TWO,
        "rate_limit_login_client": TWO,
        **limits,
    }
    settings = Settings(env="test", database_url=database.url, data_key=TEST_DATA_KEY, **rates)
    return create_app(settings, clock=clock, start_worker=False)


@pytest.fixture
def limited(database: Database, clock: FixedClock) -> Iterator[PortalClient]:
    with PortalClient(app_with(database, clock)) as client:
        yield client


def _submitted(client: TestClient) -> str:
    """An application submitted through another door (no limit of the route under test is touched)."""
    with TestClient(client.app, client=("192.0.2.99", 4000)) as other:
        answer = other.post("/api/v1/applications", json=application_json())
    assert answer.status_code == 201, answer.text
    return str(answer.json()["reference"])


def _group(client: TestClient) -> str:
    body = {"representative": REPRESENTATIVE, "members": [member_json(0)]}
    with TestClient(client.app, client=("192.0.2.99", 4000)) as other:
        answer = other.post("/api/v1/groups", json=body)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["reference"])


Send = Callable[[], Any]
Prepare = Callable[[PortalClient, Database, Runtime, Path], Send]


def _api(
    method: str, path: str, body: Callable[[], dict[str, Any]], made: Callable[[TestClient], str] | None = None
) -> Prepare:
    def prepare(client: PortalClient, *_: Any) -> Send:
        url = path.format(ref=made(client)) if made else path
        return lambda: client.request(method, url, json=body())

    return prepare


def _portal(route: str) -> Prepare:
    def prepare(client: PortalClient, database: Database, runtime: Runtime, tmp_path: Path) -> Send:
        path, fields, files = FORMS[route](client, database, runtime, tmp_path)
        return lambda: client.post(path, data=fields, files=files or None, follow_redirects=False)

    return prepare


def _login(client: PortalClient, *_: Any) -> Send:
    def send() -> Any:
        page = client.get("/backoffice/login")
        token = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        form = {"csrf": token, "username": "nobody", "password": "not the password"}
        return client.post("/backoffice/login", data=form, follow_redirects=False)

    return send


@dataclass(frozen=True)
class Route:
    shape: str  # "api" | "portal" | "office"
    prepare: Prepare


ROUTES = {
    "POST /api/v1/applications": Route("api", _api("POST", "/api/v1/applications", application_json)),
    "POST /api/v1/groups": Route(
        "api", _api("POST", "/api/v1/groups", lambda: {"representative": REPRESENTATIVE, "members": [member_json(0)]})
    ),
    "POST /api/v1/applications/{ref}/lookup": Route(
        "api", _api("POST", "/api/v1/applications/{ref}/lookup", lambda: PASSPORT, _submitted)
    ),
    "POST /api/v1/applications/{ref}/withdraw": Route(
        "api", _api("POST", "/api/v1/applications/{ref}/withdraw", lambda: PASSPORT, _submitted)
    ),
    "PATCH /api/v1/applications/{ref}/travel": Route(
        "api",
        _api(
            "PATCH", "/api/v1/applications/{ref}/travel", lambda: {**PASSPORT, "phone": "+90 555 010 2041"}, _submitted
        ),
    ),
    "POST /api/v1/applications/{ref}/payment": Route(
        "api", _api("POST", "/api/v1/applications/{ref}/payment", lambda: PASSPORT, _submitted)
    ),
    "PUT /api/v1/applications/{ref}/photo": Route(
        "api",
        _api(
            "PUT", "/api/v1/applications/{ref}/photo", lambda: {**PASSPORT, "photo_base64": face_base64()}, _submitted
        ),
    ),
    "POST /api/v1/groups/{ref}/lookup": Route(
        "api", _api("POST", "/api/v1/groups/{ref}/lookup", lambda: {"email": REPRESENTATIVE["email"]}, _group)
    ),
    "POST /api/v1/groups/{ref}/payment": Route(
        "api", _api("POST", "/api/v1/groups/{ref}/payment", lambda: {"email": REPRESENTATIVE["email"]}, _group)
    ),
    "POST /status": Route("portal", _portal("/status")),
    "POST /status/group": Route("portal", _portal("/status/group")),
    "POST /apply/submit": Route("portal", _portal("/apply/submit")),
    "POST /group (submit)": Route("portal", _portal("/group")),
    "POST /apply/payment": Route("portal", _portal("/apply/payment")),
    "POST /group/payment": Route("portal", _portal("/group/payment")),
    "POST /backoffice/login": Route("office", _login),
}


class TestEveryLimitedRoute:
    @pytest.mark.parametrize("name", list(ROUTES))
    def test_over_the_limit_is_429_with_retry_after(
        self, name: str, limited: PortalClient, database: Database, runtime: Runtime, tmp_path: Path
    ) -> None:
        route = ROUTES[name]
        send = route.prepare(limited, database, runtime, tmp_path)
        first, second = send(), send()
        assert first.status_code != 429 and second.status_code != 429, (first.text[:300], second.text[:300])
        refused = send()
        assert refused.status_code == 429, refused.text[:500]
        assert 1 <= int(refused.headers["retry-after"]) <= 3600
        if route.shape == "api":
            error = refused.json()["error"]
            assert (error["code"], error["message"], error["fields"]) == (
                "rate_limited",
                error_message("en", "rate_limited"),
                [],
            )
        elif route.shape == "portal":
            shown = unescape(refused.text)
            assert error_message("en", "rate_limited") in shown
            assert gettext("en", "portal.error.retry_after", minutes=60) in shown
        else:
            korean = "이 주소에서 로그인 시도가 너무 많습니다. 60분 후에 다시 시도해 주십시오."  # the default language
            assert korean in refused.text
            assert 'action="/backoffice/login"' in refused.text  # the sign-in form again, with a fresh token

    def test_the_portal_page_speaks_the_travellers_language(
        self, limited: PortalClient, database: Database, runtime: Runtime, tmp_path: Path
    ) -> None:
        path, fields, _ = FORMS["/status"](limited, database, runtime, tmp_path)
        for _ in range(2):
            limited.post(path, data=fields)
        refused = limited.post(f"{path}?lang=de", data=fields)
        assert refused.status_code == 429
        assert gettext("de", "portal.error.retry_after", minutes=60) in unescape(refused.text)


def test_one_reference_has_one_budget_for_every_client_and_both_doors(database: Database, clock: FixedClock) -> None:
    app = app_with(database, clock, rate_limit_lookup_client="100/3600")
    reference = "AK7M2-9QXR-T4PW"
    with (
        PortalClient(app, client=("198.51.100.1", 1000)) as one,
        PortalClient(app, client=("198.51.100.2", 1000)) as two,
    ):
        assert one.post(f"/api/v1/applications/{reference}/lookup", json=PASSPORT).status_code == 404
        # Spelled otherwise (lower case, spaces) it is the same reference, and the same budget.
        assert two.post("/api/v1/applications/ak7m2-9qxr-t4pw /lookup", json=PASSPORT).status_code == 404
        portal = one.post("/status", data={"reference": reference, **PASSPORT})
        assert portal.status_code == 429 and "retry-after" in portal.headers
        assert two.post(f"/api/v1/applications/{reference}/lookup", json=PASSPORT).status_code == 429
        # Another reference is untouched.
        assert two.post("/api/v1/applications/BK7M2-9QXR-T4PW/lookup", json=PASSPORT).status_code == 404


@pytest.mark.parametrize(
    ("proxies", "peer", "forwarded", "separate"),
    [
        ("", "203.0.113.5", ("198.51.100.1", "198.51.100.2"), False),  # no proxy configured: the header is ignored
        ("10.0.0.0/8", "203.0.113.5", ("198.51.100.1", "198.51.100.2"), False),  # the peer is not a proxy of ours
        ("10.0.0.0/8", "10.0.0.7", ("198.51.100.1", "198.51.100.2"), True),
        # A client prepending its own "address" does not get a fresh budget: the proxy's entry is right-most.
        ("10.0.0.0/8", "10.0.0.7", ("192.0.2.1, 198.51.100.1", "192.0.2.2, 198.51.100.1"), False),
    ],
)
def test_x_forwarded_for_counts_only_from_a_trusted_proxy(
    database: Database, clock: FixedClock, proxies: str, peer: str, forwarded: tuple[str, str], separate: bool
) -> None:
    settings = Settings(
        env="test",
        database_url=database.url,
        data_key=TEST_DATA_KEY,
        rate_limit_lookup_client="1/3600",
        trusted_proxies=proxies,
    )
    app = create_app(settings, clock=clock, start_worker=False)
    with TestClient(app, client=(peer, 1000)) as client:
        answers = [
            client.post(
                f"/api/v1/applications/AK7M2-9QXR-T4P{i}/lookup", json=PASSPORT, headers={"X-Forwarded-For": xff}
            ).status_code
            for i, xff in enumerate(forwarded)
        ]
    assert answers == ([404, 404] if separate else [404, 429])


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("rate_limit_lookup_client", "ten"),
        ("rate_limit_login_client", "0/60"),
        ("rate_limit_payment_client", "5/0"),
        ("trusted_proxies", "10.0.0.0/8, proxy.example"),
    ],
)
def test_a_wrong_limit_or_proxy_setting_is_refused_naming_it(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        Settings(env="test", data_key=TEST_DATA_KEY, **{name: value})


# Not limited here, on purpose: the eligibility check reads nothing stored and proves nothing (no
# oracle, no write); the carrier check and the border API have a budget per key of their own
# (keta.services.carrier_keys, keta.services.staff_keys), and so has each agency (keta.services.agency_keys;
# tests/agency holds it to its limit).
UNLIMITED_API = {
    "GET /api/v1/agency/applications/{ref}",
    "POST /api/v1/agency/applications",
    "PUT /api/v1/agency/applications/{ref}/photo",
    "POST /api/v1/agency/applications/{ref}/payment",
    "GET /api/v1/agency/groups/{ref}",
    "POST /api/v1/agency/groups",
    "POST /api/v1/agency/groups/{ref}/payment",
    "POST /api/v1/eligibility",
    "POST /api/v1/carrier/checks",
    "POST /api/v1/border/lookups",
    "POST /api/v1/border/entries",
}


def test_every_api_operation_is_in_the_class(limited: PortalClient) -> None:
    """A new operation on /api/v1 fails this test until it is limited and listed above (or here)."""
    limiters = {throttle.lookups, throttle.payments, throttle.submissions}
    operations: dict[str, bool] = {}
    for route in iter_route_contexts(limited.app.routes):  # type: ignore[attr-defined]
        if (route.path or "").startswith("/api/v1/"):
            declared = getattr(route.original_route, "dependencies", [])
            for method in route.methods or ():
                name = f"{method} {(route.path or '').replace('{reference}', '{ref}')}"
                operations[name] = any(d.dependency in limiters for d in declared)
    assert {name for name, limited_ in operations.items() if not limited_} == UNLIMITED_API
    api_routes = {name for name, route in ROUTES.items() if route.shape == "api"}
    assert {name for name, limited_ in operations.items() if limited_} == api_routes
