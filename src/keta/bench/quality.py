"""Screening quality metrics: run a contestant (keta, the baseline) on a labelled set (`seeded.py` runs many seeds).

Metrics. On a screening set a query is *flagged* when the outcome is `review` or `hit`. A true match is
*recalled* when it is flagged and its expected entity is among the returned (flagged) matches
(recall@flag); a negative flagged at all is a false positive (false-positive rate = flagged negatives /
negatives). Query-level precision = recalled / all flagged queries; it depends on the share of negatives,
so it is shown for the balanced own set only. Name pairs give precision, recall and F1 at each scorer's own
threshold, next to the peer's frozen run.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from keta.bench import Contestant, NamePair, ScreeningSet, namesakes
from keta.bench.own_set import NEGATIVE_CATEGORIES, POSITIVE_CATEGORIES
from keta.bench.public import PeerRun
from keta.domain.screening.model import Match, Query, ScreeningOutcome, WatchlistEntry

ENGINE_MODULE = "keta.screening.engine"


@dataclass(frozen=True, slots=True)
class Target:
    recall: float | None = None
    fpr: float | None = None
    f1: float | None = None

    def describe(self) -> str:
        if self.f1 is not None:
            return f"F1 ≥ {self.f1:g}"
        return f"recall ≥ {self.recall:g} at FPR ≤ {self.fpr:g}"

    def met(self, *, recall: float = 0.0, fpr: float = 1.0, f1: float = 0.0) -> bool:
        if self.f1 is not None:
            return f1 >= self.f1
        return recall >= (self.recall or 0.0) and fpr <= (self.fpr if self.fpr is not None else 1.0)


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


@dataclass
class Tally:
    expected_match: bool
    n: int = 0
    hits: int = 0  # true matches: the expected entity flagged; negatives: any flag
    flagged: int = 0

    @property
    def rate(self) -> float:
        return _ratio(self.hits, self.n)


@dataclass
class ScreeningScore:
    label: str
    tallies: dict[str, Tally] = field(default_factory=dict)
    build_seconds: float = 0.0
    screen_seconds: float = 0.0
    rejected: int = 0  # queries the screener refused with ValueError (e.g. a name with no letters)

    def total(self, expected_match: bool) -> Tally:
        out = Tally(expected_match)
        for t in self.tallies.values():
            if t.expected_match == expected_match:
                out.n, out.hits, out.flagged = out.n + t.n, out.hits + t.hits, out.flagged + t.flagged
        return out

    @property
    def recall(self) -> float:
        return self.total(True).rate

    @property
    def fpr(self) -> float:
        return self.total(False).rate

    @property
    def precision(self) -> float:
        return _ratio(self.total(True).hits, self.total(True).flagged + self.total(False).flagged)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def screen_set(data: ScreeningSet, contestant: Contestant) -> ScreeningScore:
    started = time.perf_counter()
    screener = contestant.build(data.entries)
    score = ScreeningScore(contestant.label, build_seconds=time.perf_counter() - started)
    started = time.perf_counter()
    for labelled in data.queries:
        try:
            outcome, matches = screener.screen(labelled.query)
        except ValueError:  # a name the screener declares unusable: counted, and not a flag
            score.rejected += 1
            outcome, matches = ScreeningOutcome.CLEAR, []
        flagged = ScreeningOutcome(outcome) is not ScreeningOutcome.CLEAR
        tally = score.tallies.setdefault(labelled.category, Tally(labelled.expected_match))
        tally.n += 1
        tally.flagged += flagged
        if labelled.expected_match:
            tally.hits += flagged and any(m.entity_id == labelled.entity_id for m in matches)
        else:
            tally.hits += flagged
    score.screen_seconds = time.perf_counter() - started
    return score


@dataclass
class PairTally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, expected: bool, predicted: bool) -> None:
        self.tp += expected and predicted
        self.fp += predicted and not expected
        self.fn += expected and not predicted
        self.tn += not expected and not predicted

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)


@dataclass
class PairScore:
    label: str
    overall: PairTally = field(default_factory=PairTally)
    groups: dict[str, PairTally] = field(default_factory=dict)
    seconds: float = 0.0


def score_pairs(label: str, pairs: Sequence[NamePair], predict: Callable[[NamePair], bool]) -> PairScore:
    started = time.perf_counter()
    score = PairScore(label)
    for pair in pairs:
        predicted = predict(pair)
        score.overall.add(pair.is_match, predicted)
        score.groups.setdefault(pair.group, PairTally()).add(pair.is_match, predicted)
    score.seconds = time.perf_counter() - started
    return score


def score_peer(peer: PeerRun) -> PairScore:
    scores = {id(pair): value for pair, value in peer.scored}
    pairs = [pair for pair, _ in peer.scored]
    return score_pairs(f"{peer.label} @{peer.threshold:.2f}", pairs, lambda p: scores[id(p)] >= peer.threshold)


def category_order(tallies: dict[str, Tally]) -> list[str]:
    """True-match categories first, each group in the own set's order, then by name."""
    known = [*POSITIVE_CATEGORIES, *namesakes.POSITIVE_CATEGORIES, *NEGATIVE_CATEGORIES, *namesakes.NEGATIVE_CATEGORIES]
    return sorted(
        tallies, key=lambda c: (not tallies[c].expected_match, known.index(c) if c in known else len(known), c)
    )


# --- keta's engine, plugged in through its public contract ---------------------------------------------------------
class EngineScreener:
    """Adapts `keta.screening.engine.Engine` (`screen(query, limit=…)` → result with `.outcome`, `.matches`)."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine

    def screen(self, query: Query) -> tuple[ScreeningOutcome, list[Match]]:
        result = self._engine.screen(query, limit=5)
        outcome = ScreeningOutcome(result.outcome)
        # Every returned match counts as flagged when the outcome is not clear; if the engine also returns
        # candidates below the review threshold, filter them here.
        return outcome, ([] if outcome is ScreeningOutcome.CLEAR else list(result.matches))


class EngineNames:
    def __init__(self, compare: Callable[[str, str], Any]) -> None:
        self._compare = compare

    def score(self, a: str, b: str) -> float:
        return float(self._compare(a, b).score)

    def is_match(self, a: str, b: str) -> bool:
        return bool(self._compare(a, b).match)


def keta_contestant(label: str = "keta", lexicon: Any = None) -> Contestant:
    """keta's engine, with the packaged name knowledge or `lexicon`. Raises ImportError without the engine."""
    module = importlib.import_module(ENGINE_MODULE)
    engine_class = module.Engine

    def build(entries: Sequence[WatchlistEntry]) -> EngineScreener:
        return EngineScreener(engine_class.build(entries, lexicon=lexicon))

    return Contestant(label, build, EngineNames(module.compare_names))
