"""Where a signed-in member lands: the first page their role may open."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from keta.domain.review import Permission
from keta.web.backoffice.rendering import OfficeLocale, render
from keta.web.backoffice.security import StaffDep

router = APIRouter()

# The first page of each kind of work, in the order a member with several permissions would want it.
LANDING = (
    (Permission.WORK_CASES, "/backoffice/queue"),
    (Permission.AUDIT, "/backoffice/audit"),
    (Permission.ACCOUNTS, "/backoffice/staff"),
    (Permission.BORDER, "/border"),
)


@router.get("/")
def landing(me: StaffDep) -> Response:
    target = next((path for permission, path in LANDING if me.may(permission)), "/backoffice/home")
    return RedirectResponse(target, status_code=303)


@router.get("/home")
def home(request: Request, me: StaffDep, locale: OfficeLocale) -> Response:
    return render(request, locale, "home.html", {"me": me})
