"""The supervisors' watchlist page: the lists, a rollback from the page (re-screening queued, audited),
the re-screening runs; watchlist, document-list and policy changes all land in the audit trail."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.backoffice.office import csrf_of, enrol, sign_in
from tests.conftest import Database

from keta.adapters.clock import FixedClock
from keta.adapters.watchlist_sources import read_watchlist
from keta.db.models import AuditRecord, Job
from keta.db.session import session_scope
from keta.domain.review import Role
from keta.services import audit
from keta.services.documents import ReportedDocument, import_documents
from keta.services.runtime import Runtime
from keta.services.watchlists import import_watchlist

ENTRY = '{{"id": "{id}", "schema": "Person", "properties": {{"name": ["{name}"]}}}}\n'


def _import(database: Database, runtime: Runtime, tmp_path: Path, *names: str, list_name: str = "un") -> None:
    path = tmp_path / "list.jsonl"
    path.write_text("".join(ENTRY.format(id=f"e{i}", name=n) for i, n in enumerate(names)), encoding="utf-8")
    import_watchlist(
        database.factory, runtime.clock, name=list_name, items=read_watchlist(path), source=path.name, checksum="x"
    )


def _actions(database: Database) -> list[tuple[str, str, dict[str, object]]]:
    with database.factory() as session:
        return [(r.action, r.actor, r.detail) for r in session.scalars(select(AuditRecord).order_by(AuditRecord.seq))]


def test_a_supervisor_rolls_a_list_back_from_the_page(
    client: TestClient, database: Database, runtime: Runtime, clock: FixedClock, tmp_path: Path
) -> None:
    _import(database, runtime, tmp_path, "Ayşe Yılmaz")
    _import(database, runtime, tmp_path, "Ayşe Yılmaz", "Mehmet Kaya")
    supervisor = enrol(database, runtime, "park.super", Role.SUPERVISOR)
    sign_in(client, clock, supervisor)
    page = client.get("/backoffice/watchlists")
    assert page.status_code == 200 and "list.jsonl" in page.text
    answer = client.post("/backoffice/watchlists/un/rollback", data={"csrf": csrf_of(page)}, follow_redirects=False)
    assert answer.status_code == 303
    _import(database, runtime, tmp_path, "Zeynep Arslan", list_name="eu")
    once = client.post("/backoffice/watchlists/eu/rollback", data={"csrf": csrf_of(page)}, follow_redirects=False)
    assert once.status_code == 409  # a list with one version has nothing to go back to
    missing = client.post("/backoffice/watchlists/nolist/rollback", data={"csrf": csrf_of(page)})
    assert missing.status_code == 404
    actions = _actions(database)
    lists = [(a, d) for a, _, d in actions if a.startswith("watchlist.")]
    assert [a for a, _ in lists] == ["watchlist.activated"] * 2 + ["watchlist.rolled_back", "watchlist.activated"]
    assert lists[1][1]["entities"] == 2 and lists[2][1] == {"version": 1}
    assert [actor for a, actor, _ in actions if a == "watchlist.rolled_back"] == [supervisor.id]
    with database.factory() as session:
        triggers = [j.payload["trigger"] for j in session.scalars(select(Job).where(Job.kind == "rescreen_start"))]
    assert sorted(triggers) == ["watchlist:eu:1", "watchlist:un:1", "watchlist:un:1", "watchlist:un:2"]


def test_document_lists_and_the_policy_in_force_are_recorded(database: Database, runtime: Runtime) -> None:
    with session_scope(database.factory) as session:
        import_documents(session, [ReportedDocument("U1", "TUR")], source="interpol", now=runtime.now())
    with session_scope(database.factory) as session:
        assert audit.policy_in_force(session, runtime.keyring, code="kr", checksum="a" * 64, now=runtime.now())
        assert not audit.policy_in_force(session, runtime.keyring, code="kr", checksum="a" * 64, now=runtime.now())
        assert audit.policy_in_force(session, runtime.keyring, code="kr", checksum="b" * 64, now=runtime.now())
    actions = _actions(database)
    assert [(a, d) for a, _, d in actions if a == "documents.imported"] == [
        ("documents.imported", {"new": 1, "listed": 0, "removed": 0})
    ]
    assert [d["checksum"] for a, _, d in actions if a == "policy.in_force"][-2:] == ["a" * 64, "b" * 64]
    with database.factory() as session:
        assert audit.verify(session, runtime.keyring).intact
