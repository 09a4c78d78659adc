"""POST /api/v1/border/lookups and /entries — the border desk for border systems, with a staff API key.

The key (`keta staff api-key create USERNAME`) acts for its holder, who must hold the `border` role;
it is checked, and its request counted, before the request's own transaction starts (the database
rate limiter commits on a connection of its own, which SQLite would otherwise make wait). Every
look-up and every entry is in the audit trail. Errors use the API's error body.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request, Security
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from keta.domain.border import Identification, identify_document, identify_mrz
from keta.domain.errors import FieldProblem, InvalidInput
from keta.domain.review import Permission
from keta.services import border, staff_keys
from keta.services.staff_keys import KeyHolder
from keta.web.border.schemas import EntryIn, EntryOut, LookupIn, LookupOut, PassportIn
from keta.web.border.view import json_answer
from keta.web.deps import LocaleDep, RuntimeDep, SessionDep
from keta.web.openapi import error_responses
from keta.web.strict_json import StrictJsonRoute

router = APIRouter(prefix="/border", tags=["border"], route_class=StrictJsonRoute)  # duplicate keys, NULs… refused
bearer = HTTPBearer(
    scheme_name="StaffApiKey", auto_error=False, description="a staff API key from `keta staff api-key create USERNAME`"
)
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]

RESPONSES = error_responses(
    {
        401: "no key, a wrong or revoked key, or the key holder's account is disabled",
        403: "the key holder's role may not use the border interface (`border_role_required`)",
        413: "the body is larger than 64 KiB",
        422: "the body is not a passport: neither or both of `mrz` and `document`, a field of the wrong "
        "shape, or an MRZ check digit that fails (the field it guards is named, e.g. `mrz.birth_date`)",
        429: "the key's requests per minute are used up; `Retry-After` says for how long",
    }
)


def _holder(request: Request, credentials: HTTPAuthorizationCredentials | None, rt: RuntimeDep) -> KeyHolder:
    key = credentials.credentials if credentials is not None else None
    with request.app.state.sessionmaker() as session:
        holder = staff_keys.authenticate(session, key=key, permission=Permission.BORDER)
    staff_keys.throttle(request.app.state.rate_limiter, holder, now=rt.now())
    return holder


def _passport(body: PassportIn, rt: RuntimeDep) -> Identification:
    if (body.mrz is None) == (body.document is None):
        raise InvalidInput([FieldProblem("mrz" if body.mrz is not None else "body", "mrz_or_document")])
    if body.mrz is not None:
        found = identify_mrz(body.mrz.line1, body.mrz.line2, today=rt.today())
    else:
        assert body.document is not None
        document = body.document
        found = identify_document(
            document.number, document.issuing_country, nationality=document.nationality or "",
            birth_date=document.birth_date,
        )  # fmt: skip
    if isinstance(found, list):
        raise InvalidInput(found)
    return found


@router.post("/lookups", response_model=LookupOut, responses=RESPONSES, summary="Look a traveller up at the border")
def post_lookup(
    request: Request, body: LookupIn, credentials: BearerDep, db: SessionDep, rt: RuntimeDep, locale: LocaleDep
) -> JSONResponse:
    """What keta holds for the passport on the arrival date (today unless given): `authorized`,
    `exempt` (with the exemptions), `not_applicable`, `visa_required`, `not_valid` (an authorization
    that does not cover the arrival: its status says why) or `no_authorization`; the arrival card;
    and the authorization with the name and photo filed, to compare with the traveller."""
    holder = _holder(request, credentials, rt)
    who = _passport(body, rt)
    found = border.look_up(db, rt, who=who, staff_id=holder.staff_id, channel="api", arrival=body.arrival_date)
    return JSONResponse(json_answer(found, locale))


@router.post(
    "/entries",
    response_model=EntryOut,
    status_code=201,
    responses={**RESPONSES, 200: {"model": EntryOut, "description": "the same entry had been recorded today"}},
    summary="Record a traveller's entry",
)
def post_entry(
    request: Request, body: EntryIn, credentials: BearerDep, db: SessionDep, rt: RuntimeDep, locale: LocaleDep
) -> JSONResponse:
    """Today's entry at `port`, with the look-up's answer at this moment. Once per passport, port and
    day: a repeat answers 200 with the first entry and changes nothing."""
    holder = _holder(request, credentials, rt)
    who = _passport(body, rt)
    recorded = border.record_entry(db, rt, who=who, port=body.port, staff_id=holder.staff_id, channel="api")
    entry = recorded.entry
    out = {
        "id": str(entry.id),
        "port": entry.port,
        "entry_date": entry.entry_date.isoformat(),
        "status": entry.status,
        "created": recorded.created,
        "lookup": json_answer(recorded.lookup, locale),
    }
    return JSONResponse(out, status_code=201 if recorded.created else 200)
