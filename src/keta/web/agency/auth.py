"""Who is calling /api/v1/agency: the agency's key, admitted before any body is read.

The route class authenticates (401 for a missing, wrong or revoked key; 403 for a suspended
agency), counts the request against
the agency's per-minute budget (429) and writes an audit record of it — agency id, method, route,
reference; ids only, never a body — all in a short transaction of its own, before the body is read
and before the request's own transaction opens (the database rate limiter commits on its own
connection, which on SQLite would otherwise wait for ours). The endpoint then reads the principal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request, Security
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from keta.db.session import session_scope
from keta.domain.errors import DomainError, NotAuthenticated
from keta.services import agency_filing, agency_keys, audit
from keta.services.agency_keys import AgencyPrincipal
from keta.web.errors import domain_error_response
from keta.web.photo_parts import PhotoPartsRoute

PRINCIPAL = "keta.agency"
API_PREFIX = "/api/v1"
_REFERENCE = re.compile(r"[A-Za-z0-9 \-]{1,32}")  # keta.web.schemas.Reference
bearer = HTTPBearer(
    auto_error=False, scheme_name="AgencyKey", description="an agency API key from `keta agency create NAME`"
)


def _key(authorization: str | None) -> str | None:
    scheme, _, credentials = (authorization or "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" and credentials.strip() else None


def admit(app: FastAPI, authorization: str | None, method: str, route: str, reference: str | None) -> AgencyPrincipal:
    state = app.state
    now = state.runtime.now()
    with session_scope(state.sessionmaker) as session:
        agency = agency_keys.authenticate(session, key=_key(authorization))
    agency_keys.throttle(state.rate_limiter, agency, now=now)
    with session_scope(state.sessionmaker) as session:
        audit.record(
            session,
            state.runtime.keyring,
            actor=agency_filing.actor(agency),
            action="agency.request",
            object_type="route",
            object_id=f"{method} {route}",
            now=now,
            detail={"reference": reference} if reference else None,
        )
    return agency


class AgencyRoute(PhotoPartsRoute):
    """PhotoPartsRoute (strict JSON, multipart photos), behind the agency's key."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handler(request: Request) -> Response:
            # The template the request matched (never a value from the URL), as mounted in keta.web.app.
            template = str(getattr(request.scope.get("route"), "path_format", "?"))
            route = template if template.startswith(API_PREFIX) else API_PREFIX + template
            reference = request.path_params.get("reference")
            if reference is not None and not _REFERENCE.fullmatch(reference):
                reference = "malformed"  # refused as 422 later; the audit trail keeps no stray input
            authorization = request.headers.get("authorization")
            try:
                principal = await run_in_threadpool(admit, request.app, authorization, request.method, route, reference)
            except DomainError as refused:
                return domain_error_response(request, refused)
            request.scope[PRINCIPAL] = principal
            return await handle(request)

        return handler


def current_agency(
    request: Request, _credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]
) -> AgencyPrincipal:
    """The agency the route class admitted (the Security parameter documents the scheme in OpenAPI)."""
    principal = request.scope.get(PRINCIPAL)
    if not isinstance(principal, AgencyPrincipal):
        raise NotAuthenticated(presented=False)
    return principal


AgencyDep = Annotated[AgencyPrincipal, Depends(current_agency)]
