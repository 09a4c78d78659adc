"""Does this traveller need an authorization? One small rule per step, evaluated in order.

Order matters and is the policy's legal logic, not a style choice:
0. before the scheme starts (or after it ends) nobody needs one (`not_applicable`);
1. home nationals never need one (`not_applicable`);
2. a nationality outside the visa-free list needs a visa — no exemption can turn a visa-required
   national into an exempt one (`visa_required`);
3. diplomatic/official passports are outside the scheme (`not_applicable`);
4. exemptions (temporary country list, age on the arrival date) make the traveller `exempt`; they
   may still apply voluntarily;
5. otherwise the authorization is `required`.
Every step is recorded in the trace, including the rules that did not apply and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from keta.domain.dates import full_age
from keta.domain.policy import Policy
from keta.domain.reasons import Reason, age_at_or_over, age_at_or_under


class Outcome(StrEnum):
    REQUIRED = "required"
    EXEMPT = "exempt"
    VISA_REQUIRED = "visa_required"
    NOT_APPLICABLE = "not_applicable"


class PassportType(StrEnum):
    ORDINARY = "ordinary"
    DIPLOMATIC = "diplomatic"
    OFFICIAL = "official"


@dataclass(frozen=True, slots=True)
class TravellerFacts:
    nationality: str  # ICAO alpha-3, upper case
    birth_date: date
    arrival_date: date  # local date of entry in the scheme's time zone
    passport_type: PassportType = PassportType.ORDINARY


@dataclass(frozen=True, slots=True)
class TraceStep:
    rule: str
    applied: bool
    reason: str | None
    period: str | None = None  # the version of the rule that was consulted, e.g. "2023-07-03..…"


@dataclass(frozen=True, slots=True)
class EligibilityDecision:
    outcome: Outcome
    reasons: tuple[str, ...]
    trace: tuple[TraceStep, ...]

    @property
    def may_apply(self) -> bool:
        """Exempt travellers may still apply (and pay) for the benefits, e.g. no arrival card."""
        return self.outcome in (Outcome.REQUIRED, Outcome.EXEMPT)


def evaluate(facts: TravellerFacts, policy: Policy) -> EligibilityDecision:
    day = facts.arrival_date
    trace: list[TraceStep] = []

    if not policy.in_force.contains(day):
        trace.append(TraceStep("scheme_in_force", False, Reason.SCHEME_NOT_IN_FORCE, str(policy.in_force)))
        return EligibilityDecision(Outcome.NOT_APPLICABLE, (Reason.SCHEME_NOT_IN_FORCE,), tuple(trace))

    if facts.nationality in policy.home_nationalities:
        trace.append(TraceStep("home_national", True, policy.home_national_reason))
        return EligibilityDecision(Outcome.NOT_APPLICABLE, (policy.home_national_reason,), tuple(trace))
    trace.append(TraceStep("home_national", False, None))

    stay = policy.visa_free_stay_days(facts.nationality, day)
    if stay is None:
        trace.append(TraceStep("visa_free_list", False, Reason.NOT_VISA_FREE))
        return EligibilityDecision(Outcome.VISA_REQUIRED, (Reason.NOT_VISA_FREE,), tuple(trace))
    trace.append(TraceStep("visa_free_list", True, Reason.VISA_FREE_NATIONAL))

    official = policy.official_passport_exemption.dated_on(day)
    if official and official.value and facts.passport_type is not PassportType.ORDINARY:
        reason = Reason.DIPLOMATIC_OR_OFFICIAL_PASSPORT
        trace.append(TraceStep("official_passport_exemption", True, reason, str(official.period)))
        return EligibilityDecision(Outcome.NOT_APPLICABLE, (reason,), tuple(trace))
    trace.append(TraceStep("official_passport_exemption", False, None))

    exemptions: list[str] = []
    temporary = policy.temporarily_exempt(facts.nationality, day)
    if temporary:
        exemptions.append(Reason.TEMPORARY_EXEMPTION)
    trace.append(
        TraceStep(
            "temporary_exemption",
            bool(temporary),
            Reason.TEMPORARY_EXEMPTION if temporary else None,
            str(temporary.period) if temporary else None,
        )
    )

    age_reason = _age_exemption_reason(facts, policy)
    trace.append(age_reason)
    if age_reason.applied and age_reason.reason:
        exemptions.append(age_reason.reason)

    if exemptions:
        return EligibilityDecision(Outcome.EXEMPT, tuple(exemptions), tuple(trace))
    return EligibilityDecision(Outcome.REQUIRED, (Reason.AUTHORIZATION_REQUIRED,), tuple(trace))


def age_exemption(facts: TravellerFacts, policy: Policy) -> str | None:
    """The age exemption's reason code on the arrival date, or None. `evaluate` reads the birth
    date through this alone, so travellers alike in everything else and in this get one decision."""
    rule = policy.age_exemption.dated_on(facts.arrival_date)
    if rule is None:
        return None
    age = full_age(facts.birth_date, facts.arrival_date)
    bounds = rule.value
    if bounds.at_or_under is not None and age <= bounds.at_or_under:
        return age_at_or_under(bounds.at_or_under)
    if bounds.at_or_over is not None and age >= bounds.at_or_over:
        return age_at_or_over(bounds.at_or_over)
    return None


def _age_exemption_reason(facts: TravellerFacts, policy: Policy) -> TraceStep:
    rule = policy.age_exemption.dated_on(facts.arrival_date)
    if rule is None:
        return TraceStep("age_exemption", False, None)
    reason = age_exemption(facts, policy)
    return TraceStep("age_exemption", reason is not None, reason, str(rule.period))
