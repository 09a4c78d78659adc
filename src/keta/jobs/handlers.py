"""Job kind → handler. Handlers run inside the worker's transaction and must not commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from keta.services.runtime import Runtime


@dataclass(frozen=True, slots=True)
class JobContext:
    session: Session
    runtime: Runtime
    payload: dict[str, Any]
    attempt: int
    now: datetime


Handler = Callable[[JobContext], None]
HANDLERS: dict[str, Handler] = {}


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        if kind in HANDLERS and HANDLERS[kind] is not fn:
            raise ValueError(f"job kind {kind!r} already has a handler")
        HANDLERS[kind] = fn
        return fn

    return register


class UnknownJobKind(Exception):
    pass


def dispatch(kind: str, context: JobContext) -> None:
    try:
        fn = HANDLERS[kind]
    except KeyError:
        raise UnknownJobKind(kind) from None
    fn(context)
