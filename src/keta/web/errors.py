"""One table from errors to HTTP answers, and the JSON error shape:

    {"error": {"code", "message", "fields": [{"path", "code", "message"}]}}

Messages are in the request's language. An unexpected exception is a bug: it is logged without
the request body (personal data) and answered with a 500 that says so.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from keta.adapters.safelog import describe
from keta.domain.errors import (
    Conflict,
    DomainError,
    FieldProblem,
    Forbidden,
    IllegalTransition,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    RateLimited,
    ReapplicationBlocked,
)
from keta.i18n import error_message, field_message, negotiate
from keta.services.payment import PaymentMismatch, PaymentUnavailable, WebhookRefused

log = logging.getLogger("keta.web")
RETRY_AFTER_SECONDS = 30
# An answer names at most this many fields, then one "too_many_errors" entry with the rest's count:
# a body of 200,000 unknown keys must not cost 200,000 translated messages.
MAX_REPORTED_FIELDS = 50
HTTP_CODES = {
    400: "invalid_input",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}

STATUS: dict[type[DomainError], int] = {
    InvalidInput: 422,
    NotFound: 404,
    Conflict: 409,
    IllegalTransition: 409,
    ReapplicationBlocked: 409,
    WebhookRefused: 400,
    PaymentMismatch: 409,
    # The provider did not answer: not the client's fault, and not a bug of ours either. 503 with
    # Retry-After is HTTP's word for "a service this depends on is down, try again shortly".
    PaymentUnavailable: 503,
    NotAuthenticated: 401,
    Forbidden: 403,
    RateLimited: 429,
}

# Pydantic error types → our field codes (stable, translated at the edge).
PYDANTIC_CODES = {
    "missing": "required",
    "string_too_long": "too_long",
    "string_too_short": "too_short",
    "too_long": "too_long",
    "too_short": "too_short",
    "string_pattern_mismatch": "invalid_format",
    "date_parsing": "invalid_date",
    "unknown_country": "unknown_country",
    "date_from_datetime_parsing": "invalid_date",
    "date_type": "invalid_date",
    "date_from_datetime_inexact": "invalid_date",
    "literal_error": "invalid_choice",
    "enum": "invalid_choice",
    "extra_forbidden": "unknown_field",
    "value_error": "invalid_email",
    "greater_than_equal": "too_small",
    "less_than_equal": "too_large",
    "json_invalid": "invalid_format",
    "string_type": "invalid_type",
    "bool_type": "invalid_type",
    "bool_parsing": "invalid_type",
    "int_type": "invalid_type",
    "int_parsing": "invalid_type",
    "list_type": "invalid_type",
    "model_type": "invalid_type",
    "dict_type": "invalid_type",
    "tuple_type": "invalid_type",
    "model_attributes_type": "invalid_type",
    "not_visible": "not_visible",
}
IDENTITY_FIELDS = {
    "passport",
    "surname",
    "given_names",
    "birth_date",
    "nationality",
    "sex",
    "number",
    "issuing_country",
    "expiry_date",
    "passport_type",
    "name",
}


def field_path(loc: tuple[Any, ...]) -> str:
    parts = list(loc[1:] if loc and loc[0] in ("body", "query", "path", "header") else loc)
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "body"


def problems_from_pydantic(errors: list[dict[str, Any]]) -> list[FieldProblem]:
    """Our field problems for pydantic's errors: the first MAX_REPORTED_FIELDS, then one for the rest."""
    problems = []
    for error in errors[:MAX_REPORTED_FIELDS]:
        code = PYDANTIC_CODES.get(error["type"], "invalid_format")
        path = field_path(tuple(error["loc"]))
        if error["type"] == "extra_forbidden" and path.rsplit(".", 1)[-1] in IDENTITY_FIELDS:
            code = "not_editable"
        problems.append(FieldProblem(path, code))
    if len(errors) > MAX_REPORTED_FIELDS:
        problems.append(too_many_errors(len(errors) - MAX_REPORTED_FIELDS))
    return problems


def too_many_errors(more: int) -> FieldProblem:
    return FieldProblem("body", "too_many_errors", (("count", more),))


def capped(fields: list[FieldProblem] | tuple[FieldProblem, ...]) -> list[FieldProblem]:
    """At most MAX_REPORTED_FIELDS problems, plus one saying how many more there were."""
    if len(fields) <= MAX_REPORTED_FIELDS + 1:
        return list(fields)
    return [*fields[:MAX_REPORTED_FIELDS], too_many_errors(len(fields) - MAX_REPORTED_FIELDS)]


def error_body(
    locale: str, code: str, fields: list[FieldProblem] | tuple[FieldProblem, ...] = (), **params: Any
) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": error_message(locale, code, **params),
            "fields": [
                {"path": f.path, "code": f.code, "message": field_message(locale, f.code, **dict(f.params))}
                for f in capped(fields)
            ],
        }
    }


def _locale(request: Request) -> str:
    return negotiate(request.headers.get("accept-language"), explicit=request.query_params.get("lang"))


def domain_error_response(request: Request, exc: DomainError) -> JSONResponse:
    locale = _locale(request)
    status = next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 400)
    if isinstance(exc, InvalidInput):
        return JSONResponse(error_body(locale, exc.code, exc.fields), status_code=status)
    if isinstance(exc, ReapplicationBlocked):
        return JSONResponse(error_body(locale, exc.code, until=exc.until.isoformat()), status_code=status)
    if isinstance(exc, NotAuthenticated):
        # RFC 6750 §3: say the scheme; when a token was sent and refused, say it was invalid.
        challenge = 'Bearer error="invalid_token"' if exc.presented else "Bearer"
        return JSONResponse(error_body(locale, exc.code), status_code=status, headers={"WWW-Authenticate": challenge})
    if isinstance(exc, RateLimited):
        headers = {"Retry-After": str(exc.retry_after_seconds)}
        return JSONResponse(error_body(locale, exc.code), status_code=status, headers=headers)
    code = exc.reason if isinstance(exc, Conflict | Forbidden) else exc.code
    unavailable = {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 503 else None
    return JSONResponse(error_body(locale, code), status_code=status, headers=unavailable)


def http_error_response(request: Request, status: int) -> JSONResponse:
    code = HTTP_CODES.get(status, "invalid_input")
    headers = {"Connection": "close"} if status in (408, 413) else None
    return JSONResponse(error_body(_locale(request), code), status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    async def on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = problems_from_pydantic(list(exc.errors()))
        return JSONResponse(error_body(_locale(request), "invalid_input", problems), status_code=422)

    async def on_domain(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DomainError)
        return domain_error_response(request, exc)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        return http_error_response(request, exc.status_code)

    async def on_bug(request: Request, exc: Exception) -> JSONResponse:
        log.error("bug: unhandled exception on %s %s: %s", request.method, request.url.path, describe(exc))
        return JSONResponse(error_body(_locale(request), "internal_error"), status_code=500)

    app.add_exception_handler(RequestValidationError, on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(DomainError, on_domain)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_bug)
