"""Staff API keys: how a border system calls keta on behalf of a member of staff.

A key is `ks_` + 43 URL-safe characters (256 random bits), printed once by `keta staff api-key create
USERNAME`; only its SHA-256 is stored, for the reasons given in keta.services.carrier_keys. The key
acts with its holder's account as it is at the moment of each request: a disabled account or a
revoked key is refused as unknown (401); an account whose role may not use the border interface is
known but refused (403). Each key has its own per-minute budget, shared by every server process.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keta.db.models import StaffApiKey, StaffMember
from keta.domain.errors import FieldProblem, Forbidden, InvalidInput, NotAuthenticated, NotFound
from keta.domain.ratelimit import Rate
from keta.domain.review import Permission, Role, may
from keta.services import audit, staff
from keta.services.ratelimits import RateLimiter, enforce
from keta.services.runtime import Runtime

KEY_PREFIX = "ks_"
_KEY = re.compile(r"ks_[A-Za-z0-9_\-]{43}")
WINDOW_SECONDS = 60
DEFAULT_REQUESTS_PER_MINUTE = 120


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create(
    session: Session, rt: Runtime, *, username: str, requests_per_minute: int, actor: str
) -> tuple[StaffApiKey, str]:
    """A new key for USERNAME (any live account; only border staff can use it today)."""
    if requests_per_minute < 1:
        raise InvalidInput([FieldProblem("requests_per_minute", "too_small")])
    member = staff.by_username(session, username)
    if member.disabled_at is not None:
        raise NotFound()
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = StaffApiKey(
        staff_id=member.id, key_hash=hash_key(key), requests_per_minute=requests_per_minute, created_at=rt.now()
    )
    session.add(row)
    session.flush()
    audit.record(
        session, rt.keyring, actor=actor, action="staff.api_key_created", object_type="staff_api_key",
        object_id=str(row.id), now=rt.now(), detail={"staff": str(member.id)},
    )  # fmt: skip
    return row, key


def revoke(session: Session, rt: Runtime, *, username: str, actor: str) -> int:
    """Revoke every live key of USERNAME; the number revoked (0 when none was live)."""
    member = staff.by_username(session, username)
    keys = session.scalars(
        select(StaffApiKey).where(StaffApiKey.staff_id == member.id, StaffApiKey.revoked_at.is_(None))
    ).all()
    for row in keys:
        row.revoked_at = rt.now()
        audit.record(
            session, rt.keyring, actor=actor, action="staff.api_key_revoked", object_type="staff_api_key",
            object_id=str(row.id), now=rt.now(), detail={"staff": str(member.id)},
        )  # fmt: skip
    session.flush()
    return len(keys)


@dataclass(frozen=True, slots=True)
class KeyHolder:
    key_id: uuid.UUID
    staff_id: uuid.UUID
    role: Role
    requests_per_minute: int


def authenticate(session: Session, *, key: str | None, permission: Permission) -> KeyHolder:
    """The account behind `key`, if it may `permission`: NotAuthenticated (none, wrong, revoked,
    account disabled) or Forbidden (`border_role_required`)."""
    if key is None:
        raise NotAuthenticated(presented=False)
    found = None
    if _KEY.fullmatch(key):  # only well-formed keys reach the database
        found = session.execute(
            select(StaffApiKey, StaffMember)
            .join(StaffMember, StaffMember.id == StaffApiKey.staff_id)
            .where(StaffApiKey.key_hash == hash_key(key))
        ).first()
    if found is None:
        raise NotAuthenticated(presented=True)
    row, member = found[0], found[1]
    if row.revoked_at is not None or member.disabled_at is not None:
        raise NotAuthenticated(presented=True)
    holder = KeyHolder(row.id, member.id, Role(member.role), row.requests_per_minute)
    if not may(holder.role, permission):
        raise Forbidden("border_role_required")
    return holder


def throttle(limiter: RateLimiter, holder: KeyHolder, *, now: datetime) -> None:
    enforce(limiter, [(f"staff-key:{holder.key_id}", Rate(holder.requests_per_minute, WINDOW_SECONDS))], now=now)
