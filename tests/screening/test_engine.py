"""The engine end to end: multi-script matches with explanations, namesakes, and bad input."""

from __future__ import annotations

import pytest

from keta.domain.screening.model import PartialDate, Query, ScreeningOutcome, WatchlistEntry
from keta.domain.screening.normalize import InvalidName
from keta.screening.engine import Engine, compare_names

ENTRIES = [
    WatchlistEntry("ko-1", ("이서연",), (PartialDate(1985, 3, 2),), ("KOR",), "F"),
    WatchlistEntry("ru-1", ("Александр Сергеевич Волков",), (PartialDate(1971),), ("RUS",), "M"),
    WatchlistEntry("ar-1", ("محمد عبد الرحمن الشمري",), (PartialDate(1980, 5, 1),), ("SAU",), "M"),
    WatchlistEntry("zh-1", ("王小明",), (PartialDate(1990, 7, 7),), ("CHN",), "M"),
    WatchlistEntry("el-1", ("Γιώργος Παπαδόπουλος",), (PartialDate(1966),), ("GRC",), "M"),
    WatchlistEntry("tr-1", ("Ayşe Gül Öztürk",), (PartialDate(1990, 4, 12),), ("TUR",), "F"),
    WatchlistEntry("de-1", ("Jürgen Müller",), (PartialDate(1958, 1, 2),), ("DEU",), "M"),
]
ENGINE = Engine.build(ENTRIES)


def flagged(query: Query) -> list[str]:
    result = ENGINE.screen(query)
    return [] if result.outcome is ScreeningOutcome.CLEAR else [m.entity_id for m in result.matches]


@pytest.mark.parametrize(
    ("query", "entity"),
    [
        (Query("1", "LEE", "SEOYEON", PartialDate(1985, 3, 2), "KOR", "F"), "ko-1"),
        (Query("2", "YI", "SEO-YEON", PartialDate(1985, 3, 2)), "ko-1"),
        (Query("3", "RHEE", "SUH YUN", PartialDate(1985)), "ko-1"),
        (Query("4", "VOLKOV", "ALEXANDER", PartialDate(1971, 6, 1), "RUS"), "ru-1"),
        (Query("5", "VOLKOV", "ALEKSANDR SERGEEVICH"), "ru-1"),
        (Query("6", "AL-SHAMMARI", "MOHAMMED ABDULRAHMAN", PartialDate(1980, 5, 1)), "ar-1"),
        (Query("7", "ALSHAMMARI", "MUHAMMAD ABDUL RAHMAN", PartialDate(1980, 1, 5)), "ar-1"),  # day/month swapped
        (Query("8", "WANG", "XIAOMING", PartialDate(1990, 7, 7)), "zh-1"),
        (Query("9", "PAPADOPOULOS", "GEORGIOS", PartialDate(1966, 2, 2)), "el-1"),
        (Query("10", "OEZTUERK", "AYSE GUEL", PartialDate(1990, 4, 12)), "tr-1"),
        (Query("11", "OZTURK", "AYSE", PartialDate(1990, 4, 12)), "tr-1"),  # missing middle name
        (Query("12", "MUELLER", "JUERGEN", PartialDate(1958, 1, 2)), "de-1"),
        (Query("13", "JURGEN", "MULLER", PartialDate(1958, 1, 2)), "de-1"),  # surname and given swapped
    ],
)
def test_passport_spellings_find_names_in_their_own_script(query: Query, entity: str) -> None:
    assert entity in flagged(query)


@pytest.mark.parametrize(
    "query",
    [
        Query("n1", "OZTURK", "AYSE GUL", PartialDate(1960, 4, 12)),  # namesake, another generation
        Query("n2", "LEE", "MINJUN", PartialDate(1985, 3, 2)),  # same surname, another person
        Query("n3", "KAYA", "MEHMET", PartialDate(1980, 5, 1)),  # a stranger
        Query("n4", "WANG", "XIAOHONG", PartialDate(1990, 7, 7)),  # one syllable differs
    ],
)
def test_namesakes_and_strangers_stay_clear(query: Query) -> None:
    assert flagged(query) == []


def test_matches_explain_themselves() -> None:
    match = ENGINE.screen(Query("e", "LEE", "SEOYEON", PartialDate(1985, 3, 2), "KOR", "F")).matches[0]
    assert match.reasons[0] == "surname LEE = 이 (Hangul)"
    assert any(r.startswith("given name SEOYEON") and "서연" in r for r in match.reasons)
    assert "birth date equal" in match.reasons
    assert match.score >= 0.9


def test_bad_names_get_a_defined_outcome() -> None:
    with pytest.raises(InvalidName) as empty:
        ENGINE.screen(Query("b1", "   "))
    assert empty.value.code == "empty"
    with pytest.raises(InvalidName) as long:
        ENGINE.screen(Query("b2", "A" * 500))
    assert long.value.code == "too_long"
    with pytest.raises(InvalidName) as digits:
        ENGINE.screen(Query("b3", "12345"))
    assert digits.value.code == "no_letters"
    assert ENGINE.screen(Query("b4", "X")).outcome is ScreeningOutcome.CLEAR  # one letter: nothing to find
    # bidi overrides and zero-width characters are removed before matching
    assert "de-1" in flagged(Query("b5", "MUE\u202eLLER\u202c", "JUE\u200bRGEN", PartialDate(1958, 1, 2)))
    # mixed scripts in one name
    assert "ru-1" in flagged(Query("b6", "Волков", "ALEKSANDR", PartialDate(1971)))


def test_invalid_dates_are_refused_when_parsed() -> None:
    for bad in ("1980-02-30", "1980-13", "80", "1980/01/01", "", "3000"):
        with pytest.raises(ValueError, match=r"date|range"):
            PartialDate.parse(bad)
    assert str(PartialDate.parse("1980-05")) == "1980-05"


def test_names_compare_is_order_free_and_explained() -> None:
    same = compare_names("Öztürk, Ayşe", "AYSE OEZTUERK")
    assert same.match and same.score >= 0.95
    assert compare_names("김정은", "김종은").match is False  # one Hangul syllable differs
    assert compare_names("Olaf Scholz", "Angela Merkel").score < 0.5
    assert compare_names("", "x").reasons == ("name not usable: empty",)
