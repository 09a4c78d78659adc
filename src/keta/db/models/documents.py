"""Lost and stolen travel documents (an SLTD-like list), matched exactly on number + issuing country."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from keta.db.base import Base, UuidPk


class LostDocument(UuidPk, Base):
    __tablename__ = "lost_documents"

    # "TUR:U12345678" — see keta.domain.documents.document_key; unique so a re-import is idempotent.
    document_key: Mapped[str] = mapped_column(String(40), unique=True)
    reported_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(64), default="manual")
