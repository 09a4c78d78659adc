"""The eligibility check (`/`) and the status page (`/status`).

Neither saves anything, so their POSTs answer with the result page itself; the status look-up takes
the passport number in the POST body, never in a URL (CONVENTIONS: look-ups by reference).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from keta.domain.applicant import eligibility_problems
from keta.domain.eligibility import Outcome, TravellerFacts, evaluate
from keta.domain.errors import FieldProblem, NotFound
from keta.domain.exemption import exemption_facts
from keta.i18n import error_message, gettext, reason_message
from keta.services import status
from keta.web import throttle
from keta.web.countries import country_name
from keta.web.deps import RuntimeDep, SessionDep
from keta.web.portal.formdata import FormData
from keta.web.portal.forms import FormState, validate, values_of
from keta.web.portal.rendering import HERE, PageLocale, day, render
from keta.web.portal.status_view import application_context
from keta.web.schemas import EligibilityIn, PassportProof

router = APIRouter()
STYLESHEET = (HERE / "static" / "portal.css").read_bytes()
DESIGN_SYSTEM = (HERE / "static" / "keta-govuk.css").read_bytes()  # GOV.UK Frontend, compiled by `make css`
ELIGIBILITY_FIELDS = ("nationality", "nationality_other", "birth_date", "arrival_date")
STATUS_FIELDS = ("reference", "passport_number")


def exemption_lines(rt: RuntimeDep, facts: TravellerFacts, locale: str) -> list[str]:
    """Until when and why an exempt traveller is exempt, and what to do after (policy dates only)."""
    known = exemption_facts(facts, rt.policy)
    hours = rt.policy.advised_lead_time_hours.on(rt.today()) or 72
    lines = []
    if known.temporary_until is not None:
        end = day(known.temporary_until, locale)
        country = country_name(facts.nationality, locale)
        lines.append(gettext(locale, "portal.exemption.temporary_until", country=country, date=end))
        lines.append(gettext(locale, "portal.exemption.after_end", date=end, hours=hours))
    if known.age_exempt:
        arrival = day(facts.arrival_date, locale)
        lines.append(gettext(locale, "portal.exemption.age_counted", date=arrival, age=known.age_on_arrival))
    if known.age_exempt_until is not None:
        then = day(known.age_exempt_until, locale)
        lines.append(gettext(locale, "portal.exemption.age_until", date=then, age=known.age_then))
    return lines


@router.get("/")
def eligibility_form(request: Request, rt: RuntimeDep, locale: PageLocale) -> Response:
    context = {"state": FormState(values_of({}, ELIGIBILITY_FIELDS))}
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
    context: dict[str, Any] = {"state": state}
    if facts is not None:
        problems = eligibility_problems(facts.birth_date, facts.arrival_date, today=rt.today())
        state.add(locale, problems)
        facts = None if problems else facts
    if facts is None:
        return render(request, locale, "eligibility.html", context, status=422)
    traveller = TravellerFacts(facts.nationality, facts.birth_date, facts.arrival_date, facts.passport_type)
    decision = evaluate(traveller, rt.policy)
    context["result"] = {
        "exemption": exemption_lines(rt, traveller, locale) if decision.outcome is Outcome.EXEMPT else [],
        # The answers the application form starts with (posted, never in a URL).
        "prefill": {
            "passport.nationality": facts.nationality,
            "passport.birth_date": facts.birth_date.isoformat(),
            "travel.arrival_date": facts.arrival_date.isoformat(),
        },
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
    throttle.of(request).limit(request, throttle.LOOKUP, reference=state.values["reference"])
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
