"""Queries over carriers and their API keys."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from keta.db.models import Carrier


def by_key_hash(session: Session, key_hash: str) -> Carrier | None:
    return session.scalars(select(Carrier).where(Carrier.key_hash == key_hash)).first()


def by_name(session: Session, name: str) -> Carrier | None:
    return session.scalars(select(Carrier).where(Carrier.name == name)).first()


def all_by_name(session: Session) -> list[Carrier]:
    return list(session.scalars(select(Carrier).order_by(Carrier.name)))
