"""Birth-date evidence: what lists get wrong is forgiven, anything beyond it is another person."""

from __future__ import annotations

import pytest

from keta.domain.screening.algorithm import QueryTokens, score_with_name
from keta.domain.screening.birth_dates import DateOutcome, compare_birth_dates
from keta.domain.screening.features import compare_names
from keta.domain.screening.model import PartialDate, Query, WatchlistEntry
from keta.domain.screening.normalize import name_tokens
from keta.domain.screening.scoring import WEIGHTS, weights_with

D = PartialDate.parse


@pytest.mark.parametrize(
    ("typed", "listed", "outcome", "explanation"),
    [
        ("1985-03-02", ["1985-03-02"], DateOutcome.EQUAL, "birth date equal"),
        ("1985-03-02", ["1985-02-03"], DateOutcome.SWAPPED, "birth date: day and month swapped"),
        (
            "1985-03-02",
            ["1986-03-02"],
            DateOutcome.YEAR_OFF_BY_ONE,
            "birth date: year off by one (1985-03-02 vs 1986-03-02)",
        ),
        ("1985-03-02", ["1985"], DateOutcome.EQUAL_AS_LISTED, "birth year equal (listed as 1985)"),
        ("1985-03-02", ["1985-03"], DateOutcome.EQUAL_AS_LISTED, "birth year and month equal (listed as 1985-03)"),
        ("1985-03-02", ["1984"], DateOutcome.YEAR_OFF_BY_ONE, "birth year off by one (1985 vs listed 1984)"),
        (
            "1985-03-12",
            ["1985-03-21"],
            DateOutcome.ONE_DIGIT,
            "birth date: one digit differs (1985-03-12 vs 1985-03-21)",
        ),
        (
            "1985-03-02",
            ["1985-08-02"],
            DateOutcome.ONE_DIGIT,
            "birth date: one digit differs (1985-03-02 vs 1985-08-02)",
        ),
        ("1985-03-02", ["1983"], DateOutcome.YEARS_APART_PARTIAL, "birth year 1985 vs listed 1983: 2 years"),
        (
            "1985-03-02",
            ["1985-11"],
            DateOutcome.MONTH_DIFFERS_PARTIAL,
            "birth month differs (1985-03-02 vs listed 1985-11)",
        ),
        (
            "1985-03-02",
            ["1979-11-20"],
            DateOutcome.DIFFERENT_PERSON,
            "birth dates 1985-03-02 vs 1979-11-20: different people",
        ),
        (
            "1985-03-02",
            ["1985-11-20"],
            DateOutcome.DIFFERENT_PERSON,
            "birth dates 1985-03-02 vs 1985-11-20: different people",
        ),
        ("1985-03-02", ["1981"], DateOutcome.DIFFERENT_PERSON, "birth dates 1985-03-02 vs 1981: different people"),
        (
            "1985-03-02",
            ["1979-03"],
            DateOutcome.DIFFERENT_PERSON,
            "birth dates 1985-03-02 vs 1979-03: different people",
        ),
        # the year's last digit is not forgiven as a typo either: in a large list, a namesake born 3 years
        # apart is far more common than that typo
        (
            "1999-01-18",
            ["1996-01-18"],
            DateOutcome.DIFFERENT_PERSON,
            "birth dates 1999-01-18 vs 1996-01-18: different people",
        ),
        (
            "1982-11-20",
            ["1987-11"],
            DateOutcome.DIFFERENT_PERSON,
            "birth dates 1982-11-20 vs 1987-11: different people",
        ),
        # a decade digit is not forgiven as a typo: 30 years apart is another generation
        (
            "1960-04-12",
            ["1990-04-12"],
            DateOutcome.DIFFERENT_PERSON,
            "birth dates 1960-04-12 vs 1990-04-12: different people",
        ),
    ],
)
def test_each_list_error_has_its_outcome_and_explanation(
    typed: str, listed: list[str], outcome: DateOutcome, explanation: str
) -> None:
    found = compare_birth_dates(D(typed), [D(d) for d in listed])
    assert (found.outcome, found.explanation) == (outcome, explanation)


def test_the_best_of_several_listed_dates_is_the_evidence() -> None:
    found = compare_birth_dates(D("1985-03-02"), [D("1970-01-01"), D("1986-03-02"), D("1985")])
    assert found.outcome is DateOutcome.EQUAL_AS_LISTED and found.listed == D("1985")
    apart = compare_birth_dates(D("1985-03-02"), [D("1970-01-01"), D("1979-11-20")])
    assert apart.explanation == "birth dates 1985-03-02 vs 1970-01-01, 1979-11-20 (all listed): different people"


def test_no_date_on_either_side_is_no_evidence() -> None:
    assert compare_birth_dates(None, [D("1985")]).explanation is None
    assert compare_birth_dates(D("1985-03-02"), []).outcome is DateOutcome.UNKNOWN


def test_every_outcome_has_a_declared_weight_and_they_are_ordered() -> None:
    weights = {o: WEIGHTS[f"birth_date.{o.value}"].value for o in DateOutcome if o is not DateOutcome.UNKNOWN}
    assert weights[DateOutcome.EQUAL] > weights[DateOutcome.SWAPPED] > 0 > weights[DateOutcome.YEAR_OFF_BY_ONE]
    assert min(weights.values()) == weights[DateOutcome.DIFFERENT_PERSON] <= -0.45


def _score(
    query: Query, entry: WatchlistEntry, overrides: dict[str, float] | None = None
) -> tuple[float, tuple[str, ...]]:
    q_tokens = name_tokens(query.surname) + name_tokens(query.given_names)
    names = compare_names(q_tokens, name_tokens(entry.names[0]))
    match = score_with_name(
        query, QueryTokens(q_tokens, 1), entry, (names, entry.names[0]), 0.0, weights_with(overrides)
    )
    return match.score, match.reasons


def test_a_namesake_of_another_birth_date_falls_below_review_unless_the_document_agrees() -> None:
    entry = WatchlistEntry("e", ("Kim Minjun",), (D("1979-11-20"),), ("KOR",), "M", passport_numbers=("M12345678",))
    namesake = Query("q", "KIM", "MINJUN", D("1985-03-02"), "KOR", "M")
    score, reasons = _score(namesake, entry)
    assert score < 0.7 and "birth dates 1985-03-02 vs 1979-11-20: different people" in reasons
    same_document = Query("q", "KIM", "MINJUN", D("1985-03-02"), "KOR", "M", passport_number="m1234-5678")
    score, reasons = _score(same_document, entry)
    assert score >= 0.9
    assert "passport number listed for this person" in reasons
    assert "the birth date is outweighed by the document number" in reasons


def test_a_policy_can_retune_a_weight_by_name() -> None:
    entry = WatchlistEntry("e", ("Kim Minjun",), (D("1979-11-20"),))
    namesake = Query("q", "KIM", "MINJUN", D("1985-03-02"))
    assert _score(namesake, entry, {"birth_date.different_person": 0.0})[0] == 1.0
    with pytest.raises(KeyError):
        weights_with({"birth_date.no_such_outcome": 0.1})


def test_a_similar_name_and_a_partial_date_are_weak_together() -> None:
    # "Tang Ming, born 1970" on the list; "Tan Ping" born in 1971: two letters and a year-only date off by one.
    listed = WatchlistEntry("e", ("Tang Ming",), (D("1970"),), ("CHN",), "M")
    similar = Query("q", "TAN", "PING", D("1971-11-12"), "CHN", "M")
    score, reasons = _score(similar, listed)
    assert score < 0.7
    assert "a similar name and a birth date listed only as 1970: weak together" in reasons
    # the exact name with a year-only date off by one is still worth an officer's look
    assert _score(Query("q", "TANG", "MING", D("1971-11-12"), "CHN", "M"), listed)[0] >= 0.9
    # and a similar name with the complete listed date is a typo, not a namesake
    complete = WatchlistEntry("e", ("Tang Ming",), (D("1971-11-12"),), ("CHN",), "M")
    score, reasons = _score(Query("q", "TANG", "MIN", D("1971-11-12"), "CHN", "M"), complete)
    assert score >= 0.7 and not any("weak together" in r for r in reasons)
    # the same document number outweighs it, as it outweighs a contradicting date
    with_document = WatchlistEntry("e", ("Tang Ming",), (D("1970"),), ("CHN",), "M", passport_numbers=("X1",))
    assert _score(Query("q", "TAN", "PING", D("1971-11-12"), "CHN", "M", passport_number="X1"), with_document)[0] >= 0.9


def test_an_arabic_name_read_by_its_consonants_is_not_similar_but_a_name_that_barely_agrees_is() -> None:
    # The list writes no short vowels: HADDAD / MARYAM is how مريم إبراهيم حداد reads, year-only date or not.
    listed = WatchlistEntry("e", ("مريم إبراهيم حداد",), (D("2002"),), ("IRQ",), "F")
    score, reasons = _score(Query("q", "HADDAD", "MARYAM", D("2002-04-09"), "IRQ", "F"), listed)
    assert score >= 0.7 and not any("weak together" in r for r in reasons)
    # A Chinese name whose consonants happen to match one Arabic word of a longer name agrees too little.
    other = WatchlistEntry("e", ("هليا نوروزی",), (D("1945-07"),), (), "F")
    score, reasons = _score(Query("q", "HE", "LIHUA", D("1945-07-10"), None, "F"), other)
    assert score < 0.7
