"""The portal's texts and the catalogs agree: every msgid the templates and routes use is in
messages.pot (so in every complete catalog), and every portal msgid in messages.pot is used."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from keta.domain.applicant import Employment, Purpose
from keta.i18n import KNOWN_LOCALES
from keta.web import portal
from keta.web.portal.forms import LABELS
from keta.web.portal.rendering import direction

PORTAL = Path(portal.__file__).resolve().parent
LITERAL = re.compile(r"""["'](portal\.[A-Za-z0-9_.]+[A-Za-z0-9_])["']""")


def used_msgids() -> set[str]:
    found: set[str] = set()
    for source in [*PORTAL.glob("templates/*.html"), *PORTAL.glob("*.py")]:
        found |= set(LITERAL.findall(source.read_text(encoding="utf-8")))
    found.discard("portal.css")  # the stylesheet's file name
    # Built from a prefix and a value in the templates.
    found |= {f"portal.purpose.{p.value}" for p in Purpose} | {f"portal.employment.{e.value}" for e in Employment}
    found |= {f"portal.sex.{s}" for s in ("F", "M", "X")} | set(LABELS.values())
    return found


def template_msgids() -> set[str]:
    with (files("keta") / "locale" / "messages.pot").open("rb") as handle:
        return {m.id for m in read_po(handle) if isinstance(m.id, str) and m.id.startswith("portal.")}


def test_messages_pot_matches_the_portal() -> None:
    used, listed = used_msgids(), template_msgids()
    assert sorted(used - listed) == [], "used but not in messages.pot"
    assert sorted(listed - used) == [], "in messages.pot but used nowhere"


@pytest.mark.parametrize("locale", sorted(KNOWN_LOCALES))
def test_no_page_shows_a_raw_msgid(client: TestClient, locale: str) -> None:
    for path in ("/", "/apply", "/status", "/group"):
        html = client.get(f"{path}?lang={locale}").text
        assert f'<html lang="{locale}"' in html
        assert re.findall(r">[^<]*portal\.[a-z]", html) == [], path
    for path in ("/apply", "/group", "/status/group"):
        invalid = client.post(path, data={"action": "submit"}).text
        assert re.findall(r">[^<]*(?:portal|field)\.[a-z]", invalid) == [], path


def test_right_to_left_languages_get_dir_rtl() -> None:
    assert [direction(code) for code in ("ar", "fa-IR", "he", "en", "ko", "tr")] == ["rtl"] * 3 + ["ltr"] * 3
