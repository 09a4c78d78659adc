"""Authorizations in every state, made through the real services (submit, pay, screen, decide)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session
from tests.factories import TODAY, applicant, with_photo
from tests.payments import pay_in_service

from keta.db.models import Application, StaffMember
from keta.domain.applications import Status
from keta.services import submission
from keta.services.runtime import Runtime
from keta.services.screening import screen_application


def person(index: int, surname: str, given_names: str, born: str, **overrides: object) -> dict[str, object]:
    """A distinct traveller: own passport number, name and birth date."""
    return {
        "passport__number": f"U{30000000 + index}",
        "passport__surname": surname,
        "passport__given_names": given_names,
        "passport__birth_date": born,
        **overrides,
    }


def decided(session: Session, rt: Runtime, **overrides: object) -> Application:
    """Submitted, paid and screened now; approved unless the overrides make screening say otherwise."""
    application = submission.submit_application(session, rt, applicant=applicant(**overrides), language="en")
    with_photo(session, rt, application)
    pay_in_service(session, rt, [application])
    screen_application(session, rt, application_id=application.id)
    return application


def approved(session: Session, rt: Runtime, **overrides: object) -> Application:
    application = decided(session, rt, **overrides)
    assert application.status == Status.APPROVED, application.decision_reasons
    return application


def expiring_on(last_day: date) -> dict[str, object]:
    """Overrides for an authorization whose validity ends on `last_day` (capped by the passport's expiry)."""
    assert last_day > TODAY + timedelta(days=30), "the passport must outlast the arrival date"
    return {"passport__expiry_date": last_day.isoformat()}


def staff(session: Session, rt: Runtime, username: str, role: str) -> StaffMember:
    """A back-office account as the staff service leaves it after enrolment (no sign-in needed here)."""
    member = StaffMember(
        username=username, role=role, password_hash=None, totp_secret=rt.keyring.encrypt({"secret": "x"}),
        created_at=rt.now(),
    )  # fmt: skip
    session.add(member)
    session.flush()
    return member


def approved_group(session: Session, rt: Runtime, *members: dict[str, object]) -> list[Application]:
    """A group filed by one representative, paid once, each member screened (and approved)."""
    representative = submission.Representative("Demir", "Mehmet", "mehmet.demir@example.org", "+90 555 010 2030")
    people = [applicant(**overrides) for overrides in members]
    group = submission.submit_group(session, rt, representative=representative, members=people, language="tr")
    for member in group.members:
        with_photo(session, rt, member)
    pay_in_service(session, rt, list(group.members))
    for member in group.members:
        screen_application(session, rt, application_id=member.id)
        assert member.status == Status.APPROVED, member.decision_reasons
    return list(group.members)
