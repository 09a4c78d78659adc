"""POST /api/v1/eligibility — do I need an authorization for this trip?"""

from __future__ import annotations

from fastapi import APIRouter

from keta.domain.applicant import eligibility_problems
from keta.domain.eligibility import Outcome, TravellerFacts, evaluate
from keta.domain.errors import InvalidInput
from keta.domain.exemption import exemption_facts
from keta.web.api.responses import EligibilityOut, TraceStepOut, reasons_out
from keta.web.api.schemas import EligibilityIn
from keta.web.deps import LocaleDep, RuntimeDep
from keta.web.strict_json import StrictJsonRoute

router = APIRouter(tags=["eligibility"], route_class=StrictJsonRoute)


@router.post("/eligibility", response_model=EligibilityOut)
def check_eligibility(body: EligibilityIn, rt: RuntimeDep, locale: LocaleDep) -> EligibilityOut:
    problems = eligibility_problems(body.birth_date, body.arrival_date, today=rt.today())
    if problems:
        raise InvalidInput(problems)
    facts = TravellerFacts(body.nationality, body.birth_date, body.arrival_date, body.passport_type)
    decision = evaluate(facts, rt.policy)
    exemption = exemption_facts(facts, rt.policy) if decision.outcome is Outcome.EXEMPT else None
    return EligibilityOut(
        temporary_exemption_until=exemption.temporary_until if exemption else None,
        age_exemption_until=exemption.age_exempt_until if exemption else None,
        outcome=decision.outcome.value,
        reasons=reasons_out(decision.reasons, locale),
        may_apply=decision.may_apply,
        trace=[TraceStepOut(rule=s.rule, applied=s.applied, reason=s.reason, period=s.period) for s in decision.trace],
    )
