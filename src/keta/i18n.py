"""Translations: Accept-Language negotiation and the message catalogs.

The domain speaks in stable codes (field problems, error codes, reason codes, outcomes, statuses); this
module turns them into sentences in the reader's language. Catalogs are gettext .po files shipped as
package data under `keta/locale/<code>/LC_MESSAGES/messages.po`, read with Babel on first use (or at
start-up through `load_catalogs`) and cached; there is no compile step and there are no .mo files.

msgids are the codes with their kind as a prefix — "field.required", "error.not_found",
"reason.visa_free_national", "outcome.exempt", "status.paid" — and `locale/messages.pot` lists them
all. Placeholders use `{name}` (str.format) syntax. Adding a language means adding its .po file and an
entry in `KNOWN_LOCALES`; nothing else names the languages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from string import Formatter
from types import MappingProxyType

from babel import Locale
from babel.messages.pofile import read_po

__all__ = [
    "BACKOFFICE_LOCALES",
    "DEFAULT_LOCALE",
    "KNOWN_LOCALES",
    "backoffice_text",
    "error_message",
    "field_message",
    "gettext",
    "load_catalogs",
    "negotiate",
    "reason_message",
]

KNOWN_LOCALES: dict[str, str] = {
    # Korean, English and Turkish first; then K-ETA's other site languages; then frequent visitors'.
    "en": "English",
    "ko": "한국어",
    "tr": "Türkçe",
    "ja": "日本語",
    "zh": "中文（简体）",
    "th": "ไทย",
    "es": "Español",
    "fr": "Français",
    "ms": "Bahasa Melayu",
    "vi": "Tiếng Việt",
    "id": "Bahasa Indonesia",
    "ru": "Русский",
    "de": "Deutsch",
    "ar": "العربية",
    "hi": "हिन्दी",
    "pt": "Português",
    "it": "Italiano",
    "pl": "Polski",
    "nl": "Nederlands",
    "uk": "Українська",
    "mn": "Монгол",
    "fil": "Filipino",
    "fa": "فارسی",
    "kk": "Қазақ тілі",
    "el": "Ελληνικά",
}
"""Language code (BCP 47, as in `?lang=`) → the language's own name, for a language picker."""

DEFAULT_LOCALE = "en"

BACKOFFICE_LOCALES: dict[str, str] = {"ko": "한국어", "en": "English"}
"""The back office's languages (its officers work in Korea); its own texts are msgids "bo.*" in the
`backoffice` domain (locale/<code>/LC_MESSAGES/backoffice.po), everything else comes from `messages`."""
BACKOFFICE_DOMAIN = "backoffice"
BACKOFFICE_DEFAULT = "ko"

_GENERIC = "generic"
"""The code whose message stands in for an unknown code of the same kind ("field.generic", ...)."""

# Explicit ASCII ranges (no \d, no IGNORECASE): a header is untrusted and 'İ'.lower() is two characters.
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*")
_QVALUE = re.compile(r"0(?:\.[0-9]*)?|1(?:\.0*)?")
_AGE_CODE = re.compile(r"age_([0-9]{1,3})_or_(under|over)")
_MAX_HEADER_ENTRIES = 64


# --- negotiation ---------------------------------------------------------------------------------


def negotiate(accept_language: str | None, *, explicit: str | None = None) -> str:
    """The best known locale: `explicit` (a ?lang= value or a cookie) when known, else the best
    Accept-Language entry by q-value, else `DEFAULT_LOCALE`. Never raises on a malformed header."""
    if explicit:
        chosen = _match(explicit)
        if chosen is not None:
            return chosen
    ranked, refused = _parse_accept_language(accept_language or "")
    for tag in ranked:
        if tag == "*":  # any language: ours, unless the header refused it with q=0
            candidates = (DEFAULT_LOCALE, *KNOWN_LOCALES)
            wildcard = next((code for code in candidates if code.lower() not in refused), None)
            if wildcard is not None:
                return wildcard
            continue
        chosen = _match(tag)
        if chosen is not None and chosen.lower() not in refused:
            return chosen
    return DEFAULT_LOCALE


def _parse_accept_language(header: str) -> tuple[list[str], set[str]]:
    """Tags with q > 0, best first (ties keep header order), and the lower-cased tags given q=0.

    An entry with an unreadable q-value or tag is skipped, not guessed at.
    """
    weighted: list[tuple[float, int, str]] = []
    refused: set[str] = set()
    for position, entry in enumerate(header.split(",")[:_MAX_HEADER_ENTRIES]):
        tag, *params = (part.strip() for part in entry.split(";"))
        if not tag or (tag != "*" and not _LANGUAGE_TAG.fullmatch(tag)):
            continue
        quality: float | None = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                value = value.strip()
                quality = float(value) if _QVALUE.fullmatch(value) else None
        if quality is None:
            continue
        if quality == 0:
            refused.add(tag.replace("_", "-").lower())
        else:
            weighted.append((-quality, position, tag))
    weighted.sort()
    return [tag for _, _, tag in weighted], refused


def _match(tag: str) -> str | None:
    """The known locale for a language tag: exact (case-insensitive), then the longest known prefix
    ("zh-Hant-TW" → "zh-Hant"), then any known locale with the same primary language ("tr-TR" → "tr")."""
    tag = tag.strip()
    if not _LANGUAGE_TAG.fullmatch(tag):
        return None
    known = {code.lower(): code for code in KNOWN_LOCALES}
    subtags = tag.replace("_", "-").lower().split("-")
    for end in range(len(subtags), 0, -1):
        code = known.get("-".join(subtags[:end]))
        if code is not None:
            return code
    return next((code for lowered, code in known.items() if lowered.split("-")[0] == subtags[0]), None)


# --- catalogs ------------------------------------------------------------------------------------


def _catalog_file(locale: str, domain: str = "messages") -> Traversable:
    # gettext directories use underscores: a future "pt-BR" lives in locale/pt_BR/.
    return files("keta") / "locale" / locale.replace("-", "_") / "LC_MESSAGES" / f"{domain}.po"


@lru_cache  # one entry per known locale and domain; 128 slots is plenty
def _catalog(locale: str, domain: str = "messages") -> Mapping[str, str]:
    """msgid → msgstr of one known locale; untranslated (empty) and fuzzy entries are left out."""
    with _catalog_file(locale, domain).open("rb") as handle:
        catalog = read_po(handle, domain=domain)
    messages: dict[str, str] = {}
    for message in catalog:
        if (
            isinstance(message.id, str)
            and message.id
            and isinstance(message.string, str)
            and message.string
            and not message.fuzzy
        ):
            messages[message.id] = message.string
    return MappingProxyType(messages)


def load_catalogs() -> None:
    """Read every known catalog now (call at start-up): a missing or broken file fails here, not
    on a traveller's request."""
    for locale in KNOWN_LOCALES:
        _catalog(locale)
    for locale in BACKOFFICE_LOCALES:
        _catalog(locale, BACKOFFICE_DOMAIN)


# --- rendering -----------------------------------------------------------------------------------


def _placeholders(template: str) -> set[str] | None:
    """The `{names}` a template uses, or None when it is not a valid format string."""
    try:
        return {name for _, name, _, _ in Formatter().parse(template) if name is not None}
    except ValueError:
        return None


def _render(template: str, params: Mapping[str, object]) -> str | None:
    """The template filled in, or None when a placeholder has no value or the template is broken."""
    try:
        return template.format_map(params)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError):
        return None


def gettext(locale: str, msgid: str, **params: object) -> str:
    """`msgid` in `locale`, placeholders filled from `params`; falls back to English, then to the msgid.

    A translation that cannot be filled in (a placeholder without a value) counts as missing.
    """
    resolved = _match(locale) or DEFAULT_LOCALE
    for candidate in dict.fromkeys((resolved, DEFAULT_LOCALE)):
        template = _catalog(candidate).get(msgid)
        if template is not None:
            rendered = _render(template, params)
            if rendered is not None:
                return rendered
    return msgid


def backoffice_text(locale: str, msgid: str, **params: object) -> str:
    """A back-office text: "bo.*" from the back office's catalog, anything else (statuses, reasons,
    grounds, field problems) from the shared one. Falls back to English, then to the msgid."""
    if not msgid.startswith("bo."):
        return gettext(locale, msgid, **params)
    chosen = locale if locale in BACKOFFICE_LOCALES else BACKOFFICE_DEFAULT
    for candidate in dict.fromkeys((chosen, DEFAULT_LOCALE)):
        template = _catalog(candidate, BACKOFFICE_DOMAIN).get(msgid)
        if template is not None:
            rendered = _render(template, params)
            if rendered is not None:
                return rendered
    return msgid


def _coded(locale: str, kind: str, code: str, params: Mapping[str, object]) -> str:
    msgid = f"{kind}.{code}"
    english = _catalog(DEFAULT_LOCALE).get(msgid)  # the English catalog is the list of known codes
    needed = _placeholders(english) if english is not None else None
    if needed is None or not needed <= params.keys():
        msgid = f"{kind}.{_GENERIC}"
    return gettext(locale, msgid, **params)


def field_message(locale: str, code: str, **params: object) -> str:
    """The sentence for a field-problem code; "This value is not valid." (translated) if unknown."""
    return _coded(locale, "field", code, params)


def error_message(locale: str, code: str, **params: object) -> str:
    """The sentence for a top-level error code; "The request could not be processed." if unknown."""
    return _coded(locale, "error", code, params)


def reason_message(locale: str, code: str, **params: object) -> str:
    """The sentence for a reason code. Age codes carry their bound ("age_17_or_under") and render
    through "reason.age_or_under" / "reason.age_or_over" with `{age}`; an unknown code renders as a
    generic sentence."""
    age = _AGE_CODE.fullmatch(code)
    if age is not None:
        return _coded(locale, "reason", f"age_or_{age.group(2)}", {**params, "age": int(age.group(1))})
    return _coded(locale, "reason", code, params)


# The conventions (dates, numbers) each catalog is written in, where the bare language code would
# pick another: our English is British (Oxford spelling: "traveller", "authorization" — the scheme's
# own name), so its dates are "12 April 2026", not Babel's American default "April 12, 2026".
_CONVENTIONS = {"en": "en_GB"}


def babel_locale(locale: str) -> Locale:
    """The Babel locale for formatting dates, numbers and money in one of our catalogs' languages."""
    return Locale.parse(_CONVENTIONS.get(locale, locale).replace("-", "_"))
