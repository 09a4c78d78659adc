"""The audit chain: intact after a day of work; an edited, deleted, swapped or cut record is named."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from tests.conftest import TEST_DATA_KEY, Database

from keta.cli import main
from keta.db.models import AuditRecord
from keta.db.session import session_scope
from keta.services import audit
from keta.services.runtime import Runtime


def _day_of_work(database: Database, runtime: Runtime, records: int = 8) -> None:
    with session_scope(database.factory) as session:
        for i in range(records):
            audit.record(
                session, runtime.keyring, actor=f"system:test{i % 3}", action="case.viewed", object_type="case",
                object_id=f"case-{i}", now=runtime.now(), detail={"n": i},
            )  # fmt: skip


def _verify(database: Database, runtime: Runtime) -> audit.Verification:
    with database.factory() as session:
        return audit.verify(session, runtime.keyring)


def test_a_fresh_chain_verifies(database: Database, runtime: Runtime) -> None:
    assert _verify(database, runtime).intact and _verify(database, runtime).records == 0
    _day_of_work(database, runtime)
    result = _verify(database, runtime)
    assert result.intact and result.records == 8


def _edit(session: Session) -> None:
    session.execute(text("UPDATE audit_records SET object_id = 'case-x' WHERE seq = 4"))


def _edit_detail(session: Session) -> None:
    session.execute(text("UPDATE audit_records SET actor = 'someone' WHERE seq = 5"))


def _delete(session: Session) -> None:
    session.execute(text("DELETE FROM audit_records WHERE seq = 3"))


def _swap(session: Session) -> None:
    rows = {r.seq: r for r in session.scalars(select(AuditRecord).where(AuditRecord.seq.in_((5, 6))))}
    columns = ("at", "actor", "action", "object_type", "object_id", "detail", "prev_hash", "hash")
    values = {seq: {c: getattr(rows[seq], c) for c in columns} for seq in (5, 6)}
    session.expunge_all()
    for seq, other in ((5, 6), (6, 5)):
        session.execute(AuditRecord.__table__.update().where(AuditRecord.seq == seq).values(**values[other]))


def _cut_tail(session: Session) -> None:
    session.execute(text("DELETE FROM audit_records WHERE seq = 8"))


@pytest.mark.parametrize(
    ("tamper", "seq", "problem"),
    [
        (_edit, 4, "edited"),
        (_edit_detail, 5, "edited"),
        (_delete, 4, "missing_before"),
        (_swap, 5, "reordered"),
        (_cut_tail, 8, "head_mismatch"),
    ],
)
def test_tampering_is_named(
    database: Database, runtime: Runtime, tamper: Callable[[Session], None], seq: int, problem: str
) -> None:
    _day_of_work(database, runtime)
    with session_scope(database.factory) as session:
        tamper(session)
    broken = _verify(database, runtime).first_break
    assert broken is not None and (broken.seq, broken.problem) == (seq, problem)


def test_a_record_resealed_without_the_key_is_caught(database: Database, runtime: Runtime) -> None:
    _day_of_work(database, runtime)
    with session_scope(database.factory) as session:
        record = session.get(AuditRecord, 2)
        assert record is not None
        record.detail = {"n": 99}
        record.hash = "f" * 64  # whoever edits cannot compute the keyed hash
    broken = _verify(database, runtime).first_break
    assert broken is not None and broken.seq == 2


def test_keta_audit_verify_exit_codes(database: Database, runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    _day_of_work(database, runtime)
    monkeypatch.setenv("KETA_DATABASE_URL", database.url)
    monkeypatch.setenv("KETA_DATA_KEY", TEST_DATA_KEY)
    runner = CliRunner()
    intact = runner.invoke(main, ["audit", "verify"])
    assert intact.exit_code == 0 and "9 records" in intact.output  # the 8, and the policy the command started with
    with session_scope(database.factory) as session:
        _edit(session)
    broken = runner.invoke(main, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "record 4 was edited" in broken.output
