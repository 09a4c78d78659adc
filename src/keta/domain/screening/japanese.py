"""Kana → the Hepburn spellings Japanese passports print, with their variants.

Japanese passports write names in Hepburn romanization (Ministry of Foreign Affairs rules): no marks on long
vowels (大野 おおの ONO, 伊藤 いとう ITO, 優子 ゆうこ YUKO), N before a vowel or Y without an apostrophe
(しゅんいち SHUNICHI), M before B, M and P (なんば NAMBA, ほんま HOMMA), a doubled consonant for っ and TCH
before CH (はっとり HATTORI). On request a passport may show a long O as OH (OHNO, ITOH) or as written in
kana (OONO, ITOU); lists also write long U as UU. Each kana unit becomes a choice of spellings with a cost,
and `scripts.ranked_spellings` turns them into the cheapest variants: おおの → ono, ohno, oono…

Kanji names are not read here: a reading needs a name dictionary; the screening index asks one
(`keta.screening.kanji_readings`) and hands the readings, in kana, to this module.
"""

from __future__ import annotations

from keta.domain.screening.scripts import Choice, Romanized, choice_of, ranked_spellings, romanized

_BASIC = (
    "あa いi うu えe おo かka きki くku けke こko さsa しshi すsu せse そso たta ちchi つtsu てte とto なna にni ぬnu "
    "ねne のno はha ひhi ふfu へhe ほho まma みmi むmu めme もmo やya ゆyu よyo らra りri るru れre ろro わwa ゐi ゑe "
    "をo がga ぎgi ぐgu げge ごgo ざza じji ずzu ぜze ぞzo だda ぢji づzu でde どdo ばba びbi ぶbu べbe ぼbo ぱpa ぴpi "
    "ぷpu ぺpe ぽpo ゔvu ぁa ぃi ぅu ぇe ぉo"
)
_KANA: dict[str, str] = {item[0]: item[1:] for item in _BASIC.split()}
# Syllables with a small ya/yu/yo: the consonant of the i-syllable, then the glide.
_YOON_HEAD = {"き": "ky", "ぎ": "gy", "し": "sh", "じ": "j", "ち": "ch", "ぢ": "j", "に": "ny", "ひ": "hy", "び": "by",
              "ぴ": "py", "み": "my", "り": "ry"}  # fmt: skip
_SMALL_Y = {"ゃ": "a", "ゅ": "u", "ょ": "o"}
_KATAKANA_OFFSET = 0x60
_LONG_MARK = "ー"


def to_hiragana(text: str) -> str:
    return "".join(chr(ord(c) - _KATAKANA_OFFSET) if "ァ" <= c <= "ヶ" else c for c in text)


def _syllables(kana: str) -> list[str]:
    """Hepburn syllables, with "Q" for っ and "N" for ん (resolved by their neighbours)."""
    out: list[str] = []
    i = 0
    while i < len(kana):
        ch, nxt = kana[i], kana[i + 1 : i + 2]
        if ch in _YOON_HEAD and nxt in _SMALL_Y:
            out.append(_YOON_HEAD[ch] + _SMALL_Y[nxt])
            i += 2
            continue
        if ch == "っ":
            out.append("Q")
        elif ch == "ん":
            out.append("N")
        elif ch == _LONG_MARK:
            out.append("-")
        elif ch in _KANA:
            out.append(_KANA[ch])
        i += 1
    return out


_LONG_O = choice_of("- h:1 o:1 u:2")  # おお/おう after O: ONO, OHNO, OONO, OUNO
_LONG_U = choice_of("- u:1")  # うう after U: YUKI, YUUKI


def hepburn_choices(kana: str) -> list[Choice]:
    syllables = _syllables(to_hiragana(kana))
    parts: list[Choice] = []
    for i, syllable in enumerate(syllables):
        after = syllables[i + 1] if i + 1 < len(syllables) else ""
        before = parts[-1][0][0] if parts else ""
        if syllable == "Q":  # っ doubles the next consonant (TCH before CH)
            parts.append((("t" if after.startswith("ch") else after[:1], 0),) if after[:1] not in "aeiou" else ())
        elif syllable == "N":
            parts.append(choice_of("m n:1") if after[:1] in ("b", "m", "p") else choice_of("n"))
        elif (
            syllable == "-"
            or (syllable in ("u", "o") and before.endswith("o"))
            or (syllable == "u" and before.endswith("u"))
        ):
            vowel = before[-1:] if before else ""
            parts.append(_LONG_O if vowel == "o" else _LONG_U if vowel == "u" else ((vowel, 0), ("", 1)))
        else:
            parts.append(((syllable, 0),))
    return [p for p in parts if p]


def romanize_kana(run: str) -> Romanized:
    """A kana name part as a Japanese passport prints it, then its common variants."""
    return romanized(run, ranked_spellings(hepburn_choices(run)), "kana_hepburn")
