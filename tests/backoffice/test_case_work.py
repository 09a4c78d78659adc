"""Working a case through the pages: claim, decide, four eyes, conflicts, requests for information."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.backoffice.office import Account, client_for, csrf_of, enrol, flagged_application, sign_in
from tests.conftest import Database

from keta.adapters.clock import FixedClock
from keta.db.models import Application, AuditRecord, Job, ReviewCase
from keta.domain.attachments import stored_attachment
from keta.domain.review import Role
from keta.services import requests
from keta.services.runtime import Runtime


def _act(client: TestClient, case_id: object, verb: str, **data: object) -> int:
    page = client.get(f"/backoffice/cases/{case_id}")
    answer = client.post(
        f"/backoffice/cases/{case_id}/{verb}", data={"csrf": csrf_of(page), **data}, follow_redirects=False
    )
    return answer.status_code


def _case(database: Database, case_id: object) -> ReviewCase:
    with database.factory() as session:
        case = session.get(ReviewCase, case_id)
        assert case is not None
        session.expunge(case)
        return case


def _setup(
    client: TestClient, database: Database, runtime: Runtime, clock: FixedClock
) -> tuple[object, dict[str, TestClient], dict[str, Account]]:
    accounts = {
        "officer": enrol(database, runtime, "kim.officer", Role.OFFICER),
        "officer2": enrol(database, runtime, "lee.officer", Role.OFFICER),
        "supervisor": enrol(database, runtime, "park.super", Role.SUPERVISOR),
        "supervisor2": enrol(database, runtime, "choi.super", Role.SUPERVISOR),
    }
    clients = {name: client_for(client.app) for name in accounts}
    for name, account in accounts.items():
        sign_in(clients[name], clock, account)
    with database.factory() as session:
        case = flagged_application(session, runtime)
    return case.id, clients, accounts


def test_refusal_needs_a_second_supervisor(
    client: TestClient, database: Database, runtime: Runtime, clock: FixedClock
) -> None:
    case_id, clients, _ = _setup(client, database, runtime, clock)
    officer, supervisor = clients["officer"], clients["supervisor"]
    queue = officer.get("/backoffice/queue")
    assert _case(database, case_id).application_id and "2009, minor offence" not in queue.text  # no PII in the queue
    page = officer.get(f"/backoffice/cases/{case_id}")
    assert "2009, minor offence" in page.text and "Yılmaz" in page.text
    assert _act(officer, case_id, "propose", proposal="refuse", ground="") == 409  # a ground is mandatory
    assert _act(officer, case_id, "propose", proposal="refuse", ground="made_up_ground") == 409
    assert _act(officer, case_id, "propose", proposal="refuse", ground="security_risk", note="see record") == 303
    case = _case(database, case_id)
    assert case.status == "awaiting_confirmation"
    with database.factory() as session:
        assert session.get(Application, case.application_id).status == "in_review"  # nothing took effect yet
    assert _act(officer, case_id, "confirm") == 403  # an officer cannot confirm at all
    assert _act(supervisor, case_id, "confirm") == 303
    with database.factory() as session:
        application = session.get(Application, case.application_id)
        assert (application.status, application.ground) == ("refused", "security_risk")
        mail = session.scalars(select(Job).where(Job.kind == "send_email").order_by(Job.created_at)).all()[-1]
        assert mail.payload["event"] == "refused" and mail.payload["ground"] == "security_risk"
        assert "Yılmaz" not in str(mail.payload) and "see record" not in str(mail.payload)


def test_a_supervisor_cannot_confirm_their_own_proposal(
    client: TestClient, database: Database, runtime: Runtime, clock: FixedClock
) -> None:
    case_id, clients, _ = _setup(client, database, runtime, clock)
    supervisor, other = clients["supervisor"], clients["supervisor2"]
    assert _act(supervisor, case_id, "propose", proposal="refuse", ground="entry_ban") == 303
    assert _act(supervisor, case_id, "confirm") == 409
    assert _case(database, case_id).status == "awaiting_confirmation"
    assert _act(other, case_id, "send-back", note="") == 409  # sending back needs a reason
    assert _act(other, case_id, "send-back", note="check the date of the conviction") == 303
    case = _case(database, case_id)
    assert (case.status, case.proposal) == ("open", None)


def test_two_officers_one_case(client: TestClient, database: Database, runtime: Runtime, clock: FixedClock) -> None:
    case_id, clients, accounts = _setup(client, database, runtime, clock)
    assert _act(clients["officer"], case_id, "claim") == 303
    assert _act(clients["officer2"], case_id, "approve") == 409  # the first one holds it
    assert _act(clients["officer2"], case_id, "claim") == 409
    clock.advance(timedelta(hours=3))  # an absent officer's claim lapses
    sign_in(clients["officer2"], clock, accounts["officer2"])
    assert _act(clients["officer2"], case_id, "approve") == 303
    sign_in(clients["officer"], clock, accounts["officer"])
    assert _act(clients["officer"], case_id, "approve") == 409  # closed: never two decisions
    with database.factory() as session:
        application = session.get(Application, _case(database, case_id).application_id)
        assert application.status == "approved" and application.valid_until is not None
        approvals = [e for e in application.events if e.to_status == "approved"]
        assert len(approvals) == 1


def test_request_for_information_pauses_the_deadline(
    client: TestClient, database: Database, runtime: Runtime, clock: FixedClock
) -> None:
    case_id, clients, accounts = _setup(client, database, runtime, clock)
    due_before = _case(database, case_id).due_at
    answer = _act(clients["officer"], case_id, "request-information", questions=["criminal_record_details", "other"],
                  message="Which court?")  # fmt: skip
    assert answer == 303
    assert _case(database, case_id).status == "waiting_info"
    clock.advance(timedelta(hours=30))
    with database.factory() as session:
        application = session.get(Application, _case(database, case_id).application_id)
        requests.answer_information(session, runtime, application=application, text="Istanbul court, 2009.")
        session.commit()
    case = _case(database, case_id)
    assert case.status == "open" and case.due_at == due_before + timedelta(hours=30)
    sign_in(clients["officer"], clock, accounts["officer"])
    page = clients["officer"].get(f"/backoffice/cases/{case_id}")
    assert "Istanbul court, 2009." in page.text and "Which court?" in page.text


def test_reading_a_case_is_audited_without_personal_data(
    client: TestClient, database: Database, runtime: Runtime, clock: FixedClock
) -> None:
    case_id, clients, accounts = _setup(client, database, runtime, clock)
    clients["officer"].get(f"/backoffice/cases/{case_id}")
    with database.factory() as session:
        views = session.scalars(select(AuditRecord).where(AuditRecord.action == "case.viewed")).all()
        assert [(v.actor, v.object_id) for v in views] == [(accounts["officer"].id, str(case_id))]
        everything = " ".join(str((r.detail, r.object_id)) for r in session.scalars(select(AuditRecord)))
        assert "Yılmaz" not in everything and "U12345678" not in everything and "2009" not in everything


def test_an_answers_document_downloads_and_the_view_is_audited(
    client: TestClient, database: Database, runtime: Runtime, clock: FixedClock
) -> None:
    case_id, clients, accounts = _setup(client, database, runtime, clock)
    assert _act(clients["officer"], case_id, "request-information", questions=["identity_document"]) == 303
    with database.factory() as session:
        application = session.get(Application, _case(database, case_id).application_id)
        png = stored_attachment(b"\x89PNG\r\n\x1a\n" + b"0" * 64, "image/png")
        requests.answer_information(session, runtime, application=application, text="Attached.", documents=[png])
        session.commit()
    page = clients["officer"].get(f"/backoffice/cases/{case_id}")
    assert f"/backoffice/cases/{case_id}/documents/1" in page.text
    download = clients["officer"].get(f"/backoffice/cases/{case_id}/documents/1")
    assert download.status_code == 200 and download.content.startswith(b"\x89PNG")
    assert download.headers["content-type"] == "image/png"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert clients["officer"].get(f"/backoffice/cases/{case_id}/documents/2").status_code == 404
    with database.factory() as session:
        views = session.scalars(select(AuditRecord).where(AuditRecord.action == "case.document_viewed")).all()
        assert [(v.actor, v.detail) for v in views] == [(accounts["officer"].id, {"document": 1})]
