"""The border desk's rule (keta.domain.border), pure: statuses in order, the arrival card, the passport
read from the MRZ or typed in, and the policy data it relies on (ports, the dated card exemption)."""

from __future__ import annotations

from datetime import date

import pytest

from keta.adapters.policy_files import PolicyFileError, load_policy, parse_policy
from keta.domain.applications import Status
from keta.domain.border import (
    ArrivalCard,
    BorderStatus,
    Holding,
    Identification,
    decide,
    identify_document,
    identify_mrz,
)
from keta.domain.eligibility import TravellerFacts, evaluate
from keta.domain.errors import FieldProblem
from keta.domain.mrz import render_td3

KR = load_policy("kr")
ARRIVAL = date(2026, 11, 29)
TURK = Identification("U12345678", "TUR", "TUR", date(1990, 4, 12))
LINES = render_td3(
    issuing_state="TUR", surname="YILMAZ", given_names="AYSE", document_number="U12345678", nationality="TUR",
    birth_date=date(1990, 4, 12), sex="F", expiry_date=date(2033, 4, 11),
)  # fmt: skip


def holding(status: Status = Status.APPROVED, **overrides: object) -> Holding:
    values: dict[str, object] = {
        "ref": "a1", "status": status, "nationality": "TUR", "birth_date": date(1990, 4, 12),
        "valid_from": date(2026, 1, 1), "valid_until": date(2028, 12, 31), **overrides,
    }  # fmt: skip
    return Holding(**values)  # type: ignore[arg-type]


def answer(who: Identification, *holdings: Holding, arrival: date = ARRIVAL) -> tuple[BorderStatus, ArrivalCard]:
    eligibility = None
    if who.nationality and who.birth_date:
        eligibility = evaluate(TravellerFacts(who.nationality, who.birth_date, arrival), KR)
    result = decide(who, arrival=arrival, eligibility=eligibility, holdings=holdings, policy=KR)
    return result.status, result.arrival_card


def test_a_valid_authorization_is_authorized_and_spares_the_arrival_card() -> None:
    assert answer(TURK, holding()) == (BorderStatus.AUTHORIZED, ArrivalCard.EXEMPT)


@pytest.mark.parametrize("status", [Status.REVOKED, Status.REFUSED, Status.EXPIRED, Status.IN_REVIEW, Status.ANNULLED])
def test_any_other_status_is_not_valid(status: Status) -> None:
    assert answer(TURK, holding(status)) == (BorderStatus.NOT_VALID, ArrivalCard.REQUIRED)


def test_outside_the_validity_or_another_birth_date_is_not_valid() -> None:
    assert answer(TURK, holding(valid_until=date(2026, 11, 28)))[0] is BorderStatus.NOT_VALID
    other = Identification("U12345678", "TUR", "TUR", date(1991, 4, 12))
    result = decide(other, arrival=ARRIVAL, eligibility=None, holdings=[holding()], policy=KR)
    assert result.status is BorderStatus.NOT_VALID and result.mismatch


def test_the_covering_authorization_is_shown_even_when_a_later_one_was_refused() -> None:
    refused, valid = holding(Status.REFUSED, ref="later"), holding(ref="earlier")
    result = decide(TURK, arrival=ARRIVAL, eligibility=None, holdings=[refused, valid], policy=KR)
    assert result.status is BorderStatus.AUTHORIZED and result.holding == valid


def test_exemptions_and_the_order_of_the_rules() -> None:
    senior = Identification("U1", "TUR", "TUR", date(1950, 1, 1))
    assert answer(senior) == (BorderStatus.EXEMPT, ArrivalCard.REQUIRED)
    assert answer(senior, holding(birth_date=date(1950, 1, 1))) == (BorderStatus.AUTHORIZED, ArrivalCard.EXEMPT)
    korean = Identification("M1", "KOR", "KOR", date(1990, 1, 1))
    assert answer(korean) == (BorderStatus.NOT_APPLICABLE, ArrivalCard.NOT_APPLICABLE)
    assert answer(Identification("C1", "CHN", "CHN", date(1990, 1, 1)))[0] is BorderStatus.VISA_REQUIRED
    assert answer(TURK) == (BorderStatus.NO_AUTHORIZATION, ArrivalCard.REQUIRED)
    unknown_facts = Identification("U1", "TUR")
    assert answer(unknown_facts) == (BorderStatus.NO_AUTHORIZATION, ArrivalCard.REQUIRED)


def test_the_arrival_card_exemption_is_dated_in_the_policy() -> None:
    rule = KR.arrival_card_exemption.dated_on(ARRIVAL)
    assert rule is not None and rule.value is True and rule.period.start == date(2021, 9, 1)
    before = date(2021, 8, 31)
    early = holding(valid_from=date(2021, 1, 1))
    result = decide(TURK, arrival=before, eligibility=None, holdings=[early], policy=KR)
    assert (result.status, result.arrival_card) == (BorderStatus.AUTHORIZED, ArrivalCard.REQUIRED)


def test_the_mrz_is_read_and_a_bad_check_digit_names_its_field() -> None:
    assert identify_mrz(*LINES, today=ARRIVAL) == TURK
    line1, line2 = LINES
    broken = line2[:19] + str((int(line2[19]) + 1) % 10) + line2[20:]
    problems = identify_mrz(line1, broken, today=ARRIVAL)
    assert FieldProblem("mrz.birth_date", "birth_date_check_digit") in problems  # type: ignore[operator]
    assert identify_mrz(line1[:40], line2, today=ARRIVAL) == [FieldProblem("mrz.line1", "line_length")]


def test_a_typed_passport_is_normalized_and_checked() -> None:
    assert identify_document(" u 1234-5678 ", "tur") == Identification("U12345678", "TUR")
    assert identify_document("", "") == [
        FieldProblem("document_number", "required"),
        FieldProblem("issuing_country", "required"),
    ]
    assert identify_document("U1", "TU1", nationality="12") == [
        FieldProblem("issuing_country", "invalid_country_code"),
        FieldProblem("nationality", "invalid_country_code"),
    ]
    assert identify_document("U" * 13, "TUR") == [FieldProblem("document_number", "too_long", (("max", 12),))]


def test_ports_of_entry_come_from_the_policy_file() -> None:
    codes = [port.code for port in KR.ports_on(ARRIVAL)]
    assert codes[:2] == ["ICN", "GMP"] and "KRPUS" in codes and len(codes) == len(set(codes))
    assert load_policy("etias").ports_of_entry == ()


MINIMAL = """\
[policy]
code = "t"
name = "T"
timezone = "Asia/Seoul"
currency = "KRW"
home_nationalities = ["KOR"]
home_national_reason = "korean_national"
[[visa_free]]
[visa_free.countries]
TUR = 90
[[validity]]
years = 3
[[fee]]
amount = "1"
card_fee_percent = "0"
refundable = false
[[max_group_size]]
value = 5
[[languages]]
value = ["en"]
"""
PORT = '[[port_of_entry]]\ncode = "{code}"\nkind = "{kind}"\nname = "X"\nlocal_name = "X"\n'


def test_bad_ports_and_overlapping_card_rules_are_refused() -> None:
    with pytest.raises(PolicyFileError, match=r"port_of_entry\[0\]\.code"):
        parse_policy(MINIMAL + PORT.format(code="icn", kind="airport"))
    with pytest.raises(PolicyFileError, match=r"port_of_entry\[0\]\.kind"):
        parse_policy(MINIMAL + PORT.format(code="ICN", kind="station"))
    with pytest.raises(PolicyFileError, match="listed twice: ICN"):
        parse_policy(MINIMAL + PORT.format(code="ICN", kind="airport") * 2)
    card = '[[arrival_card_exemption]]\nfrom = "2021-01-01"\nfor_authorization_holders = true\n'
    with pytest.raises(PolicyFileError, match="arrival_card_exemption"):
        parse_policy(MINIMAL + card * 2)
    period = '[[port_of_entry]]\ncode = "YNY"\nkind = "airport"\nname = "Y"\nlocal_name = "Y"\nuntil = "2020-12-31"\n'
    assert parse_policy(MINIMAL + period).ports_on(ARRIVAL) == ()
