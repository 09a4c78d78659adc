"""Multipart bodies for the JSON APIs: a JSON part and the face photos as file parts.

`curl -F 'application=<application.json;type=application/json' -F photo=@face.jpg` is how a client
sends a photo without base64-encoding it. The route class turns such a body into the JSON body it
stands for before anything else sees it, so validation, error paths, idempotency and the services
are exactly those of a JSON body:

    a part `application` or `group`     the JSON document itself (text or a file part)
    other text parts                    top-level string fields (`passport_number=…`)
    a file part `photo`                 → `photo_base64`
    a file part `photo.N`               → `members[N].photo_base64` (a group's member N)

Files are read one byte past the policy's limit and no further (then refused as `photo_too_large`);
any other file part, or a member index the document does not have, is a 422 naming the part.
Errors about a photo sent as a part name the part (`photo`, `photo.3`), not the base64 field.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from keta.domain.errors import FieldProblem
from keta.i18n import negotiate
from keta.services.photos import PHOTOS_PER_REQUEST
from keta.services.runtime import Runtime
from keta.web.body_limits import JSON_BYTES, MEMBER_JSON_BYTES
from keta.web.errors import error_body
from keta.web.strict_json import StrictJsonError, StrictJsonRoute, decode, problems_of

JSON_PARTS = ("application", "group")
PHOTO_PART, MEMBER_PHOTO = "photo", "photo."
MAX_TEXT_PARTS = 8
MAX_JSON_PART = 500 * MEMBER_JSON_BYTES + JSON_BYTES  # the widest document: a group at the schema's bound
PARTS_KEY = "keta.photo_parts"  # scope key: the photo fields that came as parts, for error paths


def is_multipart(request: Request) -> bool:
    return request.headers.get("content-type", "").split(";")[0].strip().lower() == "multipart/form-data"


def photo_path(request: Request, json_path: str) -> str:
    """The name a photo problem goes by: the part it came in, or its JSON field."""
    parts: dict[str, str] = request.scope.get(PARTS_KEY, {})
    return parts.get(json_path, json_path)


class _Refused(Exception):
    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems


async def _as_json(request: Request) -> tuple[bytes, dict[str, str]]:
    rt: Runtime = request.app.state.runtime
    limit = rt.policy.photo.max_bytes + 1
    try:
        form = await request.form(
            max_files=PHOTOS_PER_REQUEST + 1, max_fields=MAX_TEXT_PARTS, max_part_size=MAX_JSON_PART
        )
    except HTTPException:  # Starlette's 400 for a multipart body it cannot read (too many parts, bad framing)
        raise _Refused([FieldProblem("body", "invalid_format")]) from None
    document: Any = {}
    fields: dict[str, str] = {}
    photos: dict[str, bytes] = {}
    try:
        for name, value in form.multi_items():
            if name in JSON_PARTS:
                raw = await value.read(MAX_JSON_PART + 1) if isinstance(value, UploadFile) else value.encode()
                document = _document(name, raw)
            elif isinstance(value, UploadFile):
                if name != PHOTO_PART and not (name.startswith(MEMBER_PHOTO) and name[len(MEMBER_PHOTO) :].isdigit()):
                    raise _Refused([FieldProblem(name, "unknown_field")])
                data = await value.read(limit)
                if data:
                    photos[name] = data
            else:
                fields[name] = value
    finally:
        await form.close()
    if not isinstance(document, dict):
        raise _Refused([FieldProblem("body", "invalid_type")])
    document.update(fields)
    parts = _place(document, photos)  # before the document is serialized: it puts the photos in
    return json.dumps(document, ensure_ascii=False).encode(), parts


def _document(name: str, raw: bytes) -> Any:
    if len(raw) > MAX_JSON_PART:
        raise _Refused([FieldProblem(name, "too_large")])
    try:
        document = decode(raw)
    except StrictJsonError as refused:
        raise _Refused(refused.problems) from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise _Refused([FieldProblem(name, "invalid_format")]) from None
    problems = problems_of(document)
    if problems:
        raise _Refused(problems)
    return document


def _place(document: dict[str, Any], photos: dict[str, bytes]) -> dict[str, str]:
    """Put each photo where its JSON field is; answers field path → part name."""
    parts: dict[str, str] = {}
    members = document.get("members")
    for name, data in photos.items():
        encoded = base64.b64encode(data).decode("ascii")
        if name == PHOTO_PART:
            document["photo_base64"] = encoded
            parts["photo_base64"] = name
            continue
        index = int(name[len(MEMBER_PHOTO) :])
        if not isinstance(members, list) or index >= len(members) or not isinstance(members[index], dict):
            raise _Refused([FieldProblem(name, "unknown_field")])
        members[index]["photo_base64"] = encoded
        parts[f"members[{index}].photo_base64"] = name
    return parts


class PhotoPartsRoute(StrictJsonRoute):
    """The API routers' route class: StrictJsonRoute, and multipart bodies read as described above."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handler(request: Request) -> Response:
            if not is_multipart(request):
                return await handle(request)
            try:
                body, parts = await _as_json(request)
            except _Refused as refused:
                locale = negotiate(request.headers.get("accept-language"), explicit=request.query_params.get("lang"))
                return JSONResponse(error_body(locale, "invalid_input", refused.problems), status_code=422)
            return await handle(_json_request(request, body, parts))

        return handler


def _json_request(request: Request, body: bytes, parts: dict[str, str]) -> Request:
    headers = [(k, v) for k, v in request.scope["headers"] if k not in (b"content-type", b"content-length")]
    headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    scope = {**request.scope, "headers": headers, PARTS_KEY: parts}
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(scope, receive)
