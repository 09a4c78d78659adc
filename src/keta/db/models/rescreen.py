"""Re-screening runs: every valid authorization checked again after a list changed, in batches."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from keta.db.base import Base, UTCDateTime, UuidPk


class RescreenRun(UuidPk, Base):
    __tablename__ = "rescreen_runs"

    trigger: Mapped[str] = mapped_column(String(80))  # "watchlist:<name>:<version>" | "documents:<source>"
    status: Mapped[str] = mapped_column(String(16))  # running | done
    total: Mapped[int] = mapped_column(Integer, default=0)
    screened: Mapped[int] = mapped_column(Integer, default=0)
    flagged: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
