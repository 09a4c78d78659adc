"""`Idempotency-Key`: a repeated submission returns the first result instead of a second application.

The key is claimed *before* the work, in the same transaction: a concurrent twin blocks on the
unique index (PostgreSQL) or on the write lock (SQLite) and then replays the stored answer. The
same key with a different body is refused — that is a client bug, not a retry.

Key and body are kept only as keyed hashes (HMAC with the blind-index key): the body holds a
passport number, and a plain SHA-256 of it falls to a brute force over passport numbers. A record
older than the runtime's `idempotency_ttl` (KETA_IDEMPOTENCY_HOURS) is ignored and replaced.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from keta.db.models import IdempotencyRecord
from keta.db.repositories import idempotency as repo
from keta.services.runtime import Runtime
from keta.web.errors import error_body

MAX_KEY_LENGTH = 128
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]


def _body_hash(rt: Runtime, scope: str, body: BaseModel) -> str:
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return rt.keyring.blind_index("idempotency-body", scope, canonical)


def _key_hash(rt: Runtime, scope: str, key: str) -> str:
    return rt.keyring.blind_index("idempotency-key", scope, key)


def _replay(record: IdempotencyRecord, request_hash: str, locale: str) -> JSONResponse:
    if record.request_hash != request_hash:
        return JSONResponse(error_body(locale, "idempotency_key_reused"), status_code=422)
    return JSONResponse(record.body, status_code=record.status_code, headers={"Idempotent-Replayed": "true"})


def run_once(
    session: Session,
    rt: Runtime,
    *,
    scope: str,
    key: str | None,
    body: BaseModel,
    locale: str,
    work: Callable[[], tuple[int, dict[str, Any]]],
) -> JSONResponse:
    if key is None:
        status, payload = work()
        return JSONResponse(payload, status_code=status)
    if not key or len(key) > MAX_KEY_LENGTH:
        return JSONResponse(error_body(locale, "invalid_input"), status_code=422)
    request_hash, key_hash = _body_hash(rt, scope, body), _key_hash(rt, scope, key)
    existing = repo.find(session, scope, key_hash)
    if existing is not None and existing.created_at >= rt.now() - rt.idempotency_ttl:
        return _replay(existing, request_hash, locale)
    record = IdempotencyRecord(
        scope=scope, key_hash=key_hash, request_hash=request_hash, status_code=0, body={}, created_at=rt.now()
    )
    try:
        with session.begin_nested():
            if existing is not None:  # expired: the key is free again
                session.delete(existing)
                session.flush()
            session.add(record)
    except IntegrityError:
        twin = repo.find(session, scope, key_hash)
        assert twin is not None
        return _replay(twin, request_hash, locale)
    status, payload = work()
    record.status_code, record.body = status, payload
    return JSONResponse(payload, status_code=status)
