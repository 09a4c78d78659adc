"""Screen applicants against an index; compare two names. The entry points the job, the CLI and
the benchmarks use."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from keta.domain.screening.algorithm import (
    DEFAULT_THRESHOLDS,
    QueryTokens,
    explain_pairing,
    score_with_name,
    triage,
)
from keta.domain.screening.features import NameScore, PairCache
from keta.domain.screening.features import compare_names as names_feature
from keta.domain.screening.lexicon import Lexicon
from keta.domain.screening.model import Match, Query, ScreeningOutcome, WatchlistEntry
from keta.domain.screening.normalize import InvalidName, name_tokens
from keta.domain.screening.scoring import weights_with
from keta.screening.index import NameIndex


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    outcome: ScreeningOutcome
    matches: list[Match]


@dataclass(frozen=True, slots=True)
class NameComparison:
    score: float
    match: bool
    reasons: tuple[str, ...]


def query_tokens(query: Query, lexicon: Lexicon | None = None) -> QueryTokens:
    """Surname tokens first, then given names; an empty given name is fine (mononyms)."""
    surname = name_tokens(query.surname, lexicon)
    given = name_tokens(query.given_names, lexicon) if query.given_names.strip() else ()
    return QueryTokens(surname + given, len(surname))


class Engine:
    def __init__(
        self,
        index: NameIndex,
        thresholds: Mapping[str, float] | None = None,
        weights: Mapping[str, float] | None = None,
    ) -> None:
        """`thresholds` and `weights` override the declared defaults of `domain.screening.scoring` by name
        (a policy's `[screening]` and `[screening.weights]`); an unknown weight raises KeyError."""
        self.index = index
        self.thresholds = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
        self.weights = weights_with(weights)
        # Token comparisons shared by every screen (the same passport words meet the same list words again
        # and again); bounded, and safe across queries and threads (see PairCache).
        self.pairs = PairCache()
        # Can an entry whose every listed date is another person's still reach review without a shared document
        # number? Not with the declared weights (1.0 − 0.5 + 0.03 < 0.70), so such entries are not scored at all
        # — a policy that weighs dates differently gets them scored again.
        best_besides = sum(
            max(0.0, w) for key, w in self.weights.items() if not key.startswith(("birth_date", "document"))
        )
        self.far_can_flag = (
            1.0 + self.weights["birth_date.different_person"] + best_besides >= self.thresholds["review"]
        )

    @classmethod
    def build(
        cls,
        entries: Iterable[WatchlistEntry],
        *,
        thresholds: Mapping[str, float] | None = None,
        weights: Mapping[str, float] | None = None,
        lexicon: Lexicon | None = None,
    ) -> Engine:
        """`lexicon`: the curated name knowledge (the packaged one by default; the quality bench withholds rows)."""
        return cls(NameIndex.build(entries, lexicon), thresholds, weights)

    def screen(self, query: Query, *, limit: int = 5) -> ScreeningResult:
        """Raises InvalidName when the applicant's name is unusable (the caller decides what that means)."""
        tokens = query_tokens(query, self.index.lexicon)
        tokens = replace(tokens, listed_words=self.index.listed_words(tokens.tokens))
        matches = []
        floor = self.thresholds["review"] - 0.2  # keep near misses for the officer's context
        cache = self.pairs
        cache.trim()
        # Many entries carry the same name (a large list repeats common names): score each distinct
        # name once per query, then only the dates and nationality differ per entry.
        by_name: dict[tuple[int, ...], NameScore] = {}
        tokens_of = self.index.tokens
        drop_far = not self.far_can_flag and not query.passport_number
        for position in self.index.candidates(tokens.tokens, query.birth_date, drop_far=drop_far):
            best: tuple[NameScore, str] | None = None
            for name, ids in self.index.entry_names[position]:
                scored = by_name.get(ids)
                if scored is None:
                    scored = by_name[ids] = names_feature(
                        tokens.tokens, [tokens_of[i] for i in ids], query_middle=tokens.middle, cache=cache
                    )
                if best is None or scored.score > best[0].score:
                    best = (scored, name)
            if best is None:
                continue
            match = score_with_name(query, tokens, self.index.entries[position], best, floor, self.weights)
            if match.score >= floor:
                matches.append(match)
        matches.sort(key=lambda m: m.score, reverse=True)
        flagged = [m for m in matches if m.score >= self.thresholds["review"]]
        return ScreeningResult(triage(flagged, self.thresholds), flagged[:limit] if flagged else matches[:limit])


def compare_names(a: str, b: str, *, threshold: float = DEFAULT_THRESHOLDS["name"]) -> NameComparison:
    """Names only, any script or order. Both sides are read the same way: first and last tokens
    count in full, inner ones (middle names, patronymics) less."""
    try:
        left, right = name_tokens(a), name_tokens(b)
    except InvalidName as exc:
        return NameComparison(0.0, False, (f"name not usable: {exc.code}",))
    query = QueryTokens(left, len(left))  # no surname/given roles are known for a bare name
    result = names_feature(left, right, query_middle=range(1, len(left) - 1), anchor="shorter")
    reasons = tuple(explain_pairing(p, query).removeprefix("surname ") for p in result.pairings)
    return NameComparison(result.score, result.score >= threshold, reasons)
