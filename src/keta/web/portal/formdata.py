"""Reading a urlencoded form in an async dependency, so the endpoints themselves stay sync `def`s."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

MAX_FIELDS = 100


async def form_data(request: Request) -> dict[str, str]:
    """Text fields of the posted form (files, if any, are ignored; the last value of a name wins)."""
    form = await request.form(max_files=0, max_fields=MAX_FIELDS)
    return {name: value for name, value in form.multi_items() if isinstance(value, str)}


FormData = Annotated[dict[str, str], Depends(form_data)]
