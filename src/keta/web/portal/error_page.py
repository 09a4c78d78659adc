"""The portal's page for a request refused before any page of its own could answer: too large, too
slow, a failed CSRF check, a value no input may hold (a NUL character, an absurd length), or any
HTTP error on a portal path. It says why, names the inputs concerned, and links back to the form."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request
from fastapi.responses import Response

from keta.domain.errors import FieldProblem
from keta.i18n import error_message, field_message, gettext
from keta.web.errors import MAX_REPORTED_FIELDS
from keta.web.portal.forms import LABELS, input_path
from keta.web.portal.refusal import PortalRefusal
from keta.web.portal.rendering import page_locale, render

__all__ = ["PortalRefusal", "back_link", "error_page", "label", "rate_limited_page"]

# Where "back" leads from a form's action: the page that shows that form.
_BACK = {"/apply/submit": "/apply", "/apply/payment": "/apply/confirmation", "/group/photos": "/group/confirmation"}
_SECTIONS = ("/apply", "/group", "/status", "/sandbox")


def back_link(path: str) -> str:
    if path in _BACK:
        return _BACK[path]
    return next((section for section in _SECTIONS if path.startswith(section) and section != "/sandbox"), "/")


def label(locale: str, path: str) -> str:
    """The input's label in the page's language, or its name when no form of ours has it."""
    name = input_path(path)
    msgid = LABELS.get(name) or LABELS.get(name.split(".", 1)[-1])
    return gettext(locale, msgid) if msgid else name


def error_page(
    request: Request, status: int, code: str, problems: Sequence[FieldProblem] = (), *, note: str | None = None
) -> Response:
    """`note`: a further sentence under the message, already in the page's language."""
    locale = page_locale(request)
    shown = [
        (label(locale, problem.path), field_message(locale, problem.code, **dict(problem.params)))
        for problem in problems[:MAX_REPORTED_FIELDS]
    ]
    context = {
        "message": error_message(locale, code),
        "note": note,
        "problems": shown,
        "back": back_link(request.url.path),
    }
    return render(request, locale, "error.html", context, status=status)


def rate_limited_page(request: Request, retry_after_seconds: int) -> Response:
    """429: too many requests from this connection, and in how many minutes it may try again."""
    minutes = max(1, -(-retry_after_seconds // 60))
    note = gettext(page_locale(request), "portal.error.retry_after", minutes=minutes)
    return error_page(request, 429, "rate_limited", note=note)
