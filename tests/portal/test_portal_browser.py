"""A Turkish-speaking traveller in a real browser (Debian's Chromium driven by Playwright), on a
375-px-wide screen with JavaScript switched off: eligibility → application (first with mistakes)
→ payment → status, against `keta serve` in its own process on a temporary SQLite database.
A screenshot of each page is saved in test-artifacts/."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, sync_playwright
from tests.portal.browser import CHROMIUM, CHROMIUM_ARGS, Server, fill_application, fill_date, serving

from keta.i18n import field_message, gettext

REVIEW_BUTTON = "form button[value=review]:not([hidden])"  # the first, hidden one takes Enter
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed (make system-deps)"),
]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with serving(tmp_path) as running:
        yield running


def shot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"portal-tr-{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, f"{name} scrolls sideways at 375 px"


def error_for(page: Page, input_id: str) -> str:
    described = page.get_attribute(f"#{input_id}", "aria-describedby") or ""
    assert f"{input_id}-error" in described.split(), input_id
    return page.inner_text(f"#{input_id}-error")


def test_turkish_traveller_applies_pays_and_checks_status(server: Server, artifacts_dir: Path) -> None:
    arrival = (datetime.now(ZoneInfo("Asia/Seoul")).date() + timedelta(days=30)).isoformat()  # the server's real clock
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport={"width": 375, "height": 812}, java_script_enabled=False, locale="tr-TR"
            )
            page = context.new_page()

            # Eligibility in Turkish (Accept-Language); the language selector (a <details>, no script)
            # opens, its links switch and are remembered.
            page.goto(f"{server.base}/")
            assert page.get_attribute("html", "lang") == "tr"  # from the browser's Accept-Language
            assert not page.is_visible("nav.languages a[hreflang=en]")  # closed: one line on a phone
            page.click("details.language-select summary")
            page.click("nav.languages a[hreflang=en]")
            assert page.get_attribute("html", "lang") == "en"
            page.click("details.language-select summary")
            page.click("nav.languages a[hreflang=tr]")
            assert page.get_attribute("html", "lang") == "tr"
            assert page.inner_text("h1") == gettext("tr", "portal.eligibility.title")
            page.select_option("#f-nationality", "TUR")
            fill_date(page, "#f-birth-date", "1990-04-12")
            fill_date(page, "#f-arrival-date", arrival)
            shot(page, artifacts_dir, "01-eligibility")
            page.click("form button[type=submit]")
            assert gettext("tr", "outcome.required") in page.inner_text(".result")
            shot(page, artifacts_dir, "02-eligibility-result")

            # The application: first sent empty, then filled in.
            page.click(f"text={gettext('tr', 'portal.eligibility.apply_now')}")
            assert page.url.endswith("/apply")
            page.click(REVIEW_BUTTON)
            assert error_for(page, "f-passport-surname") == field_message("tr", "required")
            assert error_for(page, "f-photo") == field_message("tr", "required")
            assert error_for(page, "f-background-criminal-record") == field_message("tr", "required")
            assert error_for(page, "f-consent") == field_message("tr", "must_be_true")
            shot(page, artifacts_dir, "03-apply-errors")
            fill_application(page, arrival)
            shot(page, artifacts_dir, "04-apply-filled")
            page.click(REVIEW_BUTTON)

            # The review page shows the answers; submitting from it saves the application.
            assert page.inner_text("h1") == gettext("tr", "portal.review.title"), page.inner_text("main")
            assert "U12345678" in page.inner_text("dl.review")
            shot(page, artifacts_dir, "04b-review")
            page.click("form button[value=submit]")

            # Confirmation with the reference and the fee, then the sandbox payment.
            assert page.url.endswith("/apply/confirmation"), page.inner_text("main")
            assert page.inner_text("h1") == gettext("tr", "portal.confirm.title")
            reference = page.inner_text("dd.reference").strip()
            assert "₩" in page.inner_text("dd.fee")
            assert page.inner_text(".sandbox-banner") == gettext("tr", "portal.banner.sandbox")
            shot(page, artifacts_dir, "05-confirmation")
            page.click("form[action='/apply/payment'] button[type=submit]")
            # The sandbox's card page (a plain form: JavaScript is off); its "Pay" returns to keta.
            assert "/sandbox/checkout/" in page.url
            assert page.inner_text(".sandbox-banner") == gettext("tr", "portal.banner.sandbox")
            shot(page, artifacts_dir, "05b-sandbox-checkout")
            page.click("button[value=captured]")
            assert page.url.endswith("/apply/paid")
            assert page.inner_text("h1") == gettext("tr", "portal.paid.title")
            shot(page, artifacts_dir, "06-paid")

            # Status: the embedded worker screens the paid application within a few seconds.
            approved = gettext("tr", "status.approved")
            deadline = time.monotonic() + 30
            while True:
                page.goto(f"{server.base}/status")
                page.fill("#f-reference", reference)
                page.fill("#f-passport-number", "U12345678")
                page.click("form button[type=submit]")
                if page.inner_text("dd.status") == approved or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            assert page.inner_text("dd.status") == approved
            assert page.get_attribute("html", "lang") == "tr"
            shot(page, artifacts_dir, "07-status")
        finally:
            browser.close()
    # The access log names the pages, never the traveller (look-ups go in POST bodies, not URLs).
    logged = server.log.read_text()
    assert "POST /status" in logged
    for personal in ("U12345678", "Yılmaz", "ayse.yilmaz", "1990-04-12"):
        assert personal not in logged, personal
    assert "/9j/" not in logged and "photo_token" not in logged  # the face photo, as base64 or sealed


def test_mrz_check_digits_are_checked_as_the_traveller_types(server: Server, artifacts_dir: Path) -> None:
    line1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
    line2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"  # ICAO 9303's specimen
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 375, "height": 812}, locale="tr-TR")
            page.goto(f"{server.base}/apply?lang=tr")
            page.fill("#f-mrz-0", line1)
            page.fill("#f-mrz-1", line2)
            assert page.inner_text("[data-mrz-live]") == ""
            page.fill("#f-mrz-1", line2[:13] + "7408132" + line2[20:])  # a birth date its digit does not fit
            wrong = gettext("tr", "portal.apply.mrz_digit_wrong", field=gettext("tr", "portal.form.birth_date"))
            assert wrong in page.inner_text("[data-mrz-live]")
            assert gettext("tr", "portal.form.passport_number") not in page.inner_text("[data-mrz-live]")
            page.screenshot(path=str(artifacts_dir / "portal-tr-08-mrz-live.png"), full_page=True)
        finally:
            browser.close()
