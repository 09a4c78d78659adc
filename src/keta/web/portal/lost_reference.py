""" "I lost my reference" (`/status/lost-reference`): the reference is e-mailed to the address on
file (services.lost_reference), and the page answers the same whether or not an application exists.

Rate limited through the shared limiter (services.ratelimits): per client address and per passport,
so nobody can use the page to test passports or flood someone's mailbox. A limited request is told
so (429) before anything is looked up, which says nothing about any application either.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from keta.domain.documents import normalize_document_number
from keta.domain.errors import FieldProblem
from keta.i18n import error_message
from keta.services import lost_reference
from keta.services.ratelimits import RateLimiter
from keta.services.runtime import Runtime
from keta.web.api.schemas import EmailProof, PassportProof
from keta.web.countries import Country
from keta.web.deps import RuntimeDep, SessionDep
from keta.web.portal.formdata import FormData
from keta.web.portal.forms import FormState, validate, values_of
from keta.web.portal.rendering import PageLocale, render

router = APIRouter()
FIELDS = ("nationality", "passport_number", "email")
# (key prefix, hits allowed, window in seconds): a traveller retries a few times, a script many.
LIMITS = (("client", 10, 3600), ("passport", 3, 86_400))


class LostReferenceIn(PassportProof, EmailProof):
    nationality: Country


def _allowed(limiter: RateLimiter, rt: Runtime, keys: dict[str, str]) -> bool:
    now = rt.now()
    return all(
        limiter.hit(f"lost-reference:{kind}:{keys[kind]}", limit=limit, window_seconds=window, now=now).allowed
        for kind, limit, window in LIMITS
    )


@router.get("/status/lost-reference")
def lost_form(request: Request, locale: PageLocale) -> Response:
    return render(request, locale, "lost_reference.html", {"state": FormState(values_of({}, FIELDS))})


@router.post("/status/lost-reference")
def lost_send(request: Request, form: FormData, session: SessionDep, rt: RuntimeDep, locale: PageLocale) -> Response:
    state = FormState(values_of(form, FIELDS))
    values = state.values
    context: dict[str, Any] = {"state": state}
    for name in FIELDS:
        if not values[name]:
            state.add(locale, [FieldProblem(name, "required")])
    # The shared shape checks: a known country, a document number, an e-mail address.
    body = {name: value for name, value in values.items() if value}
    if len(body) == len(FIELDS):
        validate(LostReferenceIn, body, state, locale)
    if state.errors:
        return render(request, locale, "lost_reference.html", context, status=422)
    client = request.client.host if request.client else "unknown"
    passport = f"{values['nationality'].upper()}:{normalize_document_number(values['passport_number'])}"
    if not _allowed(request.app.state.rate_limiter, rt, {"client": client, "passport": passport}):
        context["error"] = error_message(locale, "rate_limited")
        return render(request, locale, "lost_reference.html", context, status=429)
    lost_reference.send_reference(
        session,
        rt,
        nationality=values["nationality"].upper(),
        passport_number=values["passport_number"],
        email=values["email"],
    )
    # The same page either way: whether anything matched is for the mailbox's owner to see.
    return render(request, locale, "lost_reference.html", {"state": FormState(), "sent": True})
