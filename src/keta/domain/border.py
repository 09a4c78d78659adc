"""The border desk: what the authority knows about the traveller in front of the officer.

The officer reads the passport (the two MRZ lines, or the number and issuing state) and keta answers
with one status for the arrival date:

    AUTHORIZED        an approved authorization for this passport covers the arrival date
    EXEMPT            none is needed (age on the arrival date, temporary country exemption), and none
                      valid is held
    NOT_APPLICABLE    the scheme does not cover the traveller (a Korean national, outside its dates)
    VISA_REQUIRED     a nationality outside the visa-free list: entry needs a visa, not an authorization
    NOT_VALID         an authorization exists for this passport but does not cover the arrival: refused,
                      revoked, annulled, expired, still in review — or the passport's birth date or
                      nationality differ from the one on the authorization
    NO_AUTHORIZATION  keta holds nothing for this passport

and with the arrival card: exempt for holders of a valid authorization while the policy's rule is in
force, required otherwise, not applicable to home nationals.

Order as in the carrier check (keta.domain.carrier): eligibility first, then a covering authorization,
then the exemptions — so an exempt traveller who applied voluntarily is AUTHORIZED (and needs no card).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from keta.domain.applications import Status
from keta.domain.documents import country_code, normalize_document_number
from keta.domain.eligibility import EligibilityDecision, Outcome
from keta.domain.errors import FieldProblem
from keta.domain.mrz import parse_td3
from keta.domain.policy import Policy

MAX_DOCUMENT_NUMBER = 12


class BorderStatus(StrEnum):
    AUTHORIZED = "authorized"
    EXEMPT = "exempt"
    NOT_APPLICABLE = "not_applicable"
    VISA_REQUIRED = "visa_required"
    NOT_VALID = "not_valid"
    NO_AUTHORIZATION = "no_authorization"


class ArrivalCard(StrEnum):
    EXEMPT = "exempt"
    REQUIRED = "required"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True, slots=True)
class Identification:
    """The passport as read at the desk. Nationality and birth date come with the MRZ; typed in by
    hand they are optional, and then taken from the authorization when there is one."""

    document_number: str  # normalized
    issuing_country: str  # alpha-3
    nationality: str | None = None
    birth_date: date | None = None


@dataclass(frozen=True, slots=True)
class Holding:
    """An application found for the passport, as the rule needs it. `ref` lets the caller find it again."""

    ref: str
    status: Status
    nationality: str
    birth_date: date | None
    valid_from: date | None
    valid_until: date | None


@dataclass(frozen=True, slots=True)
class BorderAnswer:
    status: BorderStatus
    arrival_card: ArrivalCard
    holding: Holding | None = None  # the authorization to show: the covering one, else the latest
    exemptions: tuple[str, ...] = ()  # reason codes (EXEMPT, NOT_APPLICABLE, VISA_REQUIRED)
    mismatch: bool = False  # NOT_VALID because birth date or nationality differ from the authorization


def identify_mrz(line1: str, line2: str, *, today: date) -> Identification | list[FieldProblem]:
    """The passport from its two TD3 lines, or one problem per faulty field ("mrz.birth_date": a
    failed check digit names the field it guards)."""
    parsed = parse_td3(line1, line2, today=today)
    if parsed.problems or parsed.data is None:
        return [FieldProblem(f"mrz.{problem.field}", problem.code.value) for problem in parsed.problems]
    data = parsed.data
    return Identification(
        normalize_document_number(data.document_number),
        country_code(data.issuing_state),
        country_code(data.nationality),
        data.birth_date,
    )


def identify_document(
    number: str, issuing_country: str, *, nationality: str = "", birth_date: date | None = None
) -> Identification | list[FieldProblem]:
    """The passport from a typed number and issuing state (nationality and birth date optional)."""
    problems = []
    normalized = normalize_document_number(number)
    if not normalized:
        problems.append(FieldProblem("document_number", "required"))
    elif len(normalized) > MAX_DOCUMENT_NUMBER:
        problems.append(FieldProblem("document_number", "too_long", (("max", MAX_DOCUMENT_NUMBER),)))
    for path, value, required in (("issuing_country", issuing_country, True), ("nationality", nationality, False)):
        code = country_code(value)
        if not code and required:
            problems.append(FieldProblem(path, "required"))
        elif code and not (len(code) == 3 and code.isascii() and code.isalpha()):
            problems.append(FieldProblem(path, "invalid_country_code"))
    if problems:
        return problems
    return Identification(normalized, country_code(issuing_country), country_code(nationality) or None, birth_date)


def covers(holding: Holding, who: Identification, arrival: date) -> bool:
    return (
        holding.status is Status.APPROVED
        and holding.valid_from is not None
        and holding.valid_until is not None
        and holding.valid_from <= arrival <= holding.valid_until
        and not mismatched(holding, who)
    )


def mismatched(holding: Holding, who: Identification) -> bool:
    """The passport read at the desk says another nationality or birth date than the authorization."""
    return (who.nationality is not None and who.nationality != holding.nationality) or (
        who.birth_date is not None and holding.birth_date is not None and who.birth_date != holding.birth_date
    )


def arrival_card(policy: Policy, arrival: date, *, authorized: bool) -> ArrivalCard:
    if authorized and policy.arrival_card_exemption.on(arrival):
        return ArrivalCard.EXEMPT
    return ArrivalCard.REQUIRED


def decide(
    who: Identification,
    *,
    arrival: date,
    eligibility: EligibilityDecision | None,
    holdings: Sequence[Holding],
    policy: Policy,
) -> BorderAnswer:
    """`eligibility` is `keta.domain.eligibility.evaluate` on the arrival date, or None when neither
    the desk nor an authorization gave a nationality and birth date. `holdings` latest first."""
    if eligibility is not None and eligibility.outcome is Outcome.NOT_APPLICABLE:
        return BorderAnswer(BorderStatus.NOT_APPLICABLE, ArrivalCard.NOT_APPLICABLE, exemptions=eligibility.reasons)
    if eligibility is not None and eligibility.outcome is Outcome.VISA_REQUIRED:
        card = arrival_card(policy, arrival, authorized=False)
        return BorderAnswer(BorderStatus.VISA_REQUIRED, card, exemptions=eligibility.reasons)
    covering = [h for h in holdings if covers(h, who, arrival)]
    if covering:
        best = max(covering, key=lambda h: h.valid_until or date.min)
        return BorderAnswer(BorderStatus.AUTHORIZED, arrival_card(policy, arrival, authorized=True), holding=best)
    card = arrival_card(policy, arrival, authorized=False)
    if eligibility is not None and eligibility.outcome is Outcome.EXEMPT:
        return BorderAnswer(
            BorderStatus.EXEMPT, card, holding=holdings[0] if holdings else None, exemptions=eligibility.reasons
        )
    if holdings:
        latest = holdings[0]
        return BorderAnswer(BorderStatus.NOT_VALID, card, holding=latest, mismatch=mismatched(latest, who))
    return BorderAnswer(BorderStatus.NO_AUTHORIZATION, card)
