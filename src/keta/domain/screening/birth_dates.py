"""Birth-date evidence, designed from what watchlists get wrong (docs: DESIGN.md, "What watchlists get
wrong about birth dates").

A passport's birth date is exact; a list's is often a year off, has day and month swapped, knows only the
year (or year and month), has one digit mistyped, or offers several candidates (FtM keeps every
`birthDate`). Those are the list's errors, and they are forgiven to different degrees. Two dates that
disagree beyond them are, as a rule, two people who share a name: the namesake problem. Only strong
evidence of something else (the same document number) can outweigh that; the scorer applies that rule.

`compare_birth_dates` answers with a `DateEvidence`: an outcome from a closed set (its weight lives in the
declared table of `scoring.py`, tunable by policy) and an officer-facing explanation ("birth date: day and
month swapped", "birth dates 1985-03-02 vs 1979-11-20: different people"). It is a pure function.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from keta.domain.screening.model import PartialDate

# How far apart the years may be when the list knows only the year ("1965", often "circa 1965") before the
# dates stop describing one person; within it, a gap of 2 or more still weighs against the match.
YEAR_ONLY_TOLERANCE = 3


class DateOutcome(StrEnum):
    UNKNOWN = "unknown"  # one side has no date: no evidence either way
    EQUAL = "equal"  # both complete, the same day
    EQUAL_AS_LISTED = "equal_as_listed"  # the list knows the year (or year and month), and it agrees
    SWAPPED = "day_month_swapped"  # 1985-03-02 vs 1985-02-03
    YEAR_OFF_BY_ONE = "year_off_by_one"  # same day and month (or as far as the list knows), year ±1
    ONE_DIGIT = "one_digit"  # same year; one digit of day or month mistyped, or two adjacent ones swapped (03-12/21)
    YEARS_APART_PARTIAL = "years_apart_partial"  # year-only list date, 2–3 years away: weak contradiction
    MONTH_DIFFERS_PARTIAL = "month_differs_partial"  # list knows year and month; same year, another month
    DIFFERENT_PERSON = "different_person"  # beyond every list error: another person with the same name


@dataclass(frozen=True, slots=True)
class DateEvidence:
    outcome: DateOutcome
    typed: PartialDate | None = None  # the applicant's date
    listed: PartialDate | None = None  # the listed date the evidence is about (the best of several)
    all_listed: tuple[PartialDate, ...] = ()  # every listed date, when all of them disagree

    @property
    def explanation(self) -> str | None:
        """What an officer reads; None when there is nothing to say (no date on one side). Rendered on demand:
        a screen weighs many candidates and explains the few it returns."""
        if self.typed is None or self.listed is None:
            return None
        return _explain(self.outcome, self.typed, self.listed, self.all_listed)


NO_DATE = DateEvidence(DateOutcome.UNKNOWN)

# Best first: with several listed dates, the one that agrees most is the evidence.
_RANK = {
    outcome: rank
    for rank, outcome in enumerate(
        (
            DateOutcome.EQUAL,
            DateOutcome.EQUAL_AS_LISTED,
            DateOutcome.SWAPPED,
            DateOutcome.YEAR_OFF_BY_ONE,
            DateOutcome.ONE_DIGIT,
            DateOutcome.MONTH_DIFFERS_PARTIAL,
            DateOutcome.YEARS_APART_PARTIAL,
            DateOutcome.DIFFERENT_PERSON,
            DateOutcome.UNKNOWN,
        )
    )
}


def compare_birth_dates(query: PartialDate | None, listed: Sequence[PartialDate]) -> DateEvidence:
    """The applicant's birth date against every date the list holds; the best agreement is the evidence."""
    if query is None or not listed:
        return NO_DATE
    if len(listed) == 1:
        return DateEvidence(_outcome(query, listed[0]), query, listed[0])
    outcome, best = min(((_outcome(query, d), d) for d in listed), key=lambda found: _RANK[found[0]])
    if outcome is DateOutcome.DIFFERENT_PERSON:
        return DateEvidence(outcome, query, best, tuple(listed))
    return DateEvidence(outcome, query, best)


def _outcome(a: PartialDate, b: PartialDate) -> DateOutcome:
    """`a` is the applicant's date (normally complete), `b` one listed date (any precision)."""
    if a.month is None or b.month is None:
        return _year_only(a, b)
    if a.day is None or b.day is None:
        return _year_month(a, b)
    if a == b:
        return DateOutcome.EQUAL
    if a.year == b.year and a.month == b.day and a.day == b.month:
        return DateOutcome.SWAPPED
    if (a.month, a.day) == (b.month, b.day) and abs(a.year - b.year) == 1:
        return DateOutcome.YEAR_OFF_BY_ONE
    if a.year == b.year and _one_digit_apart(f"{a.month:02d}{a.day:02d}", f"{b.month:02d}{b.day:02d}"):
        return DateOutcome.ONE_DIGIT
    return DateOutcome.DIFFERENT_PERSON


def _year_only(a: PartialDate, b: PartialDate) -> DateOutcome:
    gap = abs(a.year - b.year)
    if gap == 0:
        return DateOutcome.EQUAL_AS_LISTED
    if gap == 1:
        return DateOutcome.YEAR_OFF_BY_ONE
    if gap <= YEAR_ONLY_TOLERANCE:
        return DateOutcome.YEARS_APART_PARTIAL
    return DateOutcome.DIFFERENT_PERSON


def _year_month(a: PartialDate, b: PartialDate) -> DateOutcome:
    assert a.month is not None and b.month is not None
    if (a.year, a.month) == (b.year, b.month):
        return DateOutcome.EQUAL_AS_LISTED
    if a.month == b.month and abs(a.year - b.year) == 1:
        return DateOutcome.YEAR_OFF_BY_ONE
    if a.year == b.year and _one_digit_apart(f"{a.month:02d}", f"{b.month:02d}"):
        return DateOutcome.ONE_DIGIT
    if a.year == b.year:
        return DateOutcome.MONTH_DIFFERS_PARTIAL
    return DateOutcome.DIFFERENT_PERSON


def _one_digit_apart(x: str, y: str) -> bool:
    """MM[DD] strings that differ in one digit, or by one swap of adjacent digits (03-12 vs 03-21). The year
    is not forgiven this way: its last digit mistyped puts the dates 2–9 years apart, and in a large list a
    namesake born that far apart is far more common than that typo (`keta bench screening-speed` counts them)."""
    diff = [i for i in range(len(x)) if x[i] != y[i]]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and x[diff[0]] == y[diff[1]] and x[diff[1]] == y[diff[0]]


def is_partial(date: PartialDate) -> bool:
    """The list knows only the year, or the year and month."""
    return date.month is None or date.day is None


def _explain(outcome: DateOutcome, a: PartialDate, b: PartialDate, every: tuple[PartialDate, ...]) -> str:
    if outcome is DateOutcome.DIFFERENT_PERSON:
        if every:
            return f"birth dates {a} vs {', '.join(str(d) for d in every)} (all listed): different people"
        return f"birth dates {a} vs {b}: different people"
    if a.month is None or b.month is None:  # the year is what both sides know
        if outcome is DateOutcome.EQUAL_AS_LISTED:
            return f"birth year equal (listed as {b})"
        if outcome is DateOutcome.YEAR_OFF_BY_ONE:
            return f"birth year off by one ({a.year} vs listed {b})"
        return f"birth year {a.year} vs listed {b}: {abs(a.year - b.year)} years"
    if a.day is None or b.day is None:  # year and month
        if outcome is DateOutcome.EQUAL_AS_LISTED:
            return f"birth year and month equal (listed as {b})"
        if outcome is DateOutcome.YEAR_OFF_BY_ONE:
            return f"birth date: year off by one ({a} vs listed {b})"
        if outcome is DateOutcome.ONE_DIGIT:
            return f"birth date: one digit differs ({a} vs listed {b})"
        return f"birth month differs ({a} vs listed {b})"
    return {
        DateOutcome.EQUAL: "birth date equal",
        DateOutcome.SWAPPED: "birth date: day and month swapped",
        DateOutcome.YEAR_OFF_BY_ONE: f"birth date: year off by one ({a} vs {b})",
        DateOutcome.ONE_DIGIT: f"birth date: one digit differs ({a} vs {b})",
    }[outcome]
