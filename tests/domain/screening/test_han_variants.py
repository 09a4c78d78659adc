"""Han names reach Hong Kong (Cantonese) and Taiwan (Wade–Giles) passport spellings, not only pinyin."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pypinyin import Style, pinyin

from keta.domain.screening import han_variants
from keta.domain.screening.han_variants import cantonese_readings, hk_spelling, wade_giles, wade_giles_choices
from keta.domain.screening.model import Query, ScreeningOutcome, WatchlistEntry
from keta.domain.screening.normalize import Token, name_tokens
from keta.domain.screening.scripts import MAX_VARIANTS
from keta.screening.engine import Engine


def spellings(token: Token) -> set[str]:
    return {token.text, *token.variants}


# --- Wade–Giles ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("syllable", "expected"),
    [
        ("jing", "ching"), ("qiang", "chiang"), ("xin", "hsin"), ("jian", "chien"), ("zhang", "chang"),
        ("xiao", "hsiao"), ("zhou", "chou"), ("cai", "tsai"), ("zi", "tzu"), ("ci", "tzu"), ("si", "ssu"),
        ("zhi", "chih"), ("chi", "chih"), ("shi", "shih"), ("ri", "jih"), ("ge", "ko"), ("ke", "ko"), ("he", "ho"),
        ("de", "te"), ("ze", "tse"), ("re", "je"), ("gui", "kuei"), ("hui", "hui"), ("dui", "tui"), ("liu", "liu"),
        ("jiu", "chiu"), ("jie", "chieh"), ("xie", "hsieh"), ("yi", "i"), ("you", "yu"), ("yu", "yu"),
        ("yue", "yueh"), ("yan", "yen"), ("ye", "yeh"), ("yong", "yung"), ("dong", "tung"), ("xiong", "hsiung"),
        ("guo", "kuo"), ("duo", "to"), ("zhuo", "cho"), ("ruo", "jo"), ("shuo", "shuo"), ("bo", "po"),
        ("lv", "lu"), ("lve", "lueh"), ("qu", "chu"), ("xu", "hsu"), ("xue", "hsueh"), ("juan", "chuan"),
        ("jun", "chun"), ("er", "erh"), ("wang", "wang"), ("ai", "ai"), ("ou", "ou"), ("rong", "jung"),
    ],
)  # fmt: skip
def test_wade_giles_syllables_as_passports_print_them(syllable: str, expected: str) -> None:
    assert wade_giles(syllable)[0] == expected


def test_wade_giles_alternatives_follow_the_standard_spelling() -> None:
    assert wade_giles("gui") == ("kuei", "kui")
    assert wade_giles("hui") == ("hui", "huei")  # Taiwan passports write both
    assert wade_giles("si") == ("ssu", "szu")
    assert wade_giles_choices(["chen", "々"]) == []  # pypinyin passes what it cannot read through


# Common surnames; for each, pypinyin's own Wade–Giles style follows the standard once apostrophes and ü are
# dropped (for some other syllables it does not: ai → ei, huo → ho).
SURNAMES = "张陈王李刘黄周吴林郑赵杨何徐孙马朱胡郭高罗梁宋谢韩唐冯邓曹彭曾萧田" + "董潘袁蔡蒋余杜叶程魏苏丁沈任姚卢傅钟"


@pytest.mark.parametrize("char", list(SURNAMES))
def test_wade_giles_agrees_with_pypinyin_on_common_surnames(char: str) -> None:
    standard = pinyin(char, style=Style.WADEGILES)[0][0].replace("'", "").replace("ü", "u").replace("v", "u")
    assert wade_giles(pinyin(char, style=Style.NORMAL)[0][0])[0] == standard


# --- Cantonese ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reading", "expected"),
    [("gwan", "kwan"), ("jau", "chau"), ("dung", "tung"), ("baak", "pak"), ("gin", "kin"), ("ng", "ng"),
     ("ngai", "ngai"), ("kwok", "kwok"), ("o", "o"), ("$", ""), ("d", "")],
)  # fmt: skip
def test_yale_style_readings_become_hong_kong_government_spellings(reading: str, expected: str) -> None:
    assert hk_spelling(reading) == expected


def test_cantonese_readings_prefer_the_tables_own_spellings() -> None:
    assert cantonese_readings("軍") == ("kwan",)  # the table's "gwan" is Yale
    assert cantonese_readings("周")[0] == "chow"
    assert "chau" in cantonese_readings("周")  # from Yale "jau"
    assert cantonese_readings("海") == ("hoi",)
    assert all(len(cantonese_readings(c)) <= han_variants.MAX_CANTONESE_READINGS for c in "李何家曾平")
    assert cantonese_readings("x") == ()


def test_simplified_characters_are_read_through_their_traditional_form() -> None:
    assert cantonese_readings("军") == cantonese_readings("軍")
    assert cantonese_readings("涛") == cantonese_readings("濤")
    assert "suen" in spellings(name_tokens("孙华涛")[0])
    assert "wahto" in spellings(name_tokens("孙华涛")[1])


def test_every_simplified_pair_is_known_and_shares_a_reading() -> None:
    assert len(han_variants.TRADITIONAL) > 800
    for simplified, traditional in han_variants.TRADITIONAL.items():
        assert simplified != traditional
        assert cantonese_readings(traditional), traditional
        readings = set(pinyin(simplified, style=Style.NORMAL, heteronym=True)[0])
        assert readings & set(pinyin(traditional, style=Style.NORMAL, heteronym=True)[0]), simplified + traditional


# --- tokens -------------------------------------------------------------------------------------------------------

EXPECTED = [
    ("馮軍", {"fung"}, {"kwan"}),
    ("吳靜英", {"wu"}, {"chingying"}),
    ("陳建文", {"chen", "chan"}, {"chienwen", "kinman"}),
    ("馬欣強", {"ma"}, {"hsinchiang"}),
    ("趙海", {"chiu", "chao"}, {"hoi"}),
    ("孫華濤", {"suen"}, {"wahto"}),
    ("周杰倫", {"chou", "chow"}, {"chiehlun", "kitlun"}),
]


@pytest.mark.parametrize(("native", "surname", "given"), EXPECTED)
def test_hong_kong_and_taiwan_spellings_are_among_the_variants(native: str, surname: set[str], given: set[str]) -> None:
    family, first = name_tokens(native)
    assert surname <= spellings(family)
    assert given <= spellings(first)
    assert first.how == "han_pinyin" and first.text.isascii()  # the text stays pinyin


def test_the_pinyin_text_stays_first_and_variants_stay_bounded() -> None:
    chen, jianwen = name_tokens("陳建文")
    assert (chen.text, jianwen.text) == ("chen", "jianwen")
    assert jianwen.variants[:2] == ("chienwen", "kinman")  # Wade–Giles, then Cantonese: the usual forms first
    for name in ("李思思", "歐陽娜娜", "林鄭月娥", "司徒華", "郝柏村"):
        for token in name_tokens(name):
            assert len(token.variants) <= MAX_VARIANTS
            assert token.text not in token.variants


def test_surnames_keep_their_table_and_gain_what_it_lacks() -> None:
    zhao = name_tokens("趙")[0]
    assert zhao.variants[0] == "chiu"  # the table's order comes first
    assert "chao" in zhao.variants  # Wade–Giles, missing from the table
    assert "kok" in name_tokens("郝")[0].variants  # the table has no Cantonese spelling for 郝
    assert name_tokens("吕")[0].variants[-1] == "lyu"  # nothing added: lu and lui are in the table
    assert "ssuma" in name_tokens("司馬光")[0].variants


def test_a_different_given_name_is_not_a_variant() -> None:
    assert "jianguo" not in spellings(name_tokens("陳建文")[1])
    assert "kinkwok" not in spellings(name_tokens("陳建文")[1])


def test_latin_names_never_load_the_cantonese_table() -> None:
    code = (
        "import sys; from keta.domain.screening.normalize import name_tokens; name_tokens('FUNG Kwan Chan'); "
        "print('cantoroman' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# --- end to end ---------------------------------------------------------------------------------------------------

LISTED = ("馮軍", "吳靜英", "陳建文", "馬欣強", "趙海", "孫華濤", "周杰倫", "冯军")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.build([WatchlistEntry(f"e-{name}", (name,)) for name in LISTED])


@pytest.mark.parametrize(
    ("listed", "surname", "given"),
    [
        ("馮軍", "FUNG", "KWAN"),
        ("冯军", "FUNG", "KWAN"),
        ("吳靜英", "WU", "CHINGYING"),
        ("吳靜英", "WU", "CHING YING"),
        ("吳靜英", "WU", "CHING-YING"),
        ("陳建文", "CHEN", "CHIEN-WEN"),
        ("陳建文", "CHAN", "KIN MAN"),
        ("馬欣強", "MA", "HSIN-CHIANG"),
        ("趙海", "CHIU", "HOI"),
        ("孫華濤", "SUEN", "WAH TO"),
        ("周杰倫", "CHOU", "CHIEH-LUN"),
        ("周杰倫", "CHOW", "KIT LUN"),
    ],
)
def test_passport_spellings_reach_the_listed_han_name(engine: Engine, listed: str, surname: str, given: str) -> None:
    result = engine.screen(Query("q", surname, given))
    assert result.outcome is not ScreeningOutcome.CLEAR
    assert f"e-{listed}" in {m.entity_id for m in result.matches}


@pytest.mark.parametrize(("surname", "given"), [("CHEN", "JIANGUO"), ("CHAN", "KIN KWOK"), ("CHEN", "CHIEN-KUO")])
def test_another_given_name_stays_clear(engine: Engine, surname: str, given: str) -> None:
    assert engine.screen(Query("q", surname, given)).outcome is ScreeningOutcome.CLEAR
