"""Personal data is encrypted at rest and never written to logs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.backoffice.office import client_for, enrol, sign_in
from tests.conftest import Database
from tests.factories import application_json, member_json
from tests.payments import pay_api
from tests.portal.cases import ask_information, load_watchlist, refuse
from tests.portal.test_portal_follow_up import PDF, look_up, token_in

from keta.adapters.clock import FixedClock
from keta.db.base import Base
from keta.domain.review import Role
from keta.services.runtime import Runtime

SECRETS = ["U12345678", "Yılmaz", "ayse.yilmaz@example.org", "Sejong-daero", "1990-04-12", "555 010 2030"]


def test_no_personal_data_in_clear_in_any_table(
    client: TestClient, database: Database, run_jobs: Callable[[], int]
) -> None:
    reference = client.post("/api/v1/applications", json=application_json()).json()["reference"]
    pay_api(client, f"/api/v1/applications/{reference}/payment", {"passport_number": "U12345678"})
    run_jobs()
    dump = []
    with database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(text(f"SELECT * FROM {table.name}")):  # noqa: S608 - our own table names
                dump.extend(value.decode("latin-1") if isinstance(value, bytes) else str(value) for value in row)
    everything = "\n".join(dump)
    assert reference in everything  # the dump is real
    for secret in SECRETS:
        assert secret not in everything, secret


def test_logs_carry_no_personal_data(
    client: TestClient, run_jobs: Callable[[], int], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    reference = client.post("/api/v1/applications", json=application_json()).json()["reference"]
    client.post("/api/v1/applications", json=application_json(consent=False, email="bad"))
    pay_api(client, f"/api/v1/applications/{reference}/payment", {"passport_number": "U12345678"})
    client.post(f"/api/v1/applications/{reference}/lookup", json={"passport_number": "U12345678"})
    run_jobs()
    assert caplog.records  # the worker did log
    for secret in SECRETS:
        assert secret not in caplog.text, secret


# --- every table, after every path that writes ----------------------------------------------------

APPLICANT = {  # what the traveller typed, each in the forms a derived value could take
    "passport number": ["U12345678"],
    "surname": ["Yılmaz", "YILMAZ", "yilmaz", "Yilmaz"],
    "given name": ["Ayşe", "AYSE", "ayse", "Ayse"],
    "birth date": ["1990-04-12", "900412", "12.04.1990"],
    "e-mail": ["ayse.yilmaz@example.org", "new.address@example.org"],
    "phone": ["555 010 2030"],
    "address": ["Sejong-daero"],
    "occupation": ["Kalıpçı ustası"],
    "answer": ["Busan Tech Summit"],
    "redress reasons": ["never been to"],
    "officer's message": ["Which conference"],
    "representative": ["Demir", "mehmet.demir@example.org", "Mehmet"],
}
# The published watchlist is the list's data, not the traveller's: it holds the listed person's name.
PUBLISHED = {"watchlists", "watchlist_versions", "watchlist_entities"}


def dump(database: Database) -> dict[str, str]:
    """Every value of every table as text (bytes read both as UTF-8 and as Latin-1)."""
    tables: dict[str, str] = {}
    with database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            values = []
            for row in connection.execute(text(f"SELECT * FROM {table.name}")):  # noqa: S608 - our own table names
                for value in row:
                    if isinstance(value, bytes):
                        values += [value.decode("utf-8", "replace"), value.decode("latin-1")]
                    else:
                        values.append(str(value))
            tables[table.name] = "\n".join(values)
    return tables


def test_no_personal_data_in_clear_in_any_table_after_screening_information_and_redress(
    client: TestClient,
    database: Database,
    runtime: Runtime,
    clock: FixedClock,
    tmp_path: Path,
    run_jobs: Callable[[], int],
) -> None:
    load_watchlist(database, runtime, tmp_path)  # lists "Ayşe Yılmaz", born 1990: a possible match
    body = application_json(background__occupation="Kalıpçı ustası")
    created = client.post("/api/v1/applications", json=body, headers={"Idempotency-Key": "agency-7f3a-U12345678"})
    reference = created.json()["reference"]
    pay_api(client, f"/api/v1/applications/{reference}/payment", {"passport_number": "U12345678"})
    group = {
        "representative": {
            "surname": "Demir",
            "given_names": "Mehmet",
            "email": "mehmet.demir@example.org",
            "phone": "+90 555 010 2040",
        },
        "members": [member_json(3)],
    }
    assert client.post("/api/v1/groups", json=group, headers={"Idempotency-Key": "g-1"}).status_code == 201
    run_jobs()  # screened: a possible match, to an officer
    officer = enrol(database, runtime, "officer.han", Role.OFFICER)
    sign_in(client_for(client.app), clock, officer)  # a back-office session
    ask_information(database, runtime, reference, message="Which conference will you attend in Busan?")
    answered = client.post(
        "/status/answer",
        data={"token": token_in(look_up(client, reference)), "answer": "Busan Tech Summit, 3–5 March."},
        files={"document.1": ("invitation.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert answered.status_code == 303, answered.text
    refuse(database, runtime, reference)
    asked = client.post(
        "/status/redress",
        data={"token": token_in(look_up(client, reference)), "reasons": "I have never been to that country."},
        files={"document.1": ("passport.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert asked.status_code == 303, asked.text
    run_jobs()  # the e-mails
    with database.engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM jobs WHERE last_error IS NOT NULL")) == 0
    tables = dump(database)
    for name in (
        "review_cases",
        "case_actions",
        "information_requests",
        "redress_requests",
        "staff",
        "staff_sessions",
        "audit_records",
        "idempotency_records",
        "jobs",
        "payments",
        "groups",
    ):
        assert tables.get(name), f"{name} is empty: the flow did not reach it"
    assert reference in tables["applications"]
    leaks = [
        (what, form, table)
        for table, content in tables.items()
        if table not in PUBLISHED
        for what, forms in APPLICANT.items()
        for form in forms
        if form in content
    ]
    assert leaks == []
