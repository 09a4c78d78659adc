"""Back-office test helpers: enrolled accounts, signing in through the real pages, cases to work on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx2 as httpx
import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.conftest import Database
from tests.factories import applicant, face_photo
from tests.payments import pay_in_service

from keta.adapters.clock import FixedClock
from keta.db.models import ReviewCase
from keta.db.session import session_scope
from keta.domain.review import Role
from keta.services import staff, submission
from keta.services.runtime import Runtime
from keta.services.screening import screen_application

PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass(frozen=True)
class Account:
    username: str
    role: Role
    secret: str
    id: str
    password: str = PASSWORD

    def code(self, clock: FixedClock) -> str:
        return pyotp.TOTP(self.secret).at(clock.now())


def enrol(database: Database, runtime: Runtime, username: str, role: Role) -> Account:
    with session_scope(database.factory) as session:
        member, token = staff.create(session, runtime, username=username, role=role, actor="test")
        secret = str(runtime.keyring.decrypt(member.totp_secret)["secret"])
        code = pyotp.TOTP(secret).at(runtime.now())
        staff.complete_enrolment(session, runtime, token=token, password=PASSWORD, password_again=PASSWORD, code=code)
        return Account(username, role, secret, str(member.id))


def csrf_of(page: httpx.Response) -> str:
    found = _CSRF.search(page.text)
    assert found, page.text[:500]
    return found.group(1)


def sign_in(client: TestClient, clock: FixedClock, account: Account) -> None:
    """Password, then a code of a fresh 30-second step (each step is accepted once)."""
    clock.advance(timedelta(seconds=31))
    page = client.get("/backoffice/login")
    answer = client.post(
        "/backoffice/login",
        data={"csrf": csrf_of(page), "username": account.username, "password": account.password},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:500]
    page = client.get("/backoffice/login/code")
    answer = client.post(
        "/backoffice/login/code", data={"csrf": csrf_of(page), "code": account.code(clock)}, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/backoffice/", answer.text[:500]


def client_for(app: Any) -> TestClient:
    """Another browser on the same app: its own cookies."""
    return TestClient(app)


def flagged_application(session: Session, runtime: Runtime, **overrides: object) -> ReviewCase:
    """A paid application that screening sent to review (a declared criminal record), with its case."""
    values = {
        "background__criminal_record": True,
        "background__criminal_record_details": "2009, minor offence",
        **overrides,
    }
    application = submission.submit_application(
        session, runtime, applicant=applicant(**values), language="tr", photo=face_photo()
    )
    pay_in_service(session, runtime, [application])
    screen_application(session, runtime, application_id=application.id)
    case = session.scalars(select(ReviewCase).where(ReviewCase.application_id == application.id)).one()
    session.commit()
    return case
