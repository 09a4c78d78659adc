"""The multipart variant of a JSON request body, for OpenAPI (keta.web.photo_parts reads it)."""

from __future__ import annotations

from typing import Any


def with_photo_parts(
    model: str, json_part: str | None, files: dict[str, str], text_fields: tuple[str, ...] = ("passport_number",)
) -> dict[str, Any]:
    """`openapi_extra` adding `multipart/form-data` beside the route's JSON body: the JSON document
    in `json_part` (or `text_fields` as text parts when None) and each file part with its description."""
    properties: dict[str, Any] = {
        name: {"type": "string", "format": "binary", "description": description} for name, description in files.items()
    }
    required = []
    encoding: dict[str, Any] = {}
    if json_part is not None:
        properties = {json_part: {"$ref": f"#/components/schemas/{model}"}, **properties}
        required.append(json_part)
        encoding[json_part] = {"contentType": "application/json"}
    else:
        properties = {**{name: {"type": "string"} for name in text_fields}, **properties}
        required += [*text_fields, *files]
    schema: dict[str, Any] = {"type": "object", "properties": properties, "required": required}
    content: dict[str, Any] = {"schema": schema}
    if encoding:
        content["encoding"] = encoding
    return {"requestBody": {"content": {"multipart/form-data": content}}}
