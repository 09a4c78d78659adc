"""Hangul → Latin: a Revised-Romanization base plus the spellings Koreans actually put in passports.

A syllable U+AC00–U+D7A3 is (initial × 21 + vowel) × 28 + final. Given names are romanized syllable by
syllable (no sound-change rules across syllables, as the Revised Romanization itself does for given names);
each jamo has alternatives with a cost (ㅓ eo/u/o, ㅕ yeo/yu/you/yo, ㅜ u/oo, ㄱ g/k, ㅈ j/ch…) and the cheapest
combinations become the variants: 민준 → minjun, minjoon…; 지훈 → jihun, jihoon, chihun…
Surnames come from the curated table (data/korean_surnames.tsv: 이 → lee, yi, rhee, i, ri, rhie), whose first
spelling is the text.
"""

from __future__ import annotations

from keta.domain.screening.lexicon import Lexicon
from keta.domain.screening.scripts import Choice, Romanized, choice_of, ranked_spellings, romanized, transliterate_any

_FIRST, _LAST = 0xAC00, 0xD7A3

_INITIALS = tuple(
    choice_of(spec)
    for spec in ("g k", "kk gg", "n", "d t", "tt", "r l", "m", "b p", "pp", "s", "ss", "-", "j ch", "jj", "ch",
                 "k", "t", "p", "h")
)  # fmt: skip
_VOWELS = tuple(
    choice_of(spec)
    for spec in ("a", "ae e:2", "ya", "yae", "eo u o:2", "e", "yeo you:1 yu:1 yo:2", "ye", "o", "wa", "wae",
                 "oe oi:2", "yo", "u oo", "wo weo", "we", "wi", "yu yoo", "eu u", "ui eui", "i ee:2")
)  # fmt: skip
_FINALS = tuple(
    choice_of(spec)
    for spec in ("-", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t",
                 "t", "ng", "t", "t", "k", "t", "p", "t")
)  # fmt: skip
_S, _NG, _I, _U, _EO, _RIEUL_INITIAL, _RIEUL_FINAL = 9, 11, 20, 13, 4, 5, 8
_SH_BEFORE_I = choice_of("s sh")
_EO_OPEN = choice_of("eo u uh:1 o:2")  # 서 → seo, su, suh, so
_WOO = choice_of("u woo:1 oo:1 wu:2")  # 현우 → hyunwoo
_L_AFTER_L = choice_of("l")  # 설리 → seolli
# Inside a name, ㄱ ㄷ ㅂ ㅈ are voiced: 은지 is Eunji, rarely Eunchi (but 지훈 is Jihun or Chihun).
_VOICED_INSIDE = {0: choice_of("g k:2"), 3: choice_of("d t:2"), 7: choice_of("b p:2"), 12: choice_of("j ch:2")}


def decompose(syllable: str) -> tuple[int, int, int] | None:
    """(initial, vowel, final) jamo indices of a precomposed syllable; None for anything else."""
    code = ord(syllable) - _FIRST
    if not 0 <= code <= _LAST - _FIRST:
        return None
    return code // 588, (code % 588) // 28, code % 28


def is_hangul_syllables(run: str) -> bool:
    return all(decompose(c) is not None for c in run)


def _parts(run: str) -> list[Choice]:
    parts: list[Choice] = []
    previous_final = 0
    for ch in run:
        jamo = decompose(ch)
        if jamo is None:
            parts.append(((transliterate_any(ch).lower(), 0),))
            previous_final = 0
            continue
        initial, vowel, final = jamo
        if initial == _S and vowel == _I:
            parts.append(_SH_BEFORE_I)
        elif initial == _RIEUL_INITIAL and previous_final == _RIEUL_FINAL:
            parts.append(_L_AFTER_L)
        elif parts and initial in _VOICED_INSIDE:
            parts.append(_VOICED_INSIDE[initial])
        else:
            parts.append(_INITIALS[initial])
        if initial == _NG and vowel == _U:
            parts.append(_WOO)
        else:
            parts.append(_EO_OPEN if vowel == _EO and final == 0 else _VOWELS[vowel])
        parts.append(_FINALS[final])
        previous_final = final
    return parts


def romanize_hangul(run: str, lex: Lexicon, *, surname: bool = False) -> Romanized:
    """A surname in the table takes its spellings from it (then the systematic ones); anything else is
    romanized syllable by syllable."""
    systematic = ranked_spellings(_parts(run))
    table = lex.korean_surnames.get(run, ()) if surname else ()
    return romanized(run, [*table, *systematic], "hangul_romanized")


def surname_length(run: str, lex: Lexicon) -> int:
    """How many leading syllables of an unspaced Korean name (2–4 syllables) are the surname."""
    if len(run) >= 3 and run[:2] in lex.korean_surnames:
        return 2
    return 1
