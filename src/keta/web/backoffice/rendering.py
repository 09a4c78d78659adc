"""The back office's templates, language (Korean by default, English on request) and formatting
(the staff-wide parts live in keta.web.staff_pages, shared with the border desk)."""

from __future__ import annotations

from pathlib import Path

from keta.web.staff_pages import LANG_COOKIE, OfficeLocale, office_locale, renderer, when

HERE = Path(__file__).resolve().parent
STYLESHEET = (HERE / "static" / "backoffice.css").read_bytes()
render = renderer(HERE / "templates")

__all__ = ["HERE", "LANG_COOKIE", "STYLESHEET", "OfficeLocale", "office_locale", "render", "when"]
