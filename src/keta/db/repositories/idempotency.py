"""Stored responses for `Idempotency-Key` replays."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from keta.db.models import IdempotencyRecord


def find(session: Session, scope: str, key: str) -> IdempotencyRecord | None:
    query = select(IdempotencyRecord).where(IdempotencyRecord.scope == scope, IdempotencyRecord.key == key)
    return session.scalars(query).first()
