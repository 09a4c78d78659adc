"""The new self-service pages and the exempt group member in a real browser (Debian's Chromium,
against `keta serve` in its own process), in Turkish, Korean, Arabic and Thai: change
the travel details, withdraw (confirming first), "I lost my reference", and a group whose 14-year-old
member is flagged before the group pays. axe-core runs on every page; each page is saved at 375 px
and 1,280 px wide in test-artifacts/ (portal-<lang>-<journey>-<step>-<width>.png)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from urllib.request import Request, urlopen
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, sync_playwright
from tests.factories import member_json
from tests.portal.browser import AXE, CHROMIUM, CHROMIUM_ARGS, Server, axe_violations, serving
from tests.portal.forms import REPRESENTATIVE, member_form, members_csv

from keta.domain.dates import add_years
from keta.i18n import gettext, reason_message

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed (make system-deps)"),
    pytest.mark.skipif(not AXE.exists(), reason=f"axe-core is not installed at {AXE} (make node-deps)"),
]
LOCALES = ["tr", "ko", "ar", "th"]
WIDTHS = (375, 1280)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("self-service")) as running:
        yield running


def server_today() -> datetime:
    return datetime.now(ZoneInfo("Asia/Seoul"))


def submitted(server: Server, index: int) -> dict[str, str]:
    """An application filed through the JSON API (as an agency would): its reference and passport."""
    arrival = (server_today().date() + timedelta(days=30)).isoformat()
    body = member_json(index, travel__arrival_date=arrival)
    request = Request(
        f"{server.base}/api/v1/applications",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urlopen(request, timeout=30) as response:
        reference = json.loads(response.read())["reference"]
    return {"reference": reference, "passport": body["passport"]["number"], "email": body["email"]}


class Walk:
    """Checks each page with axe and saves it at both widths."""

    def __init__(self, page: Page, locale: str, journey: str, artifacts: Path) -> None:
        self.page, self.locale, self.journey, self.artifacts = page, locale, journey, artifacts
        self.problems: list[str] = []
        self.step = 0

    def check(self, name: str) -> None:
        page = self.page
        assert page.get_attribute("html", "lang") == self.locale, name
        assert page.get_attribute("html", "dir") == ("rtl" if self.locale == "ar" else "ltr"), name
        self.step += 1
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            stem = f"portal-{self.locale}-{self.journey}-{self.step:02d}-{name}-{width}"
            page.screenshot(path=str(self.artifacts / f"{stem}.png"), full_page=True)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                self.problems.append(f"{stem}: scrolls sideways ({scroll} px)")
            self.problems.extend(f"{stem}: {v}" for v in axe_violations(page))
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def look_up(page: Page, server: Server, found: dict[str, str]) -> None:
    page.goto(f"{server.base}/status")
    page.fill("#f-reference", found["reference"])
    page.fill("#f-passport-number", found["passport"])
    page.click("form[action='/status'] button[type=submit]")
    assert page.locator("dd.status").count() == 1, page.inner_text("main")


@pytest.mark.parametrize("locale", LOCALES)
def test_self_service_journeys_are_usable_and_axe_clean(server: Server, artifacts_dir: Path, locale: str) -> None:
    offset = 1 + 2 * LOCALES.index(locale)  # a distinct person per application (re-application cap)
    to_update, to_withdraw = submitted(server, offset), submitted(server, offset + 1)
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            # axe-core goes in as the test's own inline script, which the portal's CSP rightly blocks
            # (test_csp_browser shows the pages work under it); axe itself needs JavaScript on.
            context = browser.new_context(viewport={"width": 375, "height": 900}, bypass_csp=True)
            page = context.new_page()
            page.goto(f"{server.base}/status?lang={locale}")  # the language is remembered from here on

            walk = Walk(page, locale, "update", artifacts_dir)
            look_up(page, server, to_update)
            walk.check("status")
            page.click("form[action='/status/travel'] button[value=open]")
            assert page.inner_text("h1") == gettext(locale, "portal.manage.update")
            assert page.input_value("#f-email") == to_update["email"]
            walk.check("form")
            page.fill("#f-address-in-korea", "1 Jongno, Jongno-gu, Seoul 03154")
            page.click("button[value=save]")
            assert page.url.endswith("/status/sent")
            assert page.inner_text("p.notice") == gettext(locale, "portal.manage.travel_saved")
            walk.check("saved")
            problems += walk.problems

            walk = Walk(page, locale, "withdraw", artifacts_dir)
            look_up(page, server, to_withdraw)
            page.click("form[action='/status/withdraw'] button[value=ask]")
            assert page.inner_text("h1") == gettext(locale, "portal.manage.withdraw_title")
            walk.check("confirm")
            page.click("button[value=confirm]")
            assert page.inner_text("p.notice") == gettext(locale, "portal.manage.withdrawn")
            assert page.inner_text("dd.status") == gettext(locale, "status.withdrawn")
            assert page.locator("form[action='/status/withdraw']").count() == 0
            walk.check("withdrawn")
            problems += walk.problems

            walk = Walk(page, locale, "lost-reference", artifacts_dir)
            page.goto(f"{server.base}/status")
            page.click("a[href='/status/lost-reference']")
            assert page.inner_text("h1") == gettext(locale, "portal.lost.title")
            page.click("button[type=submit]")  # nothing typed: each input says so
            assert page.locator(".summary li").count() == 3
            walk.check("problems")
            page.select_option("#f-nationality", "TUR")
            page.fill("#f-passport-number", to_update["passport"])
            page.fill("#f-email", to_update["email"])
            page.click("button[type=submit]")
            assert page.inner_text("p.notice") == gettext(locale, "portal.lost.sent")
            walk.check("sent")
            problems += walk.problems
        finally:
            browser.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_14_year_old_member_is_flagged_before_the_group_pays(
    server: Server, artifacts_dir: Path, tmp_path: Path, locale: str
) -> None:
    arrival = (server_today().date() + timedelta(days=30)).isoformat()
    minor = add_years(server_today().date(), -14).isoformat()
    offset = 20 + 2 * LOCALES.index(locale)
    members = [
        member_form(offset, travel__arrival_date=arrival, passport__birth_date=minor),
        member_form(offset + 1, travel__arrival_date=arrival),
    ]
    csv_file = tmp_path / "members.csv"
    csv_file.write_bytes(members_csv(members))
    name = f"{members[0]['passport.surname']} {members[0]['passport.given_names']}"
    flag = gettext(locale, "portal.group.member_exempt", name=name, reasons=reason_message(locale, "age_17_or_under"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            # axe-core goes in as the test's own inline script, which the portal's CSP rightly blocks
            # (test_csp_browser shows the pages work under it); axe itself needs JavaScript on.
            context = browser.new_context(viewport={"width": 375, "height": 900}, bypass_csp=True)
            page = context.new_page()
            walk = Walk(page, locale, "group-exempt", artifacts_dir)
            page.goto(f"{server.base}/group?lang={locale}")
            for field, value in REPRESENTATIVE.items():
                page.fill(f"[name='{field}']", value)
            page.set_input_files("#f-members-csv", str(csv_file))
            page.click("button[value=csv]")
            assert page.locator("li.member").count() == 2
            assert page.inner_text("#f-member-0 .exempt-member") == flag
            assert page.locator("#f-member-1 .exempt-member").count() == 0
            walk.check("flagged")
            page.check("#f-consent")
            page.click("button[value=submit]")
            assert page.url.endswith("/group/confirmation"), page.inner_text("main")
            assert page.inner_text("h1") == gettext(locale, "portal.group.photos_needed_title")
            assert flag in page.inner_text(".exempt-members")
            assert page.locator(".payment-facts li").count() >= 5
            walk.check("confirmation")
        finally:
            browser.close()
    assert walk.problems == [], "\n".join(walk.problems)
