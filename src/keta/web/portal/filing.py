"""The page an agency's customer opens from the e-mailed link: what was filed in their name, by
which agency, and two buttons — confirm it (it can then be paid for and screened) or refuse it
(it is withdrawn, never screened).

The link's secret travels in the query string (`?t=`), which keta's access log never writes, and
then in the form's hidden field; the page is `no-store` like every portal page. A link that is
unknown, answered or lapsed shows nothing of the application.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from keta.domain.errors import NotFound
from keta.services import confirmations
from keta.web.deps import RuntimeDep, SessionDep
from keta.web.portal.formdata import FormData
from keta.web.portal.rendering import PageLocale, day, render
from keta.web.portal.review import rows

router = APIRouter()
PATH = "/filing/confirm"
TOKEN_MAX = 64  # token_urlsafe(32) is 43 characters


def _values(personal: dict[str, Any]) -> dict[str, str]:
    """The decrypted application as the form's inputs would hold it, for the review rows."""
    values = {name: str(personal[name]) for name in ("email", "phone") if personal.get(name)}
    for section in ("passport", "travel", "background"):
        for name, value in (personal.get(section) or {}).items():
            if isinstance(value, bool):
                values[f"{section}.{name}"] = "true" if value else "false"
            elif isinstance(value, list):
                values[f"{section}.{name}"] = ", ".join(str(item) for item in value)
            elif value not in (None, ""):
                values[f"{section}.{name}"] = str(value)
    return values


def _page(request: Request, locale: str, view: confirmations.FilingView | None, token: str, done: str = "") -> Response:
    if view is None:
        return render(request, locale, "filing_confirm.html", {"view": None}, status=404)
    context = {
        "view": view,
        "token": token,
        "done": done,
        "filed_on": day(view.filed_on, locale),
        "until": day(view.expires_on, locale),
        "review": rows(_values(view.personal), locale),
    }
    return render(request, locale, "filing_confirm.html", context)


@router.get(PATH)
def show(request: Request, session: SessionDep, rt: RuntimeDep, locale: PageLocale, t: str = "") -> Response:
    token = t[:TOKEN_MAX]
    try:
        view = confirmations.view(session, rt, token=token)
    except NotFound:
        view = None
    return _page(request, locale, view, token)


@router.post(PATH)
def answer(request: Request, form: FormData, session: SessionDep, rt: RuntimeDep, locale: PageLocale) -> Response:
    token, action = form.get("t", "")[:TOKEN_MAX], form.get("action", "")
    try:
        if action == "refuse":
            application = confirmations.refuse(session, rt, token=token)
            return render(request, locale, "filing_confirm.html", {"view": None, "refused": application.reference})
        confirmations.confirm(session, rt, token=token)
        view = confirmations.view(session, rt, token=token)
    except NotFound:
        return _page(request, locale, None, token)
    return _page(request, locale, view, token, done="confirmed")
