"""The carrier check's rule, pure: statuses, their order, and the eligibility memo."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from keta.adapters.policy_files import load_policy
from keta.domain.applications import Status
from keta.domain.carrier import (
    Authorization,
    CarrierStatus,
    Eligibilities,
    Passenger,
    answer,
    check_passenger,
)
from keta.domain.eligibility import TravellerFacts, evaluate
from keta.domain.ratelimit import WindowCount, decide, next_count

POLICY = load_policy("kr")
ARRIVAL = date(2026, 12, 29)
TODAY = date(2026, 11, 29)


def passenger(**overrides: object) -> Passenger:
    values: dict[str, object] = {
        "document_number": "U12345678",
        "issuing_country": "TUR",
        "nationality": "TUR",
        "birth_date": date(1990, 4, 12),
        "arrival_date": ARRIVAL,
    }
    values.update(overrides)
    return Passenger(**values)  # type: ignore[arg-type]


def approved(**overrides: object) -> Authorization:
    values: dict[str, object] = {
        "status": Status.APPROVED,
        "nationality": "TUR",
        "birth_date_matches": True,
        "valid_from": date(2026, 11, 29),
        "valid_until": date(2029, 11, 28),
    }
    values.update(overrides)
    return Authorization(**values)  # type: ignore[arg-type]


def decide_for(p: Passenger, *authorizations: Authorization) -> tuple[CarrierStatus, object]:
    result = answer(p, eligibility=Eligibilities(POLICY).of(p), authorizations=authorizations)
    return result.status, result.valid_until or result.exemption


def test_valid_authorization_is_ok_with_the_latest_end() -> None:
    later = approved(valid_until=date(2030, 1, 1))
    assert decide_for(passenger(), approved(), later) == (CarrierStatus.OK, date(2030, 1, 1))


@pytest.mark.parametrize(
    "authorization",
    [
        approved(status=Status.REVOKED),
        approved(status=Status.EXPIRED),
        approved(status=Status.REFUSED),
        approved(status=Status.IN_REVIEW),
        approved(birth_date_matches=False),
        approved(nationality="AZE"),
        approved(valid_until=ARRIVAL - timedelta(days=1)),
        approved(valid_from=ARRIVAL + timedelta(days=1)),
        approved(valid_from=None, valid_until=None),
    ],
)
def test_anything_but_a_covering_approval_is_not_ok(authorization: Authorization) -> None:
    assert decide_for(passenger(), authorization) == (CarrierStatus.NOT_OK, None)


def test_eligibility_comes_first() -> None:
    assert decide_for(passenger(nationality="KOR"), approved())[0] is CarrierStatus.NOT_APPLICABLE
    assert decide_for(passenger(nationality="CHN"), approved(nationality="CHN"))[0] is CarrierStatus.VISA_REQUIRED
    # before the scheme started, nobody needed one
    assert decide_for(passenger(arrival_date=date(2020, 1, 1)))[0] is CarrierStatus.NOT_APPLICABLE


def test_exemptions_on_the_arrival_date_and_an_authorization_beats_them() -> None:
    seventeen = passenger(birth_date=date(2008, 12, 29))  # turns 18 on the arrival day: not exempt
    assert decide_for(seventeen) == (CarrierStatus.NOT_OK, None)
    assert decide_for(passenger(birth_date=date(2008, 12, 30))) == (CarrierStatus.OK_EXEMPT, "age_17_or_under")
    assert decide_for(passenger(birth_date=date(1961, 12, 29))) == (CarrierStatus.OK_EXEMPT, "age_65_or_over")
    american = passenger(nationality="USA")
    assert decide_for(american) == (CarrierStatus.OK_EXEMPT, "temporary_exemption")
    assert decide_for(american, approved(nationality="USA"))[0] is CarrierStatus.OK


def test_meaning_checks_name_the_field_with_its_prefix() -> None:
    problems = check_passenger(
        passenger(birth_date=TODAY + timedelta(days=1), arrival_date=TODAY - timedelta(days=2)),
        today=TODAY,
        prefix="p[2].",
    )
    assert [(p.path, p.code) for p in problems] == [("p[2].birth_date", "in_future"), ("p[2].arrival_date", "in_past")]
    assert check_passenger(passenger(arrival_date=TODAY - timedelta(days=1)), today=TODAY, prefix="") == []
    far = check_passenger(passenger(arrival_date=TODAY + timedelta(days=367)), today=TODAY, prefix="")
    assert [(p.path, p.code) for p in far] == [("arrival_date", "too_far_ahead")]


def test_the_eligibility_memo_agrees_with_evaluate() -> None:
    rng = random.Random(20261129)
    nationalities = ["TUR", "USA", "KOR", "CHN", "KAZ", "DEU", "THA", "MEX", "JPN", "RUS"]
    memo = Eligibilities(POLICY)
    for _ in range(3000):
        p = passenger(
            nationality=rng.choice(nationalities),
            birth_date=date(1940, 1, 1) + timedelta(days=rng.randrange(30_000)),
            arrival_date=date(2026, 1, 1) + timedelta(days=rng.randrange(800)),
        )
        direct = evaluate(TravellerFacts(p.nationality, p.birth_date, p.arrival_date), POLICY)
        assert (memo.of(p).outcome, memo.of(p).reasons) == (direct.outcome, direct.reasons), p


def test_rate_limit_window_arithmetic() -> None:
    first = next_count(None, now_ms=1_000, window_ms=60_000)
    assert first == WindowCount(1, 61_000)
    second = next_count(first, now_ms=30_000, window_ms=60_000)
    assert second == WindowCount(2, 61_000)
    assert next_count(second, now_ms=61_000, window_ms=60_000) == WindowCount(1, 121_000)
    assert decide(second, limit=2, now_ms=30_000).allowed
    refused = decide(WindowCount(3, 61_000), limit=2, now_ms=30_001)
    assert (refused.allowed, refused.retry_after_seconds) == (False, 31)
    assert decide(WindowCount(3, 61_000), limit=2, now_ms=61_000).retry_after_seconds == 1  # never 0
