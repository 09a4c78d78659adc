"""What the database itself is: empty, made by `keta demo`, or holding someone's real data."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from keta.db.base import Base
from keta.db.models import AuditHead, AuditRecord, DataKeyRecord, InstanceFlag
from keta.db.models.instance import DEMO_DATABASE

DatabaseState = Literal["empty", "demo", "other"]


def state(session: Session) -> DatabaseState:
    if session.get(InstanceFlag, DEMO_DATABASE) is not None:
        return "demo"
    for table in Base.metadata.sorted_tables:
        if table.name in (InstanceFlag.__tablename__, DataKeyRecord.__tablename__, AuditHead.__tablename__):
            continue  # bookkeeping, not data
        query = select(literal(1)).select_from(table).limit(1)
        if table.name == AuditRecord.__tablename__:  # every start records its policy: that alone is not data
            query = query.where(AuditRecord.action != "policy.in_force")
        if session.execute(query).first() is not None:
            return "other"
    return "empty"


def mark_as_demo(session: Session, *, now: datetime) -> None:
    session.add(InstanceFlag(name=DEMO_DATABASE, set_at=now))
    session.flush()
