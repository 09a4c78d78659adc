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
from keta.domain.screening.scoring import SIMILAR_NAME_BELOW, STRONG_NAME_FROM, WEAK_NAME_BELOW


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
# The birth-date outcomes that forgive a list error on a complete date: each still lets many namesakes through.
LIST_ERRORS = frozenset({DateOutcome.SWAPPED, DateOutcome.YEAR_OFF_BY_ONE, DateOutcome.ONE_DIGIT})


def corroboration(
    date: DateEvidence,
    names: NameScore,
    *,
    sex_differs: bool = False,
    nationality_differs: bool = False,
    listed_words: frozenset[int] = frozenset(),
) -> Evidence | None:
    """Two weak agreements are not one strong one. A birth date the list knows only in part (a year that agrees,
    or nearly) is weak: in a list of a million, many people share a name and a birth year. Beside it the name must
    agree in full — every name part paired, as spelled or as one of its passport spellings. Alone either weakness
    is fine (the exact name with the listed year, a typo with the complete date); together they are not:

    - a name part only similar to the listed one (a letter off, a sound-alike; not an Arabic-script word read by
      its consonants, `READ_ALIKE`) with a partial date — weighed more when the passport's word is itself a name
      the list holds (`listed_words`, indexes of the passport's tokens: JULI is a name, not a typo of JULIA; at a
      million entries most namesakes look like that, most typos do not);
    - a name that agrees only in part (its completeness, the score were every pairing exact, below
      `STRONG_NAME_FROM`: a given name on one side that the other lacks, "Mahfud Sihotang" for "Cakrabuana Mahfud
      Sihotang") with a partial date. A patronymic or a father's name the passport leaves out costs less than
      that (lists carry them, passports do not); so is a name scoring below `WEAK_NAME_BELOW` however its
      parts pair;
    - the sexes differ (both known) with a partial date: the name and a birth year are all that agree;
    - a name that barely agrees (below `WEAK_NAME_BELOW`), or none of whose parts agrees better than "similar",
      with a complete date that agrees only through a list error (a year off by one, day and month swapped, one
      digit).

    An Arabic-script word read by its consonants is read-alike only when the passport's nationality is not
    contradicted by the list: for a passport of another nationality the same consonants are as weak as any other
    similar spelling (COLEMAN and القلموني share L-M-N)."""
    listed = date.listed
    if listed is None or date.outcome is DateOutcome.DIFFERENT_PERSON:
        return None
    read_alike = READ_ALIKE if not nationality_differs else frozenset()
    similar = [p for p in names.pairings if p.match.score < SIMILAR_NAME_BELOW and p.match.reason not in read_alike]
    if not is_partial(listed):
        all_similar = bool(names.pairings) and len(similar) == len(names.pairings)
        if date.outcome in LIST_ERRORS and (names.score < WEAK_NAME_BELOW or all_similar):
            return Evidence(
                "corroboration",
                "list_error_weak_name",
                lambda: (
                    f"a name that agrees only approximately and a birth date that agrees only through a list error "
                    f"({listed}): "
                    "weak together"
                ),
            )
        return None
    other = next((p for p in similar if all(i in listed_words for i in p.query)), None)
    if other is not None:
        return Evidence(
            "corroboration",
            "partial_date_other_name",
            lambda: (
                f"{other.query_text.upper()} is a listed name of its own, only similar to {other.entry_original}, "
                f"and the birth date is listed only as {listed}: weak together"
            ),
        )
    if similar:
        return Evidence(
            "corroboration",
            "partial_date_similar_name",
            lambda: f"a similar name and a birth date listed only as {listed}: weak together",
        )
    if names.completeness < STRONG_NAME_FROM or names.score < WEAK_NAME_BELOW:
        return Evidence(
            "corroboration",
            "partial_date_partial_name",
            lambda: f"a name that agrees only in part and a birth date listed only as {listed}: weak together",
        )
    if sex_differs:
        return Evidence(
            "corroboration",
            "partial_date_sex_differs",
            lambda: f"another sex and a birth date listed only as {listed}: weak together",
        )
    return None
