"""The retention rule at its boundaries: the first day personal data may go, per status, for both policies."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources

import pytest

from keta.adapters.policy_files import PolicyFileError, load_policy, parse_policy
from keta.domain.applications import Status
from keta.domain.retention import Category, RetentionFacts, RetentionRule, category, is_due, purge_from

KR = RetentionRule(after_validity_days=180, after_refusal_years=5, unfinished_months=12)
DAY = timedelta(days=1)


def facts(status: Status, *, paid: bool = True, valid_until: date | None = None, decided_on: date | None = None,
          last_step_on: date = date(2024, 1, 10)) -> RetentionFacts:  # fmt: skip
    return RetentionFacts(status, paid, valid_until, decided_on, last_step_on)


@pytest.mark.parametrize("status", [Status.APPROVED, Status.EXPIRED])
def test_an_authorization_is_kept_while_valid_and_for_the_days_after(status: Status) -> None:
    valid = facts(status, valid_until=date(2026, 11, 29))
    first = date(2026, 11, 30) + timedelta(days=180)
    assert purge_from(valid, KR) == first == date(2027, 5, 29)
    assert not is_due(valid, KR, today=first - DAY) and is_due(valid, KR, today=first)
    assert category(valid) is Category.EXPIRED
    etias = RetentionRule(after_validity_days=0, after_refusal_years=5, unfinished_months=12)
    assert purge_from(valid, etias) == date(2026, 11, 30)  # ETIAS Art. 54(1)(a): the validity period only
    assert not is_due(valid, etias, today=date(2026, 11, 29))


@pytest.mark.parametrize(
    ("status", "kind"),
    [(Status.REFUSED, Category.REFUSED), (Status.REVOKED, Category.REVOKED), (Status.ANNULLED, Category.ANNULLED)],
)
def test_an_adverse_decision_is_kept_for_years_after_the_last_decision(status: Status, kind: Category) -> None:
    decided = facts(status, decided_on=date(2021, 6, 1), last_step_on=date(2021, 6, 1))
    assert purge_from(decided, KR) == date(2026, 6, 1)
    assert not is_due(decided, KR, today=date(2026, 5, 31)) and is_due(decided, KR, today=date(2026, 6, 1))
    assert category(decided) is kind
    leap = facts(status, decided_on=date(2024, 2, 29))
    assert purge_from(leap, KR) == date(2029, 3, 1)  # 29 February counts as reached on 1 March
    # A revocation moves the decision date on: the years count from the last decision.
    assert purge_from(facts(status, decided_on=date(2025, 3, 1), last_step_on=date(2025, 3, 1)), KR) == date(2030, 3, 1)


def test_withdrawn_and_never_paid_applications_go_sooner() -> None:
    withdrawn = facts(Status.WITHDRAWN, last_step_on=date(2025, 8, 31))
    assert purge_from(withdrawn, KR) == date(2026, 8, 31)
    assert not is_due(withdrawn, KR, today=date(2026, 8, 30)) and is_due(withdrawn, KR, today=date(2026, 8, 31))
    unpaid = facts(Status.SUBMITTED, paid=False, last_step_on=date(2025, 12, 10))
    assert category(unpaid) is Category.UNPAID and purge_from(unpaid, KR) == date(2026, 12, 10)
    short = RetentionRule(after_validity_days=0, after_refusal_years=5, unfinished_months=6)
    assert purge_from(withdrawn, short) == date(2026, 2, 28)  # 31 August + 6 months: the month's last day


@pytest.mark.parametrize("status", [Status.PAID, Status.SCREENING, Status.IN_REVIEW])
def test_an_application_still_in_progress_is_never_due(status: Status) -> None:
    assert purge_from(facts(status, last_step_on=date(2000, 1, 1)), KR) is None
    assert not is_due(facts(status, last_step_on=date(2000, 1, 1)), KR, today=date(2100, 1, 1))


def test_an_approval_without_a_validity_window_is_kept() -> None:
    assert purge_from(facts(Status.APPROVED), KR) is None


def test_both_policies_carry_a_dated_retention_rule() -> None:
    assert load_policy("kr").retention_rule(date(2026, 11, 29)) == KR
    assert load_policy("kr").retention_rule(date(2021, 8, 31)) is None  # before K-ETA: no rule, no purge
    assert load_policy("etias").retention_rule(date(2026, 11, 29)) == RetentionRule(0, 5, 12)


def test_a_bad_retention_rule_names_its_key() -> None:
    text = resources.files("keta.policies").joinpath("kr.toml").read_text("utf-8")
    with pytest.raises(PolicyFileError, match=r"bad key 'retention\[0\].after_refusal_years'"):
        parse_policy(text.replace("after_refusal_years = 5", "after_refusal_years = -1"), label="kr.toml")
    later = '[[retention]]\nfrom = "2030-01-01"\nafter_validity_days = 0\nafter_refusal_years = 1\n'
    later += "unfinished_months = 1\n"
    twice = text + "\n" + later
    with pytest.raises(PolicyFileError, match=r"bad key 'retention\[1\]': overlaps retention\[0\]"):
        parse_policy(twice, label="kr.toml")
