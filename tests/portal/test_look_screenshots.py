"""The restyled portal (GOV.UK Frontend, keta-govuk.css) in Turkish, Korean, Arabic and Thai, on a
phone (375 px) and a desktop (1,280 px): a screenshot of every page of an application's journey and
of the group page into test-artifacts/look-<locale>-<page>-<width>.png, axe clean at both widths,
no sideways scrolling on the phone, the language selector one line (not 40 % of the first screen),
Korean breaking between words only, and no heading running into the border or text below it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, sync_playwright
from tests.portal.browser import (
    AXE,
    CHROMIUM,
    CHROMIUM_ARGS,
    Server,
    axe_violations,
    fill_application,
    fill_date,
    serving,
)
from tests.portal.test_accessibility import submit, summary

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed (make system-deps)"),
    pytest.mark.skipif(not AXE.exists(), reason=f"axe-core is not installed at {AXE} (make node-deps)"),
]
PHONE, DESKTOP = 375, 1280
LOCALES = ("tr", "ko", "ar", "th")

# Headings, legends and summaries whose box runs into the next element's (or past their container's
# side): what a wrapped heading with too tight a line height, or a long word, does.
OVERLAPS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('main h1, main h2, main h3, main legend, header a, summary')) {
    if (!el.offsetParent) continue;
    const box = el.getBoundingClientRect();
    if (el.scrollWidth > el.clientWidth + 1) found.push(`${el.tagName} wider than its box: ${el.textContent.trim()}`);
    const next = el.nextElementSibling;
    if (next && next.offsetParent && getComputedStyle(next).position === 'static') {
      const below = next.getBoundingClientRect();
      if (below.top < box.bottom - 1 && below.left < box.right && below.right > box.left)
        found.push(`${el.tagName} overlaps the next element: ${el.textContent.trim()}`);
    }
  }
  return found;
}"""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A server per language: each run files the same traveller's application."""
    with serving(tmp_path) as running:
        yield running


class Shots:
    def __init__(self, page: Page, locale: str, artifacts: Path) -> None:
        self.page, self.locale, self.artifacts = page, locale, artifacts
        self.problems: list[str] = []
        self.taken: list[str] = []

    def take(self, name: str) -> None:
        page = self.page
        for width in (PHONE, DESKTOP):
            page.set_viewport_size({"width": width, "height": 812})
            where = f"[{self.locale} {width}px] {name}"
            path = self.artifacts / f"look-{self.locale}-{name}-{width}.png"
            page.screenshot(path=str(path), full_page=True)
            self.taken.append(path.name)
            if width == PHONE and (wide := page.evaluate("document.documentElement.scrollWidth")) > PHONE:
                self.problems.append(f"{where}: scrolls sideways ({wide} px)")
            self.problems.extend(f"{where}: {problem}" for problem in page.evaluate(OVERLAPS))
            self.problems.extend(f"{where}: {problem}" for problem in axe_violations(page))
        page.set_viewport_size({"width": PHONE, "height": 812})


@pytest.mark.parametrize("locale", LOCALES)
def test_restyled_pages_at_375_and_1280_px(server: Server, artifacts_dir: Path, locale: str) -> None:
    arrival = (datetime.now(ZoneInfo("Asia/Seoul")).date() + timedelta(days=30)).isoformat()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": PHONE, "height": 812}, locale=locale, bypass_csp=True)
            page = context.new_page()
            shots = Shots(page, locale, artifacts_dir)
            page.goto(f"{server.base}/?lang={locale}")
            assert page.get_attribute("html", "lang") == locale
            selector = page.locator("details.language-select").bounding_box()
            assert selector and selector["height"] < 0.15 * 812, selector  # one line, not 40 % of the screen
            words = page.evaluate("getComputedStyle(document.querySelector('main p')).wordBreak")
            assert words == ("keep-all" if locale == "ko" else "normal"), words
            shots.take("eligibility")
            page.select_option("#f-nationality", "TUR")
            fill_date(page, "#f-birth-date", "1990-04-12")
            fill_date(page, "#f-arrival-date", arrival)
            submit(page)
            page.wait_for_selector(".result")
            shots.take("eligibility-result")
            page.click("details.language-select summary")
            shots.take("language-selector-open")
            page.goto(f"{server.base}/apply")
            shots.take("apply")
            submit(page)
            page.wait_for_selector(".summary")
            shots.take("apply-errors")
            fill_application(page, arrival)
            submit(page)
            page.wait_for_load_state()
            if page.query_selector("main form[action='/apply/submit']") is not None:
                shots.take("review")
                page.click("main form[action='/apply/submit'] button[type=submit]:not([value=edit])")
                page.wait_for_load_state()
            assert page.url.endswith("/apply/confirmation"), summary(page)
            shots.take("confirmation")
            submit(page)
            page.wait_for_url("**/sandbox/checkout/**")
            shots.take("sandbox-checkout")
            page.click("button[value=captured]")
            page.wait_for_url("**/apply/paid")
            shots.take("paid")
            page.goto(f"{server.base}/status")
            submit(page)
            page.wait_for_selector(".summary")
            shots.take("status-errors")
            page.goto(f"{server.base}/group")
            page.click("button[value=submit]")
            page.wait_for_selector(".summary")
            shots.take("group-errors")
        finally:
            browser.close()
    assert len(shots.taken) == 2 * 11
    assert not shots.problems, "\n".join(shots.problems)
