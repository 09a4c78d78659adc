"""Looking up an application or a group with what only the traveller knows.

A wrong reference and a wrong passport number give the same `NotFound`, so the API cannot be
used to learn whether a reference exists; a purged application (retention) is not found either.
Nor can the time taken: an unknown reference does the same work as a known one with the wrong
passport number — the same one-row query of the columns compared, the blind indexes of the number
under every key, and a constant-time comparison with every one of them (against a decoy when there
is no row); only a match loads the application (`keta bench lookup-timing` measures both paths).
The group view is for its representative (reference + the representative's e-mail) and shows
every member, as K-ETA sends all results to them.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from keta.db.models import Application, Group
from keta.db.repositories import applications as repo
from keta.domain.errors import NotFound
from keta.services import pii, readiness
from keta.services.references import normalize_reference
from keta.services.runtime import Runtime


@dataclass(frozen=True, slots=True)
class ApplicationView:
    reference: str
    status: str
    surname: str
    given_names: str
    nationality: str
    arrival_date: date
    submitted_at: datetime
    eligibility_outcome: str
    eligibility_reasons: list[str]
    decision_reasons: list[str]
    valid_from: date | None
    valid_until: date | None
    group_reference: str | None
    paid: bool
    waiting_for: tuple[str, ...] = ()  # keta.services.readiness: photo, applicant_confirmation, payment


@dataclass(frozen=True, slots=True)
class GroupView:
    reference: str
    representative_surname: str
    representative_given_names: str
    members: list[ApplicationView]
    paid: bool


def view(rt: Runtime, application: Application) -> ApplicationView:
    passport = rt.keyring.decrypt(application.pii)["passport"]
    return ApplicationView(
        reference=application.reference,
        status=application.status,
        surname=passport["surname"],
        given_names=passport["given_names"],
        nationality=application.nationality,
        arrival_date=application.arrival_date,
        submitted_at=application.submitted_at,
        eligibility_outcome=application.eligibility_outcome,
        eligibility_reasons=list(application.eligibility_reasons),
        decision_reasons=list(application.decision_reasons),
        valid_from=application.valid_from,
        valid_until=application.valid_until,
        group_reference=application.group.reference if application.group else None,
        paid=application.payment_id is not None,
        waiting_for=tuple(readiness.waiting_for(rt, application)),
    )


# What an unknown reference is compared with: shaped like a stored index (64 hex digits), equal to none.
DECOY_NATIONALITY = "XXX"
DECOY_KEY = "0" * 64


def matches(candidates: Sequence[str], stored: str) -> bool:
    """Whether `stored` is one of `candidates`, comparing with every one in constant time (no early exit)."""
    found = False
    for candidate in candidates:
        found |= hmac.compare_digest(candidate.encode(), stored.encode())
    return found


def find_application(session: Session, rt: Runtime, *, reference: str, passport_number: str) -> Application:
    reference = normalize_reference(reference)
    nationality, stored = repo.proof_of(session, reference)
    # Any key's index matches: during a key rotation, a row's index may still be under the old key.
    keys = pii.passport_keys(rt.keyring, nationality or DECOY_NATIONALITY, passport_number)
    proven = matches(keys, stored or DECOY_KEY) and stored is not None
    application = repo.by_reference(session, reference) if proven else None
    if application is None:
        raise NotFound()
    return application


def find_group(session: Session, rt: Runtime, *, reference: str, email: str) -> Group:
    reference = normalize_reference(reference)
    stored = repo.group_proof_of(session, reference)
    proven = matches(pii.email_keys(rt.keyring, email), stored or DECOY_KEY) and stored is not None
    group = repo.group_by_reference(session, reference) if proven else None
    if group is None:
        raise NotFound()
    return group


def group_view(rt: Runtime, group: Group) -> GroupView:
    representative = rt.keyring.decrypt(group.pii)
    members = [view(rt, member) for member in group.members]
    return GroupView(
        group.reference,
        representative["surname"],
        representative["given_names"],
        members,
        paid=all(m.paid for m in members),
    )
