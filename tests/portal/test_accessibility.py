"""axe-core (from the npm registry, `make node-deps`) injected into every portal page in a real browser
(Debian's Chromium): no serious or critical WCAG 2.1 A/AA violation, in Turkish and in Arabic
(right-to-left), on a 375-px-wide screen that never scrolls sideways.

Pages: eligibility (empty, with a result), application (empty, with errors), review when the form has
one, confirmation, paid, status (empty, with errors, with a result); group (empty, with errors, with a
member's errors), group confirmation (with a refused member photo), group paid, group status."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import FilePayload, Page, sync_playwright
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
from tests.portal.forms import REPRESENTATIVE, blank_jpeg, face_jpeg, member_form, members_csv

# axe-core goes into each page as an inline script of the test's own, which the portal's
# Content-Security-Policy (script-src 'self') rightly blocks; the browser tests without axe run
# under the policy and show it breaks no page.
AXE_NEEDS = True
WIDTH = 375

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed (make system-deps)"),
    pytest.mark.skipif(not AXE.exists(), reason=f"axe-core is not installed at {AXE} (make node-deps)"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One `keta serve` for every language: each run files its own application."""
    with serving(tmp_path_factory.mktemp("a11y")) as running:
        yield running


class Audit:
    """Runs axe-core on each page visited and keeps every serious or critical violation."""

    def __init__(self, page: Page, locale: str, artifacts: Path) -> None:
        self.page, self.locale, self.artifacts = page, locale, artifacts
        self.problems: list[str] = []
        self.checked: list[str] = []
        self.unreachable: list[str] = []

    def check(self, name: str) -> None:
        page = self.page
        expected_lang = self.locale
        assert page.get_attribute("html", "lang") == expected_lang, f"{name}: the page is not in {expected_lang}"
        expected_dir = "rtl" if self.locale == "ar" else "ltr"
        assert page.get_attribute("html", "dir") == expected_dir, name
        page.screenshot(path=str(self.artifacts / f"a11y-{self.locale}-{name}.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            self.problems.append(f"[{self.locale}] {name}: scrolls sideways at {WIDTH} px ({width} px wide)")
        self.problems.extend(f"[{self.locale}] {name}: {problem}" for problem in axe_violations(page))
        self.checked.append(name)

    def report(self) -> str:
        return f"{len(self.problems)} problem(s) on {self.checked}:\n" + "\n".join(self.problems)


LOCALES = [
    pytest.param("tr", id="tr"),
    "ar",  # right-to-left: the issue asks for Turkish and Arabic
]


@pytest.mark.parametrize("locale", LOCALES)
def test_portal_pages_have_no_serious_accessibility_violation(server: Server, artifacts_dir: Path, locale: str) -> None:
    arrival = (datetime.now(ZoneInfo("Asia/Seoul")).date() + timedelta(days=30)).isoformat()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": WIDTH, "height": 812}, locale=locale, bypass_csp=AXE_NEEDS)
            page = context.new_page()
            audit = Audit(page, locale, artifacts_dir)

            page.goto(f"{server.base}/?lang={locale}")  # the choice is kept in a cookie from here on
            audit.check("eligibility")
            page.select_option("#f-nationality", "TUR")
            fill_date(page, "#f-birth-date", "1990-04-12")
            fill_date(page, "#f-arrival-date", arrival)
            submit(page)
            page.wait_for_selector(".result")
            audit.check("eligibility-result")

            page.goto(f"{server.base}/apply")
            audit.check("apply")
            submit(page)
            page.wait_for_selector(".summary")
            audit.check("apply-errors")
            fill_application(page, arrival)
            submit(page)
            page.wait_for_load_state()
            if page.query_selector("main form[action='/apply/submit']") is not None:
                audit.check("review")
                page.click("main form[action='/apply/submit'] button[type=submit]:not([value=edit])")
                page.wait_for_load_state()
            reference = ""
            if page.url.endswith("/apply/confirmation"):
                reference = page.inner_text("dd.reference").strip()
                audit.check("confirmation")
                submit(page)
                page.wait_for_url("**/sandbox/checkout/**")
                audit.check("sandbox-checkout")
                page.click("button[value=captured]")
                page.wait_for_url("**/apply/paid")
                audit.check("paid")
            else:
                audit.unreachable.append(f"confirmation and paid (the form answered: {summary(page)})")
            page.goto(f"{server.base}/status")
            audit.check("status")
            submit(page)
            page.wait_for_selector(".summary")
            audit.check("status-errors")
            page.fill("#f-reference", reference or "K00000000000")
            page.fill("#f-passport-number", "U12345678")
            submit(page)
            page.wait_for_load_state()
            audit.check("status-result" if reference else "status-not-found")
        finally:
            browser.close()
    print(json.dumps({"locale": locale, "checked": audit.checked}))
    assert not audit.problems, audit.report()
    if audit.unreachable:
        pytest.skip(f"[{locale}] every page reached passed, but not reached: {'; '.join(audit.unreachable)}")


@pytest.mark.parametrize("locale", LOCALES)
def test_group_pages_have_no_serious_accessibility_violation(
    server: Server, artifacts_dir: Path, locale: str, tmp_path: Path
) -> None:
    arrival = (datetime.now(ZoneInfo("Asia/Seoul")).date() + timedelta(days=30)).isoformat()
    # Own passport numbers per language: both runs file into the same server.
    offset = 10 if locale == "ar" else 20
    rows = [member_form(offset + i, travel__arrival_date=arrival) for i in range(3)]
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(members_csv(rows))
    bad.write_bytes(members_csv([{**rows[0], "passport.number": "#?", "travel.purpose": "holiday"}]))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(
                viewport={"width": WIDTH, "height": 812}, locale=locale, bypass_csp=AXE_NEEDS
            ).new_page()
            audit = Audit(page, locale, artifacts_dir)
            page.goto(f"{server.base}/group?lang={locale}")
            audit.check("group")
            page.click("button[value=submit]")
            page.wait_for_selector(".summary")
            audit.check("group-errors")
            page.set_input_files("#f-members-csv", str(bad))
            page.click("button[value=csv]")
            page.wait_for_selector(".member-problems")
            audit.check("group-member-errors")
            page.click("button[value='remove:0']")
            page.wait_for_load_state()
            for name, value in REPRESENTATIVE.items():
                page.fill(f"[name='{name}']", value)
            page.set_input_files("#f-members-csv", str(good))
            page.click("button[value=csv]")
            page.wait_for_selector(".notice")
            page.check("#f-consent")
            page.click("button[value=submit]")
            page.wait_for_load_state()
            assert page.url.endswith("/group/confirmation"), summary(page)
            reference = page.inner_text("dd.group-reference").strip()
            audit.check("group-confirmation")
            page.set_input_files("#f-photo-0", files=[jpeg("blank.jpg", blank_jpeg())])
            page.click("form[action='/group/photos'] button[type=submit]")
            page.wait_for_selector("#f-photo-0-error")
            audit.check("group-photo-errors")
            for index in range(3):
                page.set_input_files(f"#f-photo-{index}", files=[jpeg(f"{index}.jpg", face_jpeg())])
            page.click("form[action='/group/photos'] button[type=submit]")
            page.wait_for_load_state()
            assert page.locator("#f-photos").count() == 0, summary(page)
            submit(page)
            page.wait_for_url("**/sandbox/checkout/**")
            page.click("button[value=captured]")
            page.wait_for_url("**/group/paid")
            audit.check("group-paid")
            page.goto(f"{server.base}/status")
            page.fill("#f-group-reference", reference)
            page.fill("#f-representative-email", REPRESENTATIVE["representative.email"])
            page.click("form[action='/status/group'] button[type=submit]")
            page.wait_for_selector("table.members-table")
            audit.check("group-status")
        finally:
            browser.close()
    assert not audit.problems, audit.report()


def jpeg(name: str, data: bytes) -> FilePayload:
    return {"name": name, "mimeType": "image/jpeg", "buffer": data}


def submit(page: Page) -> None:
    """The form's own button: the last one shown (the application form has a bio-page reader too)."""
    page.locator("main form button[type=submit]:visible").last.click()


def summary(page: Page) -> str:
    found = page.query_selector("main .summary")
    return " ".join(found.inner_text().split()) if found is not None else page.url
