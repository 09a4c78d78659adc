"""Answer one carrier query: a manifest of 1 to 1,000 passengers, each answered on its own.

Rows whose shape was wrong arrive as their field problems and are answered INVALID; the others
are checked for meaning, looked up together — one keyed hash per document, one `IN (…)` query
for the whole manifest, no decryption — and decided by the pure rule in `keta.domain.carrier`
with eligibility under the policy in force on each arrival date. The query is recorded for audit
in the same transaction: carrier, time, and per row the document's keyed hash and the answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from keta.db.repositories import carriers as carriers_repo
from keta.db.repositories.authorizations import AuthorizationRow, approved_for_documents
from keta.domain.applications import Status
from keta.domain.carrier import (
    Authorization,
    CarrierAnswer,
    CarrierStatus,
    Eligibilities,
    Passenger,
    answer,
    check_passenger,
)
from keta.domain.errors import FieldProblem
from keta.services import pii
from keta.services.runtime import Runtime

Row = Passenger | Sequence[FieldProblem]  # a well-shaped passenger, or what is wrong with the row


@dataclass(frozen=True, slots=True)
class RowAnswer:
    answer: CarrierAnswer
    problems: tuple[FieldProblem, ...] = ()


def check(
    session: Session,
    rt: Runtime,
    *,
    carrier_id: uuid.UUID,
    rows: Sequence[Row],
    now: datetime,
    audit_session: Session | None = None,
) -> list[RowAnswer]:
    """Answer every row, reading through `session`; the audit record is written through
    `audit_session` when the reads come from a replica (KETA_CARRIER_DATABASE_URL), else `session`."""
    today = rt.today()
    answers: list[RowAnswer | None] = []
    keys: list[tuple[str, ...] | None] = []  # the document's key under each data key, current first
    for index, row in enumerate(rows):
        problems = row if not isinstance(row, Passenger) else check_passenger(row, today=today, prefix=_at(index))
        if problems:
            answers.append(RowAnswer(CarrierAnswer(CarrierStatus.INVALID), tuple(problems)))
            keys.append(None)
        else:
            assert isinstance(row, Passenger)
            answers.append(None)
            keys.append(pii.document_keys(rt.keyring, row.issuing_country, row.document_number))

    found = approved_for_documents(session, {key for versions in keys if versions for key in versions})
    eligibilities = Eligibilities(rt.policy)
    for index, (row, key) in enumerate(zip(rows, keys, strict=True)):
        if key is None:
            continue
        assert isinstance(row, Passenger)
        eligibility = eligibilities.of(row)
        births = pii.birth_keys(rt.keyring, key, row.birth_date)
        authorizations = [
            _authorization(found_row, birth) for version, birth in zip(key, births, strict=True)
            for found_row in found.get(version, ())
        ]  # fmt: skip
        answers[index] = RowAnswer(answer(row, eligibility=eligibility, authorizations=authorizations))

    done = [a for a in answers if a is not None]
    audited = [(key[0] if key else None, a.answer.status.value) for key, a in zip(keys, done, strict=True)]
    carriers_repo.record_check(audit_session or session, carrier_id=carrier_id, at=now, answers=audited)
    return done


def _authorization(row: AuthorizationRow, birth_key: str) -> Authorization:
    return Authorization(
        status=Status(row.status),
        nationality=row.nationality,
        birth_date_matches=row.birth_key == birth_key,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
    )


def _at(index: int) -> str:
    return f"passengers[{index}]."
