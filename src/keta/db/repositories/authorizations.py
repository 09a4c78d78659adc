"""The carrier check's look-up: approved applications for a set of document keys, in one query.

Only approved rows are read — every other status answers NOT_OK without needing the row — and
only the columns the rule compares: no personal data, nothing to decrypt. The status is read
from the application itself, in the caller's transaction, so a revocation or refusal committed a
moment ago is what the very next check sees.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import String, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from keta.db.hotpath import HotStatement
from keta.db.models import Application
from keta.domain.applications import Status


@dataclass(frozen=True, slots=True)
class AuthorizationRow:
    status: str
    nationality: str
    birth_key: str
    valid_from: date | None
    valid_until: date | None


_COLUMNS = select(
    Application.document_key,
    Application.status,
    Application.nationality,
    Application.birth_key,
    Application.valid_from,
    Application.valid_until,
).where(Application.status == Status.APPROVED.value)
# Built once, run by the driver on PostgreSQL (keta.db.hotpath), with one array parameter: the
# same SQL text for any manifest size, so the server keeps one prepared statement (an IN list of
# N parameters would be a new statement for every N). SQLite has no arrays: an expanding IN list.
_ON_POSTGRESQL = HotStatement(_COLUMNS.where(Application.document_key == any_(bindparam("keys", type_=ARRAY(String)))))
_ELSEWHERE = HotStatement(_COLUMNS.where(Application.document_key.in_(bindparam("keys", expanding=True))))


def approved_for_documents(session: Session, document_keys: Collection[str]) -> dict[str, list[AuthorizationRow]]:
    found: dict[str, list[AuthorizationRow]] = defaultdict(list)
    if not document_keys:
        return found
    connection = session.connection()
    query = _ON_POSTGRESQL if connection.dialect.name == "postgresql" else _ELSEWHERE
    for key, status, nationality, birth, valid_from, valid_until in query.rows(
        connection, {"keys": list(document_keys)}
    ):
        found[key].append(AuthorizationRow(status, nationality, birth, valid_from, valid_until))
    return found


def applications_for_documents(session: Session, document_keys: Collection[str]) -> list[Application]:
    """Every application (any status) filed on one of these document keys, latest first: the border
    desk shows a revoked or refused authorization as such, not as none. Purged rows have empty keys."""
    if not document_keys:
        return []
    query = (
        select(Application)
        .where(Application.document_key.in_(list(document_keys)), Application.purged_at.is_(None))
        .order_by(Application.submitted_at.desc(), Application.id)
    )
    return list(session.scalars(query))
