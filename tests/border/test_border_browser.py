"""The border desk in a real browser (Debian's Chromium, Playwright), in Korean, against `keta serve` in
its own process: a traveller applies and pays, screening approves; a border officer signs in (password +
TOTP), types the two MRZ lines of the traveller's passport as a document reader would, sees the
authorization, and records the entry; an unknown passport shows "no authorization". axe-core runs on
each page; screenshots go to test-artifacts/."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx2 as httpx
import pytest
from playwright.sync_api import Page, sync_playwright
from tests.backoffice.test_backoffice_browser import Desk
from tests.factories import application_json
from tests.payments import finish_checkout
from tests.portal.browser import AXE, CHROMIUM, CHROMIUM_ARGS, Server, axe_violations, keta, serving

from keta.domain.mrz import render_td3
from keta.i18n import backoffice_text

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed (make system-deps)"),
    pytest.mark.skipif(not AXE.exists(), reason=f"axe-core is not installed at {AXE} (make node-deps)"),
]
# The factory's traveller (tests.factories.application_json), as her passport's MRZ prints her.
LINES = render_td3(
    issuing_state="TUR", surname="YILMAZ", given_names="AYSE", document_number="U12345678", nationality="TUR",
    birth_date=date(1990, 4, 12), sex="F", expiry_date=date(2033, 4, 11),
)  # fmt: skip
UNKNOWN = render_td3(  # Türkiye: visa-free, not temporarily exempt; 41 years old: a K-ETA is required
    issuing_state="TUR", surname="KAYA", given_names="MEHMET", document_number="U98765432", nationality="TUR",
    birth_date=date(1984, 8, 12), sex="M", expiry_date=date(2031, 10, 31),
)  # fmt: skip


def ko(msgid: str, **params: object) -> str:
    return backoffice_text("ko", msgid, **params)


def _approved_traveller(server: Server) -> str:
    arrival = (datetime.now(ZoneInfo("Asia/Seoul")).date() + timedelta(days=30)).isoformat()
    with httpx.Client(base_url=server.base) as client:
        created = client.post("/api/v1/applications", json=application_json(travel__arrival_date=arrival))
        assert created.status_code == 201, created.text
        reference = str(created.json()["reference"])
        checkout = client.post(f"/api/v1/applications/{reference}/payment", json={"passport_number": "U12345678"})
        assert checkout.status_code == 201, checkout.text
        assert finish_checkout(client, checkout.json()["checkout_url"]).status_code == 303  # type: ignore[arg-type]
        deadline = time.monotonic() + 30
        lookup = f"/api/v1/applications/{reference}/lookup"
        while client.post(lookup, json={"passport_number": "U12345678"}).json()["status"] != "approved":
            assert time.monotonic() < deadline, "screening did not approve the application"
            time.sleep(0.2)
    return reference


def _read_passport(page: Page, lines: tuple[str, str]) -> None:
    """A document reader "types" each line and presses Enter after the second."""
    page.fill("#mrz_line1", "")
    page.type("#mrz_line1", lines[0])
    page.fill("#mrz_line2", "")
    page.type("#mrz_line2", lines[1])
    with page.expect_navigation():
        page.press("#mrz_line2", "Enter")


def test_a_border_officer_reads_an_approved_passport_and_records_the_entry(tmp_path: Path, artifacts_dir: Path) -> None:
    keta(tmp_path, "db", "upgrade")
    problems: list[str] = []
    with serving(tmp_path) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            reference = _approved_traveller(server)
            officer = Desk(browser, server, tmp_path, artifacts_dir, "yoon.border", "border")
            officer.sign_in()
            page = officer.page
            assert page.url.endswith("/border")

            def check(name: str) -> None:
                assert page.get_attribute("html", "lang") == "ko", name
                page.screenshot(path=str(artifacts_dir / f"border-ko-{name}.png"), full_page=True)
                problems.extend(f"{name}: {p}" for p in axe_violations(page))

            check("desk")
            _read_passport(page, LINES)
            result = page.inner_text("main")
            assert ko("bo.border.status.authorized") in result
            assert reference in result and "Yılmaz, Ayşe" in result  # as on the application
            assert ko("bo.border.arrival_card_exempt") in result
            check("authorized")

            page.select_option("#port", "ICN")
            with page.expect_navigation():
                page.click(f"button:text('{ko('bo.border.record')}')")
            today = datetime.now(ZoneInfo("Asia/Seoul")).date().isoformat()
            assert ko("bo.border.recorded", port="ICN", date=today) in page.inner_text("[role=status]")
            check("recorded")
            with page.expect_navigation():
                page.click(f"button:text('{ko('bo.border.record')}')")  # a second press changes nothing
            assert ko("bo.border.already_recorded", port="ICN", date=today) in page.inner_text("[role=status]")

            _read_passport(page, UNKNOWN)
            result = page.inner_text("main")
            assert ko("bo.border.status.no_authorization") in result
            assert ko("bo.border.meaning.no_authorization") in result
            check("no-authorization")

            broken = LINES[1][:19] + str((int(LINES[1][19]) + 1) % 10) + LINES[1][20:]
            _read_passport(page, (LINES[0], broken))
            assert ko("bo.border.field.mrz_birth_date") in page.inner_text("[role=alert]")
            assert page.get_attribute("#mrz_line2", "aria-invalid") == "true"
            check("check-digit")
            assert problems == [], "\n".join(problems)
        finally:
            browser.close()
    assert "audit trail intact" in keta(tmp_path, "audit", "verify")
