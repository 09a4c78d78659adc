"""The application life cycle (an explicit state machine) and the validity computed at approval."""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest

from keta.adapters.policy_files import load_policy
from keta.domain.applications import Status, ValidityWindow, transition, validity_at_approval
from keta.domain.errors import DomainError, IllegalTransition

KR = load_policy("kr")
S = Status

# Exactly the table in the module docstring, written out independently of `TRANSITIONS`.
LEGAL = {
    (S.DRAFT, S.SUBMITTED),
    (S.SUBMITTED, S.PAID),
    (S.SUBMITTED, S.WITHDRAWN),
    (S.PAID, S.SCREENING),
    (S.PAID, S.WITHDRAWN),
    (S.SCREENING, S.APPROVED),
    (S.SCREENING, S.REFUSED),
    (S.SCREENING, S.IN_REVIEW),
    (S.IN_REVIEW, S.APPROVED),
    (S.IN_REVIEW, S.REFUSED),
    (S.APPROVED, S.REVOKED),
    (S.APPROVED, S.ANNULLED),
    (S.APPROVED, S.EXPIRED),
    (S.REFUSED, S.APPROVED),
}
ALL_PAIRS = list(product(Status, Status))
ILLEGAL = [pair for pair in ALL_PAIRS if pair not in LEGAL]


def test_the_table_covers_every_status() -> None:
    assert len(Status) == 11
    assert len(ALL_PAIRS) == 121
    assert len(LEGAL) == 14
    assert len(ILLEGAL) == 107


@pytest.mark.parametrize(("current", "requested"), sorted(LEGAL))
def test_legal_transition_returns_the_new_status(current: Status, requested: Status) -> None:
    assert transition(current, requested) is requested


@pytest.mark.parametrize(("current", "requested"), ILLEGAL)
def test_every_other_transition_raises(current: Status, requested: Status) -> None:
    with pytest.raises(IllegalTransition) as caught:
        transition(current, requested)
    error = caught.value
    assert (error.current, error.requested) == (current.value, requested.value)
    assert error.code == "illegal_transition"
    assert isinstance(error, DomainError)
    assert str(error) == f"cannot go from {current.value} to {requested.value}"


@pytest.mark.parametrize("final", [S.REVOKED, S.ANNULLED, S.EXPIRED, S.WITHDRAWN])
def test_final_states_lead_nowhere(final: Status) -> None:
    for requested in Status:
        with pytest.raises(IllegalTransition):
            transition(final, requested)


def test_a_full_journey() -> None:
    path = [S.DRAFT, S.SUBMITTED, S.PAID, S.SCREENING, S.IN_REVIEW, S.APPROVED, S.EXPIRED]
    status = path[0]
    for requested in path[1:]:
        status = transition(status, requested)
    assert status is S.EXPIRED


LONG_LIVED_PASSPORT = date(2035, 1, 1)


@pytest.mark.parametrize(
    ("applied_on", "approved_on", "valid_until"),
    [
        # applications before 2023-07-03 (KST) get 2 years, even when approved later
        (date(2022, 1, 10), date(2022, 1, 11), date(2024, 1, 10)),
        (date(2023, 7, 2), date(2023, 7, 2), date(2025, 7, 1)),
        (date(2023, 7, 2), date(2023, 7, 4), date(2025, 7, 3)),
        # from 2023-07-03: 3 years
        (date(2023, 7, 3), date(2023, 7, 3), date(2026, 7, 2)),
        (date(2023, 7, 3), date(2023, 7, 5), date(2026, 7, 4)),
        (date(2026, 11, 29), date(2026, 11, 30), date(2029, 11, 29)),
        (date(2026, 12, 31), date(2027, 1, 1), date(2029, 12, 31)),
        # approval on 29 February: the anniversary is 1 March in a non-leap year, so the last day is 28 Feb
        (date(2024, 2, 28), date(2024, 2, 29), date(2027, 2, 28)),
        (date(2028, 2, 29), date(2028, 2, 29), date(2031, 2, 28)),
        # the day after 29 February in a leap year
        (date(2024, 2, 29), date(2024, 3, 1), date(2027, 2, 28)),
    ],
)
def test_validity_years_follow_the_application_date(applied_on: date, approved_on: date, valid_until: date) -> None:
    window = validity_at_approval(
        approved_on=approved_on, applied_on=applied_on, passport_expiry=LONG_LIVED_PASSPORT, policy=KR
    )
    assert window == ValidityWindow(valid_from=approved_on, valid_until=valid_until, capped_by_passport=False)


@pytest.mark.parametrize(
    ("passport_expiry", "expected"),
    [
        (date(2024, 1, 1), ValidityWindow(date(2023, 7, 3), date(2024, 1, 1), True)),
        (date(2026, 7, 1), ValidityWindow(date(2023, 7, 3), date(2026, 7, 1), True)),  # one day short
        (date(2026, 7, 2), ValidityWindow(date(2023, 7, 3), date(2026, 7, 2), False)),  # ends the same day
        (date(2026, 7, 3), ValidityWindow(date(2023, 7, 3), date(2026, 7, 2), False)),
        (date(2033, 7, 3), ValidityWindow(date(2023, 7, 3), date(2026, 7, 2), False)),
    ],
)
def test_validity_is_capped_by_passport_expiry(passport_expiry: date, expected: ValidityWindow) -> None:
    window = validity_at_approval(
        approved_on=date(2023, 7, 3), applied_on=date(2023, 7, 3), passport_expiry=passport_expiry, policy=KR
    )
    assert window == expected


def test_cap_uses_the_years_of_the_application_date() -> None:
    # 2-year rule: a passport expiring after 2 but before 3 years does not cap it.
    window = validity_at_approval(
        approved_on=date(2023, 7, 2), applied_on=date(2023, 7, 2), passport_expiry=date(2026, 1, 1), policy=KR
    )
    assert window == ValidityWindow(date(2023, 7, 2), date(2025, 7, 1), False)


def test_no_validity_rule_on_the_application_date_is_an_error() -> None:
    etias = load_policy("etias")  # its rules start on 2026-10-01
    with pytest.raises(ValueError, match="no validity rule for 2026-09-30"):
        validity_at_approval(
            approved_on=date(2026, 10, 2),
            applied_on=date(2026, 9, 30),
            passport_expiry=LONG_LIVED_PASSPORT,
            policy=etias,
        )
