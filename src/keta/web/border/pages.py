"""The border desk page, /border: read a passport, see what keta holds for it, record the entry.

Server-rendered, no script: the officer reads the MRZ (a document reader types the two lines like a
keyboard) or types the number and issuing state, and gets the answer on the next page with the entry
form below it. Recording an entry looks the passport up again, so the answer recorded is the one at
that moment. The port chosen is remembered (a cookie holding its code) for the next traveller.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from keta.domain.border import Identification, identify_document, identify_mrz
from keta.domain.errors import FieldProblem, InvalidInput
from keta.domain.review import Permission
from keta.i18n import field_message
from keta.services import border
from keta.web.border.view import facts_known, reasons
from keta.web.deps import RuntimeDep, SessionDep
from keta.web.staff_auth import Form, Staff, first, require
from keta.web.staff_pages import OfficeLocale, renderer

router = APIRouter(prefix="/border", include_in_schema=False)
render = renderer(Path(__file__).resolve().parent / "templates")
Officer = Annotated[Staff, require(Permission.BORDER)]
PORT_COOKIE = "keta_border_port"
MAX_MRZ_LINE = 64  # a TD3 line is 44; a little room for a reader's stray spaces, then refused as too long


@router.get("")
def desk(request: Request, me: Officer, rt: RuntimeDep, locale: OfficeLocale) -> Response:
    return _page(request, me, rt, locale)


@router.post("/lookup")
def lookup(request: Request, me: Officer, form: Form, db: SessionDep, rt: RuntimeDep, locale: OfficeLocale) -> Response:
    me.check_csrf(request, form)
    who = _identification(form, rt.today())
    if isinstance(who, list):
        return _page(request, me, rt, locale, problems=who, form=form, status=422)
    found = border.look_up(db, rt, who=who, staff_id=me.member.id, channel="page")
    return _page(request, me, rt, locale, found=found)


@router.post("/entries")
def record(request: Request, me: Officer, form: Form, db: SessionDep, rt: RuntimeDep, locale: OfficeLocale) -> Response:
    me.check_csrf(request, form)
    who = _identification(form, rt.today())
    if isinstance(who, list):
        return _page(request, me, rt, locale, problems=who, form=form, status=422)
    try:
        recorded = border.record_entry(db, rt, who=who, port=first(form, "port"), staff_id=me.member.id, channel="page")
    except InvalidInput as exc:
        found = border.find(db, rt, who=who, arrival=rt.today())
        return _page(request, me, rt, locale, found=found, problems=list(exc.fields), status=422)
    response = _page(request, me, rt, locale, found=recorded.lookup, recorded=recorded)
    secure = request.app.state.settings.env == "production"
    response.set_cookie(PORT_COOKIE, recorded.entry.port, max_age=180 * 24 * 3600, httponly=True, samesite="strict",
                        secure=secure)  # fmt: skip
    return response


def _identification(form: dict[str, list[str]], today: date) -> Identification | list[FieldProblem]:
    """From the MRZ form (`how=mrz`) or the typed number (anything else); problems name the field."""
    if first(form, "how") == "mrz":
        line1, line2 = first(form, "mrz_line1"), first(form, "mrz_line2")
        too_long = [FieldProblem(f"mrz.{name}", "too_long") for name, line in (("line1", line1), ("line2", line2))
                    if len(line) > MAX_MRZ_LINE]  # fmt: skip
        return too_long or identify_mrz(line1, line2, today=today)
    birth_text = first(form, "birth_date").strip()
    birth = None
    if birth_text:
        try:
            birth = date.fromisoformat(birth_text)
        except ValueError:
            return [FieldProblem("birth_date", "invalid_date")]
        if birth > today:
            return [FieldProblem("birth_date", "in_future")]
    return identify_document(
        first(form, "document_number")[:64], first(form, "issuing_country")[:8],
        nationality=first(form, "nationality")[:8], birth_date=birth,
    )  # fmt: skip


def _page(
    request: Request,
    me: Staff,
    rt: RuntimeDep,
    locale: str,
    *,
    found: border.Lookup | None = None,
    problems: list[FieldProblem] | None = None,
    form: dict[str, list[str]] | None = None,
    recorded: border.Recorded | None = None,
    status: int = 200,
) -> Response:
    today = rt.today()
    errors = {p.path: p for p in problems or []}
    context: dict[str, Any] = {
        "me": me,
        "today": today,
        "ports": rt.policy.ports_on(today),
        "chosen_port": recorded.entry.port if recorded else request.cookies.get(PORT_COOKIE, ""),
        "found": found,
        "reasons": reasons(locale, found) if found else [],
        "facts_known": facts_known(found) if found else True,
        "errors": errors,
        "mrz_errors": [p for path, p in errors.items() if path.startswith("mrz.")],
        "form": {name: values[0] for name, values in (form or {}).items() if name != "csrf" and values},
        "recorded": recorded,
        "field_text": lambda problem: field_message(locale, problem.code, **dict(problem.params)),
    }
    return render(request, locale, "border.html", context, status=status)
