"""Accredited travel agencies and their API keys: issue, list, suspend, resume, revoke — and admit
a request.

A key is `ka_` + 43 URL-safe characters, shown once; only its SHA-256 is stored (keta.services.api_keys).
A missing, wrong or revoked key is refused as unknown (401); a suspended agency is known but refused
(403) until it is resumed. Each admitted request counts against
the agency's per-minute budget (keta.services.ratelimits: shared by every server process).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from keta.db.models import Agency
from keta.db.repositories import agencies as repo
from keta.domain.errors import (
    Conflict,
    Forbidden,
    NotAuthenticated,
    NotFound,
)
from keta.domain.ratelimit import Rate
from keta.services import api_keys
from keta.services.ratelimits import RateLimiter, enforce

KEY_PREFIX = "ka_"
WINDOW_SECONDS = 60
DEFAULT_REQUESTS_PER_MINUTE = 120


def create(session: Session, *, name: str, requests_per_minute: int, now: datetime) -> tuple[Agency, str]:
    """The new agency and its key, which exists nowhere else from now on."""
    api_keys.check_new_holder(name, requests_per_minute)
    if repo.by_name(session, name) is not None:
        raise Conflict("agency_exists")
    key, key_hash = api_keys.issue(KEY_PREFIX)
    agency = Agency(name=name, key_hash=key_hash, requests_per_minute=requests_per_minute, created_at=now)
    session.add(agency)
    session.flush()
    return agency, key


def listed(session: Session) -> list[Agency]:
    return repo.all_by_name(session)


def revoke(session: Session, *, name: str, now: datetime) -> Agency:
    agency = _named(session, name)
    agency.revoked_at = agency.revoked_at or now
    session.flush()
    return agency


def suspend(session: Session, *, name: str, now: datetime) -> Agency:
    agency = _named(session, name)
    if agency.revoked_at is not None:
        raise Conflict("agency_revoked")
    agency.suspended_at = agency.suspended_at or now
    session.flush()
    return agency


def resume(session: Session, *, name: str) -> Agency:
    agency = _named(session, name)
    if agency.revoked_at is not None:
        raise Conflict("agency_revoked")
    agency.suspended_at = None
    session.flush()
    return agency


def _named(session: Session, name: str) -> Agency:
    agency = repo.by_name(session, name)
    if agency is None:
        raise NotFound()
    return agency


@dataclass(frozen=True, slots=True)
class AgencyPrincipal:
    """Who is asking, as the rest of the request needs it (no ORM object outlives the look-up)."""

    id: uuid.UUID
    name: str
    requests_per_minute: int


def authenticate(session: Session, *, key: str | None) -> AgencyPrincipal:
    if key is None:
        raise NotAuthenticated(presented=False)
    agency = repo.by_key_hash(session, api_keys.hash_key(key)) if api_keys.well_formed(KEY_PREFIX, key) else None
    if agency is None or agency.revoked_at is not None:
        raise NotAuthenticated(presented=True)
    if agency.suspended_at is not None:
        raise Forbidden("agency_suspended")
    return AgencyPrincipal(agency.id, agency.name, agency.requests_per_minute)


def throttle(limiter: RateLimiter, agency: AgencyPrincipal, *, now: datetime) -> None:
    """Count the request against the agency's per-minute budget; RateLimited once it is spent.
    Call it while no transaction of the caller's is open (the database limiter commits on its own)."""
    enforce(limiter, [(f"agency:{agency.id}", Rate(agency.requests_per_minute, WINDOW_SECONDS))], now=now)
