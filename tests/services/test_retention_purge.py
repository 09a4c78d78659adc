"""The retention purge over five years of work, on SQLite and PostgreSQL: a dry run changes nothing,
a purge removes exactly the due rows' personal data, statistics and the audit trail stay."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.backoffice.office import flagged_application
from tests.conftest import NOW, TEST_DATA_KEY, Database
from tests.factories import TODAY, face_photo, face_photos, member_json
from tests.payments import pay_in_service

from keta.adapters.clock import FixedClock
from keta.adapters.payments import SandboxPayments
from keta.cli import main
from keta.config import DEV_SECRET_KEY
from keta.db.base import Base
from keta.db.models import Application, IdempotencyRecord, Job, ReviewCase, StaffMember
from keta.db.session import session_scope
from keta.domain.review import Role
from keta.jobs.runner import Worker
from keta.services import audit, changes, decisions, requests, retention, staff, statistics, submission
from keta.services.documents import ReportedDocument, add_reported
from keta.services.runtime import Runtime
from keta.services.screening import screen_application
from keta.web.schemas import ApplicationIn


@dataclass(frozen=True)
class Person:
    reference: str
    number: str
    secrets: tuple[str, ...]  # what must not survive a purge: name, passport number, birth date, e-mail, free text
    due: bool


def at(runtime: Runtime, day: date) -> Runtime:
    clock = FixedClock(datetime(day.year, day.month, day.day, 3, 0, tzinfo=UTC))  # 12:00 KST
    return Runtime(runtime.policy, clock, runtime.keyring, SandboxPayments(secret=DEV_SECRET_KEY, clock=clock))


def person_body(index: int, day: date) -> dict[str, Any]:
    """A distinct person (name, passport, birth date, e-mail) travelling a month after `day`."""
    letter = "abcdefghijklmnopqrstuvwxyz"[index]
    arrival = (day + timedelta(days=30)).isoformat()
    expiry = day.replace(year=day.year + 10).isoformat()  # a passport at most 10 years ahead, as issued
    return member_json(
        index, passport__surname=f"Surname{letter}", email=f"person.{letter}@example.org", travel__arrival_date=arrival,
        passport__expiry_date=expiry,
    )  # fmt: skip


def secrets_of(body: dict[str, Any], *extra: str) -> tuple[str, ...]:
    passport = body["passport"]
    return (
        passport["surname"],
        passport["given_names"],
        passport["number"],
        passport["birth_date"],
        body["email"],
        *extra,
    )


def build_world(database: Database, runtime: Runtime) -> dict[str, Person]:
    """Applications made from 2021 to 2025, decided or not; today is 2026-11-29."""
    world: dict[str, Person] = {}

    def individual(label: str, index: int, day: date, *, due: bool, pay: bool = True, **extra: Any) -> Application:
        rt, body = at(runtime, day), {**person_body(index, day), **extra}
        with session_scope(database.factory) as session:
            person = ApplicationIn.model_validate(body).to_domain()
            application = submission.submit_application(
                session, rt, applicant=person, language="en", photo=face_photo()
            )
            if pay:
                pay_in_service(session, rt, [application])
                screen_application(session, rt, application_id=application.id)
            world[label] = Person(application.reference, body["passport"]["number"], secrets_of(body), due)
            return application

    individual("expired", 0, date(2021, 10, 1), due=True)  # valid until 2023-09-30: gone 180 days later
    individual("valid", 1, date(2025, 6, 1), due=False)  # valid until 2028-05-31
    with session_scope(database.factory) as session:
        lost = [ReportedDocument(f"U{20000000 + n}", "TUR", date(2021, 5, 1)) for n in (2, 3)]
        add_reported(session, lost, source="test")
    refused = individual("refused", 2, date(2021, 9, 10), due=True)  # refused on the spot: gone 2026-09-10
    individual("refused_recently", 3, date(2022, 1, 10), due=False)  # gone 2027-01-10
    rt = at(runtime, date(2021, 9, 20))
    with session_scope(database.factory) as session:
        case = requests.ask_redress(
            session, rt, application=session.get(Application, refused.id), reasons="I have a new passport"
        )
        officer, _ = staff.create(session, rt, username="officer.one", role=Role.OFFICER, actor="test")
        decisions.uphold(session, rt, case=case, member=officer, note="same person, same document")
        officer_id = officer.id
    said = ("I have a new passport", "same person, same document")
    world["refused"] = Person(
        world["refused"].reference, world["refused"].number, world["refused"].secrets + said, True
    )
    withdrawn = individual("withdrawn", 4, date(2025, 10, 1), due=True, pay=False)
    with session_scope(database.factory) as session:
        changes.withdraw(at(runtime, date(2025, 10, 1)), session.get(Application, withdrawn.id))  # type: ignore[arg-type]
    individual("unpaid_old", 5, date(2025, 11, 1), due=True, pay=False)
    individual("unpaid_recent", 6, date(2025, 12, 10), due=False, pay=False)  # gone 2026-12-10
    rt = at(runtime, date(2021, 10, 5))  # asked for more, answered, approved: valid until 2023-10-05
    with session_scope(database.factory) as session:
        body = person_body(7, date(2021, 10, 5))
        case = flagged_application(session, rt, **_flat(body))
        officer = session.get(StaffMember, officer_id)
        assert officer is not None
        match = {"entity_id": "wl-x", "name": body["passport"]["surname"]}
        case.findings = rt.keyring.encrypt({"watchlist": {"matches": [match]}})
        requests.request_information(session, rt, case=case, member=officer, questions=["other"], message="Your ticket")
        requests.answer_information(session, rt, application=case.application, text="Ticket TK90 attached")
        decisions.approve(session, rt, case=case, member=officer, note="ticket seen")
        said = ("Your ticket", "Ticket TK90 attached", "ticket seen")
        world["asked"] = Person(case.application.reference, body["passport"]["number"], secrets_of(body, *said), True)
    with session_scope(database.factory) as session:
        body = person_body(8, date(2022, 3, 1))
        case = flagged_application(session, at(runtime, date(2022, 3, 1)), **_flat(body))
        world["in_review"] = Person(case.application.reference, body["passport"]["number"], secrets_of(body), False)
    for label, first, day, due in (
        ("group_old", 9, date(2025, 1, 1), True),
        ("group_valid", 11, date(2025, 6, 1), False),
    ):
        rt = at(runtime, day)
        with session_scope(database.factory) as session:
            bodies = [person_body(first, day), person_body(first + 1, day)]
            rep = submission.Representative(f"Grouprep{label[6]}", "One", f"rep.{label}@example.org", "+90 555 1")
            members = [ApplicationIn.model_validate(b).to_domain() for b in bodies]
            group = submission.submit_group(
                session, rt, representative=rep, members=members, language="en", photos_by_member=face_photos(2)
            )
            if not due:
                pay_in_service(session, rt, list(group.members))
                for member in group.members:
                    screen_application(session, rt, application_id=member.id)
            for index, (member, b) in enumerate(zip(group.members, bodies, strict=True)):
                world[f"{label}_{index}"] = Person(member.reference, b["passport"]["number"], secrets_of(b), due)
            world[label] = Person(group.reference, "", (rep.surname, rep.email), due)
    with session_scope(database.factory) as session:
        for day, key in ((date(2026, 9, 1), "old"), (date(2026, 11, 29), "recent")):
            created = datetime(day.year, day.month, day.day, tzinfo=UTC)
            session.add(IdempotencyRecord(scope="applications", key_hash=key, request_hash="0" * 64, status_code=201,
                                          body={"reference": "A"}, created_at=created))  # fmt: skip
    return world


def _flat(body: dict[str, Any]) -> dict[str, Any]:
    """The factory's dotted overrides (passport__number=…) for a whole person."""
    return {
        **{f"passport__{k}": v for k, v in body["passport"].items()},
        "email": body["email"],
        "travel__arrival_date": body["travel"]["arrival_date"],
        "background__criminal_record": True,
        "background__criminal_record_details": "2009, minor offence",
    }


def dump(database: Database, runtime: Runtime) -> str:
    """Every row of every table as text, each ciphertext decrypted with the key: what an attacker with
    the database and the key would read."""
    out = []
    with database.factory() as session:
        # The lost/stolen document list is the list's data (it names refused documents), not an application's.
        for table in (t for t in Base.metadata.sorted_tables if t.name != "lost_documents"):
            for row in session.execute(select(table)):
                for value in row:
                    if isinstance(value, bytes) and value:
                        try:
                            value = json.dumps(runtime.keyring.decrypt(value), ensure_ascii=False)
                        except Exception:  # not a ciphertext of ours (nothing here is)
                            value = value.hex()
                    out.append(json.dumps(value, ensure_ascii=False, default=str))
    return "\n".join(out)


def snapshot(database: Database, *, skip: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    tables = [t for t in Base.metadata.sorted_tables if t.name not in skip]
    with database.factory() as session:
        return {t.name: sorted(map(tuple, session.execute(select(t))), key=repr) for t in tables}


def figures(database: Database) -> list[statistics.Table]:
    with database.factory() as session:
        return statistics.all_tables(session, today=TODAY, now=NOW, days=(TODAY - date(2021, 1, 1)).days + 1)


def run_purge(
    database: Database, runtime: Runtime, *, dry_run: bool
) -> tuple[dict[str, int], dict[str, int], int, int]:
    applications: dict[str, int] = {}
    texts: dict[str, int] = {}
    due: set[uuid.UUID] = set()
    after = None
    while True:
        with session_scope(database.factory) as session:
            step = retention.purge_step(session, runtime, after=after, dry_run=dry_run, limit=3)
        for counter, target in ((step.applications, applications), (step.texts, texts)):
            for name, count in counter.items():
                target[name] = target.get(name, 0) + count
        due.update(step.due_ids)
        if step.after is None:
            break
        after = step.after
    with session_scope(database.factory) as session:
        groups = retention.purge_groups(session, runtime, dry_run=dry_run, also_due=due if dry_run else ())
        records = retention.purge_idempotency_records(session, runtime, dry_run=dry_run)
    return applications, {k: v for k, v in texts.items() if v}, groups, records


EXPECTED = ({"expired": 2, "refused": 1, "withdrawn": 1, "unpaid": 3},
            {"findings": 1, "notes": 2, "requests": 1, "redress": 1}, 1, 1)  # fmt: skip


def test_a_dry_run_counts_per_category_and_changes_nothing(database: Database, runtime: Runtime) -> None:
    build_world(database, runtime)
    before = snapshot(database)
    assert run_purge(database, runtime, dry_run=True) == EXPECTED
    assert snapshot(database) == before


def test_a_purge_removes_exactly_the_due_personal_data_and_keeps_the_statistics(
    database: Database, runtime: Runtime, client: TestClient
) -> None:
    world = build_world(database, runtime)
    figures_before, dump_before = figures(database), dump(database, runtime)
    assert all(secret in dump_before for person in world.values() for secret in person.secrets)  # the control
    kept_before = {a.reference: a.pii for a in _applications(database) if not _is_due(world, a.reference)}

    assert run_purge(database, runtime, dry_run=False) == EXPECTED
    dump_after = dump(database, runtime)
    for label, person in world.items():
        for secret in person.secrets:
            assert (secret in dump_after) is not person.due, f"{label}: {secret}"
    assert figures(database) == figures_before
    with database.factory() as session:
        assert audit.verify(session, runtime.keyring).intact
    for application in _applications(database):
        if _is_due(world, application.reference):
            assert (application.pii, application.passport_key, application.person_key) == (b"", "", "")
            assert application.purged_at is not None
        else:
            assert application.pii == kept_before[application.reference] and application.purged_at is None

    # Purged: not found, like a reference that never existed; the others are still there.
    for label, person in world.items():
        if person.number:
            answer = client.post(
                f"/api/v1/applications/{person.reference}/lookup", json={"passport_number": person.number}
            )
            assert answer.status_code == (404 if person.due else 200), label
    gone = client.post(
        f"/api/v1/groups/{world['group_old'].reference}/lookup", json={"email": "rep.group_old@example.org"}
    )
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "not_found"
    assert run_purge(database, runtime, dry_run=False) == ({}, {}, 0, 0)  # the next day's run finds nothing new


def test_the_daily_job_purges_page_by_page(
    database: Database, runtime: Runtime, run_jobs: Callable[[], int], monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world(database, runtime)
    run_jobs()  # the e-mails the world queued
    monkeypatch.setattr(retention, "PAGE_ROWS", 2)
    with session_scope(database.factory) as session:
        session.add(Job(kind=retention.RETENTION_PURGE, payload={}, status="queued", attempts=0, max_attempts=5,
                        run_after=NOW, created_at=NOW))  # fmt: skip
    assert Worker(database.factory, runtime).run_until_idle() > 3
    dump_after = dump(database, runtime)
    assert not any(secret in dump_after for person in world.values() if person.due for secret in person.secrets)
    with database.factory() as session:
        assert session.scalar(select(IdempotencyRecord.key_hash)) == "recent"


def test_keta_retention_purge(database: Database, runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    build_world(database, runtime)
    monkeypatch.setenv("KETA_DATABASE_URL", database.url)
    monkeypatch.setenv("KETA_DATA_KEY", TEST_DATA_KEY)
    # A command's start-up records its key and the policy in force: bookkeeping, not what the purge touches.
    before = snapshot(database, skip=("data_keys", "audit_records", "audit_head"))
    dry = CliRunner().invoke(main, ["retention", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "due: 7 applications" in dry.output and "never-paid applications: 3" in dry.output
    assert "groups whose every member is purged: 1" in dry.output and "dry run: nothing was changed" in dry.output
    assert snapshot(database, skip=("data_keys", "audit_records", "audit_head")) == before
    done = CliRunner().invoke(main, ["retention", "purge"])
    assert done.exit_code == 0 and "purged: 7 applications" in done.output
    assert "1 findings, 2 notes, 1 requests, 1 redress" in done.output
    with database.factory() as session:
        assert session.scalar(select(ReviewCase.findings).where(ReviewCase.findings.is_not(None))) is None


def _applications(database: Database) -> list[Application]:
    with database.factory() as session:
        return list(session.scalars(select(Application)))


def _is_due(world: dict[str, Person], reference: str) -> bool:
    return next(person.due for person in world.values() if person.reference == reference)
