"""Personal data at rest: AES-256-GCM for the data, HMAC-SHA256 blind indexes for look-ups.

Every key is derived from a data key (KETA_DATA_KEY) with HKDF, each with its own label, so a
leaked blind index says nothing about the encryption key. Blind indexes let us find "the
application with this passport number" without storing the number in clear.

Rotation: a keyring holds the current data key (it encrypts) and the previous ones
(KETA_DATA_KEY_PREVIOUS; they only decrypt). Each ciphertext starts with the id of the key that
made it — one byte derived from the key itself (2..255; collisions are refused when the keyring is
built). Byte 1 is what keta wrote before rotation existed: one key, whichever was set, so such a
ciphertext is opened by trying each key (GCM's tag says which one is right). An empty value is a
tombstone: the personal data was purged (`PersonalDataPurged`, a `NotFound`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Sequence
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from keta.domain.errors import NotFound

LEGACY_KEY_ID = 1
PURGED = b""  # the tombstone a retention purge leaves in a NOT NULL blob column
_NONCE_BYTES = 12


class KeyringError(ValueError):
    """The configured keys cannot work together; the message is one line naming the setting."""


class UnknownKeyId(ValueError):
    def __init__(self, key_id: int) -> None:
        self.key_id = key_id
        super().__init__(f"ciphertext made with key id {key_id:#04x}, which this keyring does not hold")


class PersonalDataPurged(NotFound):
    """The value was deleted by the retention purge: to its readers, the application no longer exists."""


def derive_key(secret: str, label: bytes) -> bytes:
    """A 256-bit key for one purpose (`label`), derived from a configured secret with HKDF."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"keta", info=label).derive(secret.encode())


def audit_mac_with(audit_key: bytes, message: bytes) -> str:
    return hmac.new(audit_key, message, hashlib.sha256).hexdigest()


class DataKey:
    """One data key and everything derived from it."""

    def __init__(self, secret: str) -> None:
        tag = derive_key(secret, b"keta/key-id/v1")
        self.fingerprint = tag[:16].hex()  # names the key in the key registry without revealing it
        self.id = 2 + tag[16] % 254  # never 0 (no key) nor 1 (legacy)
        self.aead = AESGCM(derive_key(secret, b"keta/encryption/v1"))
        # Keyed once; each index copies this state instead of re-keying HMAC (a carrier manifest
        # computes two per passenger).
        self._index = hmac.new(derive_key(secret, b"keta/blind-index/v1"), digestmod=hashlib.sha256)
        self.audit_key = derive_key(secret, b"keta/audit-chain/v1")

    def open(self, key_id: int, blob: bytes) -> dict[str, Any]:
        nonce, body = blob[1 : 1 + _NONCE_BYTES], blob[1 + _NONCE_BYTES :]
        result: dict[str, Any] = json.loads(self.aead.decrypt(nonce, body, bytes([key_id])))
        return result

    def index(self, message: bytes) -> str:
        mac = self._index.copy()
        mac.update(message)
        return mac.hexdigest()


class Keyring:
    def __init__(self, data_key: str, previous: Sequence[str] = ()) -> None:
        self.current = DataKey(data_key)
        self.previous = tuple(DataKey(secret) for secret in previous)
        seen: dict[int, DataKey] = {}
        for key in self.keys:
            if key.fingerprint in {k.fingerprint for k in seen.values()}:
                raise KeyringError("KETA_DATA_KEY_PREVIOUS names the same key twice, or repeats KETA_DATA_KEY")
            if key.id in seen:
                raise KeyringError(
                    f"KETA_DATA_KEY_PREVIOUS: two keys share the key id {key.id:#04x}; "
                    "make another KETA_DATA_KEY (the id is derived from the key)"
                )
            seen[key.id] = key
        self._by_id = seen

    @property
    def keys(self) -> tuple[DataKey, ...]:
        """Current first: look-ups and decryption try it first."""
        return (self.current, *self.previous)

    def holds(self, fingerprint: str) -> DataKey | None:
        return next((key for key in self.keys if key.fingerprint == fingerprint), None)

    def encrypt(self, value: dict[str, Any]) -> bytes:
        key_id = bytes([self.current.id])
        nonce = os.urandom(_NONCE_BYTES)
        plaintext = json.dumps(value, separators=(",", ":"), sort_keys=True).encode()
        return key_id + nonce + self.current.aead.encrypt(nonce, plaintext, key_id)

    def decrypt(self, blob: bytes) -> dict[str, Any]:
        if not blob:
            raise PersonalDataPurged()
        key_id = blob[0]
        if key_id == LEGACY_KEY_ID:
            return self._open_legacy(blob)
        key = self._by_id.get(key_id)
        if key is None:
            raise UnknownKeyId(key_id)
        return key.open(key_id, blob)

    def opens_with(self, blob: bytes) -> DataKey | None:
        """Which of our keys opens this ciphertext (None: none of them, or nothing to open)."""
        if not blob:
            return None
        by_id = self._by_id.get(blob[0])
        candidates = self.keys if blob[0] == LEGACY_KEY_ID else ((by_id,) if by_id else ())
        for key in candidates:
            try:
                key.open(blob[0], blob)
            except InvalidTag:
                continue
            return key
        return None

    def _open_legacy(self, blob: bytes) -> dict[str, Any]:
        for key in self.keys:
            try:
                return key.open(LEGACY_KEY_ID, blob)
            except InvalidTag:
                continue
        raise InvalidTag()

    def is_current(self, blob: bytes | None) -> bool:
        """True for a ciphertext of the current key, and for nothing to re-encrypt (NULL or purged)."""
        return not blob or blob[0] == self.current.id

    def blind_index(self, *parts: str) -> str:
        """The index under the current key: what new rows store."""
        return self.current.index("\x1f".join(parts).encode())

    def blind_indexes(self, *parts: str) -> tuple[str, ...]:
        """The index under every key, current first: look-ups match any of them until a rotation
        has rebuilt every stored index under the current key."""
        message = "\x1f".join(parts).encode()
        return tuple(key.index(message) for key in self.keys)


_installed: Keyring | None = None


def install_keyring(data_key: str, previous: Sequence[str] = ()) -> Keyring:
    """Called once by each edge (app factory, CLI, worker) before touching personal data."""
    global _installed
    _installed = Keyring(data_key, previous)
    return _installed


def keyring() -> Keyring:
    if _installed is None:
        raise RuntimeError("no keyring installed: call install_keyring() at start-up")
    return _installed
