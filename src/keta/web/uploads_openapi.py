"""The multipart variant of a JSON request body, for OpenAPI (keta.web.photo_parts reads it)."""

from __future__ import annotations

from typing import Any


def with_photo_parts(model: str, json_part: str | None, files: dict[str, str]) -> dict[str, Any]:
    """`openapi_extra` adding `multipart/form-data` beside the route's JSON body: the JSON document
    in `json_part` (or its fields as text parts when None) and each file part with its description."""
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
        properties = {"passport_number": {"type": "string"}, **properties}
        required += ["passport_number", *files]
    schema: dict[str, Any] = {"type": "object", "properties": properties, "required": required}
    content: dict[str, Any] = {"schema": schema}
    if encoding:
        content["encoding"] = encoding
    return {"requestBody": {"content": {"multipart/form-data": content}}}
