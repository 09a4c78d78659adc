"""Evidence besides the name and the birth date: nationality, sex and document number.

Each function answers with an `Evidence`: the feature and outcome (its weight is a row of
`scoring.WEIGHTS`) and the explanation an officer reads, or `None` when there is nothing to weigh.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from keta.domain.documents import normalize_document_number
from keta.domain.screening.birth_dates import DateEvidence, DateOutcome


@dataclass(frozen=True, slots=True)
class Evidence:
    feature: str
    outcome: str
    explanation: str

    @property
    def key(self) -> str:
        return f"{self.feature}.{self.outcome}"


def birth_date_evidence(found: DateEvidence) -> Evidence | None:
    if found.outcome is DateOutcome.UNKNOWN or found.explanation is None:
        return None
    return Evidence("birth_date", found.outcome.value, found.explanation)


def compare_nationality(query: str | None, entry: Sequence[str]) -> Evidence | None:
    if not query or not entry:
        return None
    if query in entry:
        return Evidence("nationality", "listed", f"nationality {query} listed")
    return Evidence("nationality", "not_listed", f"nationality {query} not among {', '.join(entry)}")


def compare_sex(query: str | None, entry: str | None) -> Evidence | None:
    if query not in ("M", "F") or entry not in ("M", "F") or query == entry:
        return None
    return Evidence("sex", "differs", "sex differs")


def compare_documents(query: str | None, entry: Sequence[str]) -> Evidence | None:
    """The same passport number on both sides. A different number says nothing: people renew passports."""
    if not query or not entry:
        return None
    number = normalize_document_number(query)
    if number and number in {normalize_document_number(n) for n in entry}:
        return Evidence("document", "equal", "passport number listed for this person")
    return None
