"""Shapes of the carrier check (v1, frozen: fields may be added to answers, never renamed or removed).

`PassengerIn` validates one row at a time: a manifest is never validated as one model, so a bad
row costs only itself. `ChecksIn` exists for the OpenAPI document; `ChecksOut` likewise, since
the endpoint writes its JSON directly (1,000 rows through a response model would cost more
than the look-up).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from keta.domain.carrier import MAX_PASSENGERS, Passenger
from keta.web.fields import Alpha3, DocumentNumber, Flight, Strict
from keta.web.openapi import FieldErrorOut


class PassengerIn(Strict):
    document_number: DocumentNumber = Field(description="as printed or in the MRZ; spaces and dashes are ignored")
    issuing_country: Alpha3 = Field(description="ICAO code of the issuing state", examples=["TUR"])
    nationality: Alpha3 = Field(examples=["TUR"])
    birth_date: date
    arrival_date: date = Field(description="local date of arrival in the destination's time zone")
    flight: Flight | None = Field(default=None, examples=["TK90"])

    def to_domain(self) -> Passenger:
        return Passenger(
            self.document_number,
            self.issuing_country,
            self.nationality,
            self.birth_date,
            self.arrival_date,
            self.flight,
        )


class ChecksIn(Strict):
    passengers: list[PassengerIn] = Field(min_length=1, max_length=MAX_PASSENGERS)


class ResultOut(BaseModel):
    index: int = Field(description="the passenger's position in the request, from 0")
    status: Literal["OK", "OK_EXEMPT", "NOT_OK", "VISA_REQUIRED", "NOT_APPLICABLE", "INVALID"]  # = CarrierStatus
    valid_until: date | None = Field(default=None, description="with OK only: last day the authorization is valid")
    exemption: str | None = Field(
        default=None,
        description="with OK_EXEMPT only: age_17_or_under, age_65_or_over, temporary_exemption, …",
    )
    errors: list[FieldErrorOut] | None = Field(default=None, description="with INVALID only: what is wrong")


class ChecksOut(BaseModel):
    results: list[ResultOut] = Field(description="one per passenger, in the order sent")


def request_body_schema() -> dict[str, Any]:
    """`ChecksIn` as an inline OpenAPI request body (the endpoint reads its body itself)."""
    return {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["passengers"],
                    "properties": {
                        "passengers": {
                            "type": "array",
                            "minItems": 1,
                            "maxItems": MAX_PASSENGERS,
                            "items": PassengerIn.model_json_schema(),
                        }
                    },
                }
            }
        },
    }
