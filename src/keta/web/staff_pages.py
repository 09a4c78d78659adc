"""Pages for staff: the language (Korean by default, English on request), times in the scheme's zone,
and a Jinja2 renderer over an audience's own templates. Shared by the back office and the border desk
(keta.web.backoffice, keta.web.border), which keep their templates to themselves."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from keta.domain.review import Permission
from keta.i18n import BACKOFFICE_DEFAULT, BACKOFFICE_LOCALES, backoffice_text

LANG_COOKIE = "keta_bo_lang"


def office_locale(request: Request) -> str:
    """?lang= when it is a back-office language, else the remembered choice, else Korean."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in BACKOFFICE_LOCALES:
            return candidate
    return BACKOFFICE_DEFAULT


OfficeLocale = Annotated[str, Depends(office_locale)]


def when(value: datetime | None, timezone: str) -> str:
    """A moment in the scheme's time zone (officers in Korea read KST), to the minute."""
    if value is None:
        return "—"
    return value.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


Render = Callable[..., Response]


def renderer(templates: Path) -> Render:
    """`render(request, locale, template, context=None, *, status=200)` over the templates in `templates`."""
    env = Environment(
        loader=FileSystemLoader(templates),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(P=Permission)

    def render(
        request: Request,
        locale: str,
        template: str,
        context: Mapping[str, Any] | None = None,
        *,
        status: int = 200,
    ) -> Response:
        def t(msgid: str, **params: object) -> str:
            return backoffice_text(locale, msgid, **params)

        runtime = request.app.state.runtime
        html = env.get_template(template).render(
            {
                **(context or {}),
                "t": t,
                "locale": locale,
                "languages": BACKOFFICE_LOCALES,
                "path": request.url.path,
                "when": lambda value: when(value, runtime.policy.timezone),
            }
        )
        response = HTMLResponse(html, status_code=status)
        response.headers["Cache-Control"] = "no-store"
        if request.query_params.get("lang") in BACKOFFICE_LOCALES:
            secure = request.app.state.settings.env == "production"  # HTTPS only there, like the session cookie
            response.set_cookie(
                LANG_COOKIE, locale, max_age=365 * 24 * 3600, httponly=True, samesite="strict", secure=secure
            )
        return response

    return render
