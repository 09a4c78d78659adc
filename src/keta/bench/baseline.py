"""The naive brute-force baseline: rapidfuzz over ASCII-folded names, every entry name scanned per query.

What "naive" means here, on purpose:
- names are folded with anyascii (any script → ASCII) and rapidfuzz's default processing (lower case,
  punctuation to spaces); no romanization variants, no name-order logic beyond the scorer's own;
- the query's given names and surname are joined into one string and compared with *every* name of every
  entry by `rapidfuzz.process.extract` using `fuzz.token_sort_ratio` (sorts tokens, so order swaps and
  "LAST, First" cost nothing);
- birth date, nationality and sex are ignored;
- a fixed threshold: a name scoring at least 0.85 (85/100) is flagged. The baseline has one threshold,
  so a flag is always `review`, never `hit`. Name pairs use the same scorer and threshold.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from anyascii import anyascii
from rapidfuzz import fuzz, process, utils

from keta.bench import Contestant
from keta.domain.screening.model import Match, Query, ScreeningOutcome, WatchlistEntry

THRESHOLD = 0.85
SCORER_NAME = "token_sort_ratio"
Scorer = Callable[..., float]


def fold(name: str) -> str:
    """Any script to lower-case ASCII words: `Müller, Jürgen` → `muller jurgen`, `이민준` → `iminjun`."""
    return " ".join(utils.default_process(anyascii(name)).split())


class BruteForceScreener:
    """Scans every name of every entry for each query (O(names) per query, by design)."""

    def __init__(
        self,
        entries: Sequence[WatchlistEntry],
        *,
        scorer: Scorer = fuzz.token_sort_ratio,
        threshold: float = THRESHOLD,
        limit: int = 5,
    ) -> None:
        self._scorer = scorer
        self._cutoff = threshold * 100
        self._limit = limit
        self._choices: list[str] = []
        self._owners: list[int] = []
        self._ids = [entry.entity_id for entry in entries]
        for index, entry in enumerate(entries):
            for name in entry.names:
                self._choices.append(fold(name))
                self._owners.append(index)

    @property
    def names(self) -> int:
        return len(self._choices)

    def screen(self, query: Query) -> tuple[ScreeningOutcome, list[Match]]:
        text = fold(f"{query.given_names} {query.surname}")
        if not text:
            return ScreeningOutcome.CLEAR, []
        found = process.extract(
            text, self._choices, scorer=self._scorer, processor=None, score_cutoff=self._cutoff, limit=self._limit * 4
        )
        matches: dict[int, Match] = {}
        for choice, score, position in found:  # best first; keep each entity's best name
            owner = self._owners[position]
            if owner not in matches and len(matches) < self._limit:
                reason = f"name {SCORER_NAME} {score:.0f} ≥ {self._cutoff:.0f}"
                matches[owner] = Match(self._ids[owner], score / 100, (reason,), score / 100, choice)
        outcome = ScreeningOutcome.REVIEW if matches else ScreeningOutcome.CLEAR
        return outcome, list(matches.values())


class BaselineNames:
    """The same scorer and threshold on a pair of names."""

    def __init__(self, *, scorer: Scorer = fuzz.token_sort_ratio, threshold: float = THRESHOLD) -> None:
        self._scorer = scorer
        self._threshold = threshold

    def score(self, a: str, b: str) -> float:
        return float(self._scorer(fold(a), fold(b), processor=None)) / 100

    def is_match(self, a: str, b: str) -> bool:
        return self.score(a, b) >= self._threshold


def baseline_contestant(label: str = "baseline") -> Contestant:
    return Contestant(label, BruteForceScreener, BaselineNames())
