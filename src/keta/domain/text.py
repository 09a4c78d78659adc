"""What any typed text must be, whatever the field: the one check every input path shares.

The API schemas, the portal's forms, the group CSV reader and the path parameters all ask
`text_problem`, so a NUL character (which PostgreSQL cannot store and which would otherwise surface
as a server error), another control character, a lone surrogate (not encodable as UTF-8, so it
breaks an e-mail or a page later) or an absurd length is refused at the door with a code naming the
field, instead of failing somewhere deep inside.

`has_visible` answers the other question free text raises: does the value show anything to a
reader? An address of zero-width spaces is empty, whatever its length.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls but tab, line feed and carriage return (a textarea sends those), DEL, C1 controls,
# and UTF-16 surrogates (only a lone one can reach a Python str, from a "\ud800" JSON escape).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Categories a reader does not see: separators (spaces), controls, format characters (zero-width
# space and joiner, bidi marks, soft hyphen), unassigned; combining marks show only on a letter.
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cn", "Co", "Cs", "Mn", "Me"})
_INVISIBLE_EXTRA = frozenset("\u115f\u1160\u3164\uffa0\u2800")  # Hangul fillers and the braille blank


def text_problem(value: str, *, max_length: int | None = None) -> str | None:
    """ "invalid_character" (NUL, another control character, a lone surrogate), "too_long", or None."""
    if _FORBIDDEN.search(value):
        return "invalid_character"
    if max_length is not None and len(value) > max_length:
        return "too_long"
    return None


def has_visible(value: str) -> bool:
    """True when at least one character would show on a page (a letter, digit, sign or symbol)."""
    return any(
        unicodedata.category(character) not in _INVISIBLE_CATEGORIES and character not in _INVISIBLE_EXTRA
        for character in value
    )
