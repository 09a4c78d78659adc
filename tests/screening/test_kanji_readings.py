"""Japanese names listed in kanji are found by the passport's Hepburn spelling (with its variants); Chinese names
listed in the same characters keep their Chinese reading only."""

from __future__ import annotations

import pytest

from keta.domain.screening.model import PartialDate, Query, ScreeningOutcome, WatchlistEntry
from keta.screening import kanji_readings
from keta.screening.engine import Engine

BORN = PartialDate(1985, 3, 2)
ENTRIES = [
    WatchlistEntry("jp-ono", ("大野翔太",), (BORN,), ("JPN",), "M"),
    WatchlistEntry("jp-ito", ("伊藤博文",), (PartialDate(1971),), ("JPN",), "M"),
    WatchlistEntry("jp-sato", ("佐藤 裕子",), (BORN,), (), "F"),  # no nationality given: read both ways
    WatchlistEntry("jp-kono", ("河野太郎",), (BORN,), ("JPN",), "M"),
    WatchlistEntry("jp-sasaki", ("佐々木直人",), (BORN,), ("JPN",), "M"),
    WatchlistEntry("cn-li", ("李明",), (BORN,), ("CHN",), "M"),
    WatchlistEntry("cn-zhang", ("张伟",), (BORN,), ("CHN",), "M"),
]
ENGINE = Engine.build(ENTRIES)


def test_the_reading_dictionary_is_installed_and_reads_names_not_chinese() -> None:
    assert kanji_readings.available()
    assert kanji_readings.readings("大野翔太")[0] == "オオノ ショウタ"
    assert "イトウ ヒロブミ" in kanji_readings.readings("伊藤博文")  # a rarer reading among the best few
    assert kanji_readings.readings("张伟") == () and kanji_readings.readings("陳志強") == ()
    assert kanji_readings.readings("Ivanov") == ()


@pytest.mark.parametrize(
    ("surname", "given", "entity"),
    [
        ("ONO", "SHOTA", "jp-ono"),  # Hepburn as printed by default
        ("OHNO", "SHOTA", "jp-ono"),  # the OH variant a passport may show on request
        ("OONO", "SHOUTA", "jp-ono"),  # the long vowels as written in kana
        ("ITO", "HIROBUMI", "jp-ito"),
        ("ITOH", "HIROBUMI", "jp-ito"),
        ("SATO", "YUKO", "jp-sato"),
        ("SATOH", "HIROKO", "jp-sato"),
        ("KONO", "TARO", "jp-kono"),
        ("KOHNO", "TAROU", "jp-kono"),
        ("SASAKI", "NAOTO", "jp-sasaki"),
    ],
)
def test_a_passport_spelling_finds_the_name_listed_in_kanji(surname: str, given: str, entity: str) -> None:
    born = PartialDate(1971, 6, 1) if entity == "jp-ito" else BORN
    result = ENGINE.screen(Query("q", surname, given, born, "JPN"))
    assert result.outcome is not ScreeningOutcome.CLEAR
    assert result.matches[0].entity_id == entity
    assert "(" in result.matches[0].matched_name  # shown with the kanji and the reading used


def test_the_explanation_names_the_kanji_and_the_reading() -> None:
    match = ENGINE.screen(Query("q", "OHNO", "SHOTA", BORN, "JPN")).matches[0]
    assert match.matched_name == "大野翔太 (オオノ ショウタ)"
    assert any("OHNO" in reason and "kana" in reason for reason in match.reasons)


def test_a_chinese_entry_is_not_read_as_japanese() -> None:
    # 李明 read in Japanese would be RI AKIRA; a Chinese national's name is read in Chinese only.
    assert ENGINE.screen(Query("q", "RI", "AKIRA", BORN, "JPN")).outcome is ScreeningOutcome.CLEAR
    chinese = ENGINE.screen(Query("q", "LI", "MING", BORN, "CHN"))
    assert chinese.matches[0].entity_id == "cn-li" and chinese.outcome is not ScreeningOutcome.CLEAR


def test_a_japanese_stranger_is_not_flagged() -> None:
    assert ENGINE.screen(Query("q", "TANAKA", "HIROSHI", BORN, "JPN")).outcome is ScreeningOutcome.CLEAR
