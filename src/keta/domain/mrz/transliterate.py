"""Latin names to the MRZ character set (ICAO Doc 9303 Part 3, section 6).

The MRZ only knows A-Z and the filler '<'. ICAO prescribes a table for Latin letters with
diacritics; most of it is "drop the accent", which Unicode NFKD decomposition gives us for free.
The exceptions are letters ICAO expands (Ä→AE, ß→SS, ...) and letters Unicode does not decompose
(Ø, Ł, Đ, ...); those live in `_SPECIAL`. Non-Latin scripts need a per-script table, which is out
of scope: they raise instead of silently producing an empty or wrong name.
"""

from __future__ import annotations

import re
import unicodedata

# Keys are upper case because the input is upper-cased first; the values are final MRZ text.
_SPECIAL: dict[str, str] = {
    "Ä": "AE",
    "Ö": "OE",
    "Ü": "UE",
    "Å": "AA",
    "Æ": "AE",
    "Ø": "OE",
    "Œ": "OE",
    "Þ": "TH",
    "Ð": "D",
    "Đ": "D",
    "Ħ": "H",
    "Ł": "L",
    "Ŀ": "L",  # NFKD would leave a middle dot behind
    "Ŧ": "T",
    "Ĳ": "IJ",
    "ẞ": "SS",  # capital sharp s; the small one is already "SS" after str.upper()
    # Turkish, spelled out rather than left to NFKD because these are the letters people get wrong.
    "Ş": "S",
    "Ğ": "G",
    "Ç": "C",
    "İ": "I",
}

# ICAO: apostrophes are omitted ("D'ARCY" -> "DARCY"), hyphens and spaces become a filler.
_APOSTROPHES = frozenset("'\u2019\u02bc\u2018`")
_HYPHENS = frozenset("-\u2010\u2011")
_MRZ_LETTERS = re.compile(r"[A-Z]+")
_FILLER_RUNS = re.compile(r"<+")


def _letter(char: str) -> str:
    """One upper-case character to MRZ letters, or ValueError."""
    special = _SPECIAL.get(char)
    if special is not None:
        return special
    base = "".join(part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part))
    if not _MRZ_LETTERS.fullmatch(base):
        raise ValueError(f"character {char!r} cannot be transliterated to the MRZ character set")
    return base


def to_mrz_name_chars(text: str) -> str:
    """`text` (one name component, e.g. all given names) in MRZ characters.

    Separators collapse to a single '<' and are trimmed at both ends: a double filler inside a
    component would be read back as the surname/given-names boundary.
    """
    # NFC first so that decomposed input ('A' + U+0308) hits the Ä entry. upper() turns 'ı' into
    # 'I' and 'ß' into 'SS', but turns 'i̇' (what 'İ'.lower() gives) into 'I' + U+0307, so normalise
    # again to get back the single 'İ' the table knows.
    upper = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).upper())
    parts: list[str] = []
    for char in upper:
        if char in _APOSTROPHES:
            continue
        if char.isspace() or char in _HYPHENS:
            parts.append("<")
        else:
            parts.append(_letter(char))
    return _FILLER_RUNS.sub("<", "".join(parts)).strip("<")
