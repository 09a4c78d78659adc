"""The border desk's two acts: look a passport up, and record the traveller's entry.

The look-up goes through the same keyed hash of issuing state + number as the carrier check
(`pii.document_keys`, under every data key the keyring holds), but reads every application filed on
the passport, whatever its status, and decrypts the one it shows: the officer compares the name and
photo on the authorization with the person at the desk. Every look-up is audited (who, which
document hash, which application, what answer: ids and codes only), in the caller's transaction.

An entry is recorded once per passport, port and day: submitting it again (a double click, a border
system retrying) finds the first and changes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from keta.db.models import Application, BorderEntry
from keta.db.repositories.authorizations import applications_for_documents
from keta.domain.applications import Status
from keta.domain.border import BorderAnswer, BorderStatus, Holding, Identification, decide
from keta.domain.eligibility import EligibilityDecision, TravellerFacts, evaluate
from keta.domain.errors import FieldProblem, InvalidInput
from keta.domain.policy import PortOfEntry
from keta.services import audit, pii
from keta.services.runtime import Runtime

CHANNELS = ("page", "api")


@dataclass(frozen=True)
class Shown:
    """The authorization as the officer sees it: from the decrypted application."""

    reference: str
    status: str
    valid_from: date | None
    valid_until: date | None
    surname: str
    given_names: str
    nationality: str
    birth_date: date
    photo_jpeg: str | None  # base64, as the portal stored it


@dataclass(frozen=True)
class Lookup:
    who: Identification
    arrival: date
    answer: BorderAnswer
    shown: Shown | None
    document_keys: tuple[str, ...]  # under every data key, current first
    application_id: uuid.UUID | None


def look_up(
    session: Session,
    rt: Runtime,
    *,
    who: Identification,
    staff_id: uuid.UUID,
    channel: str,
    arrival: date | None = None,
) -> Lookup:
    """The answer for the passport on `arrival` (today at the desk), audited."""
    result = find(session, rt, who=who, arrival=arrival or rt.today())
    audit.record(
        session, rt.keyring, actor=str(staff_id), action="border.lookup", object_type="document",
        object_id=result.document_keys[0], now=rt.now(),
        detail={"status": result.answer.status.value, "application": _id(result.application_id), "channel": channel},
    )  # fmt: skip
    return result


def find(session: Session, rt: Runtime, *, who: Identification, arrival: date) -> Lookup:
    """The answer without the audit record (`look_up` and `record_entry` audit what they do with it)."""
    keys = pii.document_keys(rt.keyring, who.issuing_country, who.document_number)
    applications = {str(a.id): a for a in applications_for_documents(session, keys)}
    personal = {ref: rt.keyring.decrypt(a.pii) for ref, a in applications.items()}
    holdings = [_holding(a, personal[ref]) for ref, a in applications.items()]
    eligibility = _eligibility(rt, who, holdings, arrival)
    answer = decide(who, arrival=arrival, eligibility=eligibility, holdings=holdings, policy=rt.policy)
    if answer.holding is None:
        return Lookup(who, arrival, answer, None, keys, None)
    chosen = applications[answer.holding.ref]
    return Lookup(who, arrival, answer, _shown(chosen, personal[answer.holding.ref]), keys, chosen.id)


def _eligibility(
    rt: Runtime, who: Identification, holdings: list[Holding], arrival: date
) -> EligibilityDecision | None:
    """Eligibility from the passport read at the desk; what it lacks, from the latest authorization."""
    nationality = who.nationality or (holdings[0].nationality if holdings else None)
    birth = who.birth_date or (holdings[0].birth_date if holdings else None)
    if nationality is None or birth is None:
        return None
    return evaluate(TravellerFacts(nationality, birth, arrival), rt.policy)


def _holding(application: Application, personal: dict[str, Any]) -> Holding:
    birth = personal.get("passport", {}).get("birth_date")
    return Holding(
        ref=str(application.id),
        status=Status(application.status),
        nationality=application.nationality,
        birth_date=date.fromisoformat(birth) if birth else None,
        valid_from=application.valid_from,
        valid_until=application.valid_until,
    )


def _shown(application: Application, personal: dict[str, Any]) -> Shown:
    passport = personal["passport"]
    return Shown(
        reference=application.reference,
        status=application.status,
        valid_from=application.valid_from,
        valid_until=application.valid_until,
        surname=str(passport["surname"]),
        given_names=str(passport["given_names"]),
        nationality=str(passport["nationality"]),
        birth_date=date.fromisoformat(passport["birth_date"]),
        photo_jpeg=personal.get("photo_jpeg"),
    )


@dataclass(frozen=True)
class Recorded:
    entry: BorderEntry
    created: bool  # False: the same entry had been recorded already (idempotent repeat)
    lookup: Lookup


def port_named(rt: Runtime, code: str, day: date) -> PortOfEntry:
    port = next((p for p in rt.policy.ports_on(day) if p.code == code.strip().upper()), None)
    if port is None:
        raise InvalidInput([FieldProblem("port", "required" if not code.strip() else "invalid_choice")])
    return port


def record_entry(
    session: Session, rt: Runtime, *, who: Identification, port: str, staff_id: uuid.UUID, channel: str
) -> Recorded:
    """Record today's entry at `port`, with the look-up's answer at this moment; once per passport, port, day."""
    today = rt.today()
    chosen = port_named(rt, port, today)
    lookup = find(session, rt, who=who, arrival=today)
    existing = _entry(session, lookup.document_keys, chosen.code, today)
    if existing is not None:
        return Recorded(existing, False, lookup)
    entry = BorderEntry(
        document_key=lookup.document_keys[0], application_id=lookup.application_id, port=chosen.code,
        entry_date=today, status=lookup.answer.status.value, staff_id=staff_id, channel=channel, at=rt.now(),
    )  # fmt: skip
    try:
        with session.begin_nested():  # two desks submitting at once: the unique key keeps one
            session.add(entry)
    except IntegrityError:
        existing = _entry(session, lookup.document_keys, chosen.code, today)
        assert existing is not None  # the row that won the race
        return Recorded(existing, False, lookup)
    audit.record(
        session, rt.keyring, actor=str(staff_id), action="border.entry_recorded", object_type="border_entry",
        object_id=str(entry.id), now=rt.now(),
        detail={"port": chosen.code, "status": entry.status, "application": _id(entry.application_id),
                "channel": channel},
    )  # fmt: skip
    return Recorded(entry, True, lookup)


def _entry(session: Session, document_keys: tuple[str, ...], port: str, day: date) -> BorderEntry | None:
    return session.scalars(
        select(BorderEntry).where(
            BorderEntry.document_key.in_(document_keys), BorderEntry.port == port, BorderEntry.entry_date == day
        )
    ).first()


def _id(value: uuid.UUID | None) -> str | None:
    return str(value) if value else None


__all__ = ["CHANNELS", "BorderStatus", "Lookup", "Recorded", "Shown", "find", "look_up", "port_named", "record_entry"]
