"""The K-ETA re-application cap: 3 or more applications within 6 months → wait 6 months from the first result."""

from __future__ import annotations

from datetime import date

import pytest

from keta.adapters.policy_files import load_policy
from keta.domain.reapplication import PriorApplication, blocked_until

KR = load_policy("kr")


def P(applied: date, result: date | None = None) -> PriorApplication:  # noqa: N802 - reads as a table row
    return PriorApplication(applied, result)


def until(prior: list[PriorApplication], applying_on: date, *, corrects: bool = False) -> date | None:
    return blocked_until(prior=prior, applying_on=applying_on, corrects_personal_data=corrects, policy=KR)


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


@pytest.mark.parametrize("applying_on", [date(2025, 3, 10), date(2025, 5, 1)])
def test_correcting_personal_data_is_always_allowed(applying_on: date) -> None:
    assert until(THREE_IN_Q1, applying_on) is not None
    assert until(THREE_IN_Q1, applying_on, corrects=True) is None


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
