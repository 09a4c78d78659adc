"""Templates, the page's language and locale-aware formatting for the portal."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from keta.domain.applicant import Employment, Purpose
from keta.i18n import KNOWN_LOCALES, babel_locale, gettext, negotiate
from keta.web.countries import choices
from keta.web.portal import cookies, csrf
from keta.web.portal.forms import LABELS, input_id

HERE = Path(__file__).resolve().parent
LANG_COOKIE = "keta_lang"
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "dv", "yi"})
_ONE_YEAR = 365 * 24 * 3600

_env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"], default_for_string=True, default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
# The choices of the purpose and employment selects (the application and the group member form).
_env.globals.update(
    id=input_id,
    labels=LABELS,
    purposes=[p.value for p in Purpose],
    employments=[e.value for e in Employment],
)


def page_locale(request: Request) -> str:
    """?lang= when known, else the `keta_lang` cookie when known, else Accept-Language, else English."""
    remembered = negotiate(request.headers.get("accept-language"), explicit=cookies.read(request, LANG_COOKIE))
    return negotiate(remembered, explicit=request.query_params.get("lang"))


PageLocale = Annotated[str, Depends(page_locale)]


def direction(locale: str) -> str:
    return "rtl" if locale.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def _babel_locale(locale: str) -> Locale:
    return babel_locale(locale)


def money(amount: Decimal, currency: str, locale: str) -> str:
    return format_currency(amount, currency, locale=_babel_locale(locale))


def number(value: int, locale: str) -> str:
    """4000 → "4,000" / "4.000" / "٤٬٠٠٠", as the page's language writes it."""
    return format_decimal(value, locale=_babel_locale(locale))


def day(value: date, locale: str) -> str:
    return format_date(value, format="long", locale=_babel_locale(locale))


def _codes(locale: str) -> frozenset[str]:
    return frozenset(code for code, _ in choices(locale))


def render(
    request: Request, locale: str, template: str, context: Mapping[str, Any] | None = None, *, status: int = 200
) -> Response:
    def translate(msgid: str, **params: object) -> str:
        return gettext(locale, msgid, **params)

    # The language links keep the page's other query parameters (the sandbox checkout needs them).
    kept = [(name, value) for name, value in request.query_params.multi_items() if name != "lang"]

    def language_link(code: str) -> str:
        return f"{request.url.path}?{urlencode([*kept, ('lang', code)])}"

    csrf_token, fresh_cookie = csrf.token(request)
    html = _env.get_template(template).render(
        {
            "csrf_token": csrf_token,  # every form's hidden `csrf` input (see keta.web.portal.csrf)
            **(context or {}),
            "_": translate,
            "locale": locale,
            "dir": direction(locale),
            "languages": KNOWN_LOCALES,
            "path": request.url.path,
            "language_link": language_link,
            # The options of every country select (macros.country_select), in the page's language.
            "country_choices": choices(locale),
            "country_codes": _codes(locale),
            # A test system says so on every page (base.html's banner).
            "sandbox": request.app.state.runtime.payments.sandbox,
        }
    )
    response = HTMLResponse(html, status_code=status)
    response.headers["Cache-Control"] = "no-store"  # pages may show personal data
    csrf.remember(response, request, fresh_cookie)
    if request.query_params.get("lang"):
        cookies.put(response, request, LANG_COOKIE, locale, max_age=_ONE_YEAR)
    return response
