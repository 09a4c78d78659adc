"""Every column that holds a ciphertext, and the blind indexes rebuilt from it.

One list serves the key rotation (what to re-encrypt), its progress report and /metrics (what to
count), and the key registry's start-up check (where to look for data under a key). A test fails
when a model gains a `LargeBinary` column this list does not name, so a new encrypted column cannot
be forgotten by the rotation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, func, or_

from keta.adapters.crypto import Keyring
from keta.db.base import Base
from keta.db.models import (
    Application,
    CaseAction,
    DataKeyRecord,
    Group,
    InformationRequest,
    RedressRequest,
    ReviewCase,
    StaffMember,
)
from keta.services import pii

Reindex = Callable[[Keyring, dict[str, Any]], dict[str, str]]


@dataclass(frozen=True)
class EncryptedTable:
    model: type[Base]
    blobs: tuple[str, ...]
    # Blind indexes computed from the decrypted value of `blobs[0]`, rebuilt whenever it is re-encrypted.
    reindex: Reindex | None = None

    @property
    def table(self) -> Table:
        table = self.model.__table__
        assert isinstance(table, Table)
        return table

    @property
    def name(self) -> str:
        return self.table.name


ENCRYPTED: tuple[EncryptedTable, ...] = (
    EncryptedTable(Application, ("pii",), pii.application_indexes),
    EncryptedTable(Group, ("pii",), pii.group_indexes),
    EncryptedTable(StaffMember, ("totp_secret",)),
    EncryptedTable(ReviewCase, ("findings",)),
    EncryptedTable(CaseAction, ("note",)),
    EncryptedTable(InformationRequest, ("message", "answer")),
    EncryptedTable(RedressRequest, ("content",)),
    EncryptedTable(DataKeyRecord, ("audit_key",)),
)


def key_id_byte(column: Any) -> ColumnElement[Any]:
    """The first byte of a ciphertext: the id of the key that made it (same SQL on both backends)."""
    return func.substr(column, 1, 1)


def under_other_key(column: Any, key_id: int) -> ColumnElement[bool]:
    """A ciphertext that is not under `key_id` (NULL and purged values hold nothing to re-encrypt)."""
    return and_(column.is_not(None), func.length(column) > 0, key_id_byte(column) != bytes([key_id]))


def any_under_other_key(spec: EncryptedTable, key_id: int) -> ColumnElement[bool]:
    return or_(*(under_other_key(spec.table.c[name], key_id) for name in spec.blobs))
