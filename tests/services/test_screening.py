"""Screening decisions, the outbox rule and re-application caps, through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.conftest import Database
from tests.factories import applicant, face_photo
from tests.payments import pay_in_service

from keta.adapters.clock import FixedClock
from keta.db.models import Application, Job
from keta.db.queue import SCREEN_APPLICATION
from keta.domain.applications import Status
from keta.domain.errors import ReapplicationBlocked
from keta.services import submission
from keta.services.documents import ReportedDocument, add_reported
from keta.services.runtime import Runtime
from keta.services.screening import screen_application


def submit_and_pay(session: Session, runtime: Runtime, **overrides: object) -> Application:
    application = submission.submit_application(
        session, runtime, applicant=applicant(**overrides), language="tr", photo=face_photo()
    )
    pay_in_service(session, runtime, [application])
    return application


def test_lost_document_refuses_with_reason(session: Session, runtime: Runtime) -> None:
    add_reported(session, [ReportedDocument("u-1234 5678", "tur")], source="test")
    application = submit_and_pay(session, runtime)
    assert screen_application(session, runtime, application_id=application.id) is Status.REFUSED
    assert application.decision_reasons == ["document_reported_lost_or_stolen"]
    assert application.valid_until is None


def test_same_number_from_another_country_is_not_a_hit(session: Session, runtime: Runtime) -> None:
    add_reported(session, [ReportedDocument("U12345678", "GRC")], source="test")
    application = submit_and_pay(session, runtime)
    assert screen_application(session, runtime, application_id=application.id) is Status.APPROVED


def test_declared_answers_go_to_an_officer(session: Session, runtime: Runtime) -> None:
    application = submit_and_pay(
        session,
        runtime,
        background__criminal_record=True,
        background__criminal_record_details="Fined for speeding, 2015",
        background__infectious_disease=True,
    )
    assert screen_application(session, runtime, application_id=application.id) is Status.IN_REVIEW
    assert application.decision_reasons == ["declared_criminal_record", "declared_infectious_disease"]
    assert application.decided_at is None


def test_screening_twice_is_a_no_op(session: Session, runtime: Runtime) -> None:
    application = submit_and_pay(session, runtime)
    assert screen_application(session, runtime, application_id=application.id) is Status.APPROVED
    assert screen_application(session, runtime, application_id=application.id) is None
    assert [e.to_status for e in application.events].count("approved") == 1


def test_nothing_is_enqueued_for_a_rolled_back_payment(database: Database, runtime: Runtime) -> None:
    with database.factory() as session:
        application = submission.submit_application(
            session, runtime, applicant=applicant(), language="en", photo=face_photo()
        )
        session.commit()
        pay_in_service(session, runtime, [application])
        screenings = select(func.count()).select_from(Job).where(Job.kind == SCREEN_APPLICATION)
        assert session.scalar(screenings) == 1  # visible inside the transaction
        session.rollback()
    with database.factory() as session:
        assert session.scalar(screenings) == 0  # (the committed submission's e-mail job stays)
        assert session.scalars(select(Application.status)).one() == "submitted"


def decide(session: Session, runtime: Runtime, **overrides: object) -> Application:
    application = submit_and_pay(session, runtime, **overrides)
    screen_application(session, runtime, application_id=application.id)
    session.flush()
    return application


def test_reapplication_cap_blocks_the_fourth_application_in_six_months(
    session: Session, runtime: Runtime, clock: FixedClock
) -> None:
    first_result_day = runtime.today()
    for number in ("U10000001", "U10000002", "U10000003"):
        decide(session, runtime, passport__number=number, travel__arrival_date="2027-03-01")
        clock.advance(timedelta(days=20))
    with pytest.raises(ReapplicationBlocked) as blocked:
        submission.submit_application(
            session,
            runtime,
            applicant=applicant(passport__number="U10000004", travel__arrival_date="2027-03-01"),
            language="en",
        )
    assert blocked.value.until == first_result_day.replace(month=5, year=2027)
    # correcting personal data is allowed despite the cap
    corrected = applicant(passport__number="U10000005", corrects_personal_data=True, travel__arrival_date="2027-03-01")
    assert submission.submit_application(session, runtime, applicant=corrected, language="en").status == "submitted"
    # someone else (other birth date) is not affected
    other = applicant(
        passport__number="U10000006", passport__birth_date="1991-04-12", travel__arrival_date="2027-03-01"
    )
    assert submission.submit_application(session, runtime, applicant=other, language="en").status == "submitted"
