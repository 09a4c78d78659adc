"""POST /api/v1/eligibility — do I need an authorization for this trip?"""

from __future__ import annotations

from fastapi import APIRouter

from keta.domain.applicant import birth_date_problem
from keta.domain.eligibility import TravellerFacts, evaluate
from keta.domain.errors import FieldProblem, InvalidInput
from keta.web.api.responses import EligibilityOut, TraceStepOut, reasons_out
from keta.web.api.schemas import EligibilityIn
from keta.web.deps import LocaleDep, RuntimeDep
from keta.web.openapi import api_errors
from keta.web.strict_json import StrictJsonRoute

router = APIRouter(tags=["eligibility"], route_class=StrictJsonRoute)


@router.post("/eligibility", response_model=EligibilityOut, responses=api_errors())
def check_eligibility(body: EligibilityIn, rt: RuntimeDep, locale: LocaleDep) -> EligibilityOut:
    if code := birth_date_problem(body.birth_date, today=rt.today()):  # 0001-01-01 is no senior
        raise InvalidInput([FieldProblem("birth_date", code)])
    decision = evaluate(
        TravellerFacts(body.nationality, body.birth_date, body.arrival_date, body.passport_type), rt.policy
    )
    return EligibilityOut(
        outcome=decision.outcome.value,
        reasons=reasons_out(decision.reasons, locale),
        may_apply=decision.may_apply,
        trace=[TraceStepOut(rule=s.rule, applied=s.applied, reason=s.reason, period=s.period) for s in decision.trace],
    )
