"""Stored responses for `Idempotency-Key` replays, found by the key's keyed hash."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from keta.db.models import IdempotencyRecord


def find(session: Session, scope: str, key_hash: str) -> IdempotencyRecord | None:
    query = select(IdempotencyRecord).where(IdempotencyRecord.scope == scope, IdempotencyRecord.key_hash == key_hash)
    return session.scalars(query).first()
