"""Signing in to the back office: password then TOTP, lockout, replay, timeouts, disable, CSRF."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.backoffice.office import PASSWORD, Account, csrf_of, enrol, sign_in
from tests.conftest import Database

from keta.adapters.clock import FixedClock
from keta.db.models import AuditRecord, StaffMember
from keta.db.session import session_scope
from keta.domain.review import Role
from keta.services import staff
from keta.services.runtime import Runtime


def test_password_and_code_open_the_queue(
    client: TestClient, database: Database, runtime: Runtime, clock: FixedClock
) -> None:
    officer = enrol(database, runtime, "kim.officer", Role.OFFICER)
    assert client.get("/backoffice/", follow_redirects=False).headers["location"] == "/backoffice/login"
    sign_in(client, clock, officer)
    page = client.get("/backoffice/queue")
    assert page.status_code == 200
    assert "심사 대기 목록" in page.text  # Korean by default
    assert "Review queue" in client.get("/backoffice/queue?lang=en").text


def _password(client: TestClient, username: str, password: str) -> int:
    page = client.get("/backoffice/login")
    answer = client.post(
        "/backoffice/login", data={"csrf": csrf_of(page), "username": username, "password": password},
        follow_redirects=False,
    )  # fmt: skip
    return answer.status_code


def test_failures_look_alike_are_audited_and_lock(
    client: TestClient, database: Database, runtime: Runtime, clock: FixedClock
) -> None:
    officer = enrol(database, runtime, "lee.officer", Role.OFFICER)
    assert _password(client, "nobody", PASSWORD) == 401
    for _ in range(6):
        assert _password(client, officer.username, "wrong password!!") == 401  # the sixth locks for a minute
    assert _password(client, officer.username, PASSWORD) == 401  # even the right password, while locked
    clock.advance(timedelta(seconds=61))
    assert _password(client, officer.username, PASSWORD) == 303
    with session_scope(database.factory) as session:
        actions = [r.action for r in session.scalars(select(AuditRecord).order_by(AuditRecord.seq))]
        assert actions.count("login.password_failed") == 8
        assert "login.password_ok" in actions


def test_a_code_is_accepted_once(client: TestClient, database: Database, runtime: Runtime, clock: FixedClock) -> None:
    officer = enrol(database, runtime, "park.officer", Role.OFFICER)
    clock.advance(timedelta(seconds=31))
    code = officer.code(clock)
    for attempt in range(2):
        assert _password(client, officer.username, PASSWORD) == 303
        page = client.get("/backoffice/login/code")
        answer = client.post(
            "/backoffice/login/code", data={"csrf": csrf_of(page), "code": code}, follow_redirects=False
        )
        assert answer.status_code == (303 if attempt == 0 else 401)
        client.cookies.clear()


def test_sessions_end_when_idle_at_their_limit_and_at_once_when_disabled(
    client: TestClient, database: Database, runtime: Runtime, clock: FixedClock
) -> None:
    officer = enrol(database, runtime, "choi.officer", Role.OFFICER)
    sign_in(client, clock, officer)
    clock.advance(timedelta(minutes=29))
    assert client.get("/backoffice/queue", follow_redirects=False).status_code == 200
    clock.advance(timedelta(minutes=31))
    assert client.get("/backoffice/queue", follow_redirects=False).status_code == 303  # idle 31 minutes
    sign_in(client, clock, officer)
    for _ in range(26):  # 26 × 29 minutes: past 12 hours, never idle
        clock.advance(timedelta(minutes=29))
        client.get("/backoffice/queue", follow_redirects=False)
    assert client.get("/backoffice/queue", follow_redirects=False).status_code == 303  # past the 12 h limit
    sign_in(client, clock, officer)
    with session_scope(database.factory) as session:
        staff.disable(session, runtime, username=officer.username, actor="test")
    assert client.get("/backoffice/queue", follow_redirects=False).status_code == 303
    assert _password(client, officer.username, PASSWORD) == 401


def test_logout_ends_the_session(client: TestClient, database: Database, runtime: Runtime, clock: FixedClock) -> None:
    officer = enrol(database, runtime, "jung.officer", Role.OFFICER)
    sign_in(client, clock, officer)
    page = client.get("/backoffice/queue")
    assert client.post("/backoffice/logout", data={"csrf": csrf_of(page)}, follow_redirects=False).status_code == 303
    assert client.get("/backoffice/queue", follow_redirects=False).status_code == 303


def test_forms_without_our_token_or_from_another_site_are_refused(
    client: TestClient, database: Database, runtime: Runtime, clock: FixedClock
) -> None:
    officer = enrol(database, runtime, "han.officer", Role.OFFICER)
    client.get("/backoffice/login")
    data = {"username": officer.username, "password": PASSWORD}
    assert client.post("/backoffice/login", data=data, follow_redirects=False).status_code == 403
    assert client.post("/backoffice/login", data={**data, "csrf": "0" * 64}, follow_redirects=False).status_code == 403
    page = client.get("/backoffice/login")
    evil = {"origin": "https://evil.example"}
    answer = client.post(
        "/backoffice/login", data={**data, "csrf": csrf_of(page)}, headers=evil, follow_redirects=False
    )
    assert answer.status_code == 403
    sign_in(client, clock, officer)
    assert client.post("/backoffice/logout", data={}, follow_redirects=False).status_code == 403
    assert client.get("/backoffice/queue", follow_redirects=False).status_code == 200  # still signed in


def test_enrolment_sets_password_and_code_once(
    client: TestClient, database: Database, runtime: Runtime, clock: FixedClock
) -> None:
    with session_scope(database.factory) as session:
        member, token = staff.create(session, runtime, username="new.officer", role=Role.OFFICER, actor="test")
        secret = str(runtime.keyring.decrypt(member.totp_secret)["secret"])
    page = client.get(f"/backoffice/enrol/{token}")
    assert page.status_code == 200 and "<svg" in page.text and secret in page.text
    account = Account("new.officer", Role.OFFICER, secret, str(member.id))
    short = {"csrf": csrf_of(page), "password": "short", "password_again": "short", "code": account.code(clock)}
    assert client.post(f"/backoffice/enrol/{token}", data=short).status_code == 422
    good = {**short, "password": PASSWORD, "password_again": PASSWORD}
    assert client.post(f"/backoffice/enrol/{token}", data=good).status_code == 200
    assert client.get(f"/backoffice/enrol/{token}").status_code == 404  # used
    with session_scope(database.factory) as session:
        stored = session.scalars(select(StaffMember).where(StaffMember.username == "new.officer")).one()
        assert stored.password_hash and stored.password_hash.startswith("$argon2id$")
        assert PASSWORD not in stored.password_hash
    sign_in(client, clock, account)
