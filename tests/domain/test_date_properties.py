"""Properties of the date rules, over generated dates (Hypothesis):

- an approval is never valid past the passport's expiry, starts on the approval day, and lasts at
  most the years in force on the application date;
- the age on arrival is the completed years: the last birthday is on or before arrival, the next
  after it (29 February included), and it never falls as the arrival moves later;
- the age exemption of the K-ETA policy holds exactly for 17 and under, 65 and over, on arrival.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from keta.adapters.policy_files import load_policy
from keta.domain.applications import validity_at_approval
from keta.domain.dates import add_years, full_age
from keta.domain.eligibility import PassportType, TravellerFacts, age_exemption

KR = load_policy("kr")
PROPERTIES = settings(max_examples=300, deadline=None, derandomize=True, database=None)
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
scheme_days = st.dates(min_value=date(2021, 9, 1), max_value=date(2060, 12, 31))


@PROPERTIES
@given(applied_on=scheme_days, wait=st.integers(0, 60), passport_expiry=days)
def test_validity_never_passes_the_passport_expiry(applied_on: date, wait: int, passport_expiry: date) -> None:
    approved_on = applied_on + timedelta(days=wait)
    assume(passport_expiry >= approved_on)  # an expired passport is refused before any approval
    window = validity_at_approval(
        approved_on=approved_on, applied_on=applied_on, passport_expiry=passport_expiry, policy=KR
    )
    rule = KR.validity.on(applied_on)
    assert rule is not None
    assert window.valid_from == approved_on <= window.valid_until
    assert window.valid_until <= passport_expiry
    assert window.valid_until < add_years(approved_on, rule.years)
    assert window.capped_by_passport == (
        window.valid_until == passport_expiry < add_years(approved_on, rule.years) - timedelta(days=1)
    )


@PROPERTIES
@given(birth=days, later=st.integers(0, 120 * 366))
def test_the_age_on_arrival_is_the_completed_years(birth: date, later: int) -> None:
    arrival = birth + timedelta(days=later)
    assume(arrival <= date(9998, 1, 1))
    age = full_age(birth, arrival)
    assert age >= 0
    assert add_years(birth, age) <= arrival < add_years(birth, age + 1)
    assert full_age(birth, arrival + timedelta(days=1)) in (age, age + 1)


@PROPERTIES
@given(birth=st.dates(min_value=date(1920, 1, 1), max_value=date(2026, 1, 1)), later=st.integers(0, 10 * 366))
def test_the_age_exemption_holds_exactly_at_17_and_under_and_65_and_over(birth: date, later: int) -> None:
    arrival = max(birth, date(2023, 7, 3)) + timedelta(days=later)
    facts = TravellerFacts("USA", birth, arrival, PassportType.ORDINARY)
    age = full_age(birth, arrival)
    assert (age_exemption(facts, KR) is not None) == (age <= 17 or age >= 65)


@PROPERTIES
@given(leap_year=st.sampled_from([1960, 1984, 2000, 2004]), years=st.integers(1, 90))
def test_someone_born_on_29_february_is_a_year_older_on_1_march_in_a_common_year(leap_year: int, years: int) -> None:
    birth, target = date(leap_year, 2, 29), leap_year + years
    assert full_age(birth, date(target, 2, 28)) == years - 1  # not yet, in any year
    assert full_age(birth, date(target, 3, 1)) == years
    if calendar.isleap(target):
        assert full_age(birth, date(target, 2, 29)) == years
