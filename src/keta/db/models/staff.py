"""Back-office accounts and their server-side sessions.

A staff member signs in with a password (Argon2id hash) and a TOTP code; the TOTP secret is kept
encrypted with the data key. Sessions live here, not in the cookie: the cookie holds a random
token whose SHA-256 is the row's key, so a stolen database does not yield usable cookies and
disabling an account ends its sessions at once (every request reads the account).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keta.db.base import Base, UTCDateTime, UuidPk


class StaffMember(UuidPk, Base):
    __tablename__ = "staff"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    totp_secret: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted {"secret": base32}
    totp_last_step: Mapped[int | None] = mapped_column(Integer)  # a code's time step is used once
    enrolment_key: Mapped[str | None] = mapped_column(String(64), unique=True)  # SHA-256 of the one-time link
    enrolment_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StaffSession(Base):
    __tablename__ = "staff_sessions"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the cookie's token
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"), index=True)
    stage: Mapped[str] = mapped_column(String(8))  # "password" (second factor pending) | "full"
    csrf_secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the absolute limit
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    staff: Mapped[StaffMember] = relationship()
