"""What a traveller declares, and the checks that need more than one field or the policy.

Shape checks (types, lengths, formats) happen at the edge (pydantic); this module checks meaning:
dates that contradict each other, a passport that will not last the trip, an MRZ that disagrees
with the typed fields, a nationality the scheme cannot serve, a name that is not a passport name
(look-alike letters of another alphabet inside a word, invisible characters). Every problem names
its field path.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from keta.domain.documents import country_code, normalize_document_number
from keta.domain.eligibility import EligibilityDecision, PassportType, TravellerFacts, evaluate
from keta.domain.errors import FieldProblem
from keta.domain.mrz import parse_td3
from keta.domain.policy import Policy
from keta.domain.screening.confusables import is_invisible, mixes_scripts
from keta.domain.text import has_visible

MAX_DAYS_AHEAD = 366  # an arrival more than a year away is almost always a typo in the year
# Plausible dates: nobody alive was born before 1900 (0001-01-01 would be an exempt 2,000-year-old
# senior), and no passport is valid for more than 10 years (a few add the months left on the old
# one), so an expiry more than 11 years away is a typo or a made-up document.
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
MAX_PASSPORT_YEARS = 11
FREE_TEXT = ("travel.address_in_korea", "background.occupation", "background.employer", "background.travel_agency")


class Purpose(StrEnum):
    TOURISM = "tourism"
    VISITING_FAMILY = "visiting_family"
    BUSINESS = "business"  # meetings, not paid work
    EVENT = "event"
    MEDICAL = "medical"
    OTHER = "other"


class Employment(StrEnum):
    EMPLOYED = "employed"
    SELF_EMPLOYED = "self_employed"
    STUDENT = "student"
    RETIRED = "retired"
    UNEMPLOYED = "unemployed"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Passport:
    number: str
    issuing_country: str
    nationality: str
    surname: str
    given_names: str
    sex: str  # M | F | X
    birth_date: date
    expiry_date: date
    type: PassportType = PassportType.ORDINARY


@dataclass(frozen=True, slots=True)
class Travel:
    arrival_date: date
    purpose: Purpose
    address_in_korea: str
    flight_number: str | None = None


@dataclass(frozen=True, slots=True)
class Background:
    employment: Employment
    occupation: str | None = None
    employer: str | None = None
    previous_visits: int = 0
    criminal_record: bool = False
    criminal_record_details: str | None = None
    infectious_disease: bool = False
    other_nationalities: tuple[str, ...] = ()
    travel_agency: str | None = None  # the agency that helped fill in the application, if one did


@dataclass(frozen=True, slots=True)
class Applicant:
    passport: Passport
    email: str
    phone: str
    travel: Travel
    background: Background
    consent: bool
    mrz: tuple[str, str] | None = None
    corrects_personal_data: bool = False

    def facts(self) -> TravellerFacts:
        return TravellerFacts(
            self.passport.nationality, self.passport.birth_date, self.travel.arrival_date, self.passport.type
        )


def check_applicant(
    applicant: Applicant, *, today: date, policy: Policy, prefix: str = ""
) -> tuple[list[FieldProblem], EligibilityDecision | None]:
    """All problems at once (never just the first), plus the eligibility decision when computable."""
    problems: list[FieldProblem] = []

    def problem(path: str, code: str) -> None:
        problems.append(FieldProblem(prefix + path, code))

    pp, travel, background = applicant.passport, applicant.travel, applicant.background
    for path, name in (("passport.surname", pp.surname), ("passport.given_names", pp.given_names)):
        if code := name_problem(name):
            problem(path, code)
    if code := birth_date_problem(pp.birth_date, today=today):
        problem("passport.birth_date", code)
    if pp.expiry_date < today:
        problem("passport.expiry_date", "passport_expired")
    elif pp.expiry_date > years_after(today, MAX_PASSPORT_YEARS):
        problem("passport.expiry_date", "too_far_ahead")
    elif pp.expiry_date < travel.arrival_date:
        problem("passport.expiry_date", "expires_before_arrival")
    if code := arrival_problem(travel.arrival_date, today=today):
        problem("travel.arrival_date", code)
    texts = (travel.address_in_korea, background.occupation, background.employer, background.travel_agency)
    for path, text in zip(FREE_TEXT, texts, strict=True):
        if text is not None and not has_visible(text):
            problem(path, "not_visible")
    if pp.birth_date > travel.arrival_date:
        problem("passport.birth_date", "after_arrival")
    if not applicant.consent:
        problem("consent", "must_be_true")
    if background.criminal_record and not has_visible(background.criminal_record_details or ""):
        problem("background.criminal_record_details", "details_required")
    if pp.nationality in background.other_nationalities:
        index = background.other_nationalities.index(pp.nationality)
        problem(f"background.other_nationalities[{index}]", "same_as_nationality")
    if applicant.mrz is not None:
        problems.extend(FieldProblem(prefix + p.path, p.code) for p in _mrz_problems(applicant, today))

    decision = None
    if pp.birth_date <= travel.arrival_date:
        decision = evaluate(applicant.facts(), policy)
        if not decision.may_apply:
            problem("passport.nationality", decision.outcome.value)
    return problems, decision


def birth_date_problem(birth_date: date, *, today: date) -> str | None:
    if birth_date > today:
        return "in_future"
    if birth_date < EARLIEST_BIRTH_DATE:
        return "too_early"
    return None


def arrival_problem(arrival_date: date, *, today: date) -> str | None:
    """The arrival date against today: not past, and within the window an application may be made in."""
    if arrival_date < today:
        return "in_past"
    if (arrival_date - today).days > MAX_DAYS_AHEAD:
        return "too_far_ahead"
    return None


def eligibility_problems(birth_date: date, arrival_date: date, *, today: date) -> list[FieldProblem]:
    """The date checks the eligibility question needs beyond their shape (portal and API alike):
    a plausible birth date, and an arrival that is neither past nor beyond the application window."""
    problems = []
    if code := birth_date_problem(birth_date, today=today):  # 0001-01-01 is no senior
        problems.append(FieldProblem("birth_date", code))
    if code := arrival_problem(arrival_date, today=today):  # a past trip needs no authorization
        problems.append(FieldProblem("arrival_date", code))
    return problems


def years_after(day: date, years: int) -> date:
    """The same calendar day `years` later (29 February becomes 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


_WORD_BREAKS = re.compile(r"[\s'’\-]+")


def name_problem(name: str) -> str | None:
    """Why a typed name cannot be a name printed in a passport, or None.

    "invisible_characters": zero-width spaces and joiners, bidi controls, soft hyphens and other
    control, format or ignorable characters — they change the name for a computer, not for a reader.
    "mixed_scripts": a word with letters of two alphabets ("Vymyslоv" with a Cyrillic о); a passport
    writes each word in one alphabet (Japanese kanji with kana, Korean hanja with Hangul excepted).
    """
    if any(is_invisible(ch) for ch in name):
        return "invisible_characters"
    words = _WORD_BREAKS.split(unicodedata.normalize("NFKC", name))
    if any(mixes_scripts(word) for word in words):
        return "mixed_scripts"
    return None


def _mrz_problems(applicant: Applicant, today: date) -> list[FieldProblem]:
    assert applicant.mrz is not None
    parsed = parse_td3(*applicant.mrz, today=today)
    if parsed.data is None or not parsed.valid:
        codes = sorted({p.code.value for p in parsed.problems})
        return [FieldProblem("mrz", code) for code in codes]
    data, pp = parsed.data, applicant.passport
    expected = {
        "passport.number": (data.document_number, normalize_document_number(pp.number)),
        "passport.nationality": (country_code(data.nationality), pp.nationality),
        "passport.issuing_country": (country_code(data.issuing_state), pp.issuing_country),
        "passport.birth_date": (data.birth_date, pp.birth_date),
        "passport.expiry_date": (data.expiry_date, pp.expiry_date),
        "passport.sex": (data.sex, pp.sex),
    }
    return [FieldProblem(path, "mrz_mismatch") for path, (ours, theirs) in expected.items() if ours != theirs]
