"""Demo data for `keta demo`: a few applications in every interesting state, made through the same
services a traveller uses (so the demo exercises the real code, payments through the sandbox's
signed events included), with obviously fictional people.

Fictional people must never land in a real database: the demo seeds only a database that is empty
or that it marked as its own (an `instance_flags` row), and production refuses a marked one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keta.adapters.demo_photo import placeholder_portrait
from keta.db.models import Application
from keta.db.repositories import applications, instance
from keta.domain.applicant import Applicant, Background, Employment, Passport, Purpose, Travel
from keta.domain.review import Role
from keta.domain.screening.model import PartialDate, WatchlistEntry
from keta.services import photos, pii, staff, submission
from keta.services.documents import ReportedDocument, add_reported
from keta.services.payment_events import pay_in_sandbox
from keta.services.runtime import Runtime


@dataclass(frozen=True, slots=True)
class DemoCase:
    label: str
    reference: str
    proof: str  # passport number, or the representative's e-mail for a group


def _person(
    rt: Runtime,
    *,
    surname: str,
    given: str,
    nationality: str,
    number: str,
    born: date,
    sex: str,
    criminal: bool = False,
) -> Applicant:
    today = rt.today()
    return Applicant(
        passport=Passport(number, nationality, nationality, surname, given, sex, born, today + timedelta(days=3000)),
        email=f"{given.split()[0].lower()}.{surname.lower()}@example.org",
        phone="+90 555 010 2030",
        travel=Travel(today + timedelta(days=30), Purpose.TOURISM, "110 Sejong-daero, Jung-gu, Seoul 04524", "TK90"),
        background=Background(
            Employment.EMPLOYED,
            "Engineer",
            "Example Ltd",
            1,
            criminal,
            "Traffic offence, fined, 2015" if criminal else None,
            False,
        ),
        consent=True,
    )


# A tiny fictional watchlist in several scripts, so the demo shows name screening at work.
DEMO_WATCHLIST = (
    WatchlistEntry("demo-ru-1", ("Александр Петрович Вымыслов",), (PartialDate(1975),), ("RUS",), "M"),
    WatchlistEntry("demo-ko-1", ("이가상",), (PartialDate(1980, 2, 3),), ("PRK",), "M"),
    WatchlistEntry("demo-ar-1", ("محمد عبد الرحمن المخترع",), (PartialDate(1969),), ("SYR",), "M"),
)


class NotADemoDatabase(Exception):
    pass


def has_data(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(Application)))


def claim_database(session: Session, rt: Runtime) -> bool:
    """True when the demo should seed (an empty database, now marked as the demo's own; or a marked
    one without applications yet). Refuses a database holding data the demo did not make."""
    found = instance.state(session)
    if found == "other":
        raise NotADemoDatabase()
    if found == "empty":
        instance.mark_as_demo(session, now=rt.now())
    return not has_data(session)


# (label, surname, given names, nationality, passport number, birth date, sex, criminal record, paid)
INDIVIDUALS = (
    ("approved after screening (Türkiye)", "Yılmaz", "Ayşe", "TUR", "U12345678", date(1990, 4, 12), "F", False, True),
    (
        "in review: declared criminal record (Thailand)",
        *("Srisuk", "Somchai", "THA", "AA1234567", date(1985, 1, 30), "M", True, True),
    ),
    (
        "refused: passport reported lost (Malaysia)",
        *("Rahman", "Nurul Aisyah", "MYS", "A12345678", date(1979, 9, 2), "F", False, True),
    ),
    (
        "in review: possible watchlist match (Russia)",
        *("Vymyslov", "Aleksandr", "RUS", "751234567", date(1975, 6, 1), "M", False, True),
    ),
    (
        "submitted, waiting for payment (Brazil)",
        *("Souza", "João Pedro", "BRA", "FZ123456", date(1994, 2, 28), "M", False, False),
    ),
)
FAMILY = (
    ("Demir", "Mehmet", "TUR", "U23456789", date(1978, 6, 1), "M"),
    ("Demir", "Elif", "TUR", "U23456790", date(1981, 11, 23), "F"),
    ("Demir", "Can", "TUR", "U23456791", date(2015, 2, 14), "M"),
)
GROUP_LABEL = "group of 3, one payment (Türkiye; the child is exempt but applied)"
REPRESENTATIVE = submission.Representative("Demir", "Mehmet", "mehmet.demir@example.org", "+90 555 010 2040")


def _individual(rt: Runtime, row: tuple[str, str, str, str, str, date, str, bool, bool]) -> Applicant:
    _, surname, given, nationality, number, born, sex, criminal, _ = row
    return _person(
        rt, surname=surname, given=given, nationality=nationality, number=number, born=born, sex=sex, criminal=criminal
    )


def _family(rt: Runtime) -> list[Applicant]:
    return [
        _person(rt, surname=surname, given=given, nationality=nationality, number=number, born=born, sex=sex)
        for surname, given, nationality, number, born, sex in FAMILY
    ]


def seed(session: Session, rt: Runtime) -> list[DemoCase]:
    cases: list[DemoCase] = []
    add_reported(session, [ReportedDocument("A12345678", "MYS", rt.today() - timedelta(days=40))], source="demo")
    for row in INDIVIDUALS:
        person = _individual(rt, row)
        application = submission.submit_application(session, rt, applicant=person, language="en")
        photos.attach(rt, application, placeholder_portrait())  # fictional people: a drawn portrait
        if row[-1]:
            pay_in_sandbox(session, rt, applications=[application], description="demo")
        cases.append(DemoCase(row[0], application.reference, person.passport.number))
    group = submission.submit_group(session, rt, representative=REPRESENTATIVE, members=_family(rt), language="tr")
    for member in group.members:
        photos.attach(rt, member, placeholder_portrait())
    pay_in_sandbox(session, rt, applications=list(group.members), description="demo group")
    cases.append(DemoCase(GROUP_LABEL, group.reference, REPRESENTATIVE.email))
    return cases


def recall(session: Session, rt: Runtime) -> list[DemoCase]:
    """The cases an earlier `keta demo` seeded, found again through the passports' blind indexes (the
    people are the fixed fictional ones above), so every run can print what to look up."""
    cases: list[DemoCase] = []
    for row in INDIVIDUALS:
        person = _individual(rt, row)
        found = applications.by_person_key(session, pii.person_keys(rt.keyring, person.passport))
        if found:
            cases.append(DemoCase(row[0], found[-1].reference, person.passport.number))
    head = _family(rt)[0]
    members = applications.by_person_key(session, pii.person_keys(rt.keyring, head.passport))
    if members and members[-1].group is not None:
        cases.append(DemoCase(GROUP_LABEL, members[-1].group.reference, REPRESENTATIVE.email))
    return cases


DEMO_STAFF = (
    ("demo.officer", Role.OFFICER),
    ("demo.officer2", Role.OFFICER),
    ("demo.supervisor", Role.SUPERVISOR),
    ("demo.admin", Role.ADMIN),
    ("demo.auditor", Role.AUDITOR),
)


def seed_staff(session: Session, rt: Runtime) -> list[tuple[str, Role, str]]:
    """Back-office accounts for trying the review queue: (username, role, one-time enrolment token).
    Two officers and a supervisor are enough to see four eyes and a redress handled by someone new."""
    created = []
    for username, role in DEMO_STAFF:
        _, token = staff.create(session, rt, username=username, role=role, actor="demo")
        created.append((username, role, token))
    return created
