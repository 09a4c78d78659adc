"""Signing in (password, then TOTP), signing out, and enrolling with a one-time link.

Every failure answers the same way ("the user name, password or code is not right"), whatever
failed, and is counted and audited in the request's own transaction (which commits: a failure is
not an exception here). Sign-in attempts are also limited per client address.
"""

from __future__ import annotations

from typing import Any

import qrcode
import qrcode.image.svg
from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from keta.db.models import StaffMember, StaffSession
from keta.domain.errors import InvalidInput
from keta.services import staff, staff_sessions
from keta.web import throttle
from keta.web.backoffice.rendering import OfficeLocale, office_locale, render
from keta.web.backoffice.security import (
    PRE_SESSION,
    SESSION,
    Form,
    Staff,
    StaffDep,
    check_pre_session,
    cookie_name,
    delete_cookie,
    first,
    pre_session_token,
    set_cookie,
    settings_of,
    timeouts,
)
from keta.web.deps import RuntimeDep, SessionDep

router = APIRouter()
HOME = "/backoffice/"


def _pre_form(request: Request, locale: str, template: str, context: dict[str, Any], *, status: int = 200) -> Response:
    settings = settings_of(request)
    token, fresh = pre_session_token(request, settings)
    response = render(request, locale, template, {**context, "csrf": token}, status=status)
    if fresh is not None:
        set_cookie(response, settings, PRE_SESSION, fresh)
    return response


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def rate_limited_page(request: Request, retry_after_seconds: int) -> Response:
    """The sign-in page again, saying when this address may try again (keta.web.refusals answers 429 with it)."""
    minutes = max(1, -(-retry_after_seconds // 60))
    locale = office_locale(request)
    return _pre_form(request, locale, "login.html", {"failed": False, "limited": minutes}, status=429)


@router.get("/login")
def login_page(request: Request, locale: OfficeLocale) -> Response:
    return _pre_form(request, locale, "login.html", {"failed": False})


@router.post("/login", dependencies=[Depends(throttle.logins)])  # per client; each account also locks
def login(request: Request, form: Form, db: SessionDep, rt: RuntimeDep, locale: OfficeLocale) -> Response:
    settings = settings_of(request)
    check_pre_session(request, settings, form)
    username, password = first(form, "username")[:64], first(form, "password")[:256]
    member = staff.check_password(db, rt, username=username, password=password) if username and password else None
    if member is None:
        return _pre_form(request, locale, "login.html", {"failed": True, "username": username}, status=401)
    token = staff_sessions.start(db, member=member, now=rt.now())
    response = _redirect("/backoffice/login/code")
    set_cookie(response, settings, SESSION, token)
    return response


def _half_session(request: Request, db: SessionDep, rt: RuntimeDep) -> StaffSession | None:
    settings = settings_of(request)
    return staff_sessions.resolve(
        db,
        token=request.cookies.get(cookie_name(settings, SESSION)),
        now=rt.now(),
        timeouts=timeouts(settings),
        stage=staff_sessions.PASSWORD_STAGE,
    )


@router.get("/login/code")
def code_page(request: Request, db: SessionDep, rt: RuntimeDep, locale: OfficeLocale) -> Response:
    half = _half_session(request, db, rt)
    if half is None:
        return _redirect("/backoffice/login")
    return render(request, locale, "code.html", {"csrf": half.csrf_secret, "failed": False})


@router.post("/login/code")
def code(request: Request, form: Form, db: SessionDep, rt: RuntimeDep, locale: OfficeLocale) -> Response:
    half = _half_session(request, db, rt)
    if half is None:
        return _redirect("/backoffice/login")
    Staff(half.staff, half).check_csrf(request, form)  # a half session is not a StaffDep, same check
    member = staff.check_code(db, rt, member=half.staff, code=first(form, "code")[:16])
    if member is None:
        if half.staff.locked_until is not None and half.staff.locked_until > rt.now():
            half.ended_at = rt.now()  # locked: start again from the password once the lock ends
            return _redirect("/backoffice/login")
        return render(request, locale, "code.html", {"csrf": half.csrf_secret, "failed": True}, status=401)
    settings = settings_of(request)
    token = staff_sessions.upgrade(db, current=half, now=rt.now(), timeouts=timeouts(settings))
    response = _redirect(HOME)
    set_cookie(response, settings, SESSION, token)
    return response


@router.post("/logout")
def logout(request: Request, form: Form, me: StaffDep, db: SessionDep, rt: RuntimeDep) -> Response:
    me.check_csrf(request, form)
    settings = settings_of(request)
    staff_sessions.end(db, token=request.cookies.get(cookie_name(settings, SESSION)), now=rt.now())
    response = _redirect("/backoffice/login")
    delete_cookie(response, settings, SESSION)
    return response


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def _enrol_context(rt: RuntimeDep, member: StaffMember) -> dict[str, Any]:
    uri = staff.provisioning_uri(rt, member)
    secret = uri.split("secret=", 1)[1].split("&", 1)[0]
    return {"username": member.username, "qr": _qr_svg(uri), "secret": secret, "errors": {}}


@router.get("/enrol/{token}")
def enrol_page(token: str, request: Request, db: SessionDep, rt: RuntimeDep, locale: OfficeLocale) -> Response:
    member = staff.enrolment(db, token=token[:128], now=rt.now())
    if member is None:
        return render(request, locale, "enrol_invalid.html", status=404)
    return _pre_form(request, locale, "enrol.html", _enrol_context(rt, member))


@router.post("/enrol/{token}")
def enrol(token: str, request: Request, form: Form, db: SessionDep, rt: RuntimeDep, locale: OfficeLocale) -> Response:
    check_pre_session(request, settings_of(request), form)
    member = staff.enrolment(db, token=token[:128], now=rt.now())
    if member is None:
        return render(request, locale, "enrol_invalid.html", status=404)
    try:
        staff.complete_enrolment(
            db,
            rt,
            token=token[:128],
            password=first(form, "password")[:256],
            password_again=first(form, "password_again")[:256],
            code=first(form, "code")[:16],
        )
    except InvalidInput as problems:
        context = {**_enrol_context(rt, member), "errors": {p.path: p for p in problems.fields}}
        return _pre_form(request, locale, "enrol.html", context, status=422)
    return render(request, locale, "enrolled.html")
