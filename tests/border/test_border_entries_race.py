"""Two desks (or a border system retrying) record the same entry at the same moment: one row, one
audit record, both told the same entry — on SQLite and PostgreSQL, through real concurrent commits."""

from __future__ import annotations

import threading

from sqlalchemy import func, select
from tests.border.helpers import approved_traveller
from tests.conftest import Database

from keta.db.models import AuditRecord, BorderEntry
from keta.db.session import session_scope
from keta.domain.border import Identification
from keta.domain.review import Role
from keta.services import border, staff
from keta.services.runtime import Runtime


def test_simultaneous_submissions_of_one_entry_record_it_once(database: Database, runtime: Runtime) -> None:
    traveller = approved_traveller(database, runtime)
    with session_scope(database.factory) as session:
        desks = [
            staff.create(session, runtime, username=f"desk.{n}", role=Role.BORDER, actor="test")[0].id for n in (1, 2)
        ]
    who = Identification(traveller.number, traveller.issuing_country)
    start = threading.Barrier(2)
    outcomes: list[tuple[str, bool]] = []
    failures: list[BaseException] = []

    def submit(staff_id: object) -> None:
        try:
            start.wait(timeout=10)
            with session_scope(database.factory) as session:
                recorded = border.record_entry(
                    session,
                    runtime,
                    who=who,
                    port="ICN",
                    staff_id=staff_id,
                    channel="api",  # type: ignore[arg-type]
                )
                outcomes.append((str(recorded.entry.id), recorded.created))
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=submit, args=(desk,)) for desk in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    assert len(outcomes) == 2 and outcomes[0][0] == outcomes[1][0]
    assert sorted(created for _, created in outcomes) == [False, True]
    with database.factory() as session:
        assert session.scalar(select(func.count()).select_from(BorderEntry)) == 1
        audited = select(func.count()).select_from(AuditRecord).where(AuditRecord.action == "border.entry_recorded")
        assert session.scalar(audited) == 1
