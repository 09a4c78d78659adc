"""Watchlist versions: import, atomic switch, failed imports, rollback; replacing the documents list."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from itertools import islice

import pytest
from sqlalchemy import select
from tests.conftest import NOW, Database

from keta.adapters.clock import FixedClock
from keta.adapters.watchlist_sources import LineProblem, Problem, ReportedDocument
from keta.db.models import LostDocument, WatchlistVersion
from keta.db.repositories import watchlists as repo
from keta.db.session import session_scope
from keta.domain.errors import Conflict
from keta.domain.screening.model import PartialDate, WatchlistEntry
from keta.services.documents import add_reported, import_documents
from keta.services.watchlists import ImportReport, import_watchlist, rollback_watchlist


def people(prefix: str, count: int) -> list[WatchlistEntry]:
    return [
        WatchlistEntry(
            f"{prefix}-{i}",
            (f"Fictus {prefix} {i}", f"픽투스 {i}"),
            (PartialDate(1980, 5), PartialDate(1981)),
            ("TUR",),
            "F",
            ("U1234567",),
            datasets=("fiction",),
        )
        for i in range(count)
    ]


def load(
    database: Database,
    clock: FixedClock,
    items: Iterable[WatchlistEntry | LineProblem],
    name: str = "sanctions",
    batch_size: int = 5000,
) -> ImportReport:
    return import_watchlist(
        database.factory,
        clock,
        name=name,
        items=items,
        source="dir/list.jsonl",
        checksum="0" * 64,
        batch_size=batch_size,
    )


def versions(database: Database, name: str = "sanctions") -> list[tuple[int, str, int]]:
    """(number, status, rows in the database) per version."""
    with database.factory() as session:
        watchlist = repo.get_watchlist(session, name)
        assert watchlist is not None
        found = session.scalars(
            select(WatchlistVersion).where(WatchlistVersion.watchlist_id == watchlist.id).order_by("number")
        )
        return [(v.number, v.status, repo.count_entities(session, v.id)) for v in found]


def test_first_import_creates_version_1(database: Database, clock: FixedClock) -> None:
    items = [*people("a", 7), LineProblem(3, Problem.NO_NAME)]
    report = load(database, clock, items, batch_size=3)
    assert (report.version, report.loaded, report.skipped, report.skipped_by_code) == (1, 7, 1, {"no_name": 1})
    assert report.problems == (LineProblem(3, Problem.NO_NAME),)
    with database.factory() as session:
        version = repo.active_version(session, "sanctions")
        assert version is not None
        assert (version.number, version.status, version.entity_count, version.skipped_count) == (1, "active", 7, 1)
        assert (version.source, version.activated_at) == ("list.jsonl", clock.now())
        entries = list(repo.iter_active_entries(session, batch_size=2))
        summary = repo.summaries(session)
    assert sorted(entries, key=lambda e: e.entity_id) == [replace(e, list_name="sanctions") for e in people("a", 7)]
    assert [(s.name, s.version, s.entity_count) for s in summary] == [("sanctions", 1, 7)]


def test_reimport_switches_atomically_and_pinned_readers_stay_consistent(database: Database, clock: FixedClock) -> None:
    load(database, clock, people("v1", 5))
    reader = database.factory()
    pinned = repo.iter_active_entries(reader, batch_size=2)
    first = list(islice(pinned, 2))
    if database.backend == "sqlite":
        reader.commit()  # a SQLite read transaction holds the write lock (BEGIN IMMEDIATE): end it between pages
    report = load(database, clock, people("v2", 3))
    rest = list(pinned)
    reader.close()
    assert sorted(e.entity_id for e in first + rest) == [f"v1-{i}" for i in range(5)]
    assert report.version == 2
    assert versions(database) == [(1, "retired", 5), (2, "active", 3)]
    with database.factory() as session:
        assert {e.entity_id for e in repo.iter_active_entries(session)} == {f"v2-{i}" for i in range(3)}
    load(database, clock, people("v3", 2))
    assert versions(database) == [(1, "purged", 0), (2, "retired", 3), (3, "active", 2)]


def failing(entries: list[WatchlistEntry], after: int) -> Iterator[WatchlistEntry]:
    yield from entries[:after]
    raise OSError("disk gone")


def test_a_failed_import_leaves_the_active_version_alone(database: Database, clock: FixedClock) -> None:
    load(database, clock, people("v1", 4))
    with database.factory() as session:
        signature = repo.active_versions_signature(session)
    with pytest.raises(OSError, match="disk gone"):
        load(database, clock, failing(people("v2", 10), after=7), batch_size=3)  # two batches were committed
    assert versions(database) == [(1, "active", 4), (2, "failed", 0)]
    with database.factory() as session:
        assert repo.active_versions_signature(session) == signature
        active = repo.active_version(session, "sanctions")
        assert active is not None and active.entity_count == 4
    with pytest.raises(Conflict, match="nothing_to_import"):
        load(database, clock, [LineProblem(1, Problem.INVALID_JSON)])
    assert versions(database)[-1] == (3, "failed", 0)


def test_the_signature_follows_imports_and_rollbacks(database: Database, clock: FixedClock) -> None:
    signatures = []
    for prefix in ("a", "b"):
        load(database, clock, people(prefix, 2))
        with database.factory() as session:
            signatures.append(repo.active_versions_signature(session))
    load(database, clock, people("x", 1), name="other")
    with session_scope(database.factory) as session:
        signatures.append(repo.active_versions_signature(session))
        assert rollback_watchlist(session, clock, name="sanctions").number == 1
    with database.factory() as session:
        signatures.append(repo.active_versions_signature(session))
        assert {e.entity_id for e in repo.iter_active_entries(session)} == {"a-0", "a-1", "x-0"}
    assert len(set(signatures)) == 4
    assert versions(database) == [(1, "active", 2), (2, "retired", 2)]


def test_a_newer_import_supersedes_one_still_loading(database: Database, clock: FixedClock) -> None:
    def slow() -> Iterator[WatchlistEntry]:
        yield from people("old", 2)
        load(database, clock, people("new", 3))  # started while the first one is still reading its file
        yield from people("old2", 2)

    with pytest.raises(Conflict, match="superseded_by_a_newer_import"):
        load(database, clock, slow(), batch_size=1)
    assert versions(database) == [(1, "failed", 0), (2, "active", 3)]


def test_documents_import_replaces_a_source_list(database: Database) -> None:
    with session_scope(database.factory) as session:
        add_reported(session, [ReportedDocument("M1", "KOR")], source="manual")
        first = import_documents(
            session, [ReportedDocument("A1", "TUR"), ReportedDocument("B2", "TUR")], source="x", now=NOW
        )
    with session_scope(database.factory) as session:
        second = import_documents(
            session,
            [
                ReportedDocument("B2", "TUR", date(2026, 1, 2)),
                ReportedDocument("M1", "KOR"),
                LineProblem(4, Problem.INVALID_ROW),
                ReportedDocument("C3", "TUR"),
                ReportedDocument("C3", "TUR"),
            ],
            source="x",
            now=NOW,
        )
    assert (first.new, first.already_listed, first.removed) == (2, 0, 0)
    assert (second.new, second.already_listed, second.removed, second.skipped) == (1, 3, 1, 1)
    with database.factory() as session:
        rows = {(d.document_key, d.source, d.reported_on) for d in session.scalars(select(LostDocument))}
    assert rows == {("KOR:M1", "manual", None), ("TUR:B2", "x", date(2026, 1, 2)), ("TUR:C3", "x", None)}


def test_a_documents_file_without_usable_rows_changes_nothing(database: Database) -> None:
    with session_scope(database.factory) as session:
        import_documents(session, [ReportedDocument("A1", "TUR")], source="x", now=NOW)
    with pytest.raises(Conflict), session_scope(database.factory) as session:
        import_documents(session, [LineProblem(2, Problem.INVALID_ROW)], source="x", now=NOW)
    with database.factory() as session:
        assert [d.document_key for d in session.scalars(select(LostDocument))] == ["TUR:A1"]
