"""Finding 3, second half: a look-up of an unknown reference does exactly the work of a look-up of
a known reference with the wrong passport number (or e-mail) — the same SQL statements, the same
blind-index computations, the same constant-time comparisons, no decryption — so the time taken
cannot tell them apart. (How long each takes is measured by `keta bench lookup-timing`, not here.)
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import event
from tests.conftest import TEST_DATA_KEY, Database
from tests.factories import applicant

from keta.adapters.crypto import Keyring
from keta.db.session import session_scope
from keta.domain.errors import NotFound
from keta.services import status, submission
from keta.services.runtime import Runtime

EMAIL = "rep@example.org"


@dataclass
class Work:
    statements: list[str] = field(default_factory=list)
    indexes: int = 0
    compares: int = 0
    decrypts: int = 0


@contextmanager
def watched(database: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Work]:
    work = Work()
    blind, decrypt, compare = Keyring.blind_indexes, Keyring.decrypt, hmac.compare_digest

    def on_statement(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        work.statements.append(re.sub(r"\s+", " ", statement))

    def counted_indexes(self: Keyring, *parts: str) -> tuple[str, ...]:
        work.indexes += 1
        return blind(self, *parts)

    def counted_decrypt(self: Keyring, blob: Any) -> Any:
        work.decrypts += 1
        return decrypt(self, blob)

    def counted_compare(a: Any, b: Any) -> bool:
        work.compares += 1
        return compare(a, b)

    monkeypatch.setattr(Keyring, "blind_indexes", counted_indexes)
    monkeypatch.setattr(Keyring, "decrypt", counted_decrypt)
    monkeypatch.setattr(hmac, "compare_digest", counted_compare)
    event.listen(database.engine, "before_cursor_execute", on_statement)
    try:
        yield work
    finally:
        event.remove(database.engine, "before_cursor_execute", on_statement)
        monkeypatch.undo()


def selects(work: Work) -> int:
    return sum(statement.lstrip().upper().startswith("SELECT") for statement in work.statements)


def work_of(database: Database, monkeypatch: pytest.MonkeyPatch, look_up: Callable[[Any], object]) -> Work:
    with database.factory() as session, watched(database, monkeypatch) as work, pytest.raises(NotFound):
        look_up(session)
    return work


@pytest.fixture(params=["one key", "during a rotation"])
def rt(request: pytest.FixtureRequest, runtime: Runtime) -> Runtime:
    if request.param == "one key":
        return runtime
    # Two keys: every look-up computes and compares the number's index under both.
    keyring = Keyring("a-new-data-key-Fq8Wn3Lz5Rt7Yx2Kb9Pm4Hd", [TEST_DATA_KEY])
    return Runtime(runtime.policy, runtime.clock, keyring, runtime.payments)


def test_an_unknown_reference_does_the_work_of_a_wrong_passport_number(
    database: Database, rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_scope(database.factory) as session:
        reference = submission.submit_application(session, rt, applicant=applicant(), language="en").reference
    unknown = "ZZZZZ-ZZZZ-ZZZZ"

    wrong = work_of(
        database, monkeypatch, lambda s: status.find_application(s, rt, reference=reference, passport_number="X1")
    )
    absent = work_of(
        database, monkeypatch, lambda s: status.find_application(s, rt, reference=unknown, passport_number="X1")
    )
    assert wrong == absent
    assert (selects(wrong), wrong.indexes, wrong.compares, wrong.decrypts) == (1, 1, len(rt.keyring.keys), 0)


def test_an_unknown_group_does_the_work_of_a_wrong_e_mail(
    database: Database, rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_scope(database.factory) as session:
        group = submission.submit_group(
            session,
            rt,
            members=[applicant()],
            language="en",
            representative=submission.Representative("Demir", "Mehmet", EMAIL, "+90 555 010 2040"),
        )
        reference = group.reference

    wrong = work_of(
        database, monkeypatch, lambda s: status.find_group(s, rt, reference=reference, email="x@example.org")
    )
    absent = work_of(
        database, monkeypatch, lambda s: status.find_group(s, rt, reference="GZZZZ-ZZZZ-ZZZZ", email=EMAIL)
    )
    assert wrong == absent
    assert (selects(wrong), wrong.indexes, wrong.compares, wrong.decrypts) == (1, 1, len(rt.keyring.keys), 0)


def test_the_right_passport_number_still_finds_the_application(database: Database, rt: Runtime) -> None:
    with session_scope(database.factory) as session:
        application = submission.submit_application(session, rt, applicant=applicant(), language="en")
        reference, number = application.reference, "U12345678"
    with database.factory() as session:
        found = status.find_application(session, rt, reference=reference.lower(), passport_number=number.lower())
        assert found.reference == reference


def test_matches_compares_with_every_candidate() -> None:
    assert status.matches(["a" * 64, "b" * 64], "b" * 64)
    assert not status.matches(["a" * 64, "b" * 64], status.DECOY_KEY)
    assert not status.matches([], "a" * 64)
