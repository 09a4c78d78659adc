"""The error body as OpenAPI models, and `error_responses`, which documents an endpoint's 4xx
answers (with their headers) in one line. The body itself is built by keta.web.errors."""

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
}


def error_responses(descriptions: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    responses: dict[int | str, dict[str, Any]] = {}
    for status, description in descriptions.items():
        responses[status] = {"model": ErrorOut, "description": description}
        if status in _HEADERS:
            responses[status]["headers"] = _HEADERS[status]
    return responses
