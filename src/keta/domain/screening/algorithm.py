"""The scoring algorithm, declared as data: a name score, then small adjustments, each explained.

    score = best name score over the entry's names
          + birth-date agreement (+0.08 equal … −0.45 years apart)
          + nationality (+0.03 listed / −0.05 not listed)
          + sex (−0.12 when both are known and differ)

Names dominate by design: a watchlist often knows little else. A clearly different birth date is
the strongest evidence of "another person with the same name", so it alone can pull an exact name
below the review threshold. The reasons are officer-facing explanations built from the names
themselves ("surname LEE ≈ 이 (Hangul, spelling variant)"); unlike the applicant-facing reason
codes they are not translated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from keta.domain.screening.features import (
    NameScore,
    Pairing,
    compare_birth_dates,
    compare_nationality,
    compare_sex,
)
from keta.domain.screening.model import Match, Query, ScreeningOutcome, WatchlistEntry
from keta.domain.screening.normalize import Token

DEFAULT_THRESHOLDS: Mapping[str, float] = {"review": 0.70, "hit": 0.90, "name": 0.80}

SCRIPT_WORDS = {
    "hangul_romanized": "Hangul",
    "han_pinyin": "Chinese characters, pinyin",
    "cyrillic_transliterated": "Cyrillic",
    "arabic_transliterated": "Arabic script",
    "greek_transliterated": "Greek",
    "turkish_folded": "Turkish letters",
    "german_umlaut": "umlaut",
    "transliterated": "transliterated",
}
MATCH_WORDS = {"family": "spelling variant", "variant": "passport spelling variant", "phonetic": "sounds alike"}


@dataclass(frozen=True, slots=True)
class QueryTokens:
    """The applicant's name split into tokens, with which ones are the surname."""

    tokens: tuple[Token, ...]
    surname_count: int  # the first `surname_count` tokens are the surname

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


def score_with_name(
    query: Query, query_tokens: QueryTokens, entry: WatchlistEntry, name: tuple[NameScore, str], explain_from: float
) -> Match:
    """The entry's score once its best name is known (the engine picks it, sharing name scores
    between entries that carry the same name). Reasons are written only for scores ≥
    `explain_from`: a screen looks at many candidates and explains the few it returns."""
    names, matched_name = name
    adjustments = (
        ("birth_date", compare_birth_dates(query.birth_date, entry.birth_dates)),
        ("nationality", compare_nationality(query.nationality, entry.nationalities)),
        ("sex", compare_sex(query.sex, entry.gender)),
    )
    total = round(max(0.0, min(1.0, names.score + sum(a.adjustment for _, a in adjustments))), 4)
    detail = {"name": names.score} | {label: a.adjustment for label, a in adjustments if a.reason}
    if total < explain_from:
        return Match(entry.entity_id, total, (), names.score, matched_name, detail)
    reasons = [explain_pairing(p, query_tokens) for p in names.pairings]
    if names.unmatched_query:
        reasons.append(f"not in the listed name: {' '.join(names.unmatched_query)}")
    if names.unmatched_entry:
        reasons.append(f"listed but not in the passport name: {' '.join(names.unmatched_entry)}")
    reasons.extend(a.reason for _, a in adjustments if a.reason)
    return Match(entry.entity_id, total, tuple(reasons), names.score, matched_name, detail)


def triage(matches: Sequence[Match], thresholds: Mapping[str, float] = DEFAULT_THRESHOLDS) -> ScreeningOutcome:
    best = max((m.score for m in matches), default=0.0)
    if best >= thresholds["hit"]:
        return ScreeningOutcome.HIT
    if best >= thresholds["review"]:
        return ScreeningOutcome.REVIEW
    return ScreeningOutcome.CLEAR
