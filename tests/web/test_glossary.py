"""The key terms (src/keta/locale/glossary.toml) are rendered one way per language in every catalog:
a catalog using a variant the glossary avoids fails, and so does a translation without the
glossary's term where the English has it (for the terms that require it). A small negative case
proves the check can fail: Turkish with "kontrol basamağı" for "check digit"."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import pytest
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from keta.i18n import babel_locale
from keta.web.portal.rendering import day

LOCALE_DIR = files("keta") / "locale"
GLOSSARY: dict[str, Any] = tomllib.loads((LOCALE_DIR / "glossary.toml").read_text(encoding="utf-8"))["terms"]
DOMAINS = ("messages", "backoffice")


@dataclass(frozen=True)
class Rule:
    term: str
    english: re.Pattern[str]
    use: re.Pattern[str]
    avoid: tuple[re.Pattern[str], ...]
    required: bool


def rules_for(locale: str, glossary: dict[str, Any] = GLOSSARY) -> list[Rule]:
    found = []
    for term, entry in glossary.items():
        if locale in entry:
            wanted = entry[locale]
            found.append(
                Rule(
                    term,
                    re.compile(entry["en"]),
                    re.compile(wanted["use"]),
                    tuple(re.compile(pattern) for pattern in wanted.get("avoid", ())),
                    entry.get("require", True),
                )
            )
    return found


def catalog(locale: str, domain: str) -> Catalog | None:
    path = LOCALE_DIR / locale / "LC_MESSAGES" / f"{domain}.po"
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def texts(found: Catalog | None) -> dict[str, str]:
    if found is None:
        return {}
    return {str(m.id): str(m.string) for m in found if m.id and isinstance(m.string, str) and m.string}


def problems(rules: list[Rule], english: dict[str, str], translated: dict[str, str]) -> list[str]:
    """Every use of an avoided variant, and every missing required term, as one line each."""
    found = []
    for key, text in translated.items():
        for rule in rules:
            for pattern in rule.avoid:
                if hit := pattern.search(text):
                    found.append(f"{key}: {rule.term}: {hit.group(0)!r} is avoided; use /{rule.use.pattern}/ — {text}")
            source = english.get(key, "")
            if rule.required and rule.english.search(source) and not rule.use.search(text):
                found.append(f"{key}: {rule.term}: no /{rule.use.pattern}/ for {source!r} — {text}")
    return found


LOCALES = sorted({locale for entry in GLOSSARY.values() for locale in entry if isinstance(entry[locale], dict)})


def test_the_glossary_covers_the_reviewed_languages_and_each_term_has_a_note() -> None:
    assert {"ko", "tr", "ja", "zh", "th", "ar"} <= set(LOCALES)
    for term, entry in GLOSSARY.items():
        assert entry.get("note"), term
        re.compile(entry["en"])


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogs_use_the_glossary_terms(locale: str) -> None:
    rules = rules_for(locale)
    found = []
    for domain in DOMAINS:
        found += problems(rules, texts(catalog("en", domain)), texts(catalog(locale, domain)))
    assert not found, f"{len(found)} glossary problem(s) in {locale}:\n" + "\n".join(found)


def test_the_check_fails_on_a_variant_and_on_a_missing_term() -> None:
    rules = rules_for("tr")
    english = {"portal.apply.mrz_digit_wrong": "Wrong check digit: {field}."}
    assert problems(rules, english, {"portal.apply.mrz_digit_wrong": "Kontrol rakamı yanlış: {field}."}) == []
    variant = problems(rules, english, {"portal.apply.mrz_digit_wrong": "Kontrol basamağı yanlış: {field}."})
    assert len(variant) == 2 and "'Kontrol basamağ' is avoided" in variant[0] and "no /" in variant[1], variant
    missing = problems(rules, english, {"portal.apply.mrz_digit_wrong": "Yanlış hane: {field}."})
    assert len(missing) == 1 and missing[0].startswith("portal.apply.mrz_digit_wrong: check_digit: no /"), missing


ENGLISH: dict[str, Any] = tomllib.loads((LOCALE_DIR / "glossary.toml").read_text(encoding="utf-8"))["english"]


def english_problems(english: dict[str, str]) -> list[str]:
    patterns = [re.compile(pattern) for pattern in ENGLISH["avoid"]]
    return [
        f"{key}: {hit.group(0)!r} — {text}"
        for key, text in english.items()
        for p in patterns
        if (hit := p.search(text))
    ]


def test_english_has_one_spelling_and_one_date_convention() -> None:
    for domain in DOMAINS:
        found = english_problems(texts(catalog("en", domain)))
        assert not found, "\n".join(found)
    assert english_problems({"x": "Travelers are authorised."}) == [
        "x: 'Travelers' — Travelers are authorised.",
        "x: 'authorised' — Travelers are authorised.",
    ]
    example = ENGLISH["date_example"]
    assert day(example["date"], "en") == example["shown"]  # the portal
    assert format_date(example["date"], format="long", locale=babel_locale("en")) == example["shown"]  # e-mails
    assert day(example["date"], "tr") == "12 Nisan 2026"  # other languages keep their own
