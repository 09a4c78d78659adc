"""Personal data at rest: AES-256-GCM for the data, HMAC-SHA256 blind indexes for look-ups.

Both keys are derived from KETA_DATA_KEY with HKDF, each with its own label, so a leaked blind
index says nothing about the encryption key. Blind indexes let us find "the application with this
passport number" without storing the number in clear. Rotating KETA_DATA_KEY needs a re-encryption
job (not built yet); the key id byte in every ciphertext is there for that day.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_KEY_ID = b"\x01"
_NONCE_BYTES = 12


def derive_key(secret: str, label: bytes) -> bytes:
    """A 256-bit key for one purpose (`label`), derived from a configured secret with HKDF."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"keta", info=label).derive(secret.encode())


class Keyring:
    def __init__(self, data_key: str) -> None:
        self._aead = AESGCM(derive_key(data_key, b"keta/encryption/v1"))
        # Keyed once; each index copies this state instead of re-keying HMAC (a carrier manifest
        # computes two per passenger).
        self._index = hmac.new(derive_key(data_key, b"keta/blind-index/v1"), digestmod=hashlib.sha256)

    def encrypt(self, value: dict[str, Any]) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        plaintext = json.dumps(value, separators=(",", ":"), sort_keys=True).encode()
        return _KEY_ID + nonce + self._aead.encrypt(nonce, plaintext, _KEY_ID)

    def decrypt(self, blob: bytes) -> dict[str, Any]:
        key_id, nonce, body = blob[:1], blob[1 : 1 + _NONCE_BYTES], blob[1 + _NONCE_BYTES :]
        if key_id != _KEY_ID:
            raise ValueError("ciphertext made with an unknown key id")
        result: dict[str, Any] = json.loads(self._aead.decrypt(nonce, body, key_id))
        return result

    def blind_index(self, *parts: str) -> str:
        mac = self._index.copy()
        mac.update("\x1f".join(parts).encode())
        return mac.hexdigest()


_installed: Keyring | None = None


def install_keyring(data_key: str) -> Keyring:
    """Called once by each edge (app factory, CLI, worker) before touching personal data."""
    global _installed
    _installed = Keyring(data_key)
    return _installed


def keyring() -> Keyring:
    if _installed is None:
        raise RuntimeError("no keyring installed: call install_keyring() at start-up")
    return _installed
