"""Request and response shapes of /api/v1. Shape checks live here; meaning checks in the domain.

Every model forbids unknown keys, so a typo'd or identity field in a travel-detail update is an
error naming the field rather than silently ignored.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import AfterValidator, BeforeValidator, EmailStr, Field, StringConstraints
from pydantic import StrictBool as Bool
from pydantic_core import PydanticCustomError

from keta.domain import applicant as domain
from keta.domain.eligibility import PassportType
from keta.domain.text import has_visible
from keta.web.countries import Country
from keta.web.fields import DocumentNumber, Flight, Strict

# Letters of any script, spaces, hyphens and apostrophes — no digits. Control and format characters
# (zero-width, bidi, soft hyphen) pass this shape check on purpose: the domain refuses them with the
# precise code "invisible_characters" (keta.domain.applicant.name_problem), on every input path alike.
_LETTER = r"(?:[^\W\d_]|[\p{Cc}\p{Cf}])"
_NAME = rf"^{_LETTER}+(?:[ '\-’]{_LETTER}+)*$"
Surname = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=39, pattern=_NAME)]
GivenNames = Annotated[str, StringConstraints(strip_whitespace=True, max_length=39, pattern=r"^$|" + _NAME)]
Phone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=6, max_length=24, pattern=r"^\+?[0-9][0-9 ()\-]{4,22}[0-9]$"),
]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: Any) -> Any:
    """YYYY-MM-DD and nothing else: pydantic would also read 0 or 1e9 as seconds since 1970."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise PydanticCustomError("date_parsing", "a date is written YYYY-MM-DD")


def _visible(value: str) -> str:
    if not has_visible(value):
        raise PydanticCustomError("not_visible", "this text shows no visible character")
    return value


# Dates as the form and the API write them; booleans only as JSON true/false ("yes", 1, "off" are
# refused: a declaration is answered, not guessed at).
IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]
Text = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]*$"
    ),
    AfterValidator(_visible),
]
Mrz = Annotated[str, StringConstraints(strip_whitespace=True, min_length=44, max_length=44)]


# A reference in a URL: the shape of ours (letters, digits, hyphens; spaces are read away) and
# nothing else, so a NUL or a megabyte never reaches the database.
Reference = Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9 \-]+$")]


class PassportIn(Strict):
    number: DocumentNumber
    issuing_country: Country
    nationality: Country
    surname: Surname
    given_names: GivenNames = ""
    sex: Literal["M", "F", "X"]
    birth_date: IsoDate
    expiry_date: IsoDate
    type: PassportType = PassportType.ORDINARY


class TravelIn(Strict):
    arrival_date: IsoDate
    purpose: domain.Purpose
    address_in_korea: Text
    flight_number: Flight | None = None


class BackgroundIn(Strict):
    employment: domain.Employment
    occupation: Text | None = None
    employer: Text | None = None
    previous_visits: int = Field(default=0, ge=0, le=999)
    criminal_record: Bool
    criminal_record_details: Text | None = None
    infectious_disease: Bool
    other_nationalities: list[Country] = Field(default_factory=list, max_length=5)
    # The travel agency that helped fill in the application (K-ETA asks); absent when none did.
    travel_agency: Text | None = None


class ApplicationIn(Strict):
    passport: PassportIn
    email: EmailStr
    phone: Phone
    travel: TravelIn
    background: BackgroundIn
    consent: Bool
    mrz: tuple[Mrz, Mrz] | None = None
    corrects_personal_data: Bool = False
    language: str | None = Field(default=None, max_length=8)

    def to_domain(self) -> domain.Applicant:
        p, t, b = self.passport, self.travel, self.background
        return domain.Applicant(
            passport=domain.Passport(
                p.number,
                p.issuing_country,
                p.nationality,
                p.surname,
                p.given_names,
                p.sex,
                p.birth_date,
                p.expiry_date,
                p.type,
            ),
            email=str(self.email),
            phone=self.phone,
            travel=domain.Travel(t.arrival_date, t.purpose, t.address_in_korea, t.flight_number),
            background=domain.Background(
                b.employment,
                b.occupation,
                b.employer,
                b.previous_visits,
                b.criminal_record,
                b.criminal_record_details,
                b.infectious_disease,
                tuple(b.other_nationalities),
                b.travel_agency,
            ),
            consent=self.consent,
            mrz=self.mrz,
            corrects_personal_data=self.corrects_personal_data,
        )


class RepresentativeIn(Strict):
    surname: Surname
    given_names: GivenNames = ""
    email: EmailStr
    phone: Phone


class GroupIn(Strict):
    representative: RepresentativeIn
    # The policy's maximum (50 for K-ETA) is checked by the service; this bound only stops abuse.
    members: list[ApplicationIn] = Field(max_length=500)
    language: str | None = Field(default=None, max_length=8)


class EligibilityIn(Strict):
    nationality: Country
    birth_date: IsoDate
    arrival_date: IsoDate
    passport_type: PassportType = PassportType.ORDINARY


class PassportProof(Strict):
    passport_number: DocumentNumber


class EmailProof(Strict):
    email: EmailStr


class CheckoutIn(Strict):
    # Where the payment provider sends the traveller back (e.g. the agency's own page); by default
    # the portal's status page. It only shows the outcome: a payment counts once the provider's
    # signed webhook confirms it.
    return_url: Annotated[str, StringConstraints(max_length=1000, pattern=r"^https?://[^\s]+$")] | None = None


class ApplicationPaymentIn(PassportProof, CheckoutIn):
    pass


class GroupPaymentIn(EmailProof, CheckoutIn):
    pass


class TravelChangesIn(Strict):
    """The travel details a traveller may change after submitting (the portal's update page)."""

    arrival_date: IsoDate | None = None
    address_in_korea: Text | None = None
    flight_number: Flight | None = None
    email: EmailStr | None = None
    phone: Phone | None = None


class TravelUpdateIn(PassportProof, TravelChangesIn):
    pass
