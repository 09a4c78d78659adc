"""Which script a name part is written in, and how each script becomes lower-case ASCII spellings.

Latin is folded (Turkish- and German-aware); Cyrillic and Greek go through our own letter tables with the
alternatives passports and watchlists actually use; Arabic-script words get a consonant skeleton plus the
spellings of a curated word table; Han goes through pinyin with a surname table; Kana, Hebrew and every other
script through `anyascii`. Hangul has its own module (`hangul.py`).

`anyascii` and `pypinyin` are pure-function libraries, imported lazily: the common Latin-only path never
loads them, and importing `keta.domain` still loads nothing but the standard library.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from keta.domain.screening import han_variants
from keta.domain.screening.lexicon import Lexicon, read_rows

Choice = tuple[tuple[str, int], ...]  # spellings of one unit with a cost; the first one costs 0

MAX_VARIANTS = 12
_VOWELS = frozenset("aeiouy")

# Inclusive code-point ranges per script, checked only for non-ASCII letters.
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x00C0, 0x024F, "latin"),
    (0x0250, 0x02AF, "latin"),
    (0x0370, 0x03FF, "greek"),
    (0x0400, 0x052F, "cyrillic"),
    (0x0590, 0x05FF, "hebrew"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0x08A0, 0x08FF, "arabic"),
    (0x1100, 0x11FF, "hangul"),
    (0x1C80, 0x1C8F, "cyrillic"),
    (0x1E00, 0x1EFF, "latin"),
    (0x1F00, 0x1FFF, "greek"),
    (0x2C60, 0x2C7F, "latin"),
    (0x2DE0, 0x2DFF, "cyrillic"),
    (0x3005, 0x3007, "han"),
    (0x3040, 0x30FF, "kana"),
    (0x3130, 0x318F, "hangul"),
    (0x31F0, 0x31FF, "kana"),
    (0x3400, 0x4DBF, "han"),
    (0x4E00, 0x9FFF, "han"),
    (0xA640, 0xA69F, "cyrillic"),
    (0xA720, 0xA7FF, "latin"),
    (0xA960, 0xA97F, "hangul"),
    (0xAB30, 0xAB6F, "latin"),
    (0xAC00, 0xD7FF, "hangul"),
    (0xF900, 0xFAFF, "han"),
    (0xFB1D, 0xFB4F, "hebrew"),
    (0xFB50, 0xFDFF, "arabic"),
    (0xFE70, 0xFEFF, "arabic"),
    (0xFF66, 0xFF9F, "kana"),
    (0x20000, 0x3FFFF, "han"),
)


def char_script(ch: str) -> str:
    """The script of one letter; "" for anything that is not a letter (marks, digits, apostrophes)."""
    if ch.isascii():
        return "latin" if ch.isalpha() else ""
    if not ch.isalpha():
        return ""
    code = ord(ch)
    for low, high, script in _RANGES:
        if low <= code <= high:
            return script
    return "other"


def script_of(text: str) -> str:
    """The script most letters of `text` are written in (the first one wins a tie); "other" without letters."""
    if text.isascii():
        return "latin" if any(c.isalpha() for c in text) else "other"
    counts: dict[str, int] = {}
    for ch in text:
        script = char_script(ch)
        if script:
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=lambda s: counts[s]) if counts else "other"


def script_runs(word: str) -> list[tuple[str, str]]:
    """Split a word where its script changes ("Ivanпетров" → two runs); marks and apostrophes stay attached."""
    if word.isascii():
        return [(word, "latin")]
    runs: list[tuple[str, str]] = []
    start, current = 0, ""
    for i, ch in enumerate(word):
        script = char_script(ch)
        if script and current and script != current:
            runs.append((word[start:i], current))
            start = i
        if script:
            current = script
    runs.append((word[start:], current or "other"))
    return runs


# --- Latin -------------------------------------------------------------------------------------------------

# Letters that do not decompose into ASCII + marks. Ə→a follows Azerbaijani passports (Əliyev → ALIYEV).
_LATIN_SPECIAL = str.maketrans(
    {
        "ı": "i", "ß": "ss", "ẞ": "ss", "Ø": "o", "ø": "o", "Æ": "ae", "æ": "ae", "Œ": "oe", "œ": "oe",
        "Þ": "th", "þ": "th", "Đ": "d", "đ": "d", "Ð": "d", "ð": "d", "Ł": "l", "ł": "l", "Ħ": "h", "ħ": "h",
        "Ŋ": "ng", "ŋ": "ng", "ĸ": "k", "ſ": "s", "ȷ": "j", "Ŧ": "t", "ŧ": "t", "ƒ": "f", "Ə": "a", "ə": "a",
        "Ɛ": "e", "ɛ": "e", "Ɔ": "o", "ɔ": "o", "ʼ": "'", "ʻ": "'",
    }
)  # fmt: skip


def fold_latin(text: str) -> str:
    """Lower-case ASCII: İ/I/ı → i, ş→s, ğ→g, ç→c, ö→o, ü→u, ä→a, ß→ss, other diacritics stripped."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_LATIN_SPECIAL))
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return folded if folded.isascii() else transliterate_any(folded).lower()


def letters(text: str) -> str:
    """Only the ASCII letters of `text`, lower-cased."""
    lowered = text.lower()
    if lowered.isalpha() and lowered.isascii():
        return lowered
    return "".join(c for c in lowered if "a" <= c <= "z")


# --- shared machinery --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Romanized:
    original: str
    text: str
    variants: tuple[str, ...]
    how: str


def ranked_spellings(parts: Sequence[Choice], limit: int = MAX_VARIANTS + 1) -> list[str]:
    """The `limit` cheapest distinct concatenations of one spelling per part, cheapest first.

    A beam search: exact for the small products names produce, approximate (never wrong, maybe incomplete)
    for long ones. Ties keep table order, earlier parts varying last.
    """
    beam: list[tuple[int, tuple[int, ...], str]] = [(0, (), "")]
    width = max(4 * limit, 32)
    for choices in parts:
        grown = [
            (cost + extra, (*order, i), text + spelling)
            for cost, order, text in beam
            for i, (spelling, extra) in enumerate(choices)
        ]
        grown.sort(key=lambda item: (item[0], item[1]))
        seen: set[str] = set()
        beam = []
        for item in grown:
            if item[2] not in seen:
                seen.add(item[2])
                beam.append(item)
                if len(beam) == width:
                    break
    return [text for _, _, text in beam[:limit]]


def romanized(original: str, spellings: Iterable[str], how: str) -> Romanized:
    """The first non-empty spelling is the text; the rest (distinct, letters only, capped) are variants."""
    ordered: list[str] = []
    for spelling in spellings:
        cleaned = letters(spelling)
        if cleaned and cleaned not in ordered:
            ordered.append(cleaned)
    if not ordered:
        return Romanized(original, "", (), how)
    return Romanized(original, ordered[0], tuple(ordered[1 : MAX_VARIANTS + 1]), how)


def transliterate_any(text: str) -> str:
    from anyascii import anyascii  # lazy: see the module docstring

    return anyascii(text)


# --- Cyrillic ----------------------------------------------------------------------------------------------


def choice_of(spec: str) -> Choice:
    """'kh h w:3' → (("kh", 0), ("h", 1), ("w", 3)): the cost is the position unless given; '-' is empty."""
    parts = [item.partition(":") for item in spec.split()]
    return tuple(("" if s == "-" else s, int(cost) if cost else i) for i, (s, _, cost) in enumerate(parts))


# ICAO 9303 first, then the spellings of other common systems (BGN/PCGN, German, French, national ones).
_CYRILLIC: dict[str, Choice] = {row[0]: choice_of(row[1]) for row in read_rows("cyrillic_letters.tsv")}
_CYRILLIC_FINAL_ONLY = frozenset({"ий", "ый", "ия"})
_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяєіїьъ")
_UKRAINIAN = frozenset("єіїґ")


def romanize_cyrillic(word: str) -> Romanized:
    low = word.lower()
    ukrainian = any(c in _UKRAINIAN for c in low)
    parts: list[Choice] = []
    i = 0
    while i < len(low):
        pair = low[i : i + 2]
        if pair in _CYRILLIC and (pair not in _CYRILLIC_FINAL_ONLY or i + 2 == len(low)):
            parts.append(_CYRILLIC[pair])
            i += 2
            continue
        ch = low[i]
        choice = _CYRILLIC.get(ch, ((transliterate_any(ch).lower(), 0),))
        if ch == "е" and (i == 0 or low[i - 1] in _CYRILLIC_VOWELS):
            choice = choice_of("e ye je")  # Yevgeny, Yelena; Andreyevich
        elif ukrainian and ch in "ги":
            choice = choice_of("h g" if ch == "г" else "y i")
        parts.append(choice)
        i += 1
    return romanized(word, ranked_spellings(parts), "cyrillic_transliterated")


# --- Greek -------------------------------------------------------------------------------------------------

_GREEK: dict[str, Choice] = {row[0]: choice_of(row[1]) for row in read_rows("greek_letters.tsv")}
_GREEK_START = {"μπ": choice_of("b mp"), "ντ": choice_of("d nt"), "γκ": choice_of("g gk")}
_GREEK_FRONT = frozenset("ιεηυ")
_GREEK_ACCENTS = frozenset("\u0300\u0301\u0313\u0314\u0342\u0345")


def romanize_greek(word: str) -> Romanized:
    low = unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", word.lower()) if c not in _GREEK_ACCENTS)
    )
    parts: list[Choice] = []
    i = 0
    while i < len(low):
        pair = low[i : i + 2]
        if pair in _GREEK:
            parts.append(_GREEK_START[pair] if i == 0 and pair in _GREEK_START else _GREEK[pair])
            i += 2
            continue
        ch = low[i]
        if ch == "γ" and i + 1 < len(low) and low[i + 1] in _GREEK_FRONT:
            parts.append(choice_of("g y"))  # Γιώργος: Giorgos, Yiorgos
        else:
            parts.append(_GREEK.get(ch, ((transliterate_any(ch).lower(), 0),)))
        i += 1
    return romanized(word, ranked_spellings(parts), "greek_transliterated")


# --- Arabic script -----------------------------------------------------------------------------------------


def romanize_arabic(word: str, lex: Lexicon) -> Romanized:
    """Text: the consonant skeleton ("mhmd"); variants: the curated spellings of the word, when known."""
    skeleton = transliterate_any(word)
    return romanized(word, [skeleton, *lex.arabic_spellings(word)], "arabic_transliterated")


# --- Han ---------------------------------------------------------------------------------------------------


@cache
def _pinyin() -> Callable[[str], list[str]]:
    """Toneless pinyin syllables with ü written "v" (吕 lv, 路 lu): Wade–Giles and LYU/NYU tell them apart."""
    from pypinyin import lazy_pinyin  # lazy: see the module docstring

    pinyin: Callable[[str], list[str]] = lazy_pinyin
    return pinyin


def han_surname_length(run: str, lex: Lexicon) -> int:
    """How many leading characters of an unspaced Han name are the surname (compound surnames have two)."""
    return 2 if len(run) >= 3 and run[:2] in lex.han_surnames else 1


def romanize_han(run: str, lex: Lexicon, *, surname: bool) -> Romanized:
    """Text: mainland pinyin. Variants: Taiwan's Wade–Giles and Hong Kong's Cantonese spellings
    (`han_variants`), joined the way the scorer joins "CHIEN-WEN" or "KIN MAN"; a listed surname keeps its
    table (陳: chen, chan, tan) and gains the Wade–Giles spelling, and a Cantonese one when the table has none."""
    table = lex.han_surnames.get(run) if surname else None
    cantonese = _han_spellings(han_variants.cantonese_choices(run), limit=6)
    if table:
        syllables = [table[0]] if len(run) == 1 else _pinyin()(run)
        wade_giles = _han_spellings(han_variants.wade_giles_choices(syllables), limit=1)
        if "".join(syllables).replace("v", "u") != table[0]:
            wade_giles = []  # pypinyin read a compound surname otherwise than the table
        missing = cantonese[:1] if not set(cantonese) & set(table) else []
        return romanized(run, [*table, *wade_giles, *missing], "han_pinyin")
    syllables = _pinyin()(run)
    joined = "".join(syllables).replace("v", "u")
    # 吕/女 read lü/nü: passports write LYU/NYU
    with_yu = "".join(s.replace("v", "yu") if s in {"lv", "nv", "lve", "nve"} else s for s in syllables)
    wade_giles = _han_spellings(han_variants.wade_giles_choices(syllables), limit=4)
    alternating = [s for pair in itertools.zip_longest(wade_giles, cantonese, fillvalue="") for s in pair]
    return romanized(run, [joined, with_yu, *alternating], "han_pinyin")


def _han_spellings(choices: list[Choice] | None, *, limit: int) -> list[str]:
    """The `limit` cheapest spellings of a run, syllables joined; none when a syllable has no spelling."""
    if not choices:
        return []
    return ranked_spellings(choices, limit=limit)


# --- Kana, Hebrew and the rest -----------------------------------------------------------------------------


def romanize_other(run: str, script: str) -> Romanized:
    text = transliterate_any(run)
    if script != "kana":
        return romanized(run, [text], "transliterated")
    low = text.lower()
    short = low.replace("ou", "o").replace("uu", "u").replace("oo", "o")  # Satou → Sato, Yuuki → Yuki
    hepburn_m = "".join("m" if c == "n" and low[i + 1 : i + 2] in ("b", "m", "p") else c for i, c in enumerate(low))
    return romanized(run, [low, short, hepburn_m, short.replace("oh", "o")], "transliterated")
