"""The eligibility check (`/`) and the status page (`/status`).

Neither saves anything, so their POSTs answer with the result page itself; the status look-up takes
the passport number in the POST body, never in a URL (CONVENTIONS: look-ups by reference).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from keta.domain.applicant import birth_date_problem
from keta.domain.eligibility import TravellerFacts, evaluate
from keta.domain.errors import FieldProblem, NotFound
from keta.i18n import error_message, gettext, reason_message
from keta.services import status
from keta.web.api.schemas import EligibilityIn, PassportProof
from keta.web.deps import RuntimeDep, SessionDep
from keta.web.portal.formdata import FormData
from keta.web.portal.forms import FormState, validate, values_of
from keta.web.portal.rendering import HERE, PageLocale, country_name, render
from keta.web.portal.status_view import application_context

router = APIRouter()
STYLESHEET = (HERE / "static" / "portal.css").read_bytes()
DESIGN_SYSTEM = (HERE / "static" / "keta-govuk.css").read_bytes()  # GOV.UK Frontend, compiled by `make css`
ELIGIBILITY_FIELDS = ("nationality", "nationality_other", "birth_date", "arrival_date")
STATUS_FIELDS = ("reference", "passport_number")


def _visa_free_choices(rt: RuntimeDep, locale: str) -> list[tuple[str, str]]:
    today = rt.today()
    codes = {code for entry in rt.policy.visa_free.in_force(today) for code in entry.value}
    return sorted(((code, country_name(code, locale)) for code in codes), key=lambda item: item[1])


@router.get("/")
def eligibility_form(request: Request, rt: RuntimeDep, locale: PageLocale) -> Response:
    context = {"state": FormState(values_of({}, ELIGIBILITY_FIELDS)), "countries": _visa_free_choices(rt, locale)}
    return render(request, locale, "eligibility.html", context)


@router.post("/")
def eligibility_check(request: Request, form: FormData, rt: RuntimeDep, locale: PageLocale) -> Response:
    state = FormState(values_of(form, ELIGIBILITY_FIELDS))
    values = state.values
    body = {
        "nationality": values["nationality_other"] or values["nationality"],
        "birth_date": values["birth_date"],
        "arrival_date": values["arrival_date"],
    }
    facts = validate(EligibilityIn, {k: v for k, v in body.items() if v}, state, locale)
    context: dict[str, Any] = {"state": state, "countries": _visa_free_choices(rt, locale)}
    if facts is not None and (code := birth_date_problem(facts.birth_date, today=rt.today())):
        state.add(locale, [FieldProblem("birth_date", code)])
        facts = None
    if facts is None:
        return render(request, locale, "eligibility.html", context, status=422)
    decision = evaluate(
        TravellerFacts(facts.nationality, facts.birth_date, facts.arrival_date, facts.passport_type), rt.policy
    )
    context["result"] = {
        "outcome": decision.outcome.value,
        "title": gettext(locale, f"outcome.{decision.outcome.value}"),
        "reasons": [reason_message(locale, code) for code in decision.reasons],
        "may_apply": decision.may_apply,
        "country": country_name(facts.nationality, locale),
    }
    return render(request, locale, "eligibility.html", context)


@router.get("/status")
def status_form(request: Request, locale: PageLocale) -> Response:
    return render(request, locale, "status.html", {"state": FormState(values_of({}, STATUS_FIELDS))})


@router.post("/status")
def status_lookup(
    request: Request, form: FormData, session: SessionDep, rt: RuntimeDep, locale: PageLocale
) -> Response:
    state = FormState(values_of(form, STATUS_FIELDS))
    if not state.values["reference"]:
        state.add(locale, [FieldProblem("reference", "required")])
    number = state.values["passport_number"]
    proof = validate(PassportProof, {"passport_number": number} if number else {}, state, locale)
    context: dict[str, Any] = {"state": state}
    if proof is None or state.errors:
        return render(request, locale, "status.html", context, status=422)
    try:
        application = status.find_application(
            session, rt, reference=state.values["reference"], passport_number=proof.passport_number
        )
    except NotFound:
        context["not_found"] = error_message(locale, "not_found")
        return render(request, locale, "status.html", context, status=404)
    state.values["passport_number"] = ""  # the result page does not echo it back
    context.update(application_context(session, rt, application, locale))
    return render(request, locale, "status.html", context)


@router.get("/static/portal.css")
def stylesheet() -> Response:
    return Response(STYLESHEET, media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})


@router.get("/static/keta-govuk.css")
def design_system() -> Response:
    return Response(DESIGN_SYSTEM, media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})
