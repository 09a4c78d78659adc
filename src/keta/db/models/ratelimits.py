"""Rate-limit windows shared by every process of one database (see keta.db.ratelimit)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from keta.db.base import Base


class RateLimitWindow(Base):
    __tablename__ = "rate_limit_windows"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # a keyed hash, never the raw key
    hits: Mapped[int] = mapped_column(Integer)
    window_ends_ms: Mapped[int] = mapped_column(BigInteger, index=True)  # Unix epoch, milliseconds
