"""Kana names read as Japanese passports print them (Hepburn), with the variants passports and lists use."""

from __future__ import annotations

import pytest

from keta.domain.screening.japanese import romanize_kana
from keta.screening.engine import compare_names


@pytest.mark.parametrize(
    ("kana", "passport", "variants"),
    [
        ("おおの", "ono", {"ohno", "oono"}),
        ("オオノ", "ono", {"ohno", "oono"}),  # katakana alike
        ("いとう", "ito", {"itoh", "itou"}),
        ("サトー", "sato", {"satoh"}),  # the katakana long mark
        ("ゆうこ", "yuko", {"yuuko"}),
        ("しゅんいち", "shunichi", set()),  # no apostrophe on a passport
        ("はっとり", "hattori", set()),
        ("まっちゃ", "matcha", set()),  # っ before ch is t
        ("なんば", "namba", {"nanba"}),  # n before b, m, p is m
        ("ほんま", "homma", {"honma"}),
        ("りゅうのすけ", "ryunosuke", {"ryuunosuke"}),
        ("けいこ", "keiko", set()),  # ei is not a long vowel on passports
    ],
)
def test_kana_to_passport_hepburn(kana: str, passport: str, variants: set[str]) -> None:
    spelled = romanize_kana(kana)
    assert spelled.text == passport
    assert variants <= set(spelled.variants)


@pytest.mark.parametrize(
    ("listed", "typed"),
    [
        ("おおの しゅんいち", "OHNO SHUNICHI"),
        ("おおの しゅんいち", "Ono Shun'ichi"),
        ("オオノ", "OONO"),
        ("さとう ゆうこ", "SATOH YUKO"),
    ],
)
def test_kana_names_match_their_passport_spellings(listed: str, typed: str) -> None:
    assert compare_names(listed, typed).match


def test_different_kana_names_stay_apart() -> None:
    assert not compare_names("さとう ゆうこ", "SATO KENJI").match
    assert not compare_names("おおの", "ONDA").match
