"""The browser protections every response carries (a pure ASGI middleware: nothing is buffered).

- Content-Security-Policy: scripts and styles only from our own origin (no inline script, no inline
  style: the portal's one script is /static/mrz.js), images from us or `data:` (the back office
  shows the applicant's photo inline), nothing may frame us, no <base>, no plugins. `form-action`
  is left out on purpose: browsers apply it to the redirect after a form, and "Pay" redirects to the
  payment provider's own checkout host, which keta does not know in advance.
- X-Frame-Options DENY for browsers without frame-ancestors; nosniff; Permissions-Policy turns off
  camera, microphone, geolocation, payment and USB (no page uses them); COOP/CORP same-origin.
- Referrer-Policy `same-origin`: nothing leaves for another site (not even our origin), yet a form
  posted within the site still carries its Origin header, which the CSRF checks read — with
  `no-referrer` browsers send `Origin: null` on every POST.
- HSTS in production (HTTPS; two years, subdomains included).
- `Cache-Control: no-store` on any answer that set no caching of its own: API answers and pages can
  hold personal data; static files set their own.

The interactive API docs (/docs, /redoc: Swagger UI and ReDoc served by keta itself, keta.web.api_docs)
get a policy of their own: scripts still only from us, but inline styles (both inject them) and a
blob: worker (ReDoc's search); they are off in production unless KETA_API_DOCS=on.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src blob:; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")
HSTS = "max-age=63072000; includeSubDomains"
COMMON: tuple[tuple[bytes, bytes], ...] = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)


def headers_for(path: str, *, https: bool) -> list[tuple[bytes, bytes]]:
    """The headers a response to `path` gets (each only when the route did not set its own)."""
    policy = DOCS_CSP if path.startswith(DOCS_PATHS) else CSP
    chosen = [(b"content-security-policy", policy.encode()), *COMMON, (b"cache-control", b"no-store")]
    if https:
        chosen.append((b"strict-transport-security", HSTS.encode()))
    return chosen


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app, self.https = app, https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(scope["path"], https=self.https)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend((name, value) for name, value in extra if name not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
