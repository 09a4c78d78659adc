"""How long operational records are kept, and the purges that enforce it."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, delete
from sqlalchemy.orm import Session

from keta.db.models import IdempotencyRecord
from keta.services.runtime import Runtime


def purge_idempotency(session: Session, rt: Runtime) -> int:
    """Drop stored `Idempotency-Key` answers older than the runtime's TTL: a client retrying after that
    long is not retrying, and the table would otherwise grow with every API submission."""
    cutoff = rt.now() - rt.idempotency_ttl
    result = session.execute(
        delete(IdempotencyRecord)
        .where(IdempotencyRecord.created_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount
