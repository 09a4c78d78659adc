"""Facts about the database itself, e.g. that `keta demo` created it (so it may seed it again,
and production refuses to run on it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from keta.db.base import Base, UTCDateTime

DEMO_DATABASE = "demo_database"


class InstanceFlag(Base):
    __tablename__ = "instance_flags"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)
