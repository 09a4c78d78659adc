"""The scoring algorithm: a name score, then the evidence features of `scoring.WEIGHTS`, each explained.

    score = best name score over the entry's names + Σ weight[feature.outcome]

Names dominate by design: a watchlist often knows little else. A birth date beyond every list error
(`birth_dates.py`) is the strongest evidence of "another person with the same name", so it alone pulls an
exact name below the review threshold — unless the document number agrees. The reasons are officer-facing
explanations built from the names and dates themselves ("surname LEE ≈ 이 (Hangul, spelling variant)",
"birth date: day and month swapped"); unlike the applicant-facing reason codes they are not translated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from keta.domain.screening.birth_dates import compare_birth_dates
from keta.domain.screening.evidence import (
    Evidence,
    birth_date_evidence,
    compare_documents,
    compare_nationality,
    compare_sex,
    corroboration,
)
from keta.domain.screening.features import NameScore, Pairing
from keta.domain.screening.model import Match, Query, ScreeningOutcome, WatchlistEntry
from keta.domain.screening.normalize import Token
from keta.domain.screening.scoring import DEFAULT_THRESHOLDS, STRONG_OVERRIDES_DATE, weights_with

__all__ = ["DEFAULT_THRESHOLDS", "QueryTokens", "evidence_for", "explain_pairing", "score_with_name", "triage"]
DEFAULT_WEIGHTS: Mapping[str, float] = weights_with(None)

SCRIPT_WORDS = {
    "hangul_romanized": "Hangul",
    "han_pinyin": "Chinese characters, pinyin",
    "cyrillic_transliterated": "Cyrillic",
    "arabic_transliterated": "Arabic script",
    "greek_transliterated": "Greek",
    "kana_hepburn": "kana, Hepburn",
    "turkish_folded": "Turkish letters",
    "german_umlaut": "umlaut",
    "transliterated": "transliterated",
}
MATCH_WORDS = {
    "family": "spelling variant",
    "variant": "passport spelling variant",
    "phonetic": "sounds alike",
    "skeleton": "same consonants",
}


@dataclass(frozen=True, slots=True)
class QueryTokens:
    """The applicant's name split into tokens, with which ones are the surname."""

    tokens: tuple[Token, ...]
    surname_count: int  # the first `surname_count` tokens are the surname
    # Indexes of the tokens spelled exactly as some listed name part (the engine fills it from its index): a word
    # similar to a listed one is then another name, not a typo of it.
    listed_words: frozenset[int] = frozenset()

    def role(self, index: int) -> str:
        return "surname" if index < self.surname_count else "given name"

    @property
    def middle(self) -> tuple[int, ...]:
        # Passport given names: the first counts in full, later ones are middle names.
        return tuple(range(self.surname_count + 1, len(self.tokens)))


def explain_pairing(pairing: Pairing, query: QueryTokens) -> str:
    role = query.role(pairing.query[0])
    sign = "=" if pairing.match.reason == "equal" else "≈"
    details = [word for word in (SCRIPT_WORDS.get(pairing.entry_how), MATCH_WORDS.get(pairing.match.reason)) if word]
    if pairing.match.reason == "similar":
        details.append(f"similar spelling {pairing.match.score:.2f}")
    if len(pairing.query) == 2 or len(pairing.entry) == 2:
        details.append("joined/split name")
    suffix = f" ({', '.join(details)})" if details else ""
    return f"{role} {pairing.query_text.upper()} {sign} {pairing.entry_original}{suffix}"


def evidence_for(
    query: Query, entry: WatchlistEntry, names: NameScore | None = None, listed_words: frozenset[int] = frozenset()
) -> list[Evidence]:
    """Every piece of evidence besides the name, in the order an officer reads it."""
    date = compare_birth_dates(query.birth_date, entry.birth_dates)
    sex = compare_sex(query.sex, entry.gender)
    nationality = compare_nationality(query.nationality, entry.nationalities)
    found = [
        birth_date_evidence(date),
        None
        if names is None
        else corroboration(
            date,
            names,
            sex_differs=sex is not None,
            nationality_differs=nationality is not None and nationality.outcome == "not_listed",
            listed_words=listed_words,
        ),
        compare_documents(query.passport_number, entry.passport_numbers),
        nationality,
        sex,
    ]
    return [e for e in found if e is not None]


def weigh(evidence: list[Evidence], weights: Mapping[str, float]) -> dict[str, float]:
    """Feature → its weight; a contradicting birth date weighs nothing beside strong evidence."""
    weighed = {e.feature: weights[e.key] for e in evidence}
    if any(e.key in STRONG_OVERRIDES_DATE for e in evidence):
        for feature in ("birth_date", "corroboration"):
            if weighed.get(feature, 0.0) < 0:
                weighed[feature] = 0.0
    return weighed


def score_with_name(
    query: Query,
    query_tokens: QueryTokens,
    entry: WatchlistEntry,
    name: tuple[NameScore, str],
    explain_from: float,
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
) -> Match:
    """The entry's score once its best name is known (the engine picks it, sharing name scores
    between entries that carry the same name). Reasons are written only for scores ≥
    `explain_from`: a screen looks at many candidates and explains the few it returns."""
    names, matched_name = name
    evidence = evidence_for(query, entry, names, query_tokens.listed_words)
    weighed = weigh(evidence, weights)
    total = round(max(0.0, min(1.0, names.score + sum(weighed.values()))), 4)
    detail = {"name": names.score} | weighed
    if total < explain_from:
        return Match(entry.entity_id, total, (), names.score, matched_name, detail)
    reasons = [explain_pairing(p, query_tokens) for p in names.pairings]
    if names.unmatched_query:
        reasons.append(f"not in the listed name: {' '.join(names.unmatched_query)}")
    if names.unmatched_entry:
        reasons.append(f"listed but not in the passport name: {' '.join(names.unmatched_entry)}")
    reasons.extend(e.explanation for e in evidence)
    if weighed.get("birth_date") == 0.0 and any(e.feature == "birth_date" for e in evidence):
        reasons.append("the birth date is outweighed by the document number")
    return Match(entry.entity_id, total, tuple(reasons), names.score, matched_name, detail)


def triage(matches: Sequence[Match], thresholds: Mapping[str, float] = DEFAULT_THRESHOLDS) -> ScreeningOutcome:
    best = max((m.score for m in matches), default=0.0)
    if best >= thresholds["hit"]:
        return ScreeningOutcome.HIT
    if best >= thresholds["review"]:
        return ScreeningOutcome.REVIEW
    return ScreeningOutcome.CLEAR
