"""Name cleaning, Latin folding (Turkish and German), token order and the shape of every Token."""

from __future__ import annotations

import random

import pytest

from keta.domain.screening.normalize import (
    MAX_NAME_LENGTH,
    PARTICLES,
    InvalidName,
    Token,
    clean_name,
    fold_latin,
    name_tokens,
    phonetic_key,
)


def texts(raw: str) -> list[str]:
    return [t.text for t in name_tokens(raw)]


def token(raw: str) -> Token:
    (only,) = name_tokens(raw)
    return only


def share_key(a: str, b: str) -> bool:
    return bool(token(a).keys & token(b).keys)


# --- clean_name ----------------------------------------------------------------------------------------------


def test_clean_name_collapses_whitespace_and_turns_punctuation_into_spaces() -> None:
    assert clean_name("  Mehmet\t\tAli   YILMAZ \n") == "Mehmet Ali YILMAZ"
    assert clean_name("Dr. John (Jack) Smith!") == "Dr John Jack Smith"
    assert clean_name("Jean-Pierre O'Brien") == "Jean-Pierre O'Brien"


def test_clean_name_keeps_one_comma_as_the_surname_marker() -> None:
    assert clean_name("YILMAZ ,Mehmet  Ali") == "YILMAZ, Mehmet Ali"
    assert clean_name("Smith, John, Jr.") == "Smith, John Jr"
    assert clean_name("Smith,") == "Smith"
    assert clean_name(", John") == "John"


def test_typographic_apostrophes_and_dashes_become_ascii() -> None:
    assert clean_name("D’Angelo") == "D'Angelo"
    assert clean_name("Ayşe–Nur") == "Ayşe-Nur"
    assert clean_name("Abd - Allah") == "Abd Allah"  # a hyphen standing alone separates nothing


def test_bidi_overrides_and_zero_width_characters_are_removed() -> None:
    assert clean_name("Ali\u202e ZAHIR\u202c") == "Ali ZAHIR"
    assert clean_name("\u2066Öztürk\u2069") == "Öztürk"
    assert clean_name("Mu\u200bhammad") == "Muhammad"
    assert clean_name("\ufeffKim\u200d") == "Kim"
    assert texts("Mu\u200bham\u200cmad") == ["muhammad"]


def test_control_characters_are_removed() -> None:
    assert clean_name("Ah\x00med\x07") == "Ahmed"
    assert clean_name("Ivan\x1b[31m Petrov") == "Ivan 31m Petrov"  # the ESC goes; what follows is text


def test_nfkc_makes_fullwidth_and_ligatures_plain() -> None:
    assert clean_name("ＫＩＭ　Ｍｉｎｊｕｎ") == "KIM Minjun"
    assert clean_name("Ruﬁno") == "Rufino"


def test_the_arabic_tatweel_is_dropped() -> None:
    assert clean_name("محـــمد") == "محمد"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "empty"),
        ("   \t\n", "empty"),
        ("\u200b\u202e", "empty"),
        ("!!! ... ---", "no_letters"),
        ("12345", "no_letters"),
        ("a" * (MAX_NAME_LENGTH + 1), "too_long"),
        ("Ali " * 125, "too_long"),
    ],
)
def test_unusable_names_raise_with_a_code(raw: str, code: str) -> None:
    with pytest.raises(InvalidName) as caught:
        clean_name(raw)
    assert caught.value.code == code
    with pytest.raises(InvalidName):
        name_tokens(raw)


def test_the_error_message_does_not_repeat_the_name() -> None:
    with pytest.raises(InvalidName) as caught:
        clean_name("Secret Person " * 20)
    assert "Secret" not in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_limits_are_on_the_cleaned_text() -> None:
    assert len(clean_name("a" * MAX_NAME_LENGTH)) == MAX_NAME_LENGTH
    assert clean_name("a\u200b" * MAX_NAME_LENGTH) == "a" * MAX_NAME_LENGTH
    assert texts("X") == ["x"]  # one letter is a name (an initial)


# --- fold_latin -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("İSMAİL", "ismail"),
        ("Işık", "isik"),
        ("ILGAZ", "ilgaz"),
        ("IŞIK", "isik"),
        ("Şükrü Gençoğlu", "sukru gencoglu"),
        ("ÇAĞLAR ÖZTÜRK", "caglar ozturk"),
        ("Müller", "muller"),
        ("Straße", "strasse"),
        ("Øystein Ærø", "oystein aero"),
        ("Œuvray Þórsson", "oeuvray thorsson"),
        ("Đorđević Łukasz", "dordevic lukasz"),
        ("José Núñez", "jose nunez"),
        ("Əliyev", "aliyev"),
    ],
)
def test_fold_latin(raw: str, folded: str) -> None:
    assert fold_latin(raw) == folded


def test_turkish_capital_dotted_i_does_not_leave_a_combining_dot() -> None:
    assert "İ".lower() != "i"  # what plain lower() does: i + U+0307
    assert fold_latin("İ") == "i"
    assert token("İLKER").text == "ilker"


# --- Latin tokens -----------------------------------------------------------------------------------------------


def test_turkish_letters_fold_and_say_so() -> None:
    t = token("Işıl")
    assert (t.text, t.script, t.how) == ("isil", "latin", "turkish_folded")
    assert token("Yılmaz").text == "yilmaz"
    assert token("Yilmaz").keys & token("YILMAZ").keys & token("Yılmaz").keys


def test_umlauts_get_the_icao_spelling_as_a_variant() -> None:
    t = token("Öztürk")
    assert (t.text, t.variants) == ("ozturk", ("oeztuerk",))
    assert t.how == "german_umlaut"
    assert token("Müller").variants == ("mueller",)
    assert token("Gül").how == "german_umlaut"
    assert token("Gülşen").how == "turkish_folded"  # ş says Turkish
    assert token("Gülşen").variants == ("guelsen",)


def test_icao_oe_ue_and_plain_o_u_share_a_key() -> None:
    assert phonetic_key("oeztuerk") == phonetic_key("ozturk") == phonetic_key(fold_latin("öztürk"))
    assert share_key("ÖZTÜRK", "OEZTUERK")
    assert share_key("OZTURK", "Oeztuerk")
    assert share_key("Müller", "Mueller")
    assert share_key("Mueller", "Muller")
    assert token("MUELLER").variants == ("muller",)


def test_plain_latin_tokens_have_no_variants() -> None:
    t = token("Smith")
    assert (t.text, t.original, t.variants, t.how) == ("smith", "Smith", (), "latin")
    assert t.keys == frozenset({phonetic_key("smith")})


def test_apostrophes_stay_in_the_original_but_not_in_the_text() -> None:
    t = token("O'Brien")
    assert (t.text, t.original) == ("obrien", "O'Brien")


# --- order and splitting ----------------------------------------------------------------------------------------


def test_last_comma_first_gives_given_names_then_surname() -> None:
    assert texts("YILMAZ, Mehmet Ali") == ["mehmet", "ali", "yilmaz"]
    assert texts("Mehmet Ali Yilmaz") == ["mehmet", "ali", "yilmaz"]
    assert texts("van der Berg, Jan") == ["jan", "van", "der", "berg"]


def test_hyphens_split_tokens() -> None:
    assert texts("Jean-Pierre Al-Rashid") == ["jean", "pierre", "al", "rashid"]


def test_particles_are_kept_and_listed() -> None:
    assert texts("Mohammed bin Salman al Saud") == ["mohammed", "bin", "salman", "al", "saud"]
    assert {"al", "el", "bin", "ibn", "van", "von", "de", "y"} <= PARTICLES
    assert "mac" not in PARTICLES
    assert "mc" not in PARTICLES


def test_the_arabic_article_does_not_break_matching() -> None:
    rahman = token("Rahman").keys
    assert rahman & name_tokens("al-Rahman")[1].keys
    assert rahman & name_tokens("el Rahman")[1].keys
    assert rahman & token("Alrahman").keys
    assert rahman & token("Elrahman").keys
    assert not token("Alexander").keys & token("Exander").keys  # only before a consonant


def test_mixed_scripts_in_one_name() -> None:
    tokens = name_tokens("Ivan Петров")
    assert [(t.text, t.script) for t in tokens] == [("ivan", "latin"), ("petrov", "cyrillic")]
    glued = name_tokens("IvanПетров")
    assert [t.text for t in glued] == ["ivan", "petrov"]


def test_digits_are_not_tokens() -> None:
    assert texts("Louis 14") == ["louis"]


def test_every_token_is_well_formed() -> None:
    names = ["Öztürk, Mehmet", "이민준", "Александр Пушкин", "محمد عبد الرحمن", "陳大文", "Γιώργος", "さとう", "דוד"]
    for name in names:
        for t in name_tokens(name):
            assert t.text and t.text.isascii() and t.text.isalpha() and t.text.islower()
            assert t.text not in t.variants
            assert len(t.variants) <= 12
            assert len(set(t.variants)) == len(t.variants)
            assert all(v.isascii() and v.isalpha() and v.islower() for v in t.variants)
            assert phonetic_key(t.text) in t.keys
            assert all(phonetic_key(v) in t.keys for v in t.variants)
            assert t.original in name


def test_tokens_are_hashable_values() -> None:
    assert name_tokens("Mehmet Ali") == name_tokens(" Mehmet\u200b  Ali ")
    assert len({token("Kim"), token("Kim")}) == 1
    with pytest.raises(AttributeError):
        token("Kim").text = "lee"  # type: ignore[misc]


def test_arbitrary_unicode_never_crashes() -> None:
    rng = random.Random(20240501)
    blocks = [(0x20, 0x7E), (0x80, 0x24F), (0x300, 0x36F), (0x370, 0x52F), (0x590, 0x6FF), (0x2000, 0x206F),
              (0x3000, 0x30FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xE000, 0xE0FF), (0xFB00, 0xFFEF),
              (0x10000, 0x1FFFF), (0x0, 0x1F)]  # fmt: skip
    outcomes = {"tokens": 0, "invalid": 0}
    for _ in range(2000):
        raw = "".join(chr(rng.randint(*rng.choice(blocks))) for _ in range(rng.randint(0, 24)))
        try:
            tokens = name_tokens(raw)
        except InvalidName as error:
            assert error.code in {"empty", "too_long", "no_letters"}
            outcomes["invalid"] += 1
            continue
        assert all(t.text.isascii() and t.text.isalpha() and t.text.islower() for t in tokens)
        outcomes["tokens"] += 1
    assert outcomes["tokens"] > 500 and outcomes["invalid"] > 10
