"""Look-alike letters (Unicode UTS #39 confusables) and invisible characters in names.

A name typed with letters of another alphabet that look the same — Cyrillic "о" in "Vymyslоv", Greek "Α"
in "Αlex" — reads the same to a person and must read the same to screening. The data is Unicode's
confusables.txt reduced to letters that look like ASCII Latin letters (data/confusables.tsv; its header
says where it comes from, its licence and which rows are kept).

- `readings(word)`: a word whose letters mix scripts is written in one script, each other letter becoming
  its look-alike there: in the script most of its letters use first (Latin wins a tie), then in any other
  script all its letters fold into ("Taраcoв" is Latin "Tapacob" by count, Cyrillic "Тарасов" to a reader:
  screening keeps both). A word with a letter that has no look-alike anywhere is left alone — it is two
  names run together ("Ivanпетров"), not a disguise. `fold_mixed(word)` is the first reading.
- `latin_skeleton(word)`: a word wholly in one cased non-Latin alphabet whose every letter has a Latin
  look-alike ("Васо", "ΚΑΤΟ") spelled with those Latin letters ("baco", "kato"). Screening adds it as an
  extra spelling, never instead of the transliteration (Васо is also the Cyrillic name Vaso).
- `mixes_scripts(word)`, `is_invisible(ch)`: what the applicant check refuses.
- `identity_spelling(name)`: one ASCII spelling per name as a reader sees it, for "the same person"
  (the re-application cap's blind index): the disguises above, case and diacritics all fold away.

NFKC (applied before any of this) already folds fullwidth letters and mathematical alphanumerics (𝐀, 𝔸,
Ａ → A), so the table leaves them out. The table is read once, lazily, from the installed package: see
docs/CONVENTIONS.md for why reading an immutable packaged resource keeps the domain pure.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib.resources import files

from keta.domain.screening.scripts import char_script, fold_latin, letters

# Cased alphabets whose words may be a Latin name typed wholly in look-alike letters. Right-to-left and
# caseless scripts are left out: their few Latin look-alikes (Arabic ه, Hebrew ס) do not spell names.
SKELETON_SCRIPTS = frozenset({"cyrillic", "greek", "armenian", "cherokee", "coptic"})
# Scripts that share one word in real names: Japanese mixes kanji and kana, Korean hanja and Hangul.
_WRITTEN_TOGETHER = (frozenset({"han", "kana"}), frozenset({"han", "hangul"}))

# Default_Ignorable_Code_Point characters that are not of category Cf (those are found by category):
# Hangul fillers, combining grapheme joiner, Khmer inherent vowels, Mongolian and other variation selectors.
_IGNORABLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u3164\uffa0"
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
    + "".join(chr(c) for c in range(0xE0100, 0xE01F0))
)


def is_invisible(ch: str) -> bool:
    """Control and format characters (zero-width space/joiner, bidi controls, soft hyphen, BOM…) and the
    other default-ignorable characters: nothing a passport prints. Ordinary spaces are not invisible."""
    return ch in _IGNORABLE or unicodedata.category(ch) in ("Cc", "Cf")


@lru_cache(maxsize=4096)
def letter_script(ch: str) -> str:
    """The script of a letter, "" for anything else (Common and Inherited: marks, digits, punctuation).
    Letters of scripts keta does not romanize on its own are told apart by their Unicode name."""
    script = char_script(ch)
    if script == "other":
        name = unicodedata.name(ch, "")
        return name.split(" ", 1)[0].lower() if name else "other"
    return script


def _scripts(word: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ch in word:
        script = letter_script(ch)
        if script:
            counts[script] = counts.get(script, 0) + 1
    return counts


def _mixed(counts: dict[str, int]) -> bool:
    return len(counts) > 1 and not any(counts.keys() <= together for together in _WRITTEN_TOGETHER)


def mixes_scripts(word: str) -> bool:
    """Letters of more than one script in one word (marks, digits and punctuation do not count)."""
    return not word.isascii() and _mixed(_scripts(word))


@cache
def _to_latin() -> dict[str, str]:
    """Letter → its ASCII Latin look-alike (one or two letters, case as it looks)."""
    text = files("keta.domain.screening").joinpath("data", "confusables.tsv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, latin, _ = line.split("\t", 2)
            table[chr(int(code, 16))] = latin
    return table


@cache
def _from_latin() -> dict[str, dict[str, str]]:
    """Script → {ASCII letter → the letter of that script that looks like it}; a letter of the same case
    first, then the lowest code point (the basic alphabet before its extensions)."""
    ranked = sorted(_to_latin().items(), key=lambda item: (item[0].isupper() != item[1].isupper(), item[0]))
    by_script: dict[str, dict[str, str]] = {}
    for ch, latin in ranked:
        if len(latin) == 1:
            by_script.setdefault(letter_script(ch), {}).setdefault(latin, ch)
    return by_script


def _look_alike_in(ch: str, script: str) -> str | None:
    latin = ch if ch.isascii() else _to_latin().get(ch)
    if script == "latin" or latin is None:
        return latin
    return _from_latin().get(script, {}).get(latin) if len(latin) == 1 else None


@lru_cache(maxsize=65_536)
def readings(word: str) -> tuple[str, ...]:
    """The ways a word that mixes scripts can be read in one script, its majority script first (Latin
    first on a tie): "Vymyslоv" → ("Vymyslov",); "Taраcoв" → ("Tapacob", "Тарасов"). A word that does not
    mix scripts, or whose letters fold into no single script, is its own only reading."""
    if word.isascii():
        return (word,)
    counts = _scripts(word)
    if not _mixed(counts):
        return (word,)
    order = sorted(counts, key=lambda script: (-counts[script], script != "latin"))
    found = tuple(folded for script in order if (folded := _fold_into(word, script)) is not None)
    return found or (word,)


def fold_mixed(word: str) -> str:
    """The first of `readings(word)`: "Vymyslоv" → "Vymyslov", "Аlеksаndr" → "Aleksandr"."""
    return readings(word)[0]


def _fold_into(word: str, target: str) -> str | None:
    out = []
    for ch in word:
        script = letter_script(ch)
        if not script or script == target:
            out.append(ch)
            continue
        look_alike = _look_alike_in(ch, target)
        if look_alike is None:
            return None
        out.append(look_alike)
    return "".join(out)


@lru_cache(maxsize=65_536)
def latin_skeleton(word: str) -> str:
    """The lower-case Latin look-alike spelling of a word wholly in one `SKELETON_SCRIPTS` alphabet whose
    every letter has one ("Васо" → "baco"); "" for any other word."""
    table = _to_latin()
    out = []
    for ch in word:
        if not ch.isalpha():
            continue
        latin = table.get(ch)
        if latin is None or letter_script(ch) not in SKELETON_SCRIPTS:
            return ""
        out.append(latin)
    return "".join(out).lower()


_WORD_BREAKS = re.compile(r"[\s'’\-]+")


def identity_spelling(name: str) -> str:
    """Invisible characters dropped, look-alike letters folded (a mixed word into its main script, a word
    wholly in look-alike letters into Latin), then lower-case ASCII letters with diacritics folded and
    other scripts transliterated; word breaks ignored. "Vymyslоv", "VY\u200dMYSLOV" and "Vymyslov" agree."""
    visible = "".join(ch for ch in unicodedata.normalize("NFKC", name) if not is_invisible(ch))
    spelled = []
    for word in _WORD_BREAKS.split(visible):
        folded = fold_mixed(word)
        spelled.append(latin_skeleton(folded) or letters(fold_latin(folded)))
    return "".join(spelled)
