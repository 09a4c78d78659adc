"""The start-up check of the keyring against the key registry (keta.db.models.keys), and retiring keys.

Every edge runs `check_and_register` before it serves anything: it refuses — one line naming the
setting — when data remain under a key the keyring does not hold, or when the current key's id is
already taken by another key; otherwise it records the current key. The check reads the registry
only (a handful of rows), never the data tables: start-up stays instant on any database size.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from keta.adapters.crypto import LEGACY_KEY_ID, DataKey, Keyring
from keta.db.models import AuditRecord, DataKeyRecord
from keta.services import audit
from keta.services.encrypted import ENCRYPTED, key_id_byte


class KeyringMismatch(Exception):
    """The keyring cannot read this database, or must not write to it; the message names the setting."""


def check_and_register(session: Session, keyring: Keyring, *, now: datetime) -> None:
    rows = {row.key_id: row for row in session.scalars(select(DataKeyRecord))}
    legacy = rows.get(LEGACY_KEY_ID)
    if legacy is not None and legacy.fingerprint is None and legacy.retired_at is None:
        _resolve_legacy(session, keyring, legacy, now=now)
    for row in rows.values():
        if row.retired_at is None and row.fingerprint and keyring.holds(row.fingerprint) is None:
            raise KeyringMismatch(
                f"KETA_DATA_KEY_PREVIOUS must include the key with id {row.key_id:#04x}: data encrypted with it "
                "remain, and neither KETA_DATA_KEY nor KETA_DATA_KEY_PREVIOUS holds it"
            )
    _register(session, keyring, rows.get(keyring.current.id), now=now)
    # A previous key no edge ever recorded as current has written nothing here (every edge records its
    # key): keep its audit key all the same, as retired, so that removing it later is never refused.
    for key in keyring.previous:
        if key.id not in rows:
            _add_once(session, keyring, key, now=now, retired=True)


def _register(session: Session, keyring: Keyring, row: DataKeyRecord | None, *, now: datetime) -> None:
    current = keyring.current
    if row is None:
        row = _add_once(session, keyring, current, now=now)
    if row is not None and row.fingerprint != current.fingerprint:
        raise KeyringMismatch(
            f"KETA_DATA_KEY: its key id {current.id:#04x} is already taken by an earlier key; "
            "make another KETA_DATA_KEY (the id is derived from the key)"
        )
    if row is not None and row.retired_at is not None:  # back to a key rotated away from: it writes again
        row.retired_at = None
    session.flush()


def _add_once(
    session: Session, keyring: Keyring, key: DataKey, *, now: datetime, retired: bool = False
) -> DataKeyRecord | None:
    """Record a key; None when it is ours. Two processes starting at once: the second gets the first's row."""
    try:
        with session.begin_nested():
            session.add(
                DataKeyRecord(
                    key_id=key.id,
                    fingerprint=key.fingerprint,
                    audit_key=audit.wrap_audit_key(keyring, key.audit_key),
                    first_seen_at=now,
                    retired_at=now if retired else None,
                )
            )
    except IntegrityError:
        return session.get(DataKeyRecord, key.id)
    return None


def _resolve_legacy(session: Session, keyring: Keyring, legacy: DataKeyRecord, *, now: datetime) -> None:
    """Which key made the ciphertexts (and sealed the audit records) written before rotation existed."""
    sample = _legacy_ciphertext(session)
    sealed = session.scalars(select(AuditRecord).where(AuditRecord.key_id.is_(None)).limit(1)).first()
    if sample is None and sealed is None:
        legacy.retired_at = now  # nothing was ever written under it
        return
    if sample is not None:
        key = keyring.opens_with(sample)
    else:
        assert sealed is not None
        key = next((k for k in keyring.keys if audit.sealed_with(sealed, k.audit_key)), None)
    if key is None:
        raise KeyringMismatch(
            "KETA_DATA_KEY: the data already stored was encrypted with another key; set KETA_DATA_KEY "
            "to that key, or name it in KETA_DATA_KEY_PREVIOUS"
        )
    legacy.fingerprint, legacy.audit_key = key.fingerprint, audit.wrap_audit_key(keyring, key.audit_key)


def _legacy_ciphertext(session: Session) -> bytes | None:
    # Right after the upgrade every existing ciphertext is legacy, so the first row scanned matches.
    for spec in ENCRYPTED:
        for name in spec.blobs:
            column = spec.table.c[name]
            found = session.scalar(select(column).where(key_id_byte(column) == bytes([LEGACY_KEY_ID])).limit(1))
            if found:
                return bytes(found)
    return None


def retire_unused(session: Session, keyring: Keyring, *, now: datetime, remaining: dict[int, int]) -> list[int]:
    """Mark retired every registered key other than the current one with no data left (`remaining`:
    key id → rows still under it). Their audit keys stay, so old audit records still verify."""
    retired = []
    for row in session.scalars(select(DataKeyRecord).where(DataKeyRecord.retired_at.is_(None))):
        if row.key_id != keyring.current.id and not remaining.get(row.key_id):
            row.retired_at = now
            retired.append(row.key_id)
    session.flush()
    return sorted(retired)


def rotation_pending(session: Session, keyring: Keyring) -> bool:
    """Data may still be under an old key: the keyring holds previous keys, or one is not yet retired."""
    if keyring.previous:
        return True
    query = select(DataKeyRecord.key_id).where(
        DataKeyRecord.retired_at.is_(None), DataKeyRecord.key_id != keyring.current.id
    )
    return session.scalars(query.limit(1)).first() is not None
