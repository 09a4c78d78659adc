"""Self-service after a status look-up: change the travel details (`POST /status/travel`) and
withdraw the application (`POST /status/withdraw`, asked for confirmation first) — the same services
as PATCH /api/v1/applications/{reference}/travel and POST …/withdraw.

Both forms carry the sealed token of the look-up (status_token), never the passport number; a
missing, expired or foreign token sends the traveller back to the look-up. Every problem is said
next to its input and nothing is saved; a success ends on the status page saying what was done
(POST-redirect-GET through follow_up.sent_page).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from keta.db.models import Application
from keta.domain.applications import TRAVEL_DETAILS_EDITABLE, Status
from keta.domain.errors import Conflict, IllegalTransition, InvalidInput
from keta.i18n import error_message
from keta.services import changes, payment
from keta.services.runtime import Runtime
from keta.web.api.schemas import TravelChangesIn
from keta.web.deps import RuntimeDep, SessionDep
from keta.web.portal import status_token
from keta.web.portal.follow_up import back_to_lookup, sent_page
from keta.web.portal.formdata import FormData
from keta.web.portal.forms import FormState, validate, values_of
from keta.web.portal.rendering import PageLocale, money, render

router = APIRouter()
TRAVEL_FIELDS = ("arrival_date", "address_in_korea", "flight_number", "email", "phone")


def _current(rt: Runtime, application: Application) -> dict[str, str]:
    data = rt.keyring.decrypt(application.pii)
    travel = data["travel"]
    return {
        "arrival_date": str(travel["arrival_date"]),
        "address_in_korea": str(travel["address_in_korea"]),
        "flight_number": str(travel.get("flight_number") or ""),
        "email": str(data["email"]),
        "phone": str(data["phone"]),
    }


def _page(request: Request, locale: str, mode: str, token: str, application: Application, **extra: Any) -> Response:
    status = extra.pop("status", 200)
    context = {"mode": mode, "token": token, "reference": application.reference, **extra}
    return render(request, locale, "manage.html", context, status=status)


@router.post("/status/travel")
def update_travel(
    request: Request, form: FormData, session: SessionDep, rt: RuntimeDep, locale: PageLocale
) -> Response:
    token = form.get("manage_token", "")
    application = status_token.application_for(session, rt, token)
    if application is None:
        return back_to_lookup(request, locale)
    current = _current(rt, application)
    if form.get("action") != "save":  # "open": the form with what is on file
        state = FormState(current)
        if Status(application.status) not in TRAVEL_DETAILS_EDITABLE:
            closed = error_message(locale, "not_editable")
            return _page(request, locale, "closed", token, application, state=state, closed=closed, status=409)
        return _page(request, locale, "travel", token, application, state=state)
    state = FormState(values_of(form, TRAVEL_FIELDS))
    # Only what changed is sent: an unchanged field is no update (and no e-mail to the old address).
    body = {name: value for name, value in state.values.items() if value and value != current[name]}
    checked = validate(TravelChangesIn, body, state, locale)
    if checked is not None:
        update = changes.TravelUpdate(
            arrival_date=checked.arrival_date,
            address_in_korea=checked.address_in_korea,
            flight_number=checked.flight_number,
            email=str(checked.email) if checked.email else None,
            phone=checked.phone,
        )
        try:
            changes.update_travel(session, rt, application=application, update=update)
        except InvalidInput as problems:
            state.add(locale, problems.fields)
        except Conflict as conflict:
            session.rollback()
            return _page(request, locale, "travel", token, application, state=state, status=409,
                         error=error_message(locale, conflict.reason))  # fmt: skip
        else:
            session.flush()
            return sent_page(request, rt, application, "travel")
    session.rollback()  # nothing of a refused update is kept
    return _page(request, locale, "travel", token, application, state=state, status=422)


def _fee(rt: Runtime, application: Application, locale: str) -> str:
    amount, currency, _ = payment.quote(rt, [application])
    return money(amount, currency, locale)


@router.post("/status/withdraw")
def withdraw(request: Request, form: FormData, session: SessionDep, rt: RuntimeDep, locale: PageLocale) -> Response:
    token = form.get("manage_token", "")
    application = status_token.application_for(session, rt, token)
    if application is None:
        return back_to_lookup(request, locale)
    state = FormState({})
    paid = application.payment_id is not None
    fee = _fee(rt, application, locale)
    if form.get("action") != "confirm":  # "ask": say what withdrawing means, then confirm
        return _page(request, locale, "withdraw", token, application, state=state, paid=paid, fee=fee)
    try:
        changes.withdraw(rt, application)
    except IllegalTransition:
        session.rollback()
        error = error_message(locale, "illegal_transition")
        return _page(request, locale, "withdraw", token, application, state=state, paid=paid, fee=fee,
                     error=error, status=409)  # fmt: skip
    session.flush()
    return sent_page(request, rt, application, "withdraw")
