"""axe-core on the status page's follow-up forms in a real browser (Debian's Chromium), at 375 px, in
Turkish and Arabic: a request for information (with its problems, then the confirmation) and a
refusal's review request (with its problems, then "pending"). The pages carry no script.

The officer's side is made through the services on the server's own SQLite file (development keys)
before `keta serve` starts on it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, sync_playwright
from tests.conftest import Database
from tests.portal.browser import CHROMIUM, CHROMIUM_ARGS, Server, serving
from tests.portal.cases import ask_information, load_watchlist, refuse, screened
from tests.portal.test_accessibility import AXE, AXE_NEEDS, WIDTH, Audit

from keta.adapters.clock import SystemClock
from keta.adapters.crypto import install_keyring
from keta.adapters.payments import SandboxPayments
from keta.adapters.policy_files import load_policy
from keta.config import DEV_DATA_KEY, DEV_SECRET_KEY
from keta.db.engine import make_engine
from keta.db.migrate import upgrade
from keta.db.session import make_sessionmaker
from keta.domain.applications import Status
from keta.services.runtime import Runtime

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed (make system-deps)"),
    pytest.mark.skipif(not AXE.exists(), reason=f"axe-core is not installed at {AXE} (make node-deps)"),
]
LOCALES = ["tr", "ar"]
PASSPORTS = {"tr": ("U30000001", "U30000002"), "ar": ("U30000003", "U30000004")}
# Four people (the re-application cap counts one person's applications), all born in the listed year.
BIRTH_DATES = {
    "U30000001": "1990-01-15",
    "U30000002": "1990-02-15",
    "U30000003": "1990-03-15",
    "U30000004": "1990-05-15",
}


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, dict[str, tuple[str, str]]]]:
    """Per language: an application an officer asked about, and a refused one; then the server."""
    folder = tmp_path_factory.mktemp("follow-up")
    url = f"sqlite:///{folder / 'portal.db'}"
    upgrade(url)
    engine = make_engine(url)
    database = Database("sqlite", url, engine, make_sessionmaker(engine))
    clock = SystemClock()
    payments = SandboxPayments(secret=DEV_SECRET_KEY, clock=clock)
    runtime = Runtime(policy=load_policy("kr"), clock=clock, keyring=install_keyring(DEV_DATA_KEY), payments=payments)
    arrival = (datetime.now(ZoneInfo("Asia/Seoul")).date() + timedelta(days=30)).isoformat()
    load_watchlist(database, runtime, folder)
    references: dict[str, tuple[str, str]] = {}
    for locale, (asked, refused) in PASSPORTS.items():
        pair = [
            screened(
                database,
                runtime,
                expected=Status.IN_REVIEW,
                passport__number=number,
                passport__birth_date=BIRTH_DATES[number],
                travel__arrival_date=arrival,
            )
            for number in (asked, refused)
        ]
        ask_information(database, runtime, pair[0], message="Which conference?\nPlease attach the invitation.")
        refuse(database, runtime, pair[1], ground="illegal_immigration_risk")
        references[locale] = (pair[0], pair[1])
    engine.dispose()
    with serving(folder) as server:
        yield server, references


def look_up(page: Page, server: Server, reference: str, passport: str) -> None:
    page.goto(f"{server.base}/status")
    page.fill("#f-reference", reference)
    page.fill("#f-passport-number", passport)
    page.click("form[action='/status'] button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("locale", LOCALES)
def test_follow_up_forms_have_no_serious_accessibility_violation(
    cases: tuple[Server, dict[str, tuple[str, str]]], artifacts_dir: Path, locale: str
) -> None:
    server, references = cases
    asked, refused = references[locale]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(
                viewport={"width": WIDTH, "height": 812}, locale=locale, bypass_csp=AXE_NEEDS
            ).new_page()
            audit = Audit(page, locale, artifacts_dir)
            page.goto(f"{server.base}/status?lang={locale}")
            look_up(page, server, asked, PASSPORTS[locale][0])
            assert page.locator("form[action='/status/answer']").count() == 1
            audit.check("status-information")
            page.set_input_files("#f-document-1", files=[{"name": "a.txt", "mimeType": "text/plain", "buffer": b"x"}])
            page.click("form[action='/status/answer'] button[type=submit]")
            page.wait_for_selector("#f-answer-error")
            assert page.locator("#f-document-1-error").count() == 1
            audit.check("status-answer-errors")
            page.fill("#f-answer", "Busan Tech Summit.\nThe invitation is attached.")
            page.click("form[action='/status/answer'] button[type=submit]")
            page.wait_for_url("**/status/sent")
            audit.check("status-answer-sent")

            look_up(page, server, refused, PASSPORTS[locale][1])
            assert page.locator("form[action='/status/redress']").count() == 1
            audit.check("status-refused")
            page.click("form[action='/status/redress'] button[type=submit]")
            page.wait_for_selector("#f-reasons-error")
            audit.check("status-redress-errors")
            page.fill("#f-reasons", "I travel for a conference; my employer's letter is attached.")
            page.click("form[action='/status/redress'] button[type=submit]")
            page.wait_for_url("**/status/sent")
            assert page.locator(".redress-pending").count() == 1
            audit.check("status-redress-sent")
        finally:
            browser.close()
    assert not audit.problems, audit.report()
