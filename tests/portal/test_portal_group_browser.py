"""A Turkish-speaking group representative in a real browser (Debian's Chromium driven by Playwright),
375 px wide, JavaScript off: downloads the CSV template, uploads three members (one with a mistake,
corrected through "edit"), submits, adds each member's face photo, pays once, then checks the group's
status — and one member checks their own application. Against `keta serve` in its own process; a
screenshot of each page is saved in test-artifacts/."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, sync_playwright
from tests.portal.browser import CHROMIUM, CHROMIUM_ARGS, Server, fill_date, serving
from tests.portal.forms import REPRESENTATIVE, face_jpeg, member_form, members_csv

from keta.i18n import field_message, gettext
from keta.web.portal.group_csv import COLUMNS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed (make system-deps)"),
]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with serving(tmp_path) as running:
        yield running


def shot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"portal-tr-group-{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, f"{name} scrolls sideways at 375 px"


def three_members(arrival: str) -> list[dict[str, str]]:
    members = [member_form(i, travel__arrival_date=arrival) for i in range(3)]
    members[1]["passport.expiry_date"] = "2020-01-01"  # a mistake the representative corrects on the page
    return members


def test_representative_submits_three_by_csv_pays_once_and_checks_status(
    server: Server, artifacts_dir: Path, tmp_path: Path
) -> None:
    arrival = (datetime.now(ZoneInfo("Asia/Seoul")).date() + timedelta(days=30)).isoformat()  # the server's clock
    members = three_members(arrival)
    csv_file = tmp_path / "uyeler.csv"
    csv_file.write_bytes(members_csv(members, delimiter=";"))  # as Turkish Excel saves it
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport={"width": 375, "height": 812}, java_script_enabled=False, locale="tr-TR", accept_downloads=True
            )
            page = context.new_page()
            page.goto(f"{server.base}/")
            page.click("nav a[href='/group']")
            assert page.inner_text("h1") == gettext("tr", "portal.group.title")
            shot(page, artifacts_dir, "01-empty")

            with page.expect_download() as download:
                page.click(f"text={gettext('tr', 'portal.group.csv_template')}")
            assert Path(download.value.path()).read_text().splitlines() == [",".join(COLUMNS)]

            for name, value in REPRESENTATIVE.items():
                page.fill(f"[name='{name}']", value)
            page.set_input_files("#f-members-csv", str(csv_file))
            page.click("button[value=csv]")
            assert gettext("tr", "portal.group.csv_added", count=3) in page.inner_text(".notice")
            assert page.locator("li.member").count() == 3
            problem = page.inner_text("#f-member-1 .member-problems")
            assert field_message("tr", "passport_expired") in problem
            assert gettext("tr", "portal.form.expiry_date") in problem
            shot(page, artifacts_dir, "02-csv-with-a-problem")

            # "Edit" puts the member back into the form; corrected, it joins the list again.
            page.click("#f-member-1 button[value='edit:1']")
            assert page.locator("li.member").count() == 2
            assert page.input_value("#f-passport-number") == members[1]["passport.number"]
            fill_date(page, "#f-passport-expiry-date", "2034-01-01")
            shot(page, artifacts_dir, "03-edit")
            page.click("button[value=add]")
            assert page.locator("li.member").count() == 3
            assert page.locator(".member-problems").count() == 0
            assert page.input_value("[name='representative.email']") == REPRESENTATIVE["representative.email"]
            page.check("#f-consent")
            shot(page, artifacts_dir, "04-ready")
            page.click("button[value=submit]")

            assert page.url.endswith("/group/confirmation"), page.inner_text("main")
            group_reference = page.inner_text("dd.group-reference").strip()
            member_references = [r.strip() for r in page.locator("table.members-table .reference").all_inner_texts()]
            assert len(member_references) == 3
            assert "₩" in page.inner_text("dd.fee")
            shot(page, artifacts_dir, "05-confirmation")

            # A face photo per member (a CSV file cannot carry them), then one payment for all.
            inputs = page.locator("form[action='/group/photos'] input[type=file]")
            assert inputs.count() == 3
            for index in range(3):
                photo = {"name": f"uye{index}.jpg", "mimeType": "image/jpeg", "buffer": face_jpeg()}
                inputs.nth(index).set_input_files(files=[photo])
            page.click("form[action='/group/photos'] button[type=submit]")
            assert "/group/confirmation?photos=3" in page.url and page.locator("#f-photos").count() == 0
            shot(page, artifacts_dir, "05b-photos-received")
            page.click("form[action='/group/payment'] button[type=submit]")
            # The sandbox's card page (a plain form: JavaScript is off), then back to keta.
            assert "/sandbox/checkout/" in page.url
            assert page.inner_text("h1") == gettext("tr", "portal.sandbox.title")
            assert page.inner_text(".sandbox-banner") == gettext("tr", "portal.banner.sandbox")
            shot(page, artifacts_dir, "05c-sandbox-checkout")
            page.click("button[value=captured]")
            assert page.url.endswith("/group/paid")
            assert page.inner_text("h1") == gettext("tr", "portal.paid.title")
            shot(page, artifacts_dir, "06-paid")

            # The group's status: every member approved once the embedded worker has screened them.
            approved = gettext("tr", "status.approved")
            deadline = time.monotonic() + 40
            while True:
                page.goto(f"{server.base}/status")
                page.fill("#f-group-reference", group_reference)
                page.fill("#f-representative-email", REPRESENTATIVE["representative.email"])
                page.click("form[action='/status/group'] button[type=submit]")
                statuses = page.locator("table.members-table .status-text").all_inner_texts()
                if statuses == [approved] * 3 or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            assert statuses == [approved] * 3
            shot(page, artifacts_dir, "07-group-status")

            # And one member, on their own: application reference + passport number.
            page.fill("#f-reference", member_references[0])  # the corrected member is last now
            page.fill("#f-passport-number", members[0]["passport.number"])
            page.click("form[action='/status'] button[type=submit]")
            assert page.locator("dd.status").count() == 1, page.inner_text("main")
            assert page.inner_text("dd.status") == approved
            shot(page, artifacts_dir, "08-member-status")
        finally:
            browser.close()
    logged = server.log.read_text()
    for personal in (members[0]["passport.number"], "Yılmaz", "mehmet.demir", members[0]["passport.birth_date"]):
        assert personal not in logged, personal
