"""The keyring: one key id per key, old ciphertexts still open, previous keys decrypt and find only."""

from __future__ import annotations

import json
import os

import pytest

from keta.adapters.crypto import LEGACY_KEY_ID, PURGED, DataKey, Keyring, KeyringError, PersonalDataPurged, UnknownKeyId
from keta.domain.errors import NotFound

OLD = "old-data-key-Vq7Xm2Rp9Lk4Sw8Nz3Tb6Yh"
NEW = "new-data-key-Hq4Zt8Wm2Xc6Vb9Np3Ls7Rk"


def legacy_ciphertext(key: str, value: dict[str, str]) -> bytes:
    """What keta wrote before key rotation existed: key id byte 1, whatever the key."""
    nonce = os.urandom(12)
    plaintext = json.dumps(value, separators=(",", ":"), sort_keys=True).encode()
    return b"\x01" + nonce + DataKey(key).aead.encrypt(nonce, plaintext, b"\x01")


def test_each_ciphertext_names_the_key_that_made_it() -> None:
    old, rotating = Keyring(OLD), Keyring(NEW, [OLD])
    blob = old.encrypt({"surname": "Yılmaz"})
    assert blob[0] == old.current.id == DataKey(OLD).id and 2 <= blob[0] <= 255
    assert rotating.decrypt(blob) == {"surname": "Yılmaz"}  # a previous key still decrypts
    fresh = rotating.encrypt({"surname": "Yılmaz"})
    assert fresh[0] == rotating.current.id != old.current.id  # ... but only the current key encrypts
    assert rotating.is_current(fresh) and not rotating.is_current(blob)
    with pytest.raises(UnknownKeyId):
        old.decrypt(fresh)  # a key id this keyring does not hold


def test_ciphertexts_from_before_rotation_open_with_whichever_key_made_them() -> None:
    blob = legacy_ciphertext(OLD, {"given_names": "Ayşe"})
    assert blob[0] == LEGACY_KEY_ID
    assert Keyring(OLD).decrypt(blob) == {"given_names": "Ayşe"}
    assert Keyring(NEW, [OLD]).decrypt(blob) == {"given_names": "Ayşe"}
    opened_by = Keyring(NEW, [OLD]).opens_with(blob)
    assert opened_by is not None and opened_by.fingerprint == DataKey(OLD).fingerprint
    assert Keyring(NEW).opens_with(blob) is None


def test_look_ups_try_the_current_key_then_the_previous_ones() -> None:
    old, rotating = Keyring(OLD), Keyring(NEW, [OLD])
    indexes = rotating.blind_indexes("passport", "TUR", "U12345678")
    assert indexes == (
        Keyring(NEW).blind_index("passport", "TUR", "U12345678"),
        old.blind_index("passport", "TUR", "U12345678"),
    )
    assert rotating.blind_index("passport", "TUR", "U12345678") == indexes[0]


def test_keys_that_cannot_work_together_are_refused_naming_the_setting() -> None:
    with pytest.raises(KeyringError, match="KETA_DATA_KEY_PREVIOUS"):
        Keyring(NEW, [NEW])
    by_id: dict[int, str] = {}
    for n in range(2000):  # 254 possible ids: two keys share one after a few dozen tries
        candidate = f"collision-{n}-Xq7Wm2Rp9Lk4Sw8Nz3Tb"
        key_id = DataKey(candidate).id
        if key_id in by_id:
            with pytest.raises(KeyringError, match="KETA_DATA_KEY_PREVIOUS: two keys share the key id"):
                Keyring(candidate, [by_id[key_id]])
            return
        by_id[key_id] = candidate
    pytest.fail("no two keys shared an id")


def test_a_purged_value_reads_as_not_found() -> None:
    with pytest.raises(PersonalDataPurged) as raised:
        Keyring(NEW).decrypt(PURGED)
    assert isinstance(raised.value, NotFound)
    assert Keyring(NEW).is_current(PURGED)  # nothing to re-encrypt
