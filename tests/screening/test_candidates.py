"""Candidate retrieval at scale: namesakes ranked by birth date over every reached entry; the shared
token-comparison cache gives the answers a fresh one gives."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import replace

import numpy as np
import pytest

from keta.domain.screening.features import PairCache, compare_tokens
from keta.domain.screening.model import PartialDate, Query, ScreeningOutcome, WatchlistEntry
from keta.domain.screening.normalize import name_tokens
from keta.screening.date_rank import DateColumns
from keta.screening.engine import Engine

D = PartialDate


def test_closeness_puts_a_complete_date_within_a_list_error_first() -> None:
    columns = DateColumns()
    for dates in [
        (D(1985, 3, 2),),  # equal
        (D(1986, 3, 2),),  # year off by one, same day and month
        (D(1985, 2, 3),),  # day and month swapped
        (D(1985),),  # listed year only
        (D(1988, 7, 1),),  # three years away
        (D(1970, 3, 2),),  # another generation
        (),  # no date: nothing contradicts
        (D(1960, 1, 1), D(1984, 3, 2)),  # the second candidate date agrees
    ]:
        columns.append(dates)
    columns.freeze()
    rank = columns.closeness(np.arange(8, dtype=np.int32), D(1985, 3, 2))
    assert rank.tolist() == [3, 3, 3, 2, 1, 0, 2, 3]


def test_the_listed_person_is_a_candidate_however_many_namesakes_come_before_them() -> None:
    # 600 namesakes born in other years, listed first; the person is the last entry.
    namesakes = [
        WatchlistEntry(f"n{i}", ("Kim Minjun",), (D(1950 + i % 40, 1 + i % 12, 1 + i % 28),)) for i in range(600)
    ]
    person = WatchlistEntry("person", ("Kim Minjun",), (D(1985, 3, 2),))
    engine = Engine.build([*namesakes, person])
    result = engine.screen(Query("q", "KIM", "MINJUN", D(1985, 3, 2)))
    assert result.outcome is not ScreeningOutcome.CLEAR
    assert result.matches[0].entity_id == "person"
    # born a year later but on the same day: a list error, still the first candidate
    result = engine.screen(Query("q", "KIM", "MINJUN", D(1986, 3, 2)))
    assert result.matches[0].entity_id == "person"


def test_a_shared_cache_answers_as_a_fresh_comparison_does() -> None:
    cache = PairCache(limit=50)
    words = ["kim", "kimm", "minjun", "minjoon", "lee", "yi", "rhee", "wang", "wong", "petrov", "petrow"]
    for _ in range(3):  # new token objects each round: dropped ones must never answer for new ones
        tokens = [replace(t) for w in words for t in name_tokens(w)]
        for a in tokens:
            for b in tokens:
                assert cache.compare(a, b) == compare_tokens(a, b)
        cache.trim()
        assert len(cache.matches) <= 50


def test_entries_whose_dates_rule_them_out_are_scored_only_when_something_could_outweigh_the_dates() -> None:
    entries = [WatchlistEntry("far", ("Kim Minjun",), (D(1979, 11, 20),), passport_numbers=("M12345678",))]
    engine = Engine.build(entries)
    assert engine.far_can_flag is False
    assert engine.screen(Query("q", "KIM", "MINJUN", D(1985, 3, 2))).outcome is ScreeningOutcome.CLEAR
    same_document = Query("q", "KIM", "MINJUN", D(1985, 3, 2), passport_number="M12345678")
    assert engine.screen(same_document).matches[0].entity_id == "far"
    lenient = Engine(engine.index, weights={"birth_date.different_person": 0.0})
    assert lenient.far_can_flag is True
    assert lenient.screen(Query("q", "KIM", "MINJUN", D(1985, 3, 2))).outcome is not ScreeningOutcome.CLEAR


def test_the_build_pauses_the_garbage_collector_and_always_resumes_it() -> None:
    def entries_then_a_failure() -> Iterator[WatchlistEntry]:
        assert not gc.isenabled()  # paused while the index is built
        yield WatchlistEntry("e", ("Kim Minjun",))
        raise RuntimeError("the list could not be read to the end")

    assert gc.isenabled()
    Engine.build([WatchlistEntry("e", ("Kim Minjun",))])
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        Engine.build(entries_then_a_failure())
    assert gc.isenabled()
