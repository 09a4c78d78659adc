"""The interactive API documentation, /docs (Swagger UI) and /redoc (ReDoc), served entirely by keta.

The JavaScript and CSS come from the `fastapi-offline` wheel (MIT; pinned in pyproject.toml), which
ships Swagger UI's and ReDoc's standalone builds as package data; the start-up script is our own file.
Nothing is fetched from a CDN, so the pages render on a laptop without network and the docs'
Content-Security-Policy (keta.web.security_headers) allows scripts from our own origin only.
Only the files named below are served: the route is not a window onto the package directory.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException
from fastapi.responses import HTMLResponse, Response

ASSETS = "/docs/assets"
_VENDOR = Path(str(files("fastapi_offline"))) / "static"
_OURS = Path(__file__).resolve().parent / "docs_static"
FILES: dict[str, tuple[Path, str]] = {
    "swagger-ui-bundle.js": (_VENDOR / "swagger-ui-bundle.js", "text/javascript"),
    "swagger-ui.css": (_VENDOR / "swagger-ui.css", "text/css"),
    "redoc.standalone.js": (_VENDOR / "redoc.standalone.js", "text/javascript"),
    "favicon.png": (_VENDOR / "favicon.png", "image/png"),
    "swagger-init.js": (_OURS / "swagger-init.js", "text/javascript"),
}


def _page(title: str, head: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{escape(title)}</title>\n<link rel="icon" href="{ASSETS}/favicon.png">\n{head}</head>\n'
        f"<body>\n{body}</body>\n</html>\n"
    )


def router(title: str, openapi_url: str) -> APIRouter:
    """/docs, /redoc and their assets, for the OpenAPI document at `openapi_url`."""
    docs = APIRouter(include_in_schema=False)
    spec = escape(openapi_url)

    @docs.get("/docs")
    def swagger_ui() -> HTMLResponse:
        return _page(
            f"{title} — Swagger UI",
            f'<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">\n',
            f'<div id="swagger-ui" data-openapi="{spec}"></div>\n'
            f'<script src="{ASSETS}/swagger-ui-bundle.js"></script>\n'
            f'<script src="{ASSETS}/swagger-init.js"></script>\n',
        )

    @docs.get("/redoc")
    def redoc() -> HTMLResponse:
        return _page(
            f"{title} — ReDoc",
            "",
            f'<redoc spec-url="{spec}"></redoc>\n<script src="{ASSETS}/redoc.standalone.js"></script>\n',
        )

    @docs.get(ASSETS + "/{name}")
    def asset(name: str) -> Response:
        found = FILES.get(name)
        if found is None:
            raise HTTPException(status_code=404)
        path, media_type = found
        return Response(path.read_bytes(), media_type=media_type, headers={"Cache-Control": "public, max-age=86400"})

    return docs


def state_group_limit(app: FastAPI, largest_group: Callable[[], int]) -> None:
    """The OpenAPI document says how many members a group may have under the policy in force (50
    for K-ETA), not the schema's wider guard against abuse (GroupIn.members, 500): the service
    refuses anything above the policy's number with a field error, so that is the real limit."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        document = build()
        members = document.get("components", {}).get("schemas", {}).get("GroupIn", {}).get("properties", {})
        if "members" in members:
            limit = largest_group()
            members["members"]["maxItems"] = limit
            members["members"]["description"] = f"1 to {limit} travellers (the policy in force)"
        return document

    app.openapi = openapi  # type: ignore[method-assign]
