"""The curated name knowledge lives in reviewed data files: each says its source and licence, rows are well formed,
and a lexicon can withhold rows (what the quality bench does so a test set cannot grade itself)."""

from __future__ import annotations

import unicodedata
from importlib.resources import files

import pytest

from keta.domain.screening.lexicon import default_lexicon, read_rows
from keta.domain.screening.normalize import name_tokens

DATA = files("keta.domain.screening").joinpath("data")
TABLES = {
    "latin_families.tsv": 2,
    "korean_surnames.tsv": 3,
    "han_surnames.tsv": 2,
    "arabic_words.tsv": 2,
    "cyrillic_letters.tsv": 2,
    "greek_letters.tsv": 2,
    "han_simplified_traditional.tsv": 2,
    "name_words.tsv": 2,
}


@pytest.mark.parametrize(("name", "columns"), TABLES.items())
def test_every_table_says_its_source_licence_and_columns(name: str, columns: int) -> None:
    header = [line for line in DATA.joinpath(name).read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    text = "\n".join(header)
    assert "# source:" in text and "# licence:" in text and "# columns:" in text
    rows = read_rows(name)
    assert len(rows) >= 2
    assert all(len(row) == columns for row in rows), name
    assert len({row[0] for row in rows}) == len(rows), "no key twice"


@pytest.mark.parametrize("name", ["latin_families.tsv", "korean_surnames.tsv", "han_surnames.tsv", "arabic_words.tsv"])
def test_spellings_are_lower_case_ascii_letters_and_keys_are_in_their_script(name: str) -> None:
    script = {"korean": "HANGUL", "han": "CJK", "arabic": "ARABIC", "latin": "LATIN"}[name.split("_")[0]]
    for row in read_rows(name):
        spellings = row[-1].split()
        assert spellings and all(s.isascii() and s.isalpha() and s.islower() for s in spellings), row
        assert len(set(spellings)) == len(spellings), row
        for char in row[0].replace(" ", ""):
            assert script in unicodedata.name(char) or (script == "LATIN" and char.isascii()), row


def test_the_lexicon_reads_the_files() -> None:
    lex = default_lexicon()
    assert lex.korean_surnames["이"][:3] == ("lee", "yi", "rhee")
    assert lex.korean_family_of["리"] == "이"
    assert "mehmet" in lex.families["muhammad"]
    assert lex.han_surnames["陳"] == lex.han_surnames["陈"]
    assert "abdulrahman" in lex.arabic_spellings("عبدالرحمن")


def test_withheld_rows_are_gone_and_screening_falls_back_to_rules() -> None:
    full = default_lexicon()
    less = full.without(spellings={"mohammed"}, natives={"이"})
    assert "muhammad" not in less.latin_families and "이" not in less.korean_surnames
    assert "mohammed" not in less.spellings() and "mehmet" not in less.spellings()
    assert less.korean_surnames["박"] == full.korean_surnames["박"]  # everything else stays
    assert any(k.startswith("fam:") for k in name_tokens("Mohammed", full)[0].keys)
    assert not any(k.startswith("fam:") for k in name_tokens("Mohammed", less)[0].keys)
    assert name_tokens("이", full)[0].text == "lee"
    assert name_tokens("이", less)[0].text == "i"  # the Revised Romanization rule, without the table
