"""Queries over carriers and their API keys."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from keta.db.hotpath import HotStatement
from keta.db.models import Carrier, CarrierCheck


@dataclass(frozen=True, slots=True)
class KeyHolder:
    id: uuid.UUID
    requests_per_minute: int
    suspended: bool
    revoked: bool


# The carrier check's statements run on its hot path: built once with bound parameters, no ORM
# identity map or unit of work, and on PostgreSQL run by the driver itself (keta.db.hotpath) —
# building and executing a statement through the ORM costs more CPU than the database spends.
_HOLDER = HotStatement(
    select(Carrier.id, Carrier.requests_per_minute, Carrier.suspended_at, Carrier.revoked_at).where(
        Carrier.key_hash == bindparam("key_hash")
    )
)
_RECORD = HotStatement(
    insert(CarrierCheck).values(
        id=bindparam("id"),
        carrier_id=bindparam("carrier_id"),
        at=bindparam("at"),
        passengers=bindparam("passengers"),
        answers=bindparam("answers"),
    ),
    json_params=("answers",),
    returns_rows=False,
)


def key_holder(session: Session, key_hash: str) -> KeyHolder | None:
    rows = _HOLDER.rows(session.connection(), {"key_hash": key_hash})
    if not rows:
        return None
    carrier_id, per_minute, suspended_at, revoked_at = rows[0]
    return KeyHolder(carrier_id, per_minute, suspended_at is not None, revoked_at is not None)


def record_check(
    session: Session, *, carrier_id: uuid.UUID, at: datetime, answers: Sequence[tuple[str | None, str]]
) -> None:
    values = {"id": uuid.uuid4(), "carrier_id": carrier_id, "at": at, "passengers": len(answers)}
    _RECORD.rows(session.connection(), {**values, "answers": [list(a) for a in answers]})


def by_name(session: Session, name: str) -> Carrier | None:
    return session.scalars(select(Carrier).where(Carrier.name == name)).first()


def all_by_name(session: Session) -> list[Carrier]:
    return list(session.scalars(select(Carrier).order_by(Carrier.name)))
