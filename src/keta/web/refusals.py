"""How a refused request is answered, in the shape its route speaks: JSON on the API, the webhook
and the operator endpoints; the back office's message page for a body refused under /backoffice;
the portal's error page everywhere else. Used by the body-limit middleware (which answers before the app runs) and by
the app's handlers for HTTP errors and portal refusals."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from keta.web.backoffice.rendering import office_locale
from keta.web.backoffice.rendering import render as office_render
from keta.web.errors import HTTP_CODES, http_error_response
from keta.web.portal.error_page import PortalRefusal, error_page

JSON_PATHS = ("/api/", "/payments/", "/healthz", "/metrics", "/openapi.json", "/docs", "/redoc")


def speaks_json(path: str) -> bool:
    return path.startswith(JSON_PATHS)


def answer(request: Request, status: int) -> Response:
    path = request.url.path
    office = path.startswith(("/backoffice", "/border"))
    if speaks_json(path) or (office and status not in (408, 413)):  # the back office keeps its own answers
        return http_error_response(request, status)
    code = HTTP_CODES.get(status, "invalid_input")
    if office:
        message = "bo.error.too_large" if status == 413 else f"error.{code}"
        context = {"me": None, "title": "bo.error.title", "message": message, "back": "/backoffice/home"}
        response = office_render(request, office_locale(request), "message.html", context, status=status)
    else:
        response = error_page(request, status, code)
    if status in (408, 413):
        response.headers["Connection"] = "close"  # the rest of the body is not read
    return response


async def refuse(request: Request, status: int) -> Response:
    """The body-limit middleware's answer (413 or 408)."""
    return answer(request, status)


def install(app: FastAPI) -> None:
    """Pages for HTTP errors on page routes (after keta.web.errors, whose JSON answers stay for the API)."""

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return answer(request, exc.status_code)

    async def on_portal_refusal(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PortalRefusal)
        return error_page(request, exc.status, exc.code, exc.problems)

    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(PortalRefusal, on_portal_refusal)
