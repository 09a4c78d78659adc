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
    ONE_DIGIT = "one_digit"  # one digit mistyped or two adjacent ones swapped, not in the decade (1985-03-12/21)
    YEARS_APART_PARTIAL = "years_apart_partial"  # year-only list date, 2–3 years away: weak contradiction
    MONTH_DIFFERS_PARTIAL = "month_differs_partial"  # list knows year and month; same year, another month
    DIFFERENT_PERSON = "different_person"  # beyond every list error: another person with the same name


@dataclass(frozen=True, slots=True)
class DateEvidence:
    outcome: DateOutcome
    explanation: str | None  # None when there is nothing to say (no date on one side)
    listed: PartialDate | None = None  # the listed date the evidence is about (the best of several)


NO_DATE = DateEvidence(DateOutcome.UNKNOWN, None)

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
    best = min((_compare(query, d) for d in listed), key=lambda e: _RANK[e.outcome])
    if best.outcome is DateOutcome.DIFFERENT_PERSON and len(listed) > 1:
        shown = ", ".join(str(d) for d in listed)
        return DateEvidence(best.outcome, f"birth dates {query} vs {shown} (all listed): different people", best.listed)
    return best


def _compare(a: PartialDate, b: PartialDate) -> DateEvidence:
    """`a` is the applicant's date (normally complete), `b` one listed date (any precision)."""
    if a.month is None or b.month is None:
        return _year_only(a, b)
    if a.day is None or b.day is None:
        return _year_month(a, b)
    if a == b:
        return DateEvidence(DateOutcome.EQUAL, "birth date equal", b)
    if a.year == b.year and a.month == b.day and a.day == b.month:
        return DateEvidence(DateOutcome.SWAPPED, "birth date: day and month swapped", b)
    if (a.month, a.day) == (b.month, b.day) and abs(a.year - b.year) == 1:
        return DateEvidence(DateOutcome.YEAR_OFF_BY_ONE, f"birth date: year off by one ({a} vs {b})", b)
    if _one_digit_apart(f"{a.year:04d}{a.month:02d}{a.day:02d}", f"{b.year:04d}{b.month:02d}{b.day:02d}"):
        return DateEvidence(DateOutcome.ONE_DIGIT, f"birth date: one digit differs ({a} vs {b})", b)
    return DateEvidence(DateOutcome.DIFFERENT_PERSON, f"birth dates {a} vs {b}: different people", b)


def _year_only(a: PartialDate, b: PartialDate) -> DateEvidence:
    gap = abs(a.year - b.year)
    if gap == 0:
        return DateEvidence(DateOutcome.EQUAL_AS_LISTED, f"birth year equal (listed as {b})", b)
    if gap == 1:
        return DateEvidence(DateOutcome.YEAR_OFF_BY_ONE, f"birth year off by one ({a.year} vs listed {b})", b)
    if gap <= YEAR_ONLY_TOLERANCE:
        return DateEvidence(DateOutcome.YEARS_APART_PARTIAL, f"birth year {a.year} vs listed {b}: {gap} years", b)
    return DateEvidence(DateOutcome.DIFFERENT_PERSON, f"birth dates {a} vs {b}: different people", b)


def _year_month(a: PartialDate, b: PartialDate) -> DateEvidence:
    assert a.month is not None and b.month is not None
    if (a.year, a.month) == (b.year, b.month):
        return DateEvidence(DateOutcome.EQUAL_AS_LISTED, f"birth year and month equal (listed as {b})", b)
    if a.month == b.month and abs(a.year - b.year) == 1:
        return DateEvidence(DateOutcome.YEAR_OFF_BY_ONE, f"birth date: year off by one ({a} vs listed {b})", b)
    if _one_digit_apart(f"{a.year:04d}{a.month:02d}", f"{b.year:04d}{b.month:02d}"):
        return DateEvidence(DateOutcome.ONE_DIGIT, f"birth date: one digit differs ({a} vs listed {b})", b)
    if a.year == b.year:
        return DateEvidence(DateOutcome.MONTH_DIFFERS_PARTIAL, f"birth month differs ({a} vs listed {b})", b)
    return DateEvidence(DateOutcome.DIFFERENT_PERSON, f"birth dates {a} vs {b}: different people", b)


def _one_digit_apart(x: str, y: str) -> bool:
    """YYYYMM[DD] strings that differ in one digit, or by one swap of adjacent digits, outside the year's first
    three digits: a mistyped decade (1960 vs 1990) is a namesake of another generation as often as a typo."""
    diff = [i for i in range(len(x)) if x[i] != y[i]]
    if not diff or diff[0] < 3:
        return False
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and x[diff[0]] == y[diff[1]] and x[diff[1]] == y[diff[0]]
