"""Queries over carriers and their API keys."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from keta.db.models import Carrier, CarrierCheck


@dataclass(frozen=True, slots=True)
class KeyHolder:
    id: uuid.UUID
    requests_per_minute: int
    suspended: bool
    revoked: bool


# The carrier check's statements run on its hot path: built once with bound parameters and run
# as Core through the session's connection — no ORM identity map or unit of work, no statement
# built per request (building one costs more CPU than the database spends answering it).
_HOLDER = select(Carrier.id, Carrier.requests_per_minute, Carrier.suspended_at, Carrier.revoked_at).where(
    Carrier.key_hash == bindparam("key_hash")
)
_RECORD = insert(CarrierCheck)


def key_holder(session: Session, key_hash: str) -> KeyHolder | None:
    row = session.connection().execute(_HOLDER, {"key_hash": key_hash}).first()
    if row is None:
        return None
    return KeyHolder(row.id, row.requests_per_minute, row.suspended_at is not None, row.revoked_at is not None)


def record_check(
    session: Session, *, carrier_id: uuid.UUID, at: datetime, answers: Sequence[tuple[str | None, str]]
) -> None:
    values = {"id": uuid.uuid4(), "carrier_id": carrier_id, "at": at, "passengers": len(answers)}
    session.connection().execute(_RECORD, {**values, "answers": [list(a) for a in answers]})


def by_name(session: Session, name: str) -> Carrier | None:
    return session.scalars(select(Carrier).where(Carrier.name == name)).first()


def all_by_name(session: Session) -> list[Carrier]:
    return list(session.scalars(select(Carrier).order_by(Carrier.name)))
