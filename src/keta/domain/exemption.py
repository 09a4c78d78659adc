"""Until when an exemption lasts, and why: the facts an exempt traveller needs to plan the next trip.

`evaluate` says *that* a traveller is exempt; this says until when. A temporary country exemption
ends on its policy version's `until` day (the latest, when several versions list the country); an
age exemption is counted on the arrival date, so a minor's ends on the birthday that takes them past
the bound (an exemption from a senior age never ends). Nothing here is a sentence: the web layer
words it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from keta.domain.dates import add_years, full_age
from keta.domain.eligibility import TravellerFacts
from keta.domain.policy import Policy


@dataclass(frozen=True, slots=True)
class ExemptionFacts:
    temporary_until: date | None  # last arrival day the temporary country exemption covers
    age_on_arrival: int
    age_exempt: bool
    age_exempt_until: date | None  # first arrival day the age exemption no longer covers
    age_then: int | None  # the age reached on that day


def exemption_facts(facts: TravellerFacts, policy: Policy) -> ExemptionFacts:
    day = facts.arrival_date
    ends = [
        entry.period.end
        for entry in policy.temporary_exemptions.in_force(day)
        if facts.nationality in entry.value and entry.period.end is not None
    ]
    age = full_age(facts.birth_date, day)
    rule = policy.age_exemption.on(day)
    young = rule is not None and rule.at_or_under is not None and age <= rule.at_or_under
    old = rule is not None and rule.at_or_over is not None and age >= rule.at_or_over
    until = then = None
    if young and rule is not None and rule.at_or_under is not None:
        then = rule.at_or_under + 1
        until = add_years(facts.birth_date, then)
    return ExemptionFacts(max(ends) if ends else None, age, young or old, until, then)
