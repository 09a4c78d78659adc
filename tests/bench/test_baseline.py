"""The naive brute-force baseline: folded names, every name scanned, dates ignored, one threshold."""

from __future__ import annotations

from keta.bench.baseline import THRESHOLD, BaselineNames, BruteForceScreener, baseline_contestant, fold
from keta.domain.screening.model import PartialDate, Query, ScreeningOutcome, WatchlistEntry

ENTRIES = [
    WatchlistEntry("e-1", ("Jürgen Müller",), (PartialDate(1970, 5, 1),)),
    WatchlistEntry("e-2", ("이민준", "Min Jun Lee"), (PartialDate(1985),)),
    WatchlistEntry("e-3", ("Олег Петров", "Oleg Petrov", "Oleg Petroff")),
]


def test_fold_reaches_ascii_lower_case_words() -> None:
    assert fold("Müller, Jürgen") == "muller jurgen"
    assert fold("  ŞAHİN\u00a0-  Öztürk ") == "sahin ozturk"
    assert fold("Олег") == "oleg"
    assert fold("") == ""


def test_same_name_in_another_order_is_flagged_for_review() -> None:
    screener = BruteForceScreener(ENTRIES)
    outcome, matches = screener.screen(Query("q", "MULLER, JURGEN"))
    assert outcome is ScreeningOutcome.REVIEW
    assert [m.entity_id for m in matches] == ["e-1"]
    assert matches[0].score == 1.0
    assert matches[0].matched_name == "jurgen muller"


def test_birth_date_is_ignored() -> None:
    screener = BruteForceScreener(ENTRIES)
    outcome, matches = screener.screen(Query("q", "MULLER", "JURGEN", PartialDate(2001, 1, 1)))
    assert outcome is ScreeningOutcome.REVIEW and matches[0].entity_id == "e-1"


def test_aliases_are_scanned_and_each_entity_reported_once() -> None:
    screener = BruteForceScreener(ENTRIES)
    assert screener.names == 6
    _, matches = screener.screen(Query("q", "LEE", "MIN JUN"))
    assert [m.entity_id for m in matches] == ["e-2"]
    _, matches = screener.screen(Query("q", "PETROV", "OLEG"))
    assert [m.entity_id for m in matches] == ["e-3"]  # Petrov and Petroff both match; one entity


def test_strangers_and_empty_names_are_clear() -> None:
    screener = BruteForceScreener(ENTRIES)
    assert screener.screen(Query("q", "SMITH", "JOHN")) == (ScreeningOutcome.CLEAR, [])
    assert screener.screen(Query("q", "  ", "")) == (ScreeningOutcome.CLEAR, [])


def test_threshold_is_inclusive_and_the_same_for_pairs() -> None:
    names = BaselineNames()
    assert THRESHOLD == 0.85
    for a, b in [("Olaf Scholz", "Olaf Scholze"), ("Angela Merkel", "Angelo Cruz"), ("Lee Min Jun", "이민준")]:
        assert names.is_match(a, b) == (names.score(a, b) >= THRESHOLD)
        assert names.score(a, b) == names.score(b, a)
    assert names.is_match("Olaf Scholz", "Scholz, Olaf")
    assert not names.is_match("Angela Merkel", "Angelo Cruz")
    exact = BaselineNames(threshold=1.0)
    assert exact.is_match("Jurgen Muller", "Jürgen Müller")
    assert not exact.is_match("Jurgen Muller", "Jurgen Mueller")


def test_contestant_builds_a_screener_over_entries() -> None:
    contestant = baseline_contestant()
    assert contestant.label == "baseline"
    outcome, _ = contestant.build(ENTRIES).screen(Query("q", "MUELLER", "JUERGEN"))
    assert outcome is ScreeningOutcome.REVIEW
