"""Server-side back-office sessions: start after the password, upgrade after the second factor.

The cookie carries a random token; the table keys the session by the token's SHA-256. Upgrading
to a full session issues a new token (no session fixation). A session ends at logout, after
`idle` without a request, at its absolute limit, or the moment its account is disabled — each
request reads the account, so nothing cached outlives a disable.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from keta.db.models import StaffMember, StaffSession

PASSWORD_STAGE, FULL_STAGE = "password", "full"
SECOND_FACTOR_WINDOW = timedelta(minutes=5)  # a half-signed-in session waits this long for its code
_TOUCH_EVERY = timedelta(seconds=30)  # write last_seen_at at most this often


@dataclass(frozen=True, slots=True)
class SessionTimeouts:
    idle: timedelta = timedelta(minutes=30)  # OWASP ASVS 3.3.2 (level 2)
    absolute: timedelta = timedelta(hours=12)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(session: Session, *, member: StaffMember, now: datetime) -> str:
    """A session that has passed the password only; returns the cookie token."""
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            key=_digest(token),
            staff_id=member.id,
            stage=PASSWORD_STAGE,
            csrf_secret=secrets.token_hex(32),
            created_at=now,
            last_seen_at=now,
            expires_at=now + SECOND_FACTOR_WINDOW,
        )
    )
    session.flush()
    return token


def upgrade(session: Session, *, current: StaffSession, now: datetime, timeouts: SessionTimeouts) -> str:
    """End the half session and start a full one under a new token and a new CSRF secret."""
    current.ended_at = now
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            key=_digest(token),
            staff_id=current.staff_id,
            stage=FULL_STAGE,
            csrf_secret=secrets.token_hex(32),
            created_at=now,
            last_seen_at=now,
            expires_at=now + timeouts.absolute,
        )
    )
    session.flush()
    return token


def resolve(
    session: Session, *, token: str | None, now: datetime, timeouts: SessionTimeouts, stage: str = FULL_STAGE
) -> StaffSession | None:
    """The live session of that stage for a cookie token, or None; refreshes its idle clock."""
    if not token or len(token) > 128:
        return None
    found = session.get(StaffSession, _digest(token))
    if found is None or found.stage != stage or found.ended_at is not None:
        return None
    if now >= found.expires_at or now - found.last_seen_at >= timeouts.idle:
        found.ended_at = now
        return None
    if found.staff.disabled_at is not None:
        found.ended_at = now
        return None
    if now - found.last_seen_at >= _TOUCH_EVERY:
        found.last_seen_at = now
    return found


def end(session: Session, *, token: str | None, now: datetime) -> None:
    if token and len(token) <= 128:
        found = session.get(StaffSession, _digest(token))
        if found is not None and found.ended_at is None:
            found.ended_at = now
