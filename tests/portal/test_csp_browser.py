"""The Content-Security-Policy breaks nothing, in a real browser with JavaScript on: no page of the
portal or the back office's sign-in reports a violation, and the portal's one script (/static/mrz.js,
the live MRZ check) runs under the policy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import sync_playwright
from tests.portal.browser import CHROMIUM, CHROMIUM_ARGS, Server, serving

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed (make system-deps)"),
]
PAGES = ["/", "/apply", "/group", "/status", "/backoffice/login", "/no/such/page"]
# Line 2 of ICAO's specimen with its passport-number check digit changed from 6 to 5.
WRONG_LINE = "L898902C35UTO7408122F1204159ZE184226B<<<<<10"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("csp")) as running:
        yield running


def test_no_page_reports_a_policy_violation_and_the_mrz_script_runs(server: Server) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(java_script_enabled=True).new_page()
            messages: list[str] = []
            page.on("console", lambda message: messages.append(message.text))
            for path in PAGES:
                page.goto(server.base + path)
                page.evaluate(
                    "() => document.addEventListener('securitypolicyviolation',"
                    " e => console.log('csp-violation ' + e.violatedDirective))"
                )
            assert not [m for m in messages if "Content Security Policy" in m or "csp-violation" in m], messages
            page.goto(server.base + "/apply?lang=en")
            page.fill("#f-mrz-1", WRONG_LINE)
            live = page.locator("[data-mrz-live]")
            assert "passport number" in (live.text_content() or "").lower(), live.text_content()
            assert not [m for m in messages if "Content Security Policy" in m], messages
        finally:
            browser.close()
