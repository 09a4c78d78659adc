"""Evidence besides the name and the birth date: nationality, sex, document number, and whether the name and
the date corroborate each other.

Each function answers with an `Evidence`: the feature and outcome (its weight is a row of
`scoring.WEIGHTS`) and the explanation an officer reads, or `None` when there is nothing to weigh.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from keta.domain.documents import normalize_document_number
from keta.domain.screening.birth_dates import DateEvidence, DateOutcome, is_partial
from keta.domain.screening.features import NameScore
from keta.domain.screening.scoring import SIMILAR_NAME_BELOW, WEAK_NAME_BELOW


@dataclass(frozen=True, slots=True)
class Evidence:
    feature: str
    outcome: str
    # Rendered on demand: a screen weighs many candidates and explains only the few it returns.
    render: Callable[[], str | None]

    @property
    def key(self) -> str:
        return f"{self.feature}.{self.outcome}"

    @property
    def explanation(self) -> str:
        return self.render() or ""


def birth_date_evidence(found: DateEvidence) -> Evidence | None:
    if found.outcome is DateOutcome.UNKNOWN or found.typed is None:
        return None
    return Evidence("birth_date", found.outcome.value, lambda: found.explanation)


def compare_nationality(query: str | None, entry: Sequence[str]) -> Evidence | None:
    if not query or not entry:
        return None
    if query in entry:
        return Evidence("nationality", "listed", lambda: f"nationality {query} listed")
    return Evidence("nationality", "not_listed", lambda: f"nationality {query} not among {', '.join(entry)}")


def compare_sex(query: str | None, entry: str | None) -> Evidence | None:
    if query not in ("M", "F") or entry not in ("M", "F") or query == entry:
        return None
    return SEX_DIFFERS


SEX_DIFFERS = Evidence("sex", "differs", lambda: "sex differs")


def compare_documents(query: str | None, entry: Sequence[str]) -> Evidence | None:
    """The same passport number on both sides. A different number says nothing: people renew passports."""
    if not query or not entry:
        return None
    number = normalize_document_number(query)
    if number and number in {normalize_document_number(n) for n in entry}:
        return DOCUMENT_EQUAL
    return None


DOCUMENT_EQUAL = Evidence("document", "equal", lambda: "passport number listed for this person")


# Pairings that read one name, not a similar one: an Arabic-script word and a Latin spelling with the same
# consonants (the script writes no short vowels, so that is how the same name looks).
READ_ALIKE = frozenset({"skeleton"})


def corroboration(date: DateEvidence, names: NameScore) -> Evidence | None:
    """A name part that is only similar (a letter off, a sound-alike) and a birth date the list knows only in
    part (a year that agrees, or nearly) are each weak: in a large list many other people share both. Alone,
    either is fine — the exact name with the listed year, or a typo with the complete date — together they
    are not enough. A name part missing on one side (a middle name, a patronymic) is not "similar": lists omit
    them, and what is there agrees; nor is an Arabic-script word read by its consonants (`READ_ALIKE`) — unless
    the name as a whole scores below `WEAK_NAME_BELOW`, when little of it agrees at all."""
    listed = date.listed
    if listed is None or not is_partial(listed) or date.outcome is DateOutcome.DIFFERENT_PERSON:
        return None
    similar = any(p.match.score < SIMILAR_NAME_BELOW and p.match.reason not in READ_ALIKE for p in names.pairings)
    if not similar and names.score >= WEAK_NAME_BELOW:
        return None
    return Evidence(
        "corroboration",
        "partial_date_similar_name",
        lambda: f"a similar name and a birth date listed only as {listed}: weak together",
    )
