"""POST /api/v1/carrier/checks — board / no-board for up to 1,000 passengers, no personal data back.

The endpoint is async only to read the body with a bound; everything else runs in one
worker-thread call (at most `CONCURRENT_CHECKS` at a time per process: as many as the carrier
engine has connections, so no thread waits for the pool, and few enough that threads do not
queue on the GIL — more only adds switching), on one database connection in AUTOCOMMIT: read the key, count the request
(the limiter's own statement; no transaction of ours is open meanwhile, which SQLite needs),
look the manifest up, insert its audit record. Each statement is atomic alone and none needs
another to commit with it; the answer goes out only once its audit record is committed.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, FastAPI, Request, Security
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from keta.db.engine import retry_on_disconnect
from keta.db.session import autocommit_session
from keta.domain.carrier import CarrierStatus
from keta.i18n import field_message, negotiate
from keta.services import carrier_checks, carrier_keys
from keta.services.carrier_checks import RowAnswer
from keta.web.carrier import manifest
from keta.web.carrier.schemas import ChecksOut, request_body_schema
from keta.web.openapi import error_responses

router = APIRouter(prefix="/carrier", tags=["carrier"])
CONCURRENT_CHECKS = 4
bearer = HTTPBearer(auto_error=False, description="a carrier API key from `keta carrier create NAME`")
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]

RESPONSES = error_responses(
    {
        401: "no key, a wrong key or a revoked key",
        403: "the carrier is suspended (`carrier_suspended`)",
        413: "the body is larger than 1 MiB",
        415: "the body is not JSON",
        422: "the body is not a manifest: not JSON, no `passengers`, or not 1 to 1,000 of them. "
        "A bad passenger alone is not an error: its row is answered INVALID.",
        429: "the carrier's requests per minute are used up; `Retry-After` says for how long",
    }
)


@router.post(
    "/checks",
    response_model=ChecksOut,
    responses=RESPONSES,
    openapi_extra={"requestBody": request_body_schema()},
    summary="Check passengers before boarding",
)
async def post_checks(request: Request, credentials: BearerDep) -> Response:
    """One answer per passenger, in the order sent: `OK` (with `valid_until`), `OK_EXEMPT` (with
    the exemption), `NOT_OK` (no reason, ever), `VISA_REQUIRED`, `NOT_APPLICABLE`, or `INVALID`
    (with that row's `errors`). Nothing is sent back that the carrier did not send."""
    locale = negotiate(request.headers.get("accept-language"), explicit=request.query_params.get("lang"))
    raw = await manifest.read_body(request)
    key = credentials.credentials if credentials is not None else None
    threads: anyio.CapacityLimiter = request.app.state.carrier_threads
    body = await anyio.to_thread.run_sync(_answer, request.app, key, raw, locale, limiter=threads)
    return Response(body, media_type="application/json")


def _answer(app: FastAPI, key: str | None, raw: bytes, locale: str) -> bytes:
    state = app.state
    now = state.runtime.now()

    def work() -> list[RowAnswer]:
        with autocommit_session(state.carrier_engine) as session:
            carrier = carrier_keys.authenticate(session, key=key)
            carrier_keys.throttle(state.rate_limiter, carrier, now=now)
            rows = manifest.parse(raw)
            if state.carrier_audit_engine is state.carrier_engine:
                return carrier_checks.check(session, state.runtime, carrier_id=carrier.id, rows=rows, now=now)
            with autocommit_session(state.carrier_audit_engine) as audit:  # reads on a replica, audit on the primary
                return carrier_checks.check(
                    session, state.runtime, carrier_id=carrier.id, rows=rows, now=now, audit_session=audit
                )

    answers = retry_on_disconnect(work)
    results = [_result(index, row, locale) for index, row in enumerate(answers)]
    return json.dumps({"results": results}, separators=(",", ":"), ensure_ascii=False).encode()


def _result(index: int, row: RowAnswer, locale: str) -> dict[str, Any]:
    result: dict[str, Any] = {"index": index, "status": row.answer.status.value}
    if row.answer.status is CarrierStatus.OK and row.answer.valid_until is not None:
        result["valid_until"] = row.answer.valid_until.isoformat()
    elif row.answer.status is CarrierStatus.OK_EXEMPT:
        result["exemption"] = row.answer.exemption
    elif row.answer.status is CarrierStatus.INVALID:
        result["errors"] = [
            {"path": p.path, "code": p.code, "message": field_message(locale, p.code, **dict(p.params))}
            for p in row.problems
        ]
    return result
