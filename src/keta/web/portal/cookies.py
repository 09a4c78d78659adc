"""The portal's cookies: HttpOnly, SameSite, and in production (HTTPS) Secure with a prefixed name.

`__Host-` (Path=/, no Domain, Secure) means no other host or path can set or shadow the cookie; a
cookie limited to a path takes `__Secure-` instead, the strongest prefix a path allows. Development
and the test suite run over plain HTTP, where browsers refuse both prefixes, so the bare name is
used there.
"""

from __future__ import annotations

from typing import Literal

from fastapi import Request
from fastapi.responses import Response

SameSite = Literal["lax", "strict"]


def secure(request: Request) -> bool:
    return bool(request.app.state.settings.env == "production")


def name(request: Request, base: str, *, path: str = "/") -> str:
    if not secure(request):
        return base
    return f"__Host-{base}" if path == "/" else f"__Secure-{base}"


def read(request: Request, base: str, *, path: str = "/") -> str | None:
    return request.cookies.get(name(request, base, path=path))


def put(
    response: Response,
    request: Request,
    base: str,
    value: str,
    *,
    max_age: int | None = None,
    path: str = "/",
    samesite: SameSite = "lax",
) -> None:
    response.set_cookie(
        name(request, base, path=path),
        value,
        max_age=max_age,
        path=path,
        httponly=True,
        samesite=samesite,
        secure=secure(request),
    )
