"""Hong Kong and Taiwan passport spellings of Chinese names written in Han characters.

Taiwan passports long used Wade–Giles (陳建文 → CHEN CHIEN-WEN) and Hong Kong ones write the Hong Kong Government
Cantonese romanisation (陳建文 → CHAN KIN MAN), while `scripts.romanize_han` reads Han through Mandarin pinyin.
This module adds both, as per-syllable choices `scripts.ranked_spellings` combines:

- `wade_giles_choices`: our own rules from pinyin syllables (pypinyin writes ü as "v"), as passports print them —
  no apostrophes, no umlauts: zhang → chang, jing/qing → ching, xin → hsin, jian → chien, zi → tzu, shi → shih,
  ge → ko, gui → kuei, yu/xu → yu/hsu, yue → yueh. Tongyong Pinyin (jhang, siou), which Taiwan passports used
  for a few years, is not covered.
- `cantonese_choices`: the per-character readings of the `cantonese-romanisation` package (MIT; its data is
  JSON inside the package, read once through `pkgutil`: no download, nothing outside the package). Its table is
  keyed by traditional characters and mixes in Yale-style spellings (gwan, jau, dung); those are rewritten the
  way Hong Kong Government romanisation writes them (kwan, chau, tung), and common simplified characters are
  looked up through their traditional form first.

The package is imported lazily (like pypinyin): Latin-only names never load it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache, lru_cache

from keta.domain.screening.lexicon import read_rows

Choice = tuple[tuple[str, int], ...]  # spellings of one syllable with a cost; the first one costs 0

MAX_CANTONESE_READINGS = 3  # per character: readings past these are rare, and each one is a retrieval key

# --- Wade–Giles --------------------------------------------------------------------------------------------------

# pinyin initial → Wade–Giles initial, aspiration marks dropped (p/b, t/d, k/g, ch/zh/j/q, ts/z/c all merge).
_WG_INITIALS: dict[str, str] = {
    "b": "p", "p": "p", "m": "m", "f": "f", "d": "t", "t": "t", "n": "n", "l": "l", "g": "k", "k": "k", "h": "h",
    "j": "ch", "q": "ch", "x": "hs", "zh": "ch", "ch": "ch", "sh": "sh", "r": "j", "z": "ts", "c": "ts", "s": "s",
}  # fmt: skip
_VELARS = frozenset("gkh")  # ge → ko, guo → kuo (not to), gui → kuei
_UO_KEPT = frozenset({"g", "k", "h", "sh"})  # duo → to, zuo → tso, ruo → jo, but guo → kuo, shuo → shuo

# Whole syllables with their own Wade–Giles form, alternatives after the first.
_WG_SYLLABLES: dict[str, tuple[str, ...]] = {
    "zhi": ("chih",), "chi": ("chih",), "shi": ("shih",), "ri": ("jih",), "zi": ("tzu",), "ci": ("tzu",),
    "si": ("ssu", "szu"), "er": ("erh",), "e": ("o", "e"), "yi": ("i", "yi"), "you": ("yu",), "ye": ("yeh",),
    "yan": ("yen",), "yong": ("yung",), "yu": ("yu",), "yv": ("yu",), "yue": ("yueh",), "yve": ("yueh",),
    "yuan": ("yuan",), "yun": ("yun",), "m": ("m",), "n": ("n",), "ng": ("ng",), "hm": ("hm",), "hng": ("hng",),
}  # fmt: skip

# pinyin final → Wade–Giles final, where the initial does not change it (see `_wg_final`).
_WG_FINALS: dict[str, str] = {
    "ong": "ung", "iong": "iung", "ian": "ien", "ie": "ieh", "ue": "ueh", "ve": "ueh", "v": "u", "van": "uan",
    "vn": "un",
}  # fmt: skip


def _wg_final(initial: str, final: str) -> tuple[str, ...]:
    if final == "e" and initial in _VELARS:
        return ("o",)
    if final == "uo" and initial not in _UO_KEPT:
        return ("o",)
    if final == "ui":  # kuei, but hui, shui, tsui (Taiwan also writes huei, shuei)
        return ("uei", "ui") if initial in ("g", "k") else ("ui", "uei")
    return (_WG_FINALS.get(final, final),)


@lru_cache(maxsize=4096)
def wade_giles(syllable: str) -> tuple[str, ...]:
    """Wade–Giles spellings of one toneless pinyin syllable ("v" for ü), the usual one first; ASCII only."""
    syllable = syllable.lower()
    if syllable in _WG_SYLLABLES:
        return _WG_SYLLABLES[syllable]
    initial = syllable[:2] if syllable[:2] in ("zh", "ch", "sh") else syllable[:1]
    if initial not in _WG_INITIALS:  # y-, w- and bare vowels: the final alone (ya, wang, ai, ou)
        return (_WG_FINALS.get(syllable, syllable).replace("v", "u"),)
    return tuple(_WG_INITIALS[initial] + f for f in _wg_final(initial, syllable[len(initial) :]))


def wade_giles_choices(syllables: Sequence[str]) -> list[Choice]:
    """One choice per syllable, for `ranked_spellings`: the standard spelling first; none when a syllable is
    not pinyin (pypinyin passes characters it cannot read through)."""
    if not all(s.isascii() and s.isalpha() for s in syllables):
        return []
    return [tuple((spelling, cost) for cost, spelling in enumerate(wade_giles(s))) for s in syllables]


# --- Cantonese (Hong Kong Government romanisation) -----------------------------------------------------------------

# Common simplified characters → traditional (data/han_simplified_traditional.tsv), for characters the Cantonese
# table only knows in traditional form. Each pair is checked in the tests.
TRADITIONAL: dict[str, str] = {row[0]: row[1] for row in read_rows("han_simplified_traditional.tsv")}

# Yale-style initials in the table, as Hong Kong Government romanisation writes them (it has no b, d, g, j).
_YALE_INITIALS = (("gw", "kw"), ("g", "k"), ("b", "p"), ("d", "t"), ("j", "ch"), ("z", "ts"))


def hk_spelling(reading: str) -> str:
    """A table reading as Hong Kong Government romanisation writes it ("gwan" → "kwan", "jau" → "chau",
    "baak" → "pak"); "" for entries that are not a syllable."""
    spelling = reading.lower()
    if not (spelling.isascii() and spelling.isalpha()) or (len(spelling) == 1 and spelling not in "aeioum"):
        return ""
    for yale, hk in _YALE_INITIALS:
        if spelling.startswith(yale):
            spelling = hk + spelling[len(yale) :]
            break
    return spelling.replace("aa", "a")


@cache
def _cantonese_table() -> Callable[[str], list[list[str]]]:
    from cantoroman import Cantonese  # type: ignore[import-untyped]  # lazy: see the module docstring

    get_roman: Callable[[str], list[list[str]]] = Cantonese().getRoman
    return get_roman


@lru_cache(maxsize=8192)
def cantonese_readings(char: str) -> tuple[str, ...]:
    """Hong Kong Government spellings of one Han character, the table's own ones first (at most
    `MAX_CANTONESE_READINGS`); () when the table does not know the character."""
    lookup = _cantonese_table()
    readings = lookup(char)[0] or lookup(TRADITIONAL.get(char, char))[0]
    ranked = sorted(
        (spelling != reading.lower(), position, spelling)
        for position, reading in enumerate(readings)
        if (spelling := hk_spelling(reading))
    )
    return tuple(dict.fromkeys(spelling for _, _, spelling in ranked))[:MAX_CANTONESE_READINGS]


def cantonese_choices(run: str) -> list[Choice] | None:
    """One choice per character, for `ranked_spellings`; None when a character has no known reading."""
    choices: list[Choice] = []
    for char in run:
        readings = cantonese_readings(char)
        if not readings:
            return None
        choices.append(tuple((spelling, cost) for cost, spelling in enumerate(readings)))
    return choices
