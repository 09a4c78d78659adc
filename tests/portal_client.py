"""A TestClient that posts portal forms the way a browser does: with the page's CSRF token.

A browser only ever posts a form it was shown, and every page carries the token of its `keta_csrf`
cookie; this client does the same by reading the token from a page once per cookie. API, webhook
and back-office requests are sent unchanged, and so is any form that names its own `csrf` (the
CSRF tests send missing, forged and foreign tokens through a plain TestClient).
"""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from httpx2 import Response

_TOKEN = re.compile(r'name="csrf" value="([^"]+)"')
_NOT_PORTAL = ("/api/", "/backoffice", "/payments/webhook")


def page_token(client: TestClient, page: str = "/status") -> str:
    """The token of this client's cookie, as a portal page shows it (the page sets the cookie); empty
    when the page has none (then every portal post is refused, which the tests will say)."""
    found = _TOKEN.search(client.get(page).text)
    return found.group(1) if found else ""


class PortalClient(TestClient):
    _token: tuple[str | None, str] | None = None

    def _cookie(self) -> str | None:
        return self.cookies.get("keta_csrf") or self.cookies.get("__Host-keta_csrf")  # development | production

    def csrf_token(self) -> str:
        if self._token is None or self._cookie() is None or self._token[0] != self._cookie():
            token = page_token(self)
            self._token = (self._cookie(), token)
        return self._token[1]

    def request(self, method: str, url: Any, **kwargs: Any) -> Response:  # type: ignore[override]
        path = str(url).split("?", 1)[0]
        form = kwargs.get("content") is None and kwargs.get("json") is None
        if method.upper() == "POST" and form and not path.startswith(_NOT_PORTAL):
            data = dict(kwargs.get("data") or {})
            if "csrf" not in data:
                data["csrf"] = self.csrf_token()
            kwargs["data"] = data
        return super().request(method, url, **kwargs)
