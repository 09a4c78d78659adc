"""Watchlists for supervisors: each list's active version, rolling one back, and the re-screening
runs every change starts (their progress, as /metrics shows it too)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from keta.db.repositories import watchlists as watchlists_repo
from keta.domain.errors import Conflict, NotFound
from keta.domain.review import Permission
from keta.services import rescreen, watchlists
from keta.web.backoffice.rendering import OfficeLocale, render
from keta.web.backoffice.security import Form, Staff, require
from keta.web.deps import RuntimeDep, SessionDep

router = APIRouter()
Supervisor = Annotated[Staff, require(Permission.WATCHLISTS)]


def _page(
    request: Request, me: Staff, db: SessionDep, locale: str, *, status: int = 200, refused: str = ""
) -> Response:
    context = {
        "me": me,
        "lists": watchlists_repo.summaries(db),
        "runs": rescreen.recent_runs(db),
        "progress": rescreen.progress(db),
        "refused": refused,
    }
    return render(request, locale, "watchlists.html", context, status=status)


@router.get("/watchlists")
def watchlists_page(request: Request, me: Supervisor, db: SessionDep, locale: OfficeLocale) -> Response:
    return _page(request, me, db, locale)


@router.post("/watchlists/{list_name}/rollback")
def rollback(
    list_name: str, request: Request, form: Form, me: Supervisor, db: SessionDep, rt: RuntimeDep, locale: OfficeLocale
) -> Response:
    me.check_csrf(request, form)
    try:
        with db.begin_nested():
            watchlists.rollback_watchlist(db, rt.clock, name=list_name[:64], actor=str(me.member.id))
    except NotFound:
        return _page(request, me, db, locale, status=404, refused="not_found")
    except Conflict as conflict:
        return _page(request, me, db, locale, status=409, refused=conflict.reason)
    return RedirectResponse("/backoffice/watchlists", status_code=303)
