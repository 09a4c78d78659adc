"""The phonetic key (what it joins and what it keeps apart) and the curated spelling families."""

from __future__ import annotations

import pytest

from keta.domain.screening.lexicon import default_lexicon
from keta.domain.screening.normalize import name_tokens
from keta.domain.screening.phonetic import consonant_skeleton, phonetic_key

LEX = default_lexicon()


@pytest.mark.parametrize(
    "spellings",
    [
        ("ozturk", "oezturk", "oeztuerk"),
        ("mueller", "muller", "muler"),
        ("yuri", "iurii", "yury", "yurii"),
        ("khaled", "khalid", "haled"),
        ("hussein", "husein", "husayn", "hosein"),
        ("ahmad", "ahmed"),
        ("shevchenko", "schewtschenko"),
        ("tchaikovsky", "chaikovskiy", "tschaikowski"),
        ("philip", "filip", "phillip"),
        ("sergei", "sergey"),  # French "Serguei" is left to the family: "gue" is German ICAO Guenther
        ("dmitry", "dmitri", "dmitrii"),
        ("hassan", "hasan"),
        ("sarah", "sara"),
        ("abdullah", "abdulla"),
        ("christopher", "kristopher"),
        ("vladimir", "wladimir"),
        ("aleksandr", "alexandr"),
        ("yevgeny", "evgeny", "evgenii"),
        ("yelena", "elena"),
        ("jung", "joong"),
        ("schmidt", "schmitt"),
        ("mohammed", "mohamed", "muhammad"),
        ("djamel", "jamel"),
        ("qasim", "kasim"),
    ],
)
def test_spellings_that_sound_alike_share_a_key(spellings: tuple[str, ...]) -> None:
    assert len({phonetic_key(s) for s in spellings}) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("smith", "schmidt"),  # different names, not spellings of one
        ("michael", "mikhail"),  # cognates are different passport names
        ("maria", "mario"),
        ("kim", "kum"),
        ("ali", "ole"),
        ("omar", "umar"),  # the first letter is kept; the family joins these two
        ("ivan", "ivana"),
        ("lee", "park"),
        ("jung", "chung"),
        ("mohammed", "mehmet"),  # the family joins these
    ],
)
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert phonetic_key(a) != phonetic_key(b)


@pytest.mark.parametrize(("a", "b"), [("maria", "marie"), ("maria", "mary"), ("lee", "li"), ("karin", "karen")])
def test_the_documented_price_of_two_vowel_classes(a: str, b: str) -> None:
    assert phonetic_key(a) == phonetic_key(b)


def test_key_edge_cases() -> None:
    assert phonetic_key("") == ""
    assert phonetic_key("x") == "x"
    assert phonetic_key("O'Brien") == phonetic_key("obrien")
    assert phonetic_key("KIM") == phonetic_key("kim")
    assert phonetic_key("aamir") == phonetic_key("amir")
    assert phonetic_key("cecilia")[1] != "k" and phonetic_key("carl")[0] == "k"


def test_consonant_skeleton_meets_arabic_script_text() -> None:
    mahmoud = name_tokens("محمود")[0].text
    assert consonant_skeleton("Mahmoud") == consonant_skeleton(mahmoud)
    assert consonant_skeleton("Hussein") == consonant_skeleton(name_tokens("حسين")[0].text)
    assert consonant_skeleton("Walid") == consonant_skeleton(name_tokens("وليد")[0].text)
    assert consonant_skeleton("Rashid") != consonant_skeleton("Rahman")
    assert consonant_skeleton("Mahmoud") == consonant_skeleton("Muhammad")  # both ḥ-m-d: the skeleton is coarse


# --- families -----------------------------------------------------------------------------------------------------


def fams(name: str) -> set[str]:
    return {k for t in name_tokens(name) for k in t.keys if k.startswith("fam:")}


def test_family_spellings_are_lower_case_ascii_letters() -> None:
    assert len(LEX.families) > 100
    for family, names in LEX.families.items():
        assert family in names or family.startswith("ko-")
        assert all(n.isascii() and n.isalpha() and n.islower() for n in names)


@pytest.mark.parametrize(
    "names",
    [
        ("Mohammed", "Muhammad", "Mehmet", "Mohamud", "Mohd"),
        ("Hüseyin", "Hussein", "Hossein", "Husayn"),
        ("Ayşe", "Aisha", "Ayesha"),
        ("Ömer", "Omar", "Umar"),
        ("Yusuf", "Youssef", "Yousef"),
        ("Aleksandr", "Alexander", "Alexandre", "Oleksandr"),
        ("Yevhen", "Yevgeny", "Evgenii"),
        ("Volodymyr", "Vladimir"),
        ("Abdulrahman", "Abderrahmane", "Abdurrahman"),
    ],
)
def test_spellings_of_one_name_share_a_family(names: tuple[str, ...]) -> None:
    shared = set.intersection(*(fams(n) for n in names))
    assert shared


@pytest.mark.parametrize(
    ("a", "b"),
    [("Michael", "Mikhail"), ("Joseph", "Yusuf"), ("Maria", "Mariya"), ("Ismael", "Ismail"), ("Moses", "Musa")],
)
def test_cognates_are_not_families(a: str, b: str) -> None:
    assert not fams(a) & fams(b)


def test_han_surname_spellings_are_not_latin_families() -> None:
    assert fams("Wong") == set()  # 王 or 黄
    assert fams("Tan") == set()  # 陈 or 谭


def test_korean_families_mirror_the_hangul_table() -> None:
    for hangul, names in LEX.korean_surnames.items():
        hangul_keys = name_tokens(hangul)[0].keys if len(hangul) == 1 else set()
        for name in names:
            if len(name) >= 2:
                assert any(k.startswith("fam:ko-") for k in LEX.family_keys(name)), name
                if hangul_keys:
                    assert LEX.family_keys(name) & hangul_keys, (hangul, name)


def test_table_sizes() -> None:
    assert len(LEX.korean_surnames) >= 120
    assert len(LEX.han_surnames) >= 150
    assert len(LEX.arabic_words) >= 60
