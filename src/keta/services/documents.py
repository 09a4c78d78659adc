"""The lost/stolen travel-document list: add entries (idempotent on number + issuing country)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from keta.db.models import LostDocument
from keta.db.repositories import documents as repo
from keta.domain.documents import document_key


@dataclass(frozen=True, slots=True)
class ReportedDocument:
    number: str
    issuing_country: str
    reported_on: date | None = None


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
