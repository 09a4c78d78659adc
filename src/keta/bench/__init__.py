"""Evaluation and benchmark harness for watchlist screening (`keta bench …`).

The harness measures *any* screener against labelled sets, so keta's engine and the naive brute-force
baseline are judged by the same code in the same run. What a contestant implements is small:

- `Screener.screen(query)` returns the outcome and the matches that made it (best first). Only
  matches that flag on their own (score at or above the review threshold) belong in the list; an
  outcome of `clear` comes with no matches.
- `NameScorer.score(a, b)` is a name similarity in [0, 1]; `is_match(a, b)` applies the scorer's own
  threshold (the one screening uses).

Importing this package loads only the standard library and `keta.domain`; numpy, faker, rapidfuzz and
rich are imported by the modules that need them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from keta.domain.screening.model import Match, Query, ScreeningOutcome, WatchlistEntry


class Screener(Protocol):
    def screen(self, query: Query) -> tuple[ScreeningOutcome, Sequence[Match]]: ...


class NameScorer(Protocol):
    def score(self, a: str, b: str) -> float: ...

    def is_match(self, a: str, b: str) -> bool: ...


ScreenerFactory = Callable[[Sequence[WatchlistEntry]], Screener]


@dataclass(frozen=True, slots=True)
class Contestant:
    """One column of the quality table: how to build a screener over a watchlist, and a name scorer."""

    label: str
    build: ScreenerFactory
    names: NameScorer


@dataclass(frozen=True, slots=True)
class LabelledQuery:
    query: Query
    category: str
    expected_match: bool
    entity_id: str | None = None  # the entity a true match must find; None for negatives


@dataclass(frozen=True, slots=True)
class ScreeningSet:
    name: str
    entries: tuple[WatchlistEntry, ...]
    queries: tuple[LabelledQuery, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NamePair:
    name1: str
    name2: str
    is_match: bool
    group: str = ""
