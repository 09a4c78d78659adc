"""The tamper-evident audit trail: append a record, and walk the chain to prove nobody changed it.

Each record's hash is an HMAC (key derived from the data key) over the previous record's hash and
the record's own canonical JSON. Editing a record breaks its hash; deleting one leaves a gap in
`seq` and breaks the next record's `prev_hash`; swapping two breaks both; cutting the tail makes
the head row disagree. Records carry ids and codes only (who, what, which object) — never names,
passport numbers or free text — so the trail can be read by auditors and kept for as long as needed.

Key rotation: each record names the data key whose audit key sealed it (`key_id`). The old audit
keys stay readable in the key registry, sealed with the current data key like any other blob, so
the whole chain still verifies after the old data key is removed. And the first record sealed with
the new key holds the hash of the last one sealed with the old: someone who kept the old key still
cannot rewrite the records from before the rotation unseen.
"""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keta.adapters.crypto import LEGACY_KEY_ID, Keyring, audit_mac_with
from keta.adapters.crypto import keyring as installed_keyring
from keta.db.models import AuditHead, AuditRecord, DataKeyRecord

GENESIS = "0" * 64
_HEAD_ID = 1


def _canonical(seq: int, at: datetime, actor: str, action: str, object_type: str, object_id: str, detail: Any) -> bytes:
    body = {
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "detail": detail,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _seal(audit_key: bytes, prev_hash: str, canonical: bytes) -> str:
    return audit_mac_with(audit_key, prev_hash.encode() + b"\n" + canonical)


def wrap_audit_key(keyring: Keyring, audit_key: bytes) -> bytes:
    """An audit key as the key registry keeps it: encrypted with the current data key."""
    return keyring.encrypt({"audit_key": base64.b64encode(audit_key).decode("ascii")})


def audit_keys(session: Session, keyring: Keyring) -> dict[int, bytes]:
    """Key id → audit key, for every key that sealed records: the keyring's own, then the registry's."""
    keys = {key.id: key.audit_key for key in keyring.keys}
    for row in session.scalars(select(DataKeyRecord)):
        held = keyring.holds(row.fingerprint) if row.fingerprint else None
        if held is not None:
            keys.setdefault(row.key_id, held.audit_key)
        elif row.audit_key and row.key_id not in keys:
            with contextlib.suppress(Exception):  # sealed with a key we lack: its records say "unknown_key"
                keys[row.key_id] = base64.b64decode(str(keyring.decrypt(row.audit_key)["audit_key"]))
    # No registry entry for the records sealed before rotation existed: then there was one key, ours.
    keys.setdefault(LEGACY_KEY_ID, keyring.current.audit_key)
    return keys


def sealed_with(entry: AuditRecord, audit_key: bytes) -> bool:
    canonical = _canonical(
        entry.seq, entry.at, entry.actor, entry.action, entry.object_type, entry.object_id, entry.detail
    )
    return _seal(audit_key, entry.prev_hash, canonical) == entry.hash


def record(
    session: Session,
    keyring: Keyring,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    now: datetime,
    detail: Mapping[str, Any] | None = None,
) -> AuditRecord:
    """Append one record in the caller's transaction (it commits or rolls back with the act it records)."""
    head = session.get(AuditHead, _HEAD_ID, with_for_update=True)
    if head is None:
        head = AuditHead(id=_HEAD_ID, seq=0, hash=GENESIS)
        session.add(head)
    seq, prev = head.seq + 1, head.hash
    at = now.astimezone(UTC)  # the hash covers exactly what is stored and read back (UTC, microseconds)
    body = dict(detail or {})
    digest = _seal(keyring.current.audit_key, prev, _canonical(seq, at, actor, action, object_type, object_id, body))
    entry = AuditRecord(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=body,
        prev_hash=prev,
        hash=digest,
        key_id=keyring.current.id,
    )
    session.add(entry)
    head.seq, head.hash = seq, digest
    session.flush()
    return entry


@dataclass(frozen=True, slots=True)
class Break:
    seq: int
    problem: str  # edited | missing_before | reordered | head_mismatch | unknown_key


@dataclass(frozen=True, slots=True)
class Verification:
    records: int
    first_break: Break | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def verify(session: Session, keyring: Keyring) -> Verification:
    """Walk the whole chain in order and report the first record that was edited, removed or reordered."""
    # Streamed (a server-side cursor on PostgreSQL), and closed however the walk ends.
    records = session.scalars(select(AuditRecord).order_by(AuditRecord.seq).execution_options(yield_per=1000))
    try:
        return _walk(session, audit_keys(session, keyring), records)
    finally:
        records.close()


def _walk(session: Session, keys: Mapping[int, bytes], records: Iterable[AuditRecord]) -> Verification:
    expected_seq, prev, count = 1, GENESIS, 0
    for entry in records:
        count += 1
        if entry.seq != expected_seq:
            return Verification(count, Break(entry.seq, "missing_before"))
        if entry.prev_hash != prev:
            return Verification(count, Break(entry.seq, "reordered"))
        audit_key = keys.get(LEGACY_KEY_ID if entry.key_id is None else entry.key_id)
        if audit_key is None:
            return Verification(count, Break(entry.seq, "unknown_key"))
        if not sealed_with(entry, audit_key):
            return Verification(count, Break(entry.seq, "edited"))
        prev, expected_seq = entry.hash, entry.seq + 1
    head = session.get(AuditHead, _HEAD_ID)
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head_seq != expected_seq - 1 or head_hash != prev:
        return Verification(count, Break(expected_seq, "head_mismatch"))
    return Verification(count, None)


def list_changed(session: Session, *, action: str, name: str, now: datetime, actor: str, **detail: Any) -> None:
    """A watchlist or document-list change, sealed with the process's keyring (the edges install it
    before anything imports a list): which list, which version, how many entries — no entry itself."""
    record(session, installed_keyring(), actor=actor, action=action, object_type="list", object_id=name, now=now,
           detail=detail)  # fmt: skip


def policy_in_force(session: Session, keyring: Keyring, *, code: str, checksum: str, now: datetime) -> bool:
    """Record the policy file a process starts with when it differs from the last one recorded;
    True when it was a change. An edited policy file is thus in the trail from its first use."""
    last = session.scalars(
        select(AuditRecord).where(AuditRecord.action == "policy.in_force").order_by(AuditRecord.seq.desc()).limit(1)
    ).first()
    if last is not None and last.detail.get("checksum") == checksum and last.object_id == code:
        return False
    record(session, keyring, actor="system:start", action="policy.in_force", object_type="policy", object_id=code,
           now=now, detail={"checksum": checksum})  # fmt: skip
    return True
