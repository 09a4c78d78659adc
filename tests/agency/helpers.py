"""The agency tests' helpers: an agency with a key, its requests, and the link in its customer's mail."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient
from httpx2 import Response
from tests.conftest import Database
from tests.notifications.smtp_inbox import Inbox, parts

from keta.db.session import session_scope
from keta.services import agency_keys
from keta.services.runtime import Runtime

_LINK = re.compile(r"https?://\S+/filing/confirm\?t=[A-Za-z0-9_\-]+&lang=[a-z\-]+")


def create_agency(database: Database, runtime: Runtime, name: str = "Istanbul Travel", per_minute: int = 600) -> str:
    with session_scope(database.factory) as session:
        _, key = agency_keys.create(session, name=name, requests_per_minute=per_minute, now=runtime.now())
    return key


def revoke_agency(database: Database, runtime: Runtime, name: str = "Istanbul Travel") -> None:
    with session_scope(database.factory) as session:
        agency_keys.revoke(session, name=name, now=runtime.now())


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


class AgencyApi:
    """Requests as an agency's integration sends them (its key on every one)."""

    def __init__(self, client: TestClient, key: str) -> None:
        self.client, self.key = client, key

    def request(self, method: str, path: str, **kwargs: Any) -> Response:
        headers = {**bearer(self.key), **kwargs.pop("headers", {})}
        return self.client.request(method, f"/api/v1/agency{path}", headers=headers, **kwargs)


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["t"][0]


def confirmation_links(inbox: Inbox) -> dict[str, str]:
    """Recipient address → the confirmation link in the plain-text part of their message."""
    links = {}
    for received in inbox.received:
        text = parts(received.message)["text/plain"]
        found = _LINK.search(text)
        if found:
            links[received.recipients[0]] = found.group(0)
    return links
