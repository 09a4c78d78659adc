"""Shapes of the border API (v1): a passport as read at the desk, and what keta answers."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from keta.domain.border import ArrivalCard, BorderStatus
from keta.web.fields import Alpha3, DocumentNumber, Strict

MrzLine = Annotated[str, StringConstraints(max_length=64)]


class MrzIn(Strict):
    line1: MrzLine = Field(examples=["P<TURYILMAZ<<AYSE<<<<<<<<<<<<<<<<<<<<<<<<<<<"])
    line2: MrzLine = Field(examples=["U123456784TUR9004126F3304112<<<<<<<<<<<<<<04"])


class DocumentIn(Strict):
    number: DocumentNumber = Field(description="as printed or in the MRZ; spaces and dashes are ignored")
    issuing_country: Alpha3 = Field(examples=["TUR"])
    nationality: Alpha3 | None = Field(default=None, description="optional; from the authorization otherwise")
    birth_date: date | None = Field(default=None, description="optional; from the authorization otherwise")


class PassportIn(Strict):
    """Exactly one of `mrz` (the two TD3 lines, check digits verified first) or `document`."""

    mrz: MrzIn | None = None
    document: DocumentIn | None = None


class LookupIn(PassportIn):
    arrival_date: date | None = Field(default=None, description="local date of entry; today when left out")


class EntryIn(PassportIn):
    port: str = Field(max_length=8, description="a port-of-entry code of the policy, e.g. ICN", examples=["ICN"])


class ExemptionOut(BaseModel):
    code: str = Field(examples=["age_65_or_over", "temporary_exemption", "korean_national"])
    message: str = Field(description="in the request's language")


class AuthorizationOut(BaseModel):
    """The application the answer is about, with the name and photo to compare with the traveller."""

    reference: str
    status: str = Field(examples=["approved", "revoked", "refused", "expired", "in_review"])
    valid_from: date | None
    valid_until: date | None
    surname: str
    given_names: str
    nationality: str
    birth_date: date
    photo_jpeg: str | None = Field(description="the face photo filed with the application, base64 JPEG")


class LookupOut(BaseModel):
    status: Literal[tuple(s.value for s in BorderStatus)]  # type: ignore[valid-type]
    arrival_date: date
    arrival_card: Literal[tuple(c.value for c in ArrivalCard)]  # type: ignore[valid-type]
    exemptions: list[ExemptionOut]
    mismatch: bool = Field(description="the passport's nationality or birth date differ from the authorization's")
    exemptions_checked: bool = Field(description="false: neither the request nor an authorization gave a "
                                     "nationality and birth date, so exemptions were not judged")  # fmt: skip
    authorization: AuthorizationOut | None


class EntryOut(BaseModel):
    id: str
    port: str
    entry_date: date
    status: str = Field(description="the look-up's answer when the entry was recorded")
    created: bool = Field(description="false: this entry had been recorded already today; nothing changed")
    lookup: LookupOut
