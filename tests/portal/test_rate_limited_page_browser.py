"""The page a traveller sees past the look-up limit, in a real browser (Debian's Chromium) against a
real `keta serve`: 429, in the traveller's language (Turkish, and Arabic right to left), saying in
how many minutes to try again, with a way back to the form; no serious or critical WCAG 2.1 A/AA
violation (axe-core) and no sideways scrolling at 375 px."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from tests.portal.browser import AXE, CHROMIUM, CHROMIUM_ARGS, Server, axe_violations, serving

from keta.i18n import error_message, gettext

WIDTH = 375
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed (make system-deps)"),
    pytest.mark.skipif(not AXE.exists(), reason=f"axe-core is not installed at {AXE} (make node-deps)"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # One look-up per client per 10 minutes on this server (memory counter: one process, one test).
    limits = {"KETA_RATE_LIMIT_URL": "memory://", "KETA_RATE_LIMIT_LOOKUP_CLIENT": "1/600"}
    with serving(tmp_path_factory.mktemp("limited"), **limits) as running:
        yield running


@pytest.mark.parametrize("locale", ["tr", "ar"])
def test_the_rate_limited_page_is_translated_and_accessible(server: Server, artifacts_dir: Path, locale: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": WIDTH, "height": 812}, locale=locale, bypass_csp=True)
            page = context.new_page()
            answers = []
            page.on("response", lambda response: answers.append(response))
            for _ in range(
                2
            ):  # the limit is per server process and this test's first look-up may be the other locale's
                page.goto(f"{server.base}/status?lang={locale}")
                page.fill("#f-reference", "AK7M2-9QXR-T4PW")
                page.fill("#f-passport-number", "U12345678")
                page.locator("main form button[type=submit]:visible").first.click()
                page.wait_for_load_state()
            refused = [a for a in answers if a.request.method == "POST" and a.status == 429]
            assert refused, [(a.request.method, a.url, a.status) for a in answers]
            assert 1 <= int(refused[-1].headers["retry-after"]) <= 600
            page.screenshot(path=str(artifacts_dir / f"rate-limited-{locale}.png"), full_page=True)

            assert page.get_attribute("html", "lang") == locale
            assert page.get_attribute("html", "dir") == ("rtl" if locale == "ar" else "ltr")
            text = " ".join(page.inner_text("main").split())
            assert error_message(locale, "rate_limited") in text
            assert gettext(locale, "portal.error.retry_after", minutes=10) in text
            assert page.get_attribute("main a.button", "href") == "/status"
            assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
            assert axe_violations(page) == []
        finally:
            browser.close()
