"""Who is asking, may they, and did the form come from us: sessions, roles and CSRF for staff pages.

Shared by the audiences staff sign in to (the back office at /backoffice, the border desk at /border),
so that neither imports the other: one sign-in, one session cookie, one role table.

- The session cookie is HttpOnly and SameSite=Strict; in production it is also Secure and named
  with the `__Host-` prefix (no Domain, Path=/, HTTPS only).
- Every POST carries a CSRF token: the session's own secret once signed in; before that (login,
  second factor, enrolment) an HMAC of a random pre-session cookie. A POST whose Origin header
  names another site is refused as well.
- Forms are read with a byte and field bound before anything is parsed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import Depends, Request
from fastapi.responses import Response

from keta.config import Settings
from keta.db.models import StaffMember, StaffSession
from keta.domain.review import Permission, Role, may
from keta.services import staff_sessions
from keta.services.staff_sessions import SessionTimeouts
from keta.web.deps import RuntimeDep, SessionDep

MAX_FORM_BYTES = 64 * 1024
MAX_FORM_FIELDS = 60
CSRF_FIELD = "csrf"


class SignInRequired(Exception):
    """No live session: pages redirect to the sign-in page."""


class Forbidden(Exception):
    """Signed in, but this role may not do this, or the CSRF check failed."""

    def __init__(self, code: str = "forbidden") -> None:
        self.code = code
        super().__init__(code)


class FormTooLarge(Exception):
    pass


def _secure(settings: Settings) -> bool:
    return settings.env == "production"


def cookie_name(settings: Settings, base: str) -> str:
    return f"__Host-{base}" if _secure(settings) else base


def set_cookie(response: Response, settings: Settings, base: str, value: str) -> None:
    response.set_cookie(
        cookie_name(settings, base), value, httponly=True, samesite="strict", secure=_secure(settings), path="/"
    )


def delete_cookie(response: Response, settings: Settings, base: str) -> None:
    response.delete_cookie(cookie_name(settings, base), httponly=True, samesite="strict", secure=_secure(settings))


SESSION, PRE_SESSION = "keta_bo", "keta_bo_pre"


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def timeouts(settings: Settings) -> SessionTimeouts:
    return SessionTimeouts(
        idle=timedelta(minutes=settings.backoffice_idle_minutes),
        absolute=timedelta(hours=settings.backoffice_session_hours),
    )


async def bounded_form(request: Request) -> dict[str, list[str]]:
    """An urlencoded form read to at most MAX_FORM_BYTES and MAX_FORM_FIELDS; repeated names keep every value."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_FORM_BYTES):
        raise FormTooLarge()
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise FormTooLarge()
    fields: dict[str, list[str]] = {}
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except (UnicodeDecodeError, ValueError):
        raise FormTooLarge() from None
    for name, value in pairs:
        fields.setdefault(name, []).append(value)
    return fields


Form = Annotated[dict[str, list[str]], Depends(bounded_form)]


def first(form: dict[str, list[str]], name: str) -> str:
    values = form.get(name)
    return values[0] if values else ""


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None  # an opaque origin is never ours
    return origin == f"{request.url.scheme}://{request.url.netloc}"


def pre_session_token(request: Request, settings: Settings) -> tuple[str, str | None]:
    """The CSRF token for forms shown before sign-in, and a new cookie value when one must be set."""
    current = request.cookies.get(cookie_name(settings, PRE_SESSION))
    fresh = None
    if not current or len(current) > 64:
        current = fresh = secrets.token_urlsafe(24)
    return _sign(settings, current), fresh


def _sign(settings: Settings, value: str) -> str:
    key = settings.secret_key.get_secret_value().encode()
    return hmac.new(key, b"bo-pre\x1f" + value.encode(), hashlib.sha256).hexdigest()


def check_pre_session(request: Request, settings: Settings, form: dict[str, list[str]]) -> None:
    cookie = request.cookies.get(cookie_name(settings, PRE_SESSION))
    sent = first(form, CSRF_FIELD)
    if not _same_origin(request) or not cookie or not sent or not hmac.compare_digest(_sign(settings, cookie), sent):
        raise Forbidden("csrf")


@dataclass(frozen=True)
class Staff:
    member: StaffMember
    session: StaffSession

    @property
    def role(self) -> Role:
        return Role(self.member.role)

    @property
    def csrf(self) -> str:
        return self.session.csrf_secret

    def may(self, permission: Permission) -> bool:
        return may(self.role, permission)

    def check_csrf(self, request: Request, form: dict[str, list[str]]) -> None:
        sent = first(form, CSRF_FIELD)
        if not _same_origin(request) or not sent or not hmac.compare_digest(sent, self.session.csrf_secret):
            raise Forbidden("csrf")


def current_staff(request: Request, db: SessionDep, rt: RuntimeDep) -> Staff:
    settings = settings_of(request)
    found = staff_sessions.resolve(
        db, token=request.cookies.get(cookie_name(settings, SESSION)), now=rt.now(), timeouts=timeouts(settings)
    )
    if found is None:
        raise SignInRequired()
    return Staff(found.staff, found)


StaffDep = Annotated[Staff, Depends(current_staff)]


def require(permission: Permission) -> Any:
    def check(staff: StaffDep) -> Staff:
        if not staff.may(permission):
            raise Forbidden()
        return staff

    return Depends(check)
