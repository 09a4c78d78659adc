"""The lost/stolen travel-document list: add entries one by one, or replace a source's list at once.

`import_documents` replaces, in the caller's one transaction, every entry that came from the same
`source` with the file's entries: readers see the old list until the commit, then the new one
(entries added by hand or by another source stay). It runs in batches — the rows of the old list are
first marked with a token, each batch takes back the entries it still lists, and what is still
marked at the end is deleted — so memory stays flat however long the list.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import Any, cast

from sqlalchemy import CursorResult, Executable, delete, insert, update
from sqlalchemy.orm import Session

from keta.adapters.watchlist_sources import LineProblem, ReportedDocument
from keta.db.models import LostDocument
from keta.db.repositories import documents as repo
from keta.domain.documents import document_key
from keta.domain.errors import Conflict
from keta.services import audit, rescreen

__all__ = ["DocumentImportReport", "ReportedDocument", "add_reported", "import_documents"]
BATCH = 5000
MAX_PROBLEMS = 100


@dataclass(frozen=True, slots=True)
class DocumentImportReport:
    new: int  # not on the source's list before
    already_listed: int  # on it before, listed by another source, or repeated in the file
    removed: int  # on the source's list before, not in the file
    skipped: int
    problems: tuple[LineProblem, ...]  # the first MAX_PROBLEMS, in file order


def add_reported(session: Session, documents: Iterable[ReportedDocument], *, source: str) -> int:
    """Insert the documents not yet listed; returns how many were new."""
    by_key = {document_key(d.number, d.issuing_country): d for d in documents}
    known = repo.existing_keys(session, list(by_key))
    new = [
        LostDocument(document_key=key, reported_on=doc.reported_on, source=source)
        for key, doc in by_key.items()
        if key not in known
    ]
    session.add_all(new)
    session.flush()
    return len(new)


def import_documents(
    session: Session,
    items: Iterable[ReportedDocument | LineProblem],
    *,
    source: str,
    now: datetime,
    actor: str = "cli",
) -> DocumentImportReport:
    """Replace `source`'s entries with `items`; raises Conflict("nothing_to_import") when no row was
    usable, so an unreadable file never empties the list. When the file lists documents that were not
    listed before, the same transaction queues the re-screening of every valid authorization (only a
    new entry can match anyone new)."""
    old = f"replacing:{uuid.uuid4().hex}"  # fits source's 64 characters; unique to this import
    _rowcount(session, update(LostDocument).where(LostDocument.source == source).values(source=old))
    rows = new = skipped = 0
    problems: list[LineProblem] = []
    batch: dict[str, ReportedDocument] = {}
    for item in chain(items, [None]):
        if isinstance(item, LineProblem):
            skipped += 1
            if len(problems) < MAX_PROBLEMS:
                problems.append(item)
        elif item is not None:
            rows += 1
            batch.setdefault(document_key(item.number, item.issuing_country), item)
        if batch and (item is None or len(batch) >= BATCH):
            kept, inserted = _replace_batch(session, batch, source=source, old=old)
            new, batch = new + inserted - kept, {}
    if not rows:
        raise Conflict("nothing_to_import")
    removed = _rowcount(session, delete(LostDocument).where(LostDocument.source == old))
    if new:
        rescreen.request(session, trigger=f"documents:{source}", now=now)
    audit.list_changed(session, action="documents.imported", name=source, now=now, actor=actor,
                       new=new, listed=rows - new, removed=removed)  # fmt: skip
    session.flush()
    return DocumentImportReport(new, rows - new, removed, skipped, tuple(problems))


def _replace_batch(session: Session, batch: dict[str, ReportedDocument], *, source: str, old: str) -> tuple[int, int]:
    """Take back this batch's entries from the old list (fresh dates), add the ones nobody lists."""
    keys = list(batch)
    kept = _rowcount(
        session, delete(LostDocument).where(LostDocument.source == old, LostDocument.document_key.in_(keys))
    )
    listed = repo.existing_keys(session, keys)  # by another source, or earlier in this file
    rows = [
        {"id": uuid.uuid4(), "document_key": key, "reported_on": doc.reported_on, "source": source}
        for key, doc in batch.items()
        if key not in listed
    ]
    if rows:
        session.execute(insert(LostDocument), rows)
    return kept, len(rows)


def _rowcount(session: Session, statement: Executable) -> int:
    result = session.execute(statement, execution_options={"synchronize_session": False})
    return cast(CursorResult[Any], result).rowcount
