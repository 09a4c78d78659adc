"""Queries over the lost/stolen travel-document list."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keta.db.models import LostDocument


def is_reported(session: Session, document_key: str) -> bool:
    query = select(func.count()).select_from(LostDocument).where(LostDocument.document_key == document_key)
    return bool(session.scalar(query))


def existing_keys(session: Session, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    return set(session.scalars(select(LostDocument.document_key).where(LostDocument.document_key.in_(keys))))


def reports(session: Session, keys: list[str]) -> dict[str, LostDocument]:
    """The list's entries for these document keys (re-screening checks a whole batch at once)."""
    if not keys:
        return {}
    return {d.document_key: d for d in session.scalars(select(LostDocument).where(LostDocument.document_key.in_(keys)))}
