"""Cross-site request forgery: every portal POST must come from a page of ours, in this browser.

Two checks, both required:
- The token: each browser gets a random `keta_csrf` cookie (HttpOnly, SameSite=Lax; `__Host-` and
  Secure in production) and every form carries `csrf` = HMAC-SHA256(KETA_SECRET_KEY, cookie). A
  forged page knows neither, and cannot read or set a `__Host-` cookie of ours.
- The origin: a browser says where a POST comes from. `Sec-Fetch-Site` other than same-origin (or
  "none", typed by the user) and an `Origin` other than ours (KETA_PUBLIC_URL's, or this request's
  own) are refused; "null" (a sandboxed frame, a no-referrer page) is never ours.
Either failing answers 403 with the portal's error page, before the endpoint runs: nothing is saved.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import Response

from keta.web.portal import cookies
from keta.web.portal.refusal import PortalRefusal

FIELD = "csrf"
COOKIE = "keta_csrf"
_LIFETIME = 365 * 24 * 3600  # the cookie carries no data; a long life keeps open tabs working
_SITES = frozenset({"same-origin", "none"})


def _sign(request: Request, value: str) -> str:
    key = request.app.state.settings.secret_key.get_secret_value().encode()
    return hmac.new(key, b"portal-csrf\x1f" + value.encode(), hashlib.sha256).hexdigest()


def _cookie_value(request: Request) -> str | None:
    value = cookies.read(request, COOKIE)
    return value if value and len(value) <= 64 and value.isascii() else None


def token(request: Request) -> tuple[str, str | None]:
    """The token for this browser's forms, and a fresh cookie value when it has none yet."""
    current = _cookie_value(request)
    fresh = None
    if current is None:
        current = fresh = secrets.token_urlsafe(32)
    return _sign(request, current), fresh


def remember(response: Response, request: Request, fresh: str | None) -> None:
    if fresh is not None:
        cookies.put(response, request, COOKIE, fresh, max_age=_LIFETIME)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_origin(request: Request) -> bool:
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in _SITES:
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True  # an older browser or a script: the token alone decides
    ours = {_origin(str(request.base_url))}
    public = request.app.state.settings.public_url
    if public:
        ours.add(_origin(public))
    return origin.lower() in ours


def verify(request: Request, fields: Mapping[str, str]) -> None:
    cookie = _cookie_value(request)
    sent = fields.get(FIELD, "")
    if not same_origin(request) or cookie is None or not sent.isascii():
        raise PortalRefusal(403, "csrf_failed")
    if not hmac.compare_digest(_sign(request, cookie), sent):
        raise PortalRefusal(403, "csrf_failed")
