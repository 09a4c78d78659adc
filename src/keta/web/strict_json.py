"""JSON bodies read strictly, before the schema sees them (the API routers' route class).

Python's json module keeps the last of two equal keys, so `{"consent": false, "consent": true}`
would mean whatever a reader's parser picks; an object with 200,000 keys costs a validation error
each. Here a duplicate key, an object with more than MAX_KEYS keys, nesting deeper than MAX_DEPTH,
and any string (value or key) that no field may hold (keta.domain.text: NUL and other control
characters, lone surrogates) are refused with 422 and the field path, like any invalid input.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute

from keta.domain.errors import FieldProblem
from keta.domain.text import text_problem
from keta.i18n import negotiate
from keta.web.errors import MAX_REPORTED_FIELDS, error_body

MAX_KEYS = 64  # our widest object has 10 keys
MAX_DEPTH = 16  # our deepest body nests 4 levels


class _Object(dict[str, Any]):
    """A decoded JSON object that remembers what was wrong with its keys."""

    duplicates: list[str]
    key_count: int


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    result = _Object(pairs)
    result.key_count = len(pairs)
    seen: set[str] = set()
    result.duplicates = []
    for key, _ in pairs:
        if key in seen and key not in result.duplicates:
            result.duplicates.append(key)
        seen.add(key)
    return result


def _path(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def problems_of(document: Any) -> list[FieldProblem]:
    """Every problem of a decoded document, walked without recursion (depth is untrusted)."""
    problems: list[FieldProblem] = []
    stack: list[tuple[str, Any, int]] = [("", document, 0)]
    while stack and len(problems) <= MAX_REPORTED_FIELDS:
        path, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            problems.append(FieldProblem(path or "body", "invalid_format"))
            continue
        if isinstance(value, _Object):
            if value.key_count > MAX_KEYS:
                problems.append(FieldProblem(path or "body", "too_many_fields", (("max", MAX_KEYS),)))
                continue
            problems.extend(FieldProblem(_path(path, key), "duplicate_key") for key in value.duplicates)
            for key, item in reversed(value.items()):
                if (code := text_problem(key)) is not None:
                    problems.append(FieldProblem(_path(path, repr(key)[1:-1]), code))
                else:
                    stack.append((_path(path, key), item, depth + 1))
        elif isinstance(value, list):
            stack.extend((_path(path, index), item, depth + 1) for index, item in reversed(list(enumerate(value))))
        elif isinstance(value, str) and (code := text_problem(value)) is not None:
            problems.append(FieldProblem(path or "body", code))
    return problems


class StrictJsonError(ValueError):
    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problems")


def decode(body: bytes) -> Any:
    """The document with its key problems remembered for `problems_of`; StrictJsonError for nesting
    too deep to decode, json.JSONDecodeError for text that is not JSON at all."""
    try:
        return json.loads(body, object_pairs_hook=_object)
    except RecursionError:
        raise StrictJsonError([FieldProblem("body", "invalid_format")]) from None


def loads(body: bytes) -> Any:
    """The document, or StrictJsonError; json.JSONDecodeError for text that is not JSON at all."""
    document = decode(body)
    problems = problems_of(document)
    if problems:
        raise StrictJsonError(problems)
    return document


class StrictJsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = loads(await self.body())
        return self._json


def _is_json(request: Request) -> bool:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


class StrictJsonRoute(APIRoute):
    """The route class of /api/v1: bodies go through `loads` before FastAPI validates them."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            strict = StrictJsonRequest(request.scope, request.receive)
            if _is_json(strict) and await strict.body():
                try:
                    await strict.json()
                except StrictJsonError as refused:
                    locale = negotiate(strict.headers.get("accept-language"), explicit=strict.query_params.get("lang"))
                    return JSONResponse(error_body(locale, "invalid_input", refused.problems), status_code=422)
                except (json.JSONDecodeError, UnicodeDecodeError):
                    pass  # FastAPI answers it as json_invalid, as before
            return await handle(strict)

        return strict_handler
