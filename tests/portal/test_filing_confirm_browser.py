"""The page an agency's customer opens from the e-mailed link, in a real browser (Debian's Chromium
against `keta serve`), in Turkish, Korean, Arabic and Thai: what was filed and by which agency, then
confirmed. The link is taken from the development mailbox, as a developer would read it; axe-core
runs on each page, saved at 375 px and 1,280 px in test-artifacts/ (portal-<lang>-filing-…png)."""

from __future__ import annotations

import email
import json
import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.message import Message
from pathlib import Path
from urllib.request import Request, urlopen
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import sync_playwright
from tests.factories import member_json
from tests.portal.browser import AXE, CHROMIUM, CHROMIUM_ARGS, Server, keta, serving
from tests.portal.test_portal_self_service_browser import LOCALES, Walk

from keta.i18n import gettext

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed (make system-deps)"),
    pytest.mark.skipif(not AXE.exists(), reason=f"axe-core is not installed at {AXE} (make node-deps)"),
]
AGENCY = "Anadolu Seyahat"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path, str]]:
    folder = tmp_path_factory.mktemp("filing")
    with serving(folder) as running:
        key = keta(folder, "agency", "create", AGENCY).split()[-1]
        yield running, folder, key


def file_for(server: Server, key: str, index: int, locale: str) -> str:
    """An application the agency files for a customer who reads `locale`; its passport number."""
    arrival = (datetime.now(ZoneInfo("Asia/Seoul")).date() + timedelta(days=30)).isoformat()
    body = {**member_json(100 + index, travel__arrival_date=arrival), "language": locale}
    request = Request(
        f"{server.base}/api/v1/agency/applications",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
        method="POST",
    )
    with urlopen(request, timeout=30) as response:
        assert response.status == 201
    return str(body["passport"]["number"])


def _text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    return ""


def mailed_link(folder: Path, seen: set[Path]) -> str:
    """The confirmation link of the next agency letter in the development mailbox."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for path in sorted((folder / "mailbox").glob("*.eml")):
            if path in seen:
                continue
            found = re.search(r"https?://\S+/filing/confirm\?\S+", _text(email.message_from_bytes(path.read_bytes())))
            if found:
                seen.add(path)
                return found.group(0)
        time.sleep(0.2)
    raise AssertionError("no agency letter arrived in the mailbox")


def test_the_customer_reads_what_was_filed_and_confirms(served: tuple[Server, Path, str], artifacts_dir: Path) -> None:
    server, folder, key = served
    problems: list[str] = []
    seen: set[Path] = set()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 375, "height": 900}, bypass_csp=True)  # axe is inline
            page = context.new_page()
            for index, locale in enumerate(LOCALES):
                file_for(server, key, index, locale)
                link = mailed_link(folder, seen)
                page.goto(server.base + link[link.index("/filing/confirm") :])
                walk = Walk(page, locale, "filing", artifacts_dir)
                assert page.inner_text("dd.agency") == AGENCY
                assert page.inner_text("h1") == gettext(locale, "portal.filing.title")
                walk.check("filed")
                page.click("button[value=confirm]")
                reference = page.inner_text("dd.reference")
                assert page.inner_text("p.done") == gettext(locale, "portal.filing.confirmed", reference=reference)
                assert page.locator("button[value=confirm]").count() == 0  # answered once
                walk.check("confirmed")
                problems += walk.problems
        finally:
            browser.close()
    assert problems == [], "\n".join(problems)
