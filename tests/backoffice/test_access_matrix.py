"""Every back-office and border-desk route × (anonymous, each role): the expected answer, and CSRF on every POST.

The table below is the access policy written out independently of `keta.domain.review.PERMISSIONS`;
a route added to the back office without a row here fails `test_the_table_covers_every_route`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.backoffice.office import client_for, csrf_of, enrol, flagged_application, sign_in
from tests.conftest import Database

from keta.adapters.clock import FixedClock
from keta.domain.attachments import stored_attachment
from keta.domain.review import Role
from keta.domain.screening.model import WatchlistEntry
from keta.services import requests, staff
from keta.services.runtime import Runtime
from keta.services.watchlists import import_watchlist
from keta.web import backoffice, border

ENTRY = WatchlistEntry(entity_id="e1", names=("Mehmet Kaya",))

ALL = frozenset(Role)
CASE_WORKERS = frozenset({Role.OFFICER, Role.SUPERVISOR})
SUPERVISORS = frozenset({Role.SUPERVISOR})


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # with {case}, {reference}, {username} filled in by the test
    allowed: frozenset[Role] | None  # None: public (sign-in, enrolment, the stylesheet)
    data: tuple[tuple[str, str], ...] = ()


ROUTES = [
    Route("GET", "/backoffice/login", None),
    Route("POST", "/backoffice/login", None),
    Route("GET", "/backoffice/login/code", None),
    Route("POST", "/backoffice/login/code", None),
    Route("GET", "/backoffice/enrol/{token}", None),
    Route("POST", "/backoffice/enrol/{token}", None),
    Route("GET", "/backoffice/static/backoffice.css", None),
    Route("GET", "/backoffice/", ALL),
    Route("GET", "/backoffice/home", ALL),
    Route("GET", "/backoffice/queue", CASE_WORKERS),
    Route("GET", "/backoffice/cases/{case}", CASE_WORKERS),
    Route("GET", "/backoffice/cases/{case}/documents/1", CASE_WORKERS),
    Route("POST", "/backoffice/cases/{case}/claim", CASE_WORKERS),
    Route("POST", "/backoffice/cases/{case}/confirm", SUPERVISORS),
    Route("POST", "/backoffice/cases/{case}/send-back", SUPERVISORS, (("note", "no"),)),
    Route("GET", "/backoffice/applications", CASE_WORKERS),
    Route("GET", "/backoffice/applications/{reference}", CASE_WORKERS),
    Route("POST", "/backoffice/applications/{reference}/propose", CASE_WORKERS, (("proposal", "revoke"),)),
    Route("GET", "/backoffice/staff", frozenset({Role.ADMIN})),
    Route("POST", "/backoffice/staff", frozenset({Role.ADMIN}), (("username", "new.one"), ("role", "officer"))),
    Route("POST", "/backoffice/staff/{username}/reset", frozenset({Role.ADMIN})),
    Route("GET", "/backoffice/audit", frozenset({Role.AUDITOR})),
    Route("GET", "/backoffice/statistics", frozenset({Role.SUPERVISOR, Role.AUDITOR})),
    Route("GET", "/backoffice/watchlists", SUPERVISORS),
    Route("POST", "/backoffice/watchlists/{list_name}/rollback", SUPERVISORS),
    Route("GET", "/backoffice/statistics/{name}.csv", frozenset({Role.SUPERVISOR, Role.AUDITOR})),
    Route("GET", "/border", frozenset({Role.BORDER})),
    Route(
        "POST",
        "/border/lookup",
        frozenset({Role.BORDER}),
        (("how", "document"), ("document_number", "U1"), ("issuing_country", "TUR")),
    ),
    Route(
        "POST",
        "/border/entries",
        frozenset({Role.BORDER}),
        (("how", "document"), ("document_number", "U1"), ("issuing_country", "TUR"), ("port", "ICN")),
    ),
    Route("POST", "/backoffice/logout", ALL),  # last: it ends the session the rows above use
]
# Routes with a path parameter for the verb are represented by one verb each above.
TEMPLATES = {"/backoffice/cases/{case_id}/{verb}", "/backoffice/staff/{username}/{verb}"}


def _routes(router: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, full path) of every route under a router, through included routers."""
    for route in router.routes:
        if hasattr(route, "original_router"):  # FastAPI ≥ 0.16x keeps included routers as such
            yield from _routes(route.original_router, prefix + route.include_context.prefix)
        else:
            for method in set(route.methods) - {"HEAD"}:
                yield method, prefix + route.path


def test_the_table_covers_every_route() -> None:
    declared = {(r.method, _template(r.path)) for r in ROUTES}
    routes = [*_routes(backoffice.router), *_routes(border.router)]  # the border desk signs in here too
    assert len(routes) > 10
    for method, path in routes:
        assert (method, path) in declared or path in TEMPLATES, f"{method} {path} has no row in ROUTES"


def _template(path: str) -> str:
    return (
        path.replace("{case}", "{case_id}")
        .replace("{reference}", "{reference}")
        .replace("/claim", "/{verb}")
        .replace("/confirm", "/{verb}")
        .replace("/send-back", "/{verb}")
        .replace("/reset", "/{verb}")
        .replace("/documents/1", "/documents/{number}")
    )


@pytest.fixture
def world(client: TestClient, database: Database, runtime: Runtime, clock: FixedClock) -> dict[str, object]:
    accounts = {role: enrol(database, runtime, f"user.{role.value}", role) for role in Role}
    clients: dict[Role | None, TestClient] = {None: client_for(client.app)}
    for role, account in accounts.items():
        clients[role] = client_for(client.app)
        sign_in(clients[role], clock, account)
    with database.factory() as session:
        case = flagged_application(session, runtime)
        reference = case.application.reference
        asker, _ = staff.create(session, runtime, username="asker.one", role=Role.OFFICER, actor="test")
        requests.request_information(session, runtime, case=case, member=asker, questions=["other"], message="?")
        pdf = stored_attachment(b"%PDF-1.4 letter", "application/pdf")
        requests.answer_information(session, runtime, application=case.application, text="See.", documents=[pdf])
        session.commit()
    enrol(database, runtime, "spare.one", Role.OFFICER)  # the account the admin row resets
    import_watchlist(database.factory, runtime.clock, name="un", items=[ENTRY], source="un.jsonl", checksum="x")
    values = {
        "case": str(case.id),
        "reference": reference,
        "username": "spare.one",
        "token": "x" * 43,
        "name": "outcomes",
        "list_name": "un",
    }
    return {"clients": clients, "values": values}


def _csrf(client: TestClient) -> str:
    for page in ("/backoffice/home", "/backoffice/queue"):
        answer = client.get(page)
        if answer.status_code == 200 and 'name="csrf"' in answer.text:
            return csrf_of(answer)
    raise AssertionError("no page with a form")


def test_every_route_for_every_role(world: dict[str, object]) -> None:
    clients: dict[Role | None, TestClient] = world["clients"]  # type: ignore[assignment]
    values: dict[str, str] = world["values"]  # type: ignore[assignment]
    wrong: list[str] = []
    for route in ROUTES:
        if route.allowed is None:
            continue  # public pages: covered by the sign-in tests
        path = route.path.format(**values)
        for role, browser in clients.items():
            if route.method == "GET":
                answer = browser.get(path, follow_redirects=False)
            else:
                data = dict(route.data)
                if role is not None:
                    data["csrf"] = _csrf(browser)
                answer = browser.post(path, data=data, follow_redirects=False)
            if role is None:
                expected_ok = answer.status_code in ((303,) if route.method == "GET" else (401,))
                if route.method == "GET":
                    expected_ok = expected_ok and answer.headers.get("location") == "/backoffice/login"
            elif role in route.allowed:
                expected_ok = answer.status_code not in (401, 403, 404, 405, 500) and (
                    route.method == "POST" or answer.status_code in (200, 303)
                )
            else:
                expected_ok = answer.status_code == 403
            if not expected_ok:
                wrong.append(f"{route.method} {route.path} as {role}: {answer.status_code}")
    assert wrong == []


def test_no_post_is_accepted_without_the_token(world: dict[str, object]) -> None:
    clients: dict[Role | None, TestClient] = world["clients"]  # type: ignore[assignment]
    values: dict[str, str] = world["values"]  # type: ignore[assignment]
    for route in ROUTES:
        if route.method != "POST":
            continue
        path = route.path.format(**values)
        for role, browser in clients.items():
            if role is None and route.allowed is not None:
                continue
            for token in (None, "forged" + "0" * 58):
                data = dict(route.data) | ({"csrf": token} if token else {})
                answer = browser.post(path, data=data, follow_redirects=False)
                # Without a half-signed-in session the code form only sends the browser back to sign in.
                back_to_sign_in = answer.status_code == 303 and answer.headers["location"] == "/backoffice/login"
                refused = answer.status_code in (403, 404) or (
                    route.path == "/backoffice/login/code" and back_to_sign_in
                )
                assert refused, f"{route.method} {route.path} as {role}: {answer.status_code}"
