"""Field types every JSON interface shares (applicant API, portal, carrier API): the shape checks
of a country code, a document number, a flight number. Meaning checks live in the domain."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Alpha3 = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{3}$")]
DocumentNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=12, pattern=r"^[A-Za-z0-9][A-Za-z0-9 \-]*$")
]
# [0-9], not \d: pydantic's regex engine reads \d as any script's digit ("TK٩٠"), the OpenAPI
# document's readers as ASCII; a flight number is ASCII.
Flight = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z0-9]{2}[0-9]{1,4}[A-Za-z]?$")
]


class Strict(BaseModel):
    """Unknown keys are an error naming the key, never silently ignored."""

    model_config = ConfigDict(extra="forbid")
