"""After the group is saved: confirmation with one fee for all → one checkout at the provider →
back to `/group/paid` (which only shows the state, see confirm.py); and the group status look-up
(group reference + the representative's e-mail) on `/status/group`.

The confirmation and payment pages find the group through a sealed cookie (see confirm.seal), so
no e-mail address or reference needs to travel in a URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from keta.db.models import Application, Group
from keta.db.repositories import applications as repo
from keta.domain.errors import Conflict, FieldProblem, NotFound
from keta.i18n import error_message, field_message, gettext, reason_message
from keta.services import checkout, payment, status
from keta.services.payment import PaymentUnavailable
from keta.services.runtime import Runtime
from keta.web.api.schemas import EmailProof
from keta.web.deps import RuntimeDep, SessionDep, absolute_url
from keta.web.portal.confirm import payment_state, refusal_message, refusal_status, remembered_reference
from keta.web.portal.facts import payment_facts, processing_hours
from keta.web.portal.formdata import FormData, form_data
from keta.web.portal.forms import FormState, validate, values_of
from keta.web.portal.group import GROUP_COOKIE
from keta.web.portal.pages import STATUS_FIELDS
from keta.web.portal.rendering import PageLocale, day, money, render
from keta.web.portal.uploads import PHOTOS_PER_ROUND, needs_photo

router = APIRouter()
GROUP_STATUS_FIELDS = ("group_reference", "representative_email")


def remembered_group(request: Request, session: Session, rt: Runtime) -> Group | None:
    reference = remembered_reference(request, rt, GROUP_COOKIE)
    return repo.group_by_reference(session, reference) if reference else None


def _summary(rt: Runtime, group: Group, locale: str) -> dict[str, Any]:
    members = list(group.members)
    amount, currency, _ = payment.quote(rt, [m for m in members if m.payment_id is None] or members)
    nationalities = [member.nationality for member in members]
    applied_on = members[0].applied_on if members else rt.today()
    return {
        "reference": group.reference,
        "fee": money(amount, currency, locale),
        "persons": len(members),
        "facts": payment_facts(rt.policy, applied_on=applied_on, nationalities=nationalities, locale=locale),
    }


def exempt_reasons(member: Application, locale: str) -> str:
    return " ".join(reason_message(locale, code) for code in member.eligibility_reasons)


def members_table(rt: Runtime, group: Group, locale: str) -> list[dict[str, Any]]:
    """One row per member, as the representative reads it on the confirmation and status pages."""
    rows = []
    for member in status.group_view(rt, group).members:
        rows.append(
            {
                "name": f"{member.surname} {member.given_names}".strip(),
                "reference": member.reference,
                "status": member.status,
                "status_text": gettext(locale, f"status.{member.status}"),
                "valid_until": day(member.valid_until, locale) if member.valid_until else None,
                "reasons": [reason_message(locale, code) for code in member.decision_reasons],
            }
        )
    return rows


def confirmation_page(
    request: Request,
    rt: Runtime,
    group: Group,
    locale: str,
    *,
    photo_problems: Mapping[int, str] | None = None,
    status: int | None = None,
    **extra: Any,
) -> Response:
    """The saved group: members, the photos still wanted (with their problems), and the payment."""
    members = list(group.members)
    rows = members_table(rt, group, locale)  # in member order, like group.members
    wanted = [
        {"index": m.member_index or 0, "name": row["name"], "error": (photo_problems or {}).get(m.member_index or 0)}
        for m, row in zip(members, rows, strict=True)
        if needs_photo(rt, m)
    ]
    context = {
        "group": _summary(rt, group, locale),
        "rows": rows,
        # Members who need no authorization for this trip, said before the group pays for them.
        "exempt": [
            gettext(locale, "portal.group.member_exempt", name=row["name"], reasons=exempt_reasons(m, locale))
            for m, row in zip(members, rows, strict=True)
            if m.eligibility_outcome == "exempt"
        ],
        # Each member whose face photo is in: the representative sees every upload confirmed.
        "photos_done": [row["name"] for m, row in zip(members, rows, strict=True) if not needs_photo(rt, m)],
        "paid": all(m.payment_id is not None for m in members),
        "photos_wanted": wanted[:PHOTOS_PER_ROUND],  # one round at a time (see group_photos)
        "photos_later": max(len(wanted) - PHOTOS_PER_ROUND, 0),
        "photos_per_round": PHOTOS_PER_ROUND,
    }
    answer = status or (422 if photo_problems else 200)
    return render(request, locale, "group_confirmation.html", {**context, **extra}, status=answer)


@router.get("/group/confirmation")
def confirmation(request: Request, session: SessionDep, rt: RuntimeDep, locale: PageLocale) -> Response:
    group = remembered_group(request, session, rt)
    if group is None:
        return RedirectResponse("/group", status_code=303)
    saved = request.query_params.get("photos", "")
    notice = None
    if saved.isdigit() and 0 < int(saved) <= PHOTOS_PER_ROUND:
        notice = gettext(locale, "portal.group.photos_saved", count=int(saved))
    return confirmation_page(request, rt, group, locale, notice=notice)


@router.post("/group/payment", dependencies=[Depends(form_data)])  # CSRF checked there
def pay(request: Request, session: SessionDep, rt: RuntimeDep, locale: PageLocale) -> Response:
    group = remembered_group(request, session, rt)
    if group is None:
        return RedirectResponse("/group", status_code=303)
    members = list(group.members)
    missing = sum(needs_photo(rt, m) for m in members)
    if missing:
        return confirmation_page(
            request, rt, group, locale, status=422, photos_error=field_message(locale, "photos_missing", count=missing)
        )
    description = f"ETA group {group.reference} ({len(members)} persons)"
    try:
        started = checkout.start_checkout(
            session, rt, applications=members, description=description, return_url=absolute_url(request, "/group/paid")
        )
    except (PaymentUnavailable, Conflict) as refused:
        session.rollback()
        error = refusal_message(locale, refused)
        return confirmation_page(request, rt, group, locale, status=refusal_status(refused), error=error)
    return RedirectResponse(started.payment.checkout_url or "/group/paid", status_code=303)


@router.get("/group/paid")
def paid(request: Request, session: SessionDep, rt: RuntimeDep, locale: PageLocale) -> Response:
    """Where the provider sends the representative back: shows the state, changes nothing."""
    group = remembered_group(request, session, rt)
    if group is None:
        return RedirectResponse("/group", status_code=303)
    state = payment_state(session, list(group.members))
    if state == "declined":
        return confirmation_page(
            request, rt, group, locale, status=402, error=error_message(locale, "payment_declined")
        )
    if state == "unpaid":
        return RedirectResponse("/group/confirmation", status_code=303)
    context = {
        "group": _summary(rt, group, locale),
        "rows": members_table(rt, group, locale),
        "pending": state == "pending",
        "processing_hours": processing_hours(rt.policy, rt.today()),
    }
    return render(request, locale, "group_paid.html", context)


@router.post("/status/group")
def group_lookup(request: Request, form: FormData, session: SessionDep, rt: RuntimeDep, locale: PageLocale) -> Response:
    state = FormState(values_of(form, (*STATUS_FIELDS, *GROUP_STATUS_FIELDS)))
    values = state.values
    if not values["group_reference"]:
        state.add(locale, [FieldProblem("group_reference", "required")])
    email = values["representative_email"]
    proof = validate(EmailProof, {"email": email} if email else {}, state, locale)
    if "email" in state.errors:
        state.errors["representative_email"] = state.errors.pop("email")
    context: dict[str, Any] = {"state": state}
    if proof is None or state.errors:
        return render(request, locale, "status.html", context, status=422)
    try:
        group = status.find_group(session, rt, reference=values["group_reference"], email=str(proof.email))
    except NotFound:
        context["group_not_found"] = error_message(locale, "not_found")
        return render(request, locale, "status.html", context, status=404)
    context["group"] = {"reference": group.reference, "rows": members_table(rt, group, locale)}
    return render(request, locale, "status.html", context)
