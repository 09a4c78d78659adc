"""One request cannot stall the server: every request body is bounded in size and in time.

A pure ASGI middleware (nothing is buffered beyond the limit, unlike BaseHTTPMiddleware):

- A declared `Content-Length` over the route's limit is refused with 413 before a byte is read.
- A body without one (chunked) is counted as it arrives; past the limit it is refused with 413.
- A body that has not fully arrived within the timeout, or that stalls between chunks, gets 408.
- Small bodies (JSON, urlencoded forms, the webhook) are read whole here, before the app runs, so a
  route that ignores its body still never acts on an oversized or slow one; uploads (multipart) are
  streamed to the app, which reads them in a dependency before the endpoint does anything.

Refusals answer like any error of that route (JSON for /api, a page for the portal) with
`Connection: close`, so the rest of a refused body is never read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

KIB = 1024
JSON_BYTES = 64 * KIB  # an application is about 1 KiB of JSON; 64 KiB leaves room for any honest one
FORM_BYTES = 64 * KIB  # urlencoded portal and back-office forms
WEBHOOK_BYTES = 64 * KIB
MEMBER_JSON_BYTES = 8 * KIB  # one group member with every text at its maximum, every letter \u-escaped
PREREAD_MAX = 1024 * KIB  # bodies up to this are read whole before the app runs
IDLE_SECONDS = 15.0  # no byte for this long: the client is gone or stalling on purpose

Refuse = Callable[[Request, int], Awaitable[Response]]


class BodyRefused(HTTPException):
    """413 (too large) or 408 (too slow), raised from `receive` while the app streams an upload."""


class _ClientGone(Exception):
    """The client disconnected before its body was complete: there is no one to answer."""


@dataclass(frozen=True)
class RouteLimits:
    """Byte limits by path: exact paths first, then (prefix, suffix) pairs — a path with a reference
    in the middle, like /api/v1/applications/{reference}/photo — then the longest matching prefix,
    then `default`."""

    default: int = FORM_BYTES
    exact: Mapping[str, int] = field(default_factory=dict)
    prefixes: Mapping[str, int] = field(default_factory=dict)
    around: Mapping[tuple[str, str], int] = field(default_factory=dict)

    def for_path(self, path: str) -> int:
        if path in self.exact:
            return self.exact[path]
        for (prefix, suffix), limit in self.around.items():
            inner = path[len(prefix) : len(path) - len(suffix)]
            if path.startswith(prefix) and path.endswith(suffix) and inner and "/" not in inner:
                return limit
        matches = [prefix for prefix in self.prefixes if path.startswith(prefix)]
        return self.prefixes[max(matches, key=len)] if matches else self.default


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, limits: RouteLimits, timeout: float, refuse: Refuse) -> None:
        self.app, self.limits, self.timeout, self.refuse = app, limits, timeout, refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.for_path(scope["path"])
        declared = _content_length(scope)
        if declared == -1 or declared > limit:  # -1: unreadable or repeated Content-Length
            await self._refuse(scope, receive, send, 413)
            return
        budget = _Budget(receive, limit=limit, deadline=asyncio.get_running_loop().time() + self.timeout)
        if limit > PREREAD_MAX:
            await self.app(scope, budget.receive, send)
            return
        try:
            body = await budget.read_all()
        except BodyRefused as refused:
            await self._refuse(scope, receive, send, refused.status_code)
            return
        except _ClientGone:
            return
        await self.app(scope, _replay(body, receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, status: int) -> None:
        response = await self.refuse(Request(scope), status)
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int:
    """The declared length, 0 when none is declared, -1 when it cannot be trusted."""
    values = [value for name, value in scope["headers"] if name == b"content-length"]
    if not values:
        return 0
    if len(set(values)) > 1 or not values[0].isdigit() or len(values[0]) > 15:
        return -1
    return int(values[0])


class _Budget:
    """`receive` wrapped: counts body bytes against the limit and each wait against the deadline."""

    def __init__(self, receive: Receive, *, limit: int, deadline: float) -> None:
        self._receive, self._limit, self._deadline = receive, limit, deadline
        self._seen = 0
        self._done = False

    async def receive(self) -> Message:
        if self._done:  # the body is in; what follows is http.disconnect, which may wait forever
            return await self._receive()
        loop = asyncio.get_running_loop()
        wait = min(IDLE_SECONDS, self._deadline - loop.time())
        try:
            message = await asyncio.wait_for(self._receive(), timeout=max(wait, 0.001))
        except TimeoutError:
            raise BodyRefused(408) from None
        if message["type"] == "http.request":
            self._seen += len(message.get("body", b""))
            if self._seen > self._limit:
                raise BodyRefused(413)
            self._done = not message.get("more_body", False)
        else:
            self._done = True
        return message

    async def read_all(self) -> bytes:
        chunks: list[bytes] = []
        while not self._done:
            message = await self.receive()
            if message["type"] != "http.request":
                raise _ClientGone()
            chunks.append(message.get("body", b""))
        return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
