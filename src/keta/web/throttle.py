"""Rate limits at the web edge: who the client is, and which limits each kind of request counts.

    kind         counted per                    routes
    lookup       client, and the reference      API …/applications/{ref}/lookup, …/withdraw, …/travel,
                                                …/groups/{ref}/lookup; portal POST /status, /status/group
    payment      client (and, on the API, the   API …/applications/{ref}/payment, …/groups/{ref}/payment;
                 reference's look-up budget:    portal POST /apply/payment, /group/payment
                 it proves a passport or e-mail)
    submission   client                         API POST /applications, /groups; portal POST
                                                /apply/submit, /group with action=submit
    login        client                         back office POST /backoffice/login (accounts also lock)

The counters are keta.services.ratelimits' (memory, database or Redis: shared between processes
unless memory://); the limits are settings (KETA_RATE_LIMIT_*). A refusal is `RateLimited`, which
every audience answers in its own shape: the API's error body, the portal's page, the back
office's sign-in page, each with 429 and Retry-After (keta.web.refusals).

Hits are counted before the request touches its database session (API and back office: a route
dependency; portal: first thing in the handler): on SQLite the database limiter commits on a
connection of its own, which must not wait behind the request's transaction.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence

from fastapi import Request

from keta.config import ProxyNetwork
from keta.domain.ratelimit import Rate
from keta.services.ratelimits import RateLimiter, enforce
from keta.services.references import normalize_reference
from keta.services.runtime import Runtime

LOOKUP, PAYMENT, SUBMISSION, LOGIN = "lookup", "payment", "submission", "login"
KINDS = (LOOKUP, PAYMENT, SUBMISSION, LOGIN)
MAX_KEY_TEXT = 64  # a reference or an address longer than any real one is cut (the key is hashed anyway)


def client_address(peer: str | None, forwarded_for: Sequence[str], proxies: Sequence[ProxyNetwork]) -> str:
    """The client's address: the TCP peer, unless the peer is a trusted proxy.

    From a trusted proxy, X-Forwarded-For is read from the right: each proxy appends the address it
    saw, so the right-most entry that is not itself a trusted proxy is the first address no proxy of
    ours vouches for beyond — the client. Anything left of it was written by the client and is not
    believed. An unparsable entry there stands for itself (it is hashed, and cut to length).
    """
    address = peer or "unknown"
    if not proxies or not _trusted(address, proxies):
        return address
    entries = [part.strip() for header in forwarded_for for part in header.split(",") if part.strip()]
    for entry in reversed(entries):
        if not _trusted(entry, proxies):
            return entry[:MAX_KEY_TEXT]
    return entries[0][:MAX_KEY_TEXT] if entries else address


def _trusted(address: str, proxies: Sequence[ProxyNetwork]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


class Throttle:
    def __init__(
        self, limiter: RateLimiter, runtime: Runtime, *, rates: Mapping[str, Rate], proxies: Sequence[ProxyNetwork]
    ) -> None:
        self._limiter, self._runtime = limiter, runtime
        self._rates, self._proxies = dict(rates), tuple(proxies)

    def client(self, request: Request) -> str:
        peer = request.client.host if request.client else None
        return client_address(peer, request.headers.getlist("x-forwarded-for"), self._proxies)

    def limit(self, request: Request, kind: str, *, reference: str | None = None) -> None:
        """Count this request; RateLimited when the client (or the reference) is over its limit."""
        hits = [(f"{kind}:client:{self.client(request)}", self._rates[f"{kind}_client"])]
        if reference and kind in (LOOKUP, PAYMENT):
            # Paying proves the passport number or e-mail too: one budget per reference for both.
            key = f"lookup:reference:{normalize_reference(reference)[:MAX_KEY_TEXT]}"
            hits.append((key, self._rates["lookup_reference"]))
        enforce(self._limiter, hits, now=self._runtime.now())


def of(request: Request) -> Throttle:
    throttle: Throttle = request.app.state.throttle
    return throttle


# Route dependencies (`dependencies=[Depends(throttle.lookups)]`): the reference, if any, is the path's.
def lookups(request: Request) -> None:
    of(request).limit(request, LOOKUP, reference=request.path_params.get("reference"))


def payments(request: Request) -> None:
    of(request).limit(request, PAYMENT, reference=request.path_params.get("reference"))


def submissions(request: Request) -> None:
    of(request).limit(request, SUBMISSION)


def logins(request: Request) -> None:
    of(request).limit(request, LOGIN)
