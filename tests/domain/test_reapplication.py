"""The K-ETA re-application cap: 3 or more applications within 6 months → wait 6 months from the first result."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from keta.adapters.policy_files import load_policy
from keta.domain.applicant import Passport
from keta.domain.reapplication import PersonalData, PriorApplication, blocked_until, personal_data

KR = load_policy("kr")

PASSPORT = Passport("U1234567", "TUR", "TUR", "YILMAZ", "MEHMET ALI", "M", date(1990, 4, 12), date(2031, 1, 1))
DECLARED = personal_data(PASSPORT)


def P(  # noqa: N802 - reads as a table row
    applied: date, result: date | None = None, declared: PersonalData | None = DECLARED
) -> PriorApplication:
    return PriorApplication(applied, result, declared)


def until(
    prior: list[PriorApplication], applying_on: date, *, corrects: bool = False, declared: PersonalData = DECLARED
) -> date | None:
    return blocked_until(
        prior=prior, applying_on=applying_on, corrects_personal_data=corrects, policy=KR, personal=declared
    )


THREE_IN_Q1 = [
    P(date(2025, 1, 10), date(2025, 1, 11)),
    P(date(2025, 2, 10), date(2025, 2, 11)),
    P(date(2025, 3, 1), date(2025, 3, 2)),
]


@pytest.mark.parametrize(
    ("prior", "applying_on", "expected"),
    [
        ([], date(2025, 3, 10), None),
        (THREE_IN_Q1[:1], date(2025, 3, 10), None),
        (THREE_IN_Q1[:2], date(2025, 3, 10), None),  # 2 in 6 months: allowed
        (THREE_IN_Q1, date(2025, 3, 10), date(2025, 7, 11)),  # 3: first result + 6 months
        (THREE_IN_Q1, date(2025, 7, 10), date(2025, 7, 11)),  # the last day of the wait
        (THREE_IN_Q1, date(2025, 7, 11), None),  # the wait is over
        ([*THREE_IN_Q1, P(date(2025, 3, 5), date(2025, 3, 6))], date(2025, 3, 10), date(2025, 7, 11)),
        # the 3 spread over more than 6 months: never 3 in one window
        ([P(date(2024, 8, 1), date(2024, 8, 2)), *THREE_IN_Q1[1:]], date(2025, 3, 10), None),
        # "first result" is the first one notified, not the result of the first application
        (
            [P(date(2025, 1, 10), date(2025, 2, 20)), P(date(2025, 1, 15), date(2025, 1, 16)), P(date(2025, 1, 20))],
            date(2025, 3, 1),
            date(2025, 7, 16),
        ),
        # without any result the wait counts from the earliest application
        ([P(date(2025, 1, 12)), P(date(2025, 1, 10)), P(date(2025, 1, 11))], date(2025, 1, 20), date(2025, 7, 10)),
        # month-end clamping: 31 August + 6 months is 28 February
        (
            [P(date(2025, 8, 30), date(2025, 8, 31)), P(date(2025, 9, 1), date(2025, 9, 1)), P(date(2025, 9, 2))],
            date(2025, 9, 3),
            date(2026, 2, 28),
        ),
    ],
)
def test_blocked_until(prior: list[PriorApplication], applying_on: date, expected: date | None) -> None:
    assert until(prior, applying_on) == expected


def test_the_wait_can_end_while_the_applications_are_still_in_the_window() -> None:
    prior = [P(date(2025, 1, 1), date(2025, 1, 1)), P(date(2025, 1, 2), date(2025, 1, 3)), P(date(2025, 6, 1))]
    assert until(prior, date(2025, 6, 2)) == date(2025, 7, 1)
    assert until(prior, date(2025, 6, 30)) == date(2025, 7, 1)
    assert until(prior, date(2025, 7, 1)) is None  # all three are still within 6 months of 2025-07-01


CORRECTED = personal_data(replace(PASSPORT, number="U7654321"))


@pytest.mark.parametrize("applying_on", [date(2025, 3, 10), date(2025, 5, 1)])
def test_correcting_personal_data_is_always_allowed(applying_on: date) -> None:
    assert until(THREE_IN_Q1, applying_on) is not None
    assert until(THREE_IN_Q1, applying_on, corrects=True, declared=CORRECTED) is None
    # the box ticked without a change: one more application like any other
    assert until(THREE_IN_Q1, applying_on, corrects=True) == until(THREE_IN_Q1, applying_on)


def test_a_correction_must_differ_from_every_application_in_the_window() -> None:
    prior = [*THREE_IN_Q1[:2], P(date(2025, 3, 1), date(2025, 3, 2), CORRECTED)]  # the "correction" was sent before
    assert until(prior, date(2025, 3, 10), corrects=True, declared=CORRECTED) == date(2025, 7, 11)
    # an application older than the window does not count: sending that old data again is a change
    old = [P(date(2024, 6, 1), date(2024, 6, 2), CORRECTED), *THREE_IN_Q1]
    assert until(old, date(2025, 3, 10), corrects=True, declared=CORRECTED) is None


def test_an_earlier_application_whose_data_is_unknown_counts_as_the_same() -> None:
    prior = [*THREE_IN_Q1[:2], P(date(2025, 3, 1), date(2025, 3, 2), declared=None)]
    assert until(prior, date(2025, 3, 10), corrects=True, declared=CORRECTED) == date(2025, 7, 11)
    claim_only = blocked_until(prior=THREE_IN_Q1, applying_on=date(2025, 3, 10), corrects_personal_data=True, policy=KR)
    assert claim_only == date(2025, 7, 11)  # a claimed correction without the new data proves nothing


@pytest.mark.parametrize(
    ("change", "is_correction"),
    [
        ({"surname": "yilmaz"}, False),  # case: the passport prints capitals anyway
        ({"given_names": "MEHMET  ALI "}, False),  # spacing
        ({"number": "u 1234567"}, False),  # the document number's spacing and case
        ({"surname": "YILMAS"}, True),
        ({"given_names": "MEHMET ALİ"}, True),  # a diacritic is what the passport prints
        ({"sex": "F"}, True),
        ({"birth_date": date(1990, 4, 21)}, True),
        ({"expiry_date": date(2031, 1, 2)}, True),
        ({"issuing_country": "DEU"}, True),
    ],
)
def test_what_counts_as_a_change_of_personal_data(change: dict[str, object], is_correction: bool) -> None:
    assert (personal_data(replace(PASSPORT, **change)) != DECLARED) is is_correction  # type: ignore[arg-type]


def test_the_cap_starts_on_2022_07_12() -> None:
    prior = [P(date(2022, 6, 1), date(2022, 6, 2)), P(date(2022, 6, 10), date(2022, 6, 11)), P(date(2022, 7, 1))]
    assert until(prior, date(2022, 7, 11)) is None  # no cap in force yet
    assert until(prior, date(2022, 7, 12)) == date(2022, 12, 2)


def test_applications_after_the_new_one_are_not_counted() -> None:
    # Replaying a decision: only applications made up to the day of the new one count.
    later = [P(date(2025, 4, 1), date(2025, 4, 2)), P(date(2025, 4, 3)), P(date(2025, 4, 5))]
    assert until([THREE_IN_Q1[0], *later], date(2025, 3, 10)) is None


LATE_RESULTS = [
    P(date(2025, 1, 1), date(2025, 3, 1)),
    P(date(2025, 1, 2), date(2025, 3, 1)),
    P(date(2025, 1, 3), date(2025, 3, 1)),
]


@pytest.mark.parametrize("applying_on", [date(2025, 6, 30), date(2025, 7, 2), date(2025, 8, 1), date(2025, 8, 31)])
def test_block_lasts_until_6_months_after_the_first_result(applying_on: date) -> None:
    assert until(LATE_RESULTS, date(2025, 1, 4)) == date(2025, 9, 1)
    assert until(LATE_RESULTS, applying_on) == date(2025, 9, 1)
    assert until(LATE_RESULTS, date(2025, 9, 1)) is None
