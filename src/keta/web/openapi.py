"""The error body as OpenAPI models; `error_responses`, which documents an endpoint's 4xx answers
(with their headers) in one line, and `api_errors`, the same for the applicant API with the answers
every operation with a body can give. The body itself is built by keta.web.errors.

Every operation declares its 422 itself, so FastAPI's default (`HTTPValidationError`, a `detail`
list keta never sends) is not in the document: `tests/web/test_openapi_fuzz.py` holds every answer
to the schema.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class FieldErrorOut(BaseModel):
    path: str = Field(examples=["passengers[3].birth_date"])
    code: str = Field(examples=["invalid_date"])
    message: str = Field(description="in the request's language (Accept-Language or ?lang=)")


class ErrorDetailOut(BaseModel):
    code: str = Field(examples=["invalid_input"])
    message: str
    fields: list[FieldErrorOut]


class ErrorOut(BaseModel):
    error: ErrorDetailOut


_HEADERS: dict[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": {"description": '`Bearer`, or `Bearer error="invalid_token"`', "schema": {"type": "string"}}
    },
    429: {"Retry-After": {"description": "seconds until the next request can pass", "schema": {"type": "integer"}}},
    503: {"Retry-After": {"description": "seconds to wait before trying again", "schema": {"type": "integer"}}},
}

# What each status means on the applicant API (keta.web.errors answers them all with ErrorOut).
API_ERRORS = {
    400: "the provider's signature is missing or does not verify (`invalid_input`)",
    404: "no application (or group) with this reference and passport number (or e-mail): the same "
    "answer for both, in the same time",
    408: "the body did not arrive in time (`request_timeout`); the connection is closed",
    409: "the request clashes with the application's state (e.g. `already_paid`, `not_editable`, "
    "`illegal_transition`, `reapplication_blocked`)",
    413: "the body is larger than this operation takes (`payload_too_large`); the connection is closed",
    422: "the body, a parameter or a header is not valid: `fields` names each problem (at most 50, then "
    "one `too_many_errors`), or an `Idempotency-Key` was reused with another body",
    429: "too many requests of this kind from this client, or for this reference (`rate_limited`); "
    "`Retry-After` says for how long",
    503: "the payment provider did not answer (`payment_unavailable`); try again after `Retry-After`",
}
WITH_BODY = (408, 413, 422)  # any operation that reads a body can answer these


def error_responses(descriptions: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    responses: dict[int | str, dict[str, Any]] = {}
    for status, description in descriptions.items():
        responses[status] = {"model": ErrorOut, "description": description}
        if status in _HEADERS:
            responses[status]["headers"] = _HEADERS[status]
    return responses


def api_errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The error answers of an applicant-API operation: those of any body, and `statuses`."""
    return error_responses({status: API_ERRORS[status] for status in sorted({*WITH_BODY, *statuses})})


def also(status: int, model: type[BaseModel], description: str) -> dict[int | str, dict[str, Any]]:
    """A second success answer (e.g. 200 beside 201) for `responses=`."""
    return {status: {"model": model, "description": description}}
