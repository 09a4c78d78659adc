"""From request bytes to rows: the body is read with a bound, parsed once, and each passenger is
validated on its own, so one bad row is answered INVALID while the others are answered."""

from __future__ import annotations

import re
from typing import Any

from fastapi import Request
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from keta.domain.carrier import MAX_PASSENGERS
from keta.domain.errors import FieldProblem, InvalidInput
from keta.services.carrier_checks import Row
from keta.web import strict_json
from keta.web.carrier.schemas import PassengerIn
from keta.web.errors import PYDANTIC_CODES, field_path

# 1,000 passengers take about 170 kB of compact JSON; a pretty-printed manifest fits too.
MAX_BODY_BYTES = 1024 * 1024


async def read_body(request: Request) -> bytes:
    """The body, refused (413) when its declared or actual length passes the bound — before
    anything past the bound is read."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise HTTPException(415)
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise HTTPException(413)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise HTTPException(413)
        chunks.append(chunk)
    return b"".join(chunks)


_ROW = re.compile(r"passengers\[([0-9]+)\]")


def parse(raw: bytes) -> list[Row]:
    """Rows in order; raises InvalidInput (422) only when the envelope itself is wrong. The body is
    read as strictly as every API body (keta.web.strict_json: duplicate keys, NUL and control
    characters, key counts, depth), but a problem inside one passenger makes that row INVALID only."""
    try:
        data: Any = strict_json.decode(raw)
    except strict_json.StrictJsonError as refused:
        raise InvalidInput(refused.problems) from None
    except ValueError:
        raise InvalidInput([FieldProblem("body", "invalid_format")]) from None
    by_row: dict[int, list[FieldProblem]] = {}
    envelope: list[FieldProblem] = []
    for problem in strict_json.problems_of(data):
        row = _ROW.match(problem.path)
        (by_row.setdefault(int(row.group(1)), []) if row else envelope).append(problem)
    if envelope:
        raise InvalidInput(envelope)
    if not isinstance(data, dict):
        raise InvalidInput([FieldProblem("body", "invalid_type")])
    problems = [FieldProblem(str(key), "unknown_field") for key in data if key != "passengers"]
    passengers = data.get("passengers")
    if passengers is None:
        problems.append(FieldProblem("passengers", "required"))
    elif not isinstance(passengers, list):
        problems.append(FieldProblem("passengers", "invalid_type"))
    elif not 1 <= len(passengers) <= MAX_PASSENGERS:
        problems.append(FieldProblem("passengers", "passenger_count", (("max", MAX_PASSENGERS),)))
    if problems:
        raise InvalidInput(problems)
    assert isinstance(passengers, list)
    return [by_row.get(index) or _row(index, item) for index, item in enumerate(passengers)]


def _row(index: int, item: Any) -> Row:
    try:
        return PassengerIn.model_validate(item).to_domain()
    except ValidationError as exc:
        return [
            FieldProblem(
                field_path(("passengers", index, *error["loc"])), PYDANTIC_CODES.get(error["type"], "invalid_format")
            )
            for error in exc.errors()
        ]
