"""What a traveller declares: every problem at once, each with its field path, plus the decision."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from keta.adapters.policy_files import load_policy
from keta.domain.applicant import Applicant, Background, Employment, Passport, Purpose, Travel, check_applicant
from keta.domain.eligibility import Outcome, PassportType
from keta.domain.mrz import render_td3

KR = load_policy("kr")
TODAY = date(2026, 11, 29)

PASSPORT = Passport(
    number="U12345678",
    issuing_country="TUR",
    nationality="TUR",
    surname="YILMAZ",
    given_names="AYSE",
    sex="F",
    birth_date=date(1990, 5, 17),
    expiry_date=date(2031, 5, 16),
)
TURKISH = Applicant(
    passport=PASSPORT,
    email="ayse@example.com",
    phone="+905321234567",
    travel=Travel(arrival_date=date(2026, 12, 15), purpose=Purpose.TOURISM, address_in_korea="Seoul, Jung-gu 1"),
    background=Background(employment=Employment.EMPLOYED, occupation="engineer"),
    consent=True,
)


def with_passport(**changes: object) -> Applicant:
    return replace(TURKISH, passport=replace(PASSPORT, **changes))  # type: ignore[arg-type]


def with_travel(arrival: date) -> Applicant:
    return replace(TURKISH, travel=replace(TURKISH.travel, arrival_date=arrival))


def with_background(**changes: object) -> Applicant:
    return replace(TURKISH, background=replace(TURKISH.background, **changes))  # type: ignore[arg-type]


def mrz_for(**changes: object) -> tuple[str, str]:
    fields: dict[str, object] = {
        "issuing_state": "TUR",
        "surname": "YILMAZ",
        "given_names": "AYSE",
        "document_number": "U12345678",
        "nationality": "TUR",
        "birth_date": date(1990, 5, 17),
        "sex": "F",
        "expiry_date": date(2031, 5, 16),
    }
    return render_td3(**{**fields, **changes})  # type: ignore[arg-type]


def problems_of(applicant: Applicant, prefix: str = "") -> set[tuple[str, str]]:
    problems, _ = check_applicant(applicant, today=TODAY, policy=KR, prefix=prefix)
    return {(p.path, p.code) for p in problems}


def test_a_valid_turkish_applicant_has_no_problems() -> None:
    problems, decision = check_applicant(TURKISH, today=TODAY, policy=KR)
    assert problems == []
    assert decision is not None
    assert (decision.outcome, decision.reasons) == (Outcome.REQUIRED, ("authorization_required",))


def test_an_exempt_applicant_may_still_apply() -> None:
    problems, decision = check_applicant(with_passport(birth_date=date(2016, 1, 1)), today=TODAY, policy=KR)
    assert problems == []
    assert decision is not None
    assert decision.outcome is Outcome.EXEMPT


@pytest.mark.parametrize(
    ("applicant", "expected"),
    [
        (
            with_passport(birth_date=date(2027, 1, 1)),
            {("passport.birth_date", "in_future"), ("passport.birth_date", "after_arrival")},
        ),
        (with_passport(birth_date=date(2026, 12, 1)), {("passport.birth_date", "in_future")}),
        (with_passport(expiry_date=date(2026, 11, 28)), {("passport.expiry_date", "passport_expired")}),
        (with_passport(expiry_date=TODAY), {("passport.expiry_date", "expires_before_arrival")}),
        (with_passport(expiry_date=date(2026, 12, 14)), {("passport.expiry_date", "expires_before_arrival")}),
        (with_passport(expiry_date=date(2026, 12, 15)), set()),  # lasts through the arrival day
        (with_travel(date(2026, 11, 28)), {("travel.arrival_date", "in_past")}),
        (with_travel(TODAY), set()),
        (with_travel(date(2027, 11, 30)), set()),  # 366 days ahead
        (with_travel(date(2027, 12, 1)), {("travel.arrival_date", "too_far_ahead")}),  # 367 days ahead
        (replace(TURKISH, consent=False), {("consent", "must_be_true")}),
        (with_background(criminal_record=True), {("background.criminal_record_details", "details_required")}),
        (
            with_background(criminal_record=True, criminal_record_details="  "),
            {("background.criminal_record_details", "details_required")},
        ),
        (with_background(criminal_record=True, criminal_record_details="2010, traffic offence, fined"), set()),
        (with_passport(nationality="CHN", issuing_country="CHN"), {("passport.nationality", "visa_required")}),
        (with_passport(nationality="KOR", issuing_country="KOR"), {("passport.nationality", "not_applicable")}),
        (
            with_passport(type=PassportType.DIPLOMATIC),  # outside K-ETA since 2023-01-09
            {("passport.nationality", "not_applicable")},
        ),
    ],
)
def test_each_problem_names_its_field(applicant: Applicant, expected: set[tuple[str, str]]) -> None:
    assert problems_of(applicant) == expected


def test_all_problems_are_reported_at_once() -> None:
    applicant = replace(
        TURKISH,
        passport=replace(PASSPORT, nationality="CHN", expiry_date=date(2026, 1, 1)),
        travel=replace(TURKISH.travel, arrival_date=date(2026, 11, 1)),
        background=replace(TURKISH.background, criminal_record=True),
        consent=False,
    )
    problems, decision = check_applicant(applicant, today=TODAY, policy=KR)
    assert [(p.path, p.code) for p in problems] == [
        ("passport.expiry_date", "passport_expired"),
        ("travel.arrival_date", "in_past"),
        ("consent", "must_be_true"),
        ("background.criminal_record_details", "details_required"),
        ("passport.nationality", "visa_required"),
    ]
    assert decision is not None
    assert decision.outcome is Outcome.VISA_REQUIRED


def test_no_decision_when_born_after_arrival() -> None:
    _, decision = check_applicant(with_passport(birth_date=date(2027, 1, 1)), today=TODAY, policy=KR)
    assert decision is None


def test_prefix_is_put_before_every_path() -> None:
    applicant = replace(with_passport(nationality="CHN", sex="M"), consent=False, mrz=mrz_for())
    plain, prefixed = problems_of(applicant), problems_of(applicant, prefix="members[2].")
    assert {("consent", "must_be_true"), ("passport.sex", "mrz_mismatch")} <= plain
    assert prefixed == {("members[2]." + path, code) for path, code in plain}
    assert len(prefixed) == 4  # consent, MRZ nationality and sex, visa_required


def test_a_matching_mrz_passes() -> None:
    assert problems_of(replace(TURKISH, mrz=mrz_for())) == set()


def test_the_typed_number_is_normalized_before_comparing_with_the_mrz() -> None:
    applicant = replace(with_passport(number="u 1234-5678"), mrz=mrz_for())
    assert problems_of(applicant) == set()


@pytest.mark.parametrize(
    ("mrz_changes", "paths"),
    [
        ({"document_number": "U12345679"}, {"passport.number"}),
        ({"nationality": "GRC"}, {"passport.nationality"}),
        ({"issuing_state": "GRC"}, {"passport.issuing_country"}),
        ({"birth_date": date(1990, 5, 18)}, {"passport.birth_date"}),
        ({"expiry_date": date(2031, 5, 17)}, {"passport.expiry_date"}),
        ({"sex": "M"}, {"passport.sex"}),
        ({"sex": "M", "birth_date": date(1991, 5, 17)}, {"passport.sex", "passport.birth_date"}),
    ],
)
def test_an_mrz_that_disagrees_reports_mismatches(mrz_changes: dict[str, object], paths: set[str]) -> None:
    applicant = replace(TURKISH, mrz=mrz_for(**mrz_changes))
    assert problems_of(applicant) == {(path, "mrz_mismatch") for path in paths}


def test_an_mrz_with_a_bad_check_digit_is_reported_on_mrz() -> None:
    line1, line2 = mrz_for()
    wrong = "0" if line2[9] != "0" else "1"
    problems = problems_of(replace(TURKISH, mrz=(line1, line2[:9] + wrong + line2[10:])))
    assert ("mrz", "document_number_check_digit") in problems
    assert {path for path, _ in problems} == {"mrz"}  # no field-by-field comparison of a broken MRZ


def test_an_mrz_of_the_wrong_length_is_reported_on_mrz() -> None:
    line1, line2 = mrz_for()
    assert problems_of(replace(TURKISH, mrz=(line1, line2[:-1]))) == {("mrz", "line_length")}


def test_a_german_passport_mrz_matches_deu() -> None:
    german = replace(
        TURKISH,
        passport=replace(PASSPORT, number="C01X00T47", issuing_country="DEU", nationality="DEU", surname="MUSTERMANN"),
    )
    mrz = mrz_for(issuing_state="D", nationality="D", document_number="C01X00T47", surname="MUSTERMANN")
    assert mrz[0].startswith("P<D<<MUSTERMANN<<AYSE")
    problems, decision = check_applicant(replace(german, mrz=mrz), today=TODAY, policy=KR)
    assert decision is not None
    assert decision.outcome is Outcome.EXEMPT  # Germans are on the temporary exemption list
    assert [(p.path, p.code) for p in problems] == []
