"""Name screening inside the screening job: a possible match goes to an officer with the explanation."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.conftest import Database
from tests.factories import applicant, face_photo
from tests.payments import pay_in_service

from keta.adapters.watchlist_sources import read_watchlist
from keta.db.models import Application, ReviewCase
from keta.domain.applications import Status
from keta.services import submission
from keta.services.runtime import Runtime
from keta.services.screening import screen_application
from keta.services.watchlists import import_watchlist

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "watchlists"
WATCHLIST = "".join(
    json.dumps({"id": entity_id, "schema": "Person", "properties": properties}, ensure_ascii=False) + "\n"
    for entity_id, properties in (
        ("wl-1", {"name": ["Ayşe Yılmaz"], "birthDate": ["1990"], "nationality": ["tr"]}),
        ("wl-2", {"name": ["이서연"], "birthDate": ["1985-03-02"], "nationality": ["kr"]}),
    )
)


def load(database: Database, runtime: Runtime, tmp_path: Path, text: str, name: str = "test-list") -> None:
    path = tmp_path / f"{name}.jsonl"
    path.write_text(text, encoding="utf-8")
    import_watchlist(
        database.factory, runtime.clock, name=name, items=read_watchlist(path), source=path.name, checksum="x"
    )


def decide(session: Session, runtime: Runtime, **overrides: object) -> tuple[Status | None, dict[str, object]]:
    application = submission.submit_application(
        session, runtime, applicant=applicant(**overrides), language="en", photo=face_photo()
    )
    pay_in_service(session, runtime, [application])
    status = screen_application(session, runtime, application_id=application.id)
    case = session.scalars(select(ReviewCase).where(ReviewCase.application_id == application.id)).first()
    return status, runtime.keyring.decrypt(case.findings) if case and case.findings else {}


def test_possible_match_goes_to_review_with_explanation(
    database: Database, runtime: Runtime, tmp_path: Path, session: Session
) -> None:
    load(database, runtime, tmp_path, WATCHLIST)
    status, detail = decide(session, runtime, passport__surname="YILMAZ", passport__given_names="AYSE")
    assert status is Status.IN_REVIEW
    match = detail["watchlist"]["matches"][0]  # type: ignore[index]
    assert match["entity_id"] == "wl-1"
    assert "surname YILMAZ = Yılmaz (Turkish letters)" in match["reasons"]
    application = session.scalars(select(Application).where(Application.status == Status.IN_REVIEW)).one()
    # In clear, only codes: the matched name and its explanation live in the sealed case.
    assert application.decision_detail == {"findings": [{"action": "review", "reasons": ["watchlist_possible_match"]}]}


def test_hangul_entry_is_found_from_the_passport_spelling(
    database: Database, runtime: Runtime, tmp_path: Path, session: Session
) -> None:
    load(database, runtime, tmp_path, WATCHLIST)
    status, _ = decide(
        session,
        runtime,
        passport__nationality="MYS",
        passport__issuing_country="MYS",
        passport__surname="LEE",
        passport__given_names="SEO YEON",
        passport__birth_date="1985-03-02",
    )
    assert status is Status.IN_REVIEW


def test_same_name_other_birth_date_and_strangers_are_approved(
    database: Database, runtime: Runtime, tmp_path: Path, session: Session
) -> None:
    load(database, runtime, tmp_path, WATCHLIST)
    assert (
        decide(
            session,
            runtime,
            passport__surname="YILMAZ",
            passport__given_names="AYSE",
            passport__birth_date="1961-02-03",
            passport__number="U55555555",
        )[0]
        is Status.APPROVED
    )
    assert (
        decide(
            session, runtime, passport__surname="KAYA", passport__given_names="MEHMET", passport__number="U66666666"
        )[0]
        is Status.APPROVED
    )


def test_the_index_follows_a_reimport(database: Database, runtime: Runtime, tmp_path: Path, session: Session) -> None:
    load(database, runtime, tmp_path, WATCHLIST)
    assert (
        decide(session, runtime, passport__surname="KARA", passport__given_names="DENIZ", passport__number="U77777777")[
            0
        ]
        is Status.APPROVED
    )
    session.commit()  # the job's transaction ends before the import writes (SQLite has one writer)
    load(
        database,
        runtime,
        tmp_path,
        WATCHLIST + '{"id": "wl-3", "schema": "Person", "properties": {"name": ["Deniz Kara"]}}\n',
    )
    assert (
        decide(session, runtime, passport__surname="KARA", passport__given_names="DENIZ", passport__number="U88888888")[
            0
        ]
        is Status.IN_REVIEW
    )
