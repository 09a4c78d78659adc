"""The carrier check: may this passenger board for this arrival? One answer per passenger.

An airline sends what it reads from the passport (document number, issuing state, nationality,
birth date) and the arrival date; keta answers with one status and nothing personal:

    NOT_APPLICABLE  the scheme does not cover this traveller (home nationals, outside its dates)
    VISA_REQUIRED   a nationality outside the visa-free list: a visa, not an authorization
    OK              an approved authorization for this document covers the arrival date
    OK_EXEMPT       no authorization needed (age, temporary country exemption): the exemption's code
    NOT_OK          anything else — none, refused, in review, revoked, expired, withdrawn, or the
                    birth date or nationality do not match the authorization. No reason is given:
                    the carrier must not learn why, and a mismatch must look like no authorization.
    INVALID         the row itself is wrong; its field problems say where

Order: eligibility first (a visa-required national is never "OK"), then a valid authorization,
then exemptions — so an exempt traveller who applied voluntarily and holds a valid authorization
gets OK with its end date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from keta.domain.applications import Status
from keta.domain.eligibility import EligibilityDecision, Outcome, TravellerFacts, age_exemption, evaluate
from keta.domain.errors import FieldProblem
from keta.domain.policy import Policy

MAX_PASSENGERS = 1000
# A check is made before boarding, so the arrival is today or later in the scheme's zone; one day
# of slack absorbs a carrier computing the date in its own time zone.
ARRIVAL_SLACK = timedelta(days=1)
ARRIVAL_HORIZON = timedelta(days=366)


class CarrierStatus(StrEnum):
    OK = "OK"
    OK_EXEMPT = "OK_EXEMPT"
    NOT_OK = "NOT_OK"
    VISA_REQUIRED = "VISA_REQUIRED"
    NOT_APPLICABLE = "NOT_APPLICABLE"
    INVALID = "INVALID"


@dataclass(frozen=True, slots=True)
class Passenger:
    document_number: str
    issuing_country: str  # ICAO alpha-3, upper case
    nationality: str
    birth_date: date
    arrival_date: date
    flight: str | None = None


@dataclass(frozen=True, slots=True)
class Authorization:
    """What the look-up found for a document: no personal data, only what the rule compares."""

    status: Status
    nationality: str
    birth_date_matches: bool
    valid_from: date | None
    valid_until: date | None


@dataclass(frozen=True, slots=True)
class CarrierAnswer:
    status: CarrierStatus
    valid_until: date | None = None
    exemption: str | None = None  # reason code, e.g. "age_17_or_under", "temporary_exemption"


class Eligibilities:
    """`evaluate` for the passengers of one manifest, each distinct case decided once.

    The eligibility rules read the birth date only through the age exemption on the arrival date
    (`eligibility.age_exemption`), so passengers of one nationality and arrival date whose age
    falls in the same band get the same decision: a 300-passenger manifest holds a few dozen
    cases. (tests/domain/test_carrier.py checks the memo against `evaluate` on random passengers.)
    """

    def __init__(self, policy: Policy) -> None:
        self._policy = policy
        self._decided: dict[tuple[str, date, str | None], EligibilityDecision] = {}

    def of(self, passenger: Passenger) -> EligibilityDecision:
        facts = TravellerFacts(passenger.nationality, passenger.birth_date, passenger.arrival_date)
        case = (passenger.nationality, passenger.arrival_date, age_exemption(facts, self._policy))
        decision = self._decided.get(case)
        if decision is None:
            decision = self._decided[case] = evaluate(facts, self._policy)
        return decision


def check_passenger(passenger: Passenger, *, today: date, prefix: str) -> list[FieldProblem]:
    """Meaning checks on a row whose shape is right; `prefix` is e.g. "passengers[3]."."""
    problems = []
    if passenger.birth_date > today:
        problems.append(FieldProblem(prefix + "birth_date", "in_future"))
    if passenger.arrival_date < today - ARRIVAL_SLACK:
        problems.append(FieldProblem(prefix + "arrival_date", "in_past"))
    elif passenger.arrival_date > today + ARRIVAL_HORIZON:
        problems.append(FieldProblem(prefix + "arrival_date", "too_far_ahead"))
    return problems


def covers(authorization: Authorization, passenger: Passenger) -> bool:
    return (
        authorization.status is Status.APPROVED
        and authorization.birth_date_matches
        and authorization.nationality == passenger.nationality
        and authorization.valid_from is not None
        and authorization.valid_until is not None
        and authorization.valid_from <= passenger.arrival_date <= authorization.valid_until
    )


def answer(
    passenger: Passenger, *, eligibility: EligibilityDecision, authorizations: Iterable[Authorization]
) -> CarrierAnswer:
    """`eligibility` is `keta.domain.eligibility.evaluate` for this passenger on the arrival date."""
    if eligibility.outcome is Outcome.NOT_APPLICABLE:
        return CarrierAnswer(CarrierStatus.NOT_APPLICABLE)
    if eligibility.outcome is Outcome.VISA_REQUIRED:
        return CarrierAnswer(CarrierStatus.VISA_REQUIRED)
    ends = [a.valid_until for a in authorizations if covers(a, passenger) and a.valid_until is not None]
    if ends:
        return CarrierAnswer(CarrierStatus.OK, valid_until=max(ends))
    if eligibility.outcome is Outcome.EXEMPT:
        return CarrierAnswer(CarrierStatus.OK_EXEMPT, exemption=eligibility.reasons[0])
    return CarrierAnswer(CarrierStatus.NOT_OK)
