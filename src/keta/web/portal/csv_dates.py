"""Dates in a group's CSV as spreadsheets write them in the representative's language.

A spreadsheet saves a date cell the way its locale shows it: Turkish Excel writes 31.12.2026, German
31.12.2026, French 31/12/2026, American English 12/31/2026, Korean 2026. 12. 31., Japanese and
Chinese 2026/12/31. The order of day and month comes from the locale's own short date pattern
(CLDR, through Babel) — the same data spreadsheets follow — so "03/04/2026" is 3 April on a French
page and 4 March on an English one. A year written with two digits is never guessed at (is 30 1930
or 2030?): such a cell, like any other the reader cannot read, is refused with the format named.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from babel import Locale
from babel.dates import get_date_format

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_PARTS = re.compile(r"(\d{1,4})[./\-\s]+(\d{1,2})[./\-\s]+(\d{1,4})\.?")
EXAMPLE = date(2026, 12, 31)  # day 31, month 12: no reader can mistake the order


def _pattern(locale: str) -> str:
    return str(get_date_format("short", locale=Locale.parse(locale.replace("-", "_"))).pattern)


def field_order(locale: str) -> str:
    """ "dmy", "mdy" or "ymd": the order of the locale's short date pattern."""
    pattern = _pattern(locale)
    firsts = {letter: pattern.find(letter) for letter in "dMy" if letter in pattern}
    order = "".join(sorted(firsts, key=firsts.__getitem__)).lower()
    return order if sorted(order) == ["d", "m", "y"] else "ymd"


def _ascii_digits(text: str) -> str:
    """Arabic-Indic, Persian, Thai… digits as 0-9, without the direction marks Excel may add."""
    kept = (ch for ch in text if unicodedata.category(ch) != "Cf")
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in kept).strip()


def read_date(cell: str, locale: str) -> str | None:
    """The cell as YYYY-MM-DD, or None when it is not a date written in a way we can read."""
    text = _ascii_digits(cell)
    if _ISO.fullmatch(text):
        return text
    match = _PARTS.fullmatch(text)
    if match is None:
        return None
    first, second, third = match.groups()
    if len(first) == 4:  # year first is never ambiguous (Korean, Japanese, Chinese, ISO)
        year, month, day = first, second, third
    elif len(third) == 4:
        order = field_order(locale).replace("y", "")
        day, month = (first, second) if order == "dm" else (second, first)
        year = third
    else:
        return None
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def example(locale: str) -> str:
    """31 December 2026 the way this locale's spreadsheet writes it, with a four-digit year (ISO for
    the year-first locales, whose own writing differs only in separators)."""
    order = field_order(locale)
    if order == "ymd":
        return EXAMPLE.isoformat()
    separator = next((ch for ch in _pattern(locale) if ch in "./-"), "/")
    parts = {"d": f"{EXAMPLE.day:02d}", "m": f"{EXAMPLE.month:02d}", "y": str(EXAMPLE.year)}
    return separator.join(parts[letter] for letter in order)
