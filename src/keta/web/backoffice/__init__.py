"""The officer back office at /backoffice: server-rendered pages for staff, outside the public OpenAPI.

Every page but sign-in and enrolment needs a full session (password + TOTP); each page also names
the permission it needs (`keta.domain.review.PERMISSIONS`). Korean by default, English on request.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from keta.web.backoffice import (
    applications,
    audit_trail,
    cases,
    home,
    login,
    staff_admin,
    statistics,
    watchlists,
)
from keta.web.backoffice.rendering import STYLESHEET, office_locale, render
from keta.web.backoffice.security import Forbidden, FormTooLarge, SignInRequired

router = APIRouter(prefix="/backoffice", include_in_schema=False)
for module in (login, home, cases, applications, staff_admin, audit_trail, statistics, watchlists):
    router.include_router(module.router)


@router.get("/static/backoffice.css")
def stylesheet() -> Response:
    return Response(STYLESHEET, media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})


def install(app: FastAPI) -> None:
    """The answers to "not signed in", "not allowed" and "form too large" on back-office pages."""

    async def sign_in(request: Request, exc: Exception) -> Response:
        if request.method == "GET":
            return RedirectResponse("/backoffice/login", status_code=303)
        return _message(request, "bo.error.signed_out", 401)

    async def forbidden(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Forbidden)
        return _message(request, "bo.error.csrf" if exc.code == "csrf" else "bo.error.forbidden", 403)

    async def too_large(request: Request, exc: Exception) -> Response:
        return _message(request, "bo.error.too_large", 413)

    app.add_exception_handler(SignInRequired, sign_in)
    app.add_exception_handler(Forbidden, forbidden)
    app.add_exception_handler(FormTooLarge, too_large)


def _message(request: Request, message: str, status: int) -> Response:
    context = {"me": None, "title": "bo.error.title", "message": message, "back": "/backoffice/home"}
    return render(request, office_locale(request), "message.html", context, status=status)


__all__ = ["install", "router"]
