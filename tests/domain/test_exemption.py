"""Until when an exemption lasts (keta.domain.exemption), on the K-ETA policy file's own dates."""

from __future__ import annotations

from datetime import date

from keta.adapters.policy_files import load_policy
from keta.domain.eligibility import TravellerFacts
from keta.domain.exemption import exemption_facts

KR = load_policy("kr")


def test_a_temporary_exemption_ends_on_its_policy_version_until_day() -> None:
    facts = exemption_facts(TravellerFacts("USA", date(1990, 4, 12), date(2026, 12, 20)), KR)
    assert facts.temporary_until == date(2026, 12, 31)
    assert (facts.age_exempt, facts.age_exempt_until) == (False, None)


def test_a_country_outside_the_temporary_list_has_no_end_date() -> None:
    assert exemption_facts(TravellerFacts("TUR", date(1990, 4, 12), date(2026, 12, 20)), KR).temporary_until is None


def test_a_minors_exemption_ends_on_the_18th_birthday_counted_on_arrival() -> None:
    facts = exemption_facts(TravellerFacts("TUR", date(2009, 3, 1), date(2026, 12, 20)), KR)
    assert (facts.age_on_arrival, facts.age_exempt) == (17, True)
    assert (facts.age_exempt_until, facts.age_then) == (date(2027, 3, 1), 18)


def test_a_29_february_birthday_is_reached_on_1_march() -> None:
    facts = exemption_facts(TravellerFacts("TUR", date(2008, 2, 29), date(2026, 1, 10)), KR)
    assert facts.age_exempt_until == date(2026, 3, 1)  # 2026 is no leap year


def test_a_seniors_exemption_never_ends() -> None:
    facts = exemption_facts(TravellerFacts("TUR", date(1950, 1, 1), date(2026, 12, 20)), KR)
    assert (facts.age_on_arrival, facts.age_exempt, facts.age_exempt_until) == (76, True, None)
