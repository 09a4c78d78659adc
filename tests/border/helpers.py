"""What the border tests share: travellers filed through the real services, their MRZ lines, and a
border officer signed in through the real back-office pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from tests.approvals import approved
from tests.conftest import NOW, Database
from tests.factories import applicant

from keta.db.models import Application
from keta.db.session import session_scope
from keta.domain.applications import Status
from keta.domain.mrz import render_td3
from keta.services.lifecycle import move
from keta.services.runtime import Runtime


@dataclass(frozen=True)
class Traveller:
    reference: str
    number: str
    issuing_country: str
    lines: tuple[str, str]


def mrz(**overrides: Any) -> tuple[str, str]:
    """The MRZ a passport with the factory's data (and `overrides`, as in tests.factories) carries."""
    passport = applicant(**overrides).passport
    return render_td3(
        issuing_state=passport.issuing_country, surname=passport.surname, given_names=passport.given_names,
        document_number=passport.number, nationality=passport.nationality, birth_date=passport.birth_date,
        sex=passport.sex, expiry_date=passport.expiry_date,
    )  # fmt: skip


def approved_traveller(database: Database, runtime: Runtime, **overrides: Any) -> Traveller:
    with session_scope(database.factory) as session:
        application = approved(session, runtime, **overrides)
        passport = applicant(**overrides).passport
        reference = application.reference
    return Traveller(reference, passport.number, passport.issuing_country, mrz(**overrides))


def set_status(database: Database, reference: str, status: Status) -> None:
    with session_scope(database.factory) as session:
        application = session.scalars(select(Application).where(Application.reference == reference)).one()
        move(application, status, actor="officer:test", reasons=[], now=NOW)


def with_check_digit_broken(line2: str, position: int) -> str:
    """line2 with the digit at `position` changed (9 is the document number's, 19 the birth date's)."""
    digit = line2[position]
    return line2[:position] + str((int(digit) + 1) % 10) + line2[position + 1 :]


def born(years_before: int, today: date) -> str:
    return date(today.year - years_before, 1, 15).isoformat()
