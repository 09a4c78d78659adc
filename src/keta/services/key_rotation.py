"""Re-encrypting every ciphertext and rebuilding every blind index under the current data key.

`start` enqueues one `rotate_keys` job; each job re-encrypts one batch of one table in key order
(keyset pagination: `WHERE pk > last ORDER BY pk LIMIT n`), then enqueues the next batch in the
same transaction, so the chain survives crashes and retries without skipping or repeating work.
The tables are walked one after the other; at the end, a count finds what is still under an old
key (a row written meanwhile by a process still on the old key) and walks again, up to
`MAX_PASSES`; when nothing is left, the old keys are retired in the key registry.

Safe while the API writes: only rows still under an old key id are selected, and each row is
updated on the condition that its ciphertexts are still the ones read (compare-and-set). A row the
API rewrote in between is left alone — it was rewritten under the current key anyway. A batch is
one short transaction (the job's own), so the API never waits long behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from keta.adapters.crypto import Keyring
from keta.db.models import Job
from keta.db.queue import QUEUED, RUNNING, enqueue
from keta.services import audit, key_registry
from keta.services.encrypted import ENCRYPTED, EncryptedTable, any_under_other_key, key_id_byte, under_other_key
from keta.services.runtime import Runtime

ROTATE_KEYS = "rotate_keys"
BATCH_ROWS = 200
MAX_PASSES = 3
ACTOR = "system:keys"


class RotationRunning(Exception):
    """A rotation is already queued or running; `keta keys rotate --status` follows it."""


class WrongKeyring(Exception):
    """This worker's current key is not the one the rotation re-encrypts to (it still runs the old
    settings): the job fails here and is retried, by a worker with the right key."""


@dataclass(frozen=True)
class Stale:
    table: str
    column: str
    rows: int


def stale_rows(session: Session, keyring: Keyring) -> list[Stale]:
    """Per encrypted column, the rows whose ciphertext is not under the current key."""
    found = []
    for spec in ENCRYPTED:
        for name in spec.blobs:
            column = spec.table.c[name]
            count = session.scalar(select(func.count()).where(under_other_key(column, keyring.current.id)))
            found.append(Stale(spec.name, name, int(count or 0)))
    return found


def rows_by_key(session: Session) -> dict[int, int]:
    """Key id → ciphertexts under it, over every encrypted column."""
    totals: dict[int, int] = {}
    for spec in ENCRYPTED:
        for name in spec.blobs:
            column = spec.table.c[name]
            byte = key_id_byte(column)
            query = select(byte, func.count()).where(column.is_not(None), func.length(column) > 0).group_by(byte)
            for key_id, count in session.execute(query):
                totals[bytes(key_id)[0]] = totals.get(bytes(key_id)[0], 0) + int(count)
    return totals


def pending_job(session: Session) -> Job | None:
    query = select(Job).where(Job.kind == ROTATE_KEYS, Job.status.in_((QUEUED, RUNNING))).limit(1)
    return session.scalars(query).first()


def latest_job(session: Session) -> Job | None:
    return session.scalars(select(Job).where(Job.kind == ROTATE_KEYS).order_by(Job.created_at.desc()).limit(1)).first()


def start(session: Session, rt: Runtime) -> list[Stale]:
    """Enqueue the rotation to the current key; the rows to re-encrypt, per column."""
    if pending_job(session) is not None:
        raise RotationRunning()
    stale = stale_rows(session, rt.keyring)
    _enqueue(session, rt, table=ENCRYPTED[0].name, after=None, walk=1)
    audit.record(
        session, rt.keyring, actor=ACTOR, action="keys.rotation_started", object_type="data_key",
        object_id=f"{rt.keyring.current.id:#04x}", now=rt.now(),
        detail={"previous": [f"{k.id:#04x}" for k in rt.keyring.previous], "rows": sum(s.rows for s in stale)},
    )  # fmt: skip
    return stale


def _enqueue(session: Session, rt: Runtime, *, table: str, after: str | None, walk: int) -> None:
    payload = {"table": table, "after": after, "walk": walk, "to": rt.keyring.current.fingerprint}
    enqueue(session, ROTATE_KEYS, payload, now=rt.now(), max_attempts=10)


def step(session: Session, rt: Runtime, payload: dict[str, Any]) -> None:
    """One job: one batch of one table, then the next job (or the end of the walk)."""
    if payload["to"] != rt.keyring.current.fingerprint:
        raise WrongKeyring()
    names = [spec.name for spec in ENCRYPTED]
    index, walk = names.index(str(payload["table"])), int(payload["walk"])
    last = rotate_batch(session, rt.keyring, ENCRYPTED[index], after=payload["after"], limit=BATCH_ROWS)
    if last is not None:
        _enqueue(session, rt, table=names[index], after=last, walk=walk)
    elif index + 1 < len(names):
        _enqueue(session, rt, table=names[index + 1], after=None, walk=walk)
    else:
        _finish(session, rt, walk=walk)


def rotate_batch(
    session: Session, keyring: Keyring, spec: EncryptedTable, *, after: str | None, limit: int
) -> str | None:
    """Re-encrypt up to `limit` rows after `after`; the last key seen when the batch was full (more may follow)."""
    pk = next(iter(spec.table.primary_key.columns))
    blobs = [spec.table.c[name] for name in spec.blobs]
    query = select(pk, *blobs).where(any_under_other_key(spec, keyring.current.id))
    if after is not None:
        query = query.where(pk > pk.type.python_type(after))
    rows = session.execute(query.order_by(pk).limit(limit)).all()
    rewrite([(row[0], dict(zip(spec.blobs, row[1:], strict=True))) for row in rows], session, keyring, spec)
    return str(rows[-1][0]) if len(rows) == limit else None


def rewrite(rows: list[tuple[Any, dict[str, Any]]], session: Session, keyring: Keyring, spec: EncryptedTable) -> int:
    """Re-encrypt these rows (primary key, ciphertexts as read), each on the condition that its
    ciphertexts are unchanged (compare-and-set); the rows actually updated. One statement per set of
    columns, executed for many rows at once."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for key, read in rows:
        old: dict[str, Any] = {}
        new: dict[str, Any] = {}
        for name, blob in read.items():
            if keyring.is_current(blob):
                continue
            opened = keyring.decrypt(bytes(blob))
            old[name], new[name] = blob, keyring.encrypt(opened)
            if name == spec.blobs[0] and spec.reindex is not None:
                new.update(spec.reindex(keyring, opened))
        if new:
            params = {f"_old_{n}": v for n, v in old.items()} | {f"_new_{n}": v for n, v in new.items()}
            params["_key"] = key
            by_columns.setdefault((*old, "|", *new), []).append(params)
    updated = 0
    pk = next(iter(spec.table.primary_key.columns))
    for shape, many in by_columns.items():
        split = shape.index("|")
        guards = [spec.table.c[n] == bindparam(f"_old_{n}") for n in shape[:split]]
        values: dict[str, Any] = {n: bindparam(f"_new_{n}") for n in shape[split + 1 :]}
        statement = update(spec.table).where(pk == bindparam("_key"), *guards).values(values)
        updated += int(session.connection().execute(statement, many).rowcount)
    return updated


def _finish(session: Session, rt: Runtime, *, walk: int) -> None:
    remaining = {key_id: n for key_id, n in rows_by_key(session).items() if key_id != rt.keyring.current.id}
    if remaining and walk < MAX_PASSES:
        _enqueue(session, rt, table=ENCRYPTED[0].name, after=None, walk=walk + 1)
        return
    retired = key_registry.retire_unused(session, rt.keyring, now=rt.now(), remaining=remaining)
    audit.record(
        session, rt.keyring, actor=ACTOR, action="keys.rotation_finished", object_type="data_key",
        object_id=f"{rt.keyring.current.id:#04x}", now=rt.now(),
        detail={"retired": [f"{k:#04x}" for k in retired], "left": sum(remaining.values())},
    )  # fmt: skip
