"""Carriers and their API keys: issue, list, suspend, resume, revoke — and admit a request.

A key is `kc_` + 43 URL-safe characters, shown once; only its SHA-256 is stored (keta.services.api_keys
says why a plain hash is right). The hash is looked up through a unique index; the comparison leaks
no timing worth having, since an attacker would have to produce SHA-256 pre-images to exploit it.

Revoked keys are refused as unknown (401); a suspended carrier is known but refused (403) until
it is resumed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from keta.db.models import Carrier
from keta.db.repositories import carriers as repo
from keta.domain.errors import Conflict, Forbidden, NotAuthenticated, NotFound
from keta.domain.ratelimit import Rate
from keta.services import api_keys
from keta.services.api_keys import hash_key
from keta.services.ratelimits import RateLimiter, enforce

KEY_PREFIX = "kc_"
WINDOW_SECONDS = 60


def create(session: Session, *, name: str, requests_per_minute: int, now: datetime) -> tuple[Carrier, str]:
    """The new carrier and its key, which exists nowhere else from now on."""
    api_keys.check_new_holder(name, requests_per_minute)
    if repo.by_name(session, name) is not None:
        raise Conflict("carrier_exists")
    key, key_hash = api_keys.issue(KEY_PREFIX)
    carrier = Carrier(name=name, key_hash=key_hash, requests_per_minute=requests_per_minute, created_at=now)
    session.add(carrier)
    session.flush()
    return carrier, key


def listed(session: Session) -> list[Carrier]:
    return repo.all_by_name(session)


def revoke(session: Session, *, name: str, now: datetime) -> Carrier:
    carrier = _named(session, name)
    if carrier.revoked_at is None:
        carrier.revoked_at = now
    session.flush()
    return carrier


def suspend(session: Session, *, name: str, now: datetime) -> Carrier:
    carrier = _named(session, name)
    if carrier.revoked_at is not None:
        raise Conflict("carrier_revoked")
    carrier.suspended_at = carrier.suspended_at or now
    session.flush()
    return carrier


def resume(session: Session, *, name: str) -> Carrier:
    carrier = _named(session, name)
    if carrier.revoked_at is not None:
        raise Conflict("carrier_revoked")
    carrier.suspended_at = None
    session.flush()
    return carrier


@dataclass(frozen=True, slots=True)
class CarrierPrincipal:
    """Who is asking, as the rest of the request needs it (no ORM object outlives the look-up)."""

    id: uuid.UUID
    requests_per_minute: int


def authenticate(session: Session, *, key: str | None) -> CarrierPrincipal:
    """The carrier behind `key`, or NotAuthenticated (none, wrong, revoked) / Forbidden (suspended)."""
    if key is None:
        raise NotAuthenticated(presented=False)
    # Only well-formed keys reach the database: anything else cannot be ours.
    carrier = repo.key_holder(session, hash_key(key)) if api_keys.well_formed(KEY_PREFIX, key) else None
    if carrier is None or carrier.revoked:
        raise NotAuthenticated(presented=True)
    if carrier.suspended:
        raise Forbidden("carrier_suspended")
    return CarrierPrincipal(carrier.id, carrier.requests_per_minute)


def throttle(limiter: RateLimiter, carrier: CarrierPrincipal, *, now: datetime) -> None:
    """Count the request against the carrier's per-minute budget (keta.services.api_keys.spend)."""
    enforce(limiter, [(f"carrier:{carrier.id}", Rate(carrier.requests_per_minute, WINDOW_SECONDS))], now=now)


def _named(session: Session, name: str) -> Carrier:
    carrier = repo.by_name(session, name)
    if carrier is None:
        raise NotFound()
    return carrier
