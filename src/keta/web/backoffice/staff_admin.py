"""Accounts, for admins: list, create (the one-time enrolment link is shown once), reset, disable."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from keta.db.models import StaffMember
from keta.domain.errors import Conflict, InvalidInput, NotFound
from keta.domain.review import Permission, Role
from keta.services import staff
from keta.web.backoffice.rendering import OfficeLocale, render
from keta.web.backoffice.security import Form, Staff, first, require
from keta.web.deps import RuntimeDep, SessionDep

router = APIRouter()
Admin = Annotated[Staff, require(Permission.ACCOUNTS)]


def enrolment_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/backoffice/enrol/{token}"


def _page(request: Request, me: Staff, db: SessionDep, locale: str, status: int = 200, **extra: Any) -> Response:
    members = list(db.scalars(select(StaffMember).order_by(StaffMember.username)))
    context = {"me": me, "members": members, "roles": [r.value for r in Role], **extra}
    return render(request, locale, "staff.html", context, status=status)


@router.get("/staff")
def staff_page(request: Request, me: Admin, db: SessionDep, locale: OfficeLocale) -> Response:
    return _page(request, me, db, locale)


@router.post("/staff")
def create(request: Request, form: Form, me: Admin, db: SessionDep, rt: RuntimeDep, locale: OfficeLocale) -> Response:
    me.check_csrf(request, form)
    username = first(form, "username").strip().lower()[:64]
    try:
        role = Role(first(form, "role"))
    except ValueError:
        return _page(request, me, db, locale, 422, refused="invalid_input")
    try:
        with db.begin_nested():
            _, token = staff.create(db, rt, username=username, role=role, actor=str(me.member.id))
    except InvalidInput:
        return _page(request, me, db, locale, 422, refused="invalid_username")
    except Conflict as conflict:
        return _page(request, me, db, locale, 409, refused=conflict.reason)
    link = enrolment_link(str(request.base_url), token)
    return _page(request, me, db, locale, 201, created=username, link=link)


@router.post("/staff/{username}/{verb}")
def change(
    username: str, verb: str, request: Request, form: Form, me: Admin, db: SessionDep, rt: RuntimeDep,
    locale: OfficeLocale,
) -> Response:  # fmt: skip
    me.check_csrf(request, form)
    try:
        if verb == "disable":
            if username == me.member.username:
                return _page(request, me, db, locale, 409, refused="own_account")
            staff.disable(db, rt, username=username, actor=str(me.member.id))
        elif verb == "reset":
            token = staff.reset(db, rt, username=username, actor=str(me.member.id))
            return _page(
                request, me, db, locale, 200, created=username, link=enrolment_link(str(request.base_url), token)
            )
        else:
            raise NotFound()
    except NotFound:
        return _page(request, me, db, locale, 404, refused="not_found")
    return RedirectResponse("/backoffice/staff", status_code=303)
