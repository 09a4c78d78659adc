"""Reading a posted form in an async dependency, so the endpoints themselves stay sync `def`s; and
the check every portal form's text fields pass before any endpoint sees them.

`guard_fields` applies the shared text check (keta.domain.text) to every field: a NUL or another
control character, or a value far longer than any input of ours takes, is answered with the error
page naming the input (422) — such a value never comes from our pages, and must never reach the
database (PostgreSQL cannot store a NUL) or be echoed back into a form. Ordinary mistakes (an
address a little over its limit) are left to each form, which says them next to the input.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import Depends, Request

from keta.domain.errors import FieldProblem
from keta.domain.text import text_problem
from keta.web.portal.csrf import verify as verify_csrf
from keta.web.portal.dates import join_dates
from keta.web.portal.refusal import PortalRefusal

MAX_FIELDS = 100
FIELD_MAX = 1_000  # characters; the longest input of ours takes 200 (the MRZ lines 44)
# Sealed tokens carry a photo or a member list between steps: bounded by the body limit, and
# useless unless they open with our key.
SEALED = frozenset({"draft", "photo_token", "token", "manage_token"})
LONGER = {"answer": 8_000, "reasons": 8_000, "return": 2_000}  # the follow-up texts (CRLF counts twice)


def guard_fields(fields: Mapping[str, str]) -> None:
    problems = []
    for name, value in fields.items():
        limit = None if name in SEALED else LONGER.get(name, FIELD_MAX)
        code = text_problem(name, max_length=FIELD_MAX) or text_problem(value, max_length=limit)
        if code is not None:
            problems.append(FieldProblem(name if text_problem(name) is None else "body", code))
    if problems:
        raise PortalRefusal(422, "invalid_input", problems)


async def form_data(request: Request) -> dict[str, str]:
    """Text fields of the posted form (files, if any, are ignored; the last value of a name wins),
    after the CSRF check and the text guard."""
    form = await request.form(max_files=0, max_fields=MAX_FIELDS)
    fields = {name: value for name, value in form.multi_items() if isinstance(value, str)}
    verify_csrf(request, fields)
    guard_fields(fields)
    return join_dates(fields)


FormData = Annotated[dict[str, str], Depends(form_data)]
