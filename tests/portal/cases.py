"""Applications in the states an officer puts them in, built through the services as the back office
would: submit → pay → screen against a watchlist that matches → a request for information, a
refusal (proposed by an officer, confirmed by a supervisor), an upheld redress, an annulment."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.conftest import Database
from tests.factories import applicant, face_photo
from tests.payments import pay_in_service

from keta.adapters.watchlist_sources import read_watchlist
from keta.db.models import Application, ReviewCase, StaffMember
from keta.domain.applications import Status
from keta.domain.review import CaseKind, Proposal, Role
from keta.services import decisions, requests, staff, submission
from keta.services.runtime import Runtime
from keta.services.screening import screen_application
from keta.services.watchlists import import_watchlist

# Ayşe Yılmaz, born 1990 (tests.factories' default traveller is Ayşe Yılmaz, born 1990-04-12).
WATCHLIST = '{"id": "wl-1", "schema": "Person", "properties": {"name": ["Ayşe Yılmaz"], "birthDate": ["1990"]}}\n'


def load_watchlist(database: Database, runtime: Runtime, tmp_path: Path) -> None:
    path = tmp_path / "list.jsonl"
    path.write_text(WATCHLIST, encoding="utf-8")
    import_watchlist(
        database.factory, runtime.clock, name="test-list", items=read_watchlist(path), source=path.name, checksum="x"
    )


def screened(database: Database, runtime: Runtime, *, expected: Status, **overrides: object) -> str:
    """A paid, screened application in Turkish; its reference."""
    with database.factory() as session:
        application = submission.submit_application(
            session, runtime, applicant=applicant(**overrides), language="tr", photo=face_photo()
        )
        pay_in_service(session, runtime, [application])
        assert screen_application(session, runtime, application_id=application.id) is expected
        session.commit()
        return application.reference


def in_review(database: Database, runtime: Runtime, tmp_path: Path) -> str:
    load_watchlist(database, runtime, tmp_path)
    return screened(database, runtime, expected=Status.IN_REVIEW)


def member(session: Session, runtime: Runtime, username: str, role: Role) -> StaffMember:
    found = session.scalar(select(StaffMember).where(StaffMember.username == username))
    return found or staff.create(session, runtime, username=username, role=role, actor="test")[0]


def case_of(session: Session, reference: str, kind: CaseKind = CaseKind.SCREENING) -> ReviewCase:
    query = select(ReviewCase).join(ReviewCase.application).where(Application.reference == reference)
    return session.scalars(query.where(ReviewCase.kind == kind.value)).one()


def ask_information(database: Database, runtime: Runtime, reference: str, *, message: str | None) -> uuid.UUID:
    """An officer asks about the trip's purpose (and in their own words); the case's id."""
    with database.factory() as session:
        case = case_of(session, reference)
        officer = member(session, runtime, "officer.kim", Role.OFFICER)
        requests.request_information(
            session, runtime, case=case, member=officer, questions=["purpose_of_travel", "other"], message=message
        )
        session.commit()
        return case.id


def refuse(database: Database, runtime: Runtime, reference: str, *, ground: str = "security_risk") -> None:
    with database.factory() as session:
        case = case_of(session, reference)
        officer = member(session, runtime, "officer.kim", Role.OFFICER)
        supervisor = member(session, runtime, "supervisor.park", Role.SUPERVISOR)
        decisions.propose(session, runtime, case=case, member=officer, proposal=Proposal.REFUSE, ground=ground)
        decisions.confirm(session, runtime, case=case, member=supervisor)
        session.commit()


def uphold_redress(database: Database, runtime: Runtime, reference: str) -> None:
    """A third officer, who took no part in the refusal, keeps it."""
    with database.factory() as session:
        case = case_of(session, reference, CaseKind.REDRESS)
        decisions.uphold(session, runtime, case=case, member=member(session, runtime, "officer.lee", Role.OFFICER))
        session.commit()


def annul(database: Database, runtime: Runtime, reference: str, *, ground: str) -> None:
    with database.factory() as session:
        application = session.scalars(select(Application).where(Application.reference == reference)).one()
        officer = member(session, runtime, "officer.kim", Role.OFFICER)
        case = requests.propose_revocation(
            session, runtime, application=application, member=officer, proposal=Proposal.ANNUL, ground=ground, note=None
        )
        decisions.confirm(
            session, runtime, case=case, member=member(session, runtime, "supervisor.park", Role.SUPERVISOR)
        )
        session.commit()
