"""Who needs a K-ETA, decided from the real `kr` policy file (and `etias`, to prove a country is data)."""

from __future__ import annotations

from datetime import date

import pytest

from keta.adapters.policy_files import load_policy
from keta.domain.eligibility import EligibilityDecision, Outcome, PassportType, TravellerFacts, evaluate
from keta.domain.policy import Policy

KR = load_policy("kr")
ETIAS = load_policy("etias")

REQUIRED = (Outcome.REQUIRED, ("authorization_required",))
UNDER_18 = (Outcome.EXEMPT, ("age_17_or_under",))
OVER_64 = (Outcome.EXEMPT, ("age_65_or_over",))
TEMPORARY = (Outcome.EXEMPT, ("temporary_exemption",))
VISA = (Outcome.VISA_REQUIRED, ("not_visa_free",))
OUTSIDE = (Outcome.NOT_APPLICABLE, ("diplomatic_or_official_passport",))
ADULT = date(1990, 1, 1)  # 33 to 37 years old on every arrival below: no age exemption


def decide(
    nationality: str,
    birth: date,
    arrival: date,
    passport: PassportType = PassportType.ORDINARY,
    policy: Policy = KR,
) -> EligibilityDecision:
    return evaluate(TravellerFacts(nationality, birth, arrival, passport), policy)


@pytest.mark.parametrize(
    ("nationality", "birth", "arrival", "expected"),
    [
        # Turkish traveller around the 18th and 65th birthdays (full age on the arrival date).
        ("TUR", date(2008, 6, 15), date(2026, 6, 14), UNDER_18),
        ("TUR", date(2008, 6, 15), date(2026, 6, 15), REQUIRED),
        ("TUR", date(1961, 6, 15), date(2026, 6, 14), REQUIRED),
        ("TUR", date(1961, 6, 15), date(2026, 6, 15), OVER_64),
        # A 29 February birthday is reached on 1 March in non-leap years (an 18th or 65th birthday
        # always falls in one: 18 and 65 are not multiples of 4).
        ("TUR", date(2008, 2, 29), date(2026, 2, 28), UNDER_18),
        ("TUR", date(2008, 2, 29), date(2026, 3, 1), REQUIRED),
        # Leap arrival years: 29 February is a day of its own, not someone's birthday by proxy.
        ("TUR", date(2006, 3, 1), date(2024, 2, 29), UNDER_18),
        ("TUR", date(2006, 3, 1), date(2024, 3, 1), REQUIRED),
        ("TUR", date(2006, 2, 28), date(2024, 2, 27), UNDER_18),
        ("TUR", date(2006, 2, 28), date(2024, 2, 28), REQUIRED),
        ("TUR", date(2006, 2, 28), date(2024, 2, 29), REQUIRED),
        ("TUR", date(1960, 2, 29), date(2025, 2, 28), REQUIRED),
        ("TUR", date(1960, 2, 29), date(2025, 3, 1), OVER_64),
        # The age rule starts on 2023-07-03: before it, a 10-year-old needs a K-ETA.
        ("TUR", date(2013, 1, 1), date(2023, 7, 2), REQUIRED),
        ("TUR", date(2013, 1, 1), date(2023, 7, 3), UNDER_18),
        ("TUR", date(1950, 1, 1), date(2023, 7, 2), REQUIRED),
        ("TUR", date(1950, 1, 1), date(2023, 7, 3), OVER_64),
    ],
)
def test_age_exemption_boundaries(
    nationality: str, birth: date, arrival: date, expected: tuple[Outcome, tuple[str, ...]]
) -> None:
    decision = decide(nationality, birth, arrival)
    assert (decision.outcome, decision.reasons) == expected


@pytest.mark.parametrize("nationality", ["USA", "GBR", "JPN", "GUM", "DEU", "TWN"])
@pytest.mark.parametrize(
    ("arrival", "expected"),
    [
        (date(2023, 3, 31), REQUIRED),
        (date(2023, 4, 1), TEMPORARY),
        (date(2025, 6, 30), TEMPORARY),
        (date(2026, 12, 31), TEMPORARY),
        (date(2027, 1, 1), REQUIRED),
    ],
)
def test_temporary_exemption_original_list(
    nationality: str, arrival: date, expected: tuple[Outcome, tuple[str, ...]]
) -> None:
    decision = decide(nationality, ADULT, arrival)
    assert (decision.outcome, decision.reasons) == expected


@pytest.mark.parametrize("nationality", ["TUR", "THA", "CHL", "MEX", "ZAF"])
@pytest.mark.parametrize("arrival", [date(2023, 4, 1), date(2024, 6, 1), date(2026, 12, 31)])
def test_never_temporarily_exempt(nationality: str, arrival: date) -> None:
    decision = decide(nationality, ADULT, arrival)
    assert (decision.outcome, decision.reasons) == REQUIRED


@pytest.mark.parametrize(
    ("nationality", "last_required", "first_exempt"),
    [
        ("ARE", date(2023, 11, 5), date(2023, 11, 6)),
        ("SAU", date(2023, 11, 5), date(2023, 11, 6)),
        ("CZE", date(2024, 2, 6), date(2024, 2, 7)),
        ("CHE", date(2024, 2, 6), date(2024, 2, 7)),
        ("COL", date(2024, 5, 7), date(2024, 5, 8)),
    ],
)
def test_expanded_list_starts_on_its_own_date(nationality: str, last_required: date, first_exempt: date) -> None:
    before, on = decide(nationality, ADULT, last_required), decide(nationality, ADULT, first_exempt)
    assert (before.outcome, before.reasons) == REQUIRED
    assert (on.outcome, on.reasons) == TEMPORARY
    assert decide(nationality, ADULT, date(2027, 1, 1)).outcome is Outcome.REQUIRED


@pytest.mark.parametrize("nationality", ["CHN", "IND", "VNM", "PHL", "IDN"])
@pytest.mark.parametrize("birth", [date(2016, 1, 1), date(1956, 1, 1), ADULT])  # 10, 70 and 36 in 2026
def test_age_never_turns_a_visa_required_national_into_exempt(nationality: str, birth: date) -> None:
    decision = decide(nationality, birth, date(2026, 5, 1))
    assert (decision.outcome, decision.reasons) == VISA
    assert not decision.may_apply


@pytest.mark.parametrize("birth", [date(2016, 1, 1), ADULT, date(1950, 1, 1)])
def test_korean_nationals_are_outside_the_scheme(birth: date) -> None:
    decision = decide("KOR", birth, date(2026, 5, 1))
    assert (decision.outcome, decision.reasons) == (Outcome.NOT_APPLICABLE, ("korean_national",))


@pytest.mark.parametrize(
    ("nationality", "passport", "birth", "arrival", "expected"),
    [
        ("TUR", PassportType.DIPLOMATIC, ADULT, date(2023, 1, 8), REQUIRED),
        ("TUR", PassportType.DIPLOMATIC, ADULT, date(2023, 1, 9), OUTSIDE),
        ("TUR", PassportType.OFFICIAL, ADULT, date(2026, 5, 1), OUTSIDE),
        # outside the scheme outranks an exemption
        ("USA", PassportType.DIPLOMATIC, date(2016, 1, 1), date(2026, 5, 1), OUTSIDE),
        ("CHN", PassportType.DIPLOMATIC, ADULT, date(2026, 5, 1), VISA),
        ("CHN", PassportType.OFFICIAL, ADULT, date(2026, 5, 1), VISA),
    ],
)
def test_diplomatic_and_official_passports(
    nationality: str,
    passport: PassportType,
    birth: date,
    arrival: date,
    expected: tuple[Outcome, tuple[str, ...]],
) -> None:
    decision = decide(nationality, birth, arrival, passport)
    assert (decision.outcome, decision.reasons) == expected


@pytest.mark.parametrize(
    ("nationality", "birth", "reasons"),
    [
        ("USA", date(1956, 1, 1), ("temporary_exemption", "age_65_or_over")),
        ("JPN", date(2016, 1, 1), ("temporary_exemption", "age_17_or_under")),
    ],
)
def test_both_exemptions_at_once(nationality: str, birth: date, reasons: tuple[str, ...]) -> None:
    decision = decide(nationality, birth, date(2026, 5, 1))
    assert (decision.outcome, decision.reasons) == (Outcome.EXEMPT, reasons)


ALL_STEPS = ["home_national", "visa_free_list", "official_passport_exemption", "temporary_exemption", "age_exemption"]


@pytest.mark.parametrize(
    ("nationality", "birth", "passport", "outcome", "applied", "may_apply"),
    [
        ("KOR", ADULT, PassportType.ORDINARY, Outcome.NOT_APPLICABLE, [True], False),
        ("CHN", ADULT, PassportType.ORDINARY, Outcome.VISA_REQUIRED, [False, False], False),
        ("TUR", ADULT, PassportType.DIPLOMATIC, Outcome.NOT_APPLICABLE, [False, True, True], False),
        ("TUR", ADULT, PassportType.ORDINARY, Outcome.REQUIRED, [False, True, False, False, False], True),
        ("USA", ADULT, PassportType.ORDINARY, Outcome.EXEMPT, [False, True, False, True, False], True),
        ("TUR", date(2016, 1, 1), PassportType.ORDINARY, Outcome.EXEMPT, [False, True, False, False, True], True),
        ("USA", date(1956, 1, 1), PassportType.ORDINARY, Outcome.EXEMPT, [False, True, False, True, True], True),
    ],
)
def test_trace_names_every_rule_consulted_in_order(
    nationality: str, birth: date, passport: PassportType, outcome: Outcome, applied: list[bool], may_apply: bool
) -> None:
    decision = decide(nationality, birth, date(2026, 5, 1), passport)
    # the rules in their legal order, up to the one that settled the outcome
    steps = ALL_STEPS[: len(applied)]
    assert decision.outcome is outcome
    assert [step.rule for step in decision.trace] == steps
    assert [step.applied for step in decision.trace] == applied
    assert decision.may_apply is may_apply


def test_trace_records_the_versions_consulted() -> None:
    steps = {step.rule: step for step in decide("USA", date(1956, 1, 1), date(2026, 5, 1)).trace}
    assert steps["visa_free_list"].reason == "visa_free_national"
    assert steps["temporary_exemption"].period == "2023-04-01..2026-12-31"
    assert (steps["age_exemption"].reason, steps["age_exemption"].period) == ("age_65_or_over", "2023-07-03..…")
    not_yet = {step.rule: step for step in decide("TUR", ADULT, date(2023, 7, 2)).trace}
    assert (not_yet["age_exemption"].applied, not_yet["age_exemption"].period) == (False, None)


def test_kr_lists_112_visa_free_nationalities() -> None:
    (version,) = KR.visa_free.entries
    assert len(version.value) == 112
    assert KR.visa_free_stay_days("TUR", date(2026, 5, 1)) == 90
    assert KR.visa_free_stay_days("CAN", date(2026, 5, 1)) == 180
    assert KR.visa_free_stay_days("KAZ", date(2026, 5, 1)) == 30
    assert KR.visa_free_stay_days("CHN", date(2026, 5, 1)) is None
    assert KR.visa_free_stay_days("KOR", date(2026, 5, 1)) is None


def test_kr_2026_temporary_exemption_covers_63_codes() -> None:
    in_force = set().union(*(entry.value for entry in KR.temporary_exemptions.in_force(date(2026, 12, 31))))
    assert len(in_force) == 63  # 62 countries/regions + Guam
    assert "GUM" in in_force
    assert in_force.isdisjoint({"TUR", "THA", "CHL", "MEX", "ZAF", "SLB", "NCL"})
    assert not list(KR.temporary_exemptions.in_force(date(2027, 1, 1)))


def test_every_temporarily_exempt_code_is_visa_free() -> None:
    # An exemption for a country outside the visa-free list could never apply (visa_required comes first).
    for version in KR.temporary_exemptions.entries:
        assert version.period.start is not None
        missing = {code for code in version.value if KR.visa_free_stay_days(code, version.period.start) is None}
        assert missing == set(), version.period


@pytest.mark.parametrize(
    ("nationality", "birth", "passport", "expected"),
    [
        ("USA", ADULT, PassportType.ORDINARY, REQUIRED),
        ("USA", date(2016, 1, 1), PassportType.ORDINARY, REQUIRED),  # no age exemption
        ("USA", date(1950, 1, 1), PassportType.ORDINARY, REQUIRED),
        ("KOR", ADULT, PassportType.ORDINARY, REQUIRED),  # Korea's home nationals are ETIAS travellers
        ("USA", ADULT, PassportType.DIPLOMATIC, REQUIRED),  # official_passport_exemption is false
        ("DEU", ADULT, PassportType.ORDINARY, (Outcome.NOT_APPLICABLE, ("eu_national",))),
        ("TUR", ADULT, PassportType.ORDINARY, VISA),
    ],
)
def test_etias_policy_is_data_too(
    nationality: str, birth: date, passport: PassportType, expected: tuple[Outcome, tuple[str, ...]]
) -> None:
    decision = decide(nationality, birth, date(2026, 11, 1), passport, ETIAS)
    assert (decision.outcome, decision.reasons) == expected


@pytest.mark.parametrize(
    ("policy", "arrival", "outcome"),
    [
        (KR, date(2021, 8, 31), Outcome.NOT_APPLICABLE),  # K-ETA became mandatory on 2021-09-01
        (KR, date(2021, 9, 1), Outcome.REQUIRED),
        (ETIAS, date(2026, 9, 30), Outcome.NOT_APPLICABLE),  # before the sample scheme starts
        (ETIAS, date(2026, 10, 1), Outcome.REQUIRED),
    ],
)
def test_nobody_needs_an_authorization_outside_the_schemes_period(
    policy: Policy, arrival: date, outcome: Outcome
) -> None:
    decision = decide("USA" if policy is ETIAS else "TUR", ADULT, arrival, policy=policy)
    assert decision.outcome is outcome
    if outcome is Outcome.NOT_APPLICABLE:
        assert decision.reasons == ("scheme_not_in_force",)
        assert decision.trace[0].rule == "scheme_in_force"
