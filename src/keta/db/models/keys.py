"""The key registry: every data key that has encrypted something here, by the id its ciphertexts carry.

It lets a process refuse to start, at the cost of one small read, when data remain under a key it
does not hold (instead of failing on a traveller's request later), and it keeps each key's audit
key — sealed with the current data key, like any other blob — so audit records sealed before a
rotation stay verifiable after the old key is gone. `retired_at`: a rotation found no data left
under the key. Key id 1 stands for the ciphertexts keta wrote before rotation existed; its
`fingerprint` is filled in by the first process that finds which key opens them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from keta.db.base import Base, UTCDateTime


class DataKeyRecord(Base):
    __tablename__ = "data_keys"

    key_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    fingerprint: Mapped[str | None] = mapped_column(String(32))
    audit_key: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted {"audit_key": base64}
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
