"""The other side of the counter in a real browser (Debian's Chromium, Playwright), in Korean, against
`keta serve` in its own process with a real SMTP server (aiosmtpd) receiving the applicant's mail:

an officer enrols (password + TOTP from the QR page's key) and signs in, opens the flagged case of a
Turkish traveller, reads the explanation and refuses with a ground; a supervisor confirms; the
traveller reads the ground in Turkish on the status page (JavaScript off, 375 px) and in the e-mail,
and asks for a review; a third officer, who took no part in the refusal, approves it on review.
axe-core runs on every back-office page; a screenshot of each is saved in test-artifacts/."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx2 as httpx
import pyotp
import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser, sync_playwright
from tests.factories import application_json
from tests.notifications.conftest import free_port
from tests.notifications.smtp_inbox import Inbox, parts
from tests.payments import finish_checkout
from tests.portal.browser import AXE, CHROMIUM, CHROMIUM_ARGS, Server, axe_violations, keta, serving

from keta.i18n import backoffice_text, gettext

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed (make system-deps)"),
    pytest.mark.skipif(not AXE.exists(), reason=f"axe-core is not installed at {AXE} (make node-deps)"),
]
PASSWORD = "seoul desk night shift 42"
WATCHLIST = '{"id": "wl-ay", "schema": "Person", "properties": {"name": ["Ayşe Yılmaz"], "birthDate": ["1990"]}}\n'


def ko(msgid: str, **params: object) -> str:
    return backoffice_text("ko", msgid, **params)


class Desk:
    """One member of staff in their own browser context (Korean, JavaScript on for axe-core only)."""

    def __init__(self, browser: Browser, server: Server, folder: Path, artifacts: Path, username: str, role: str):
        self.server, self.artifacts, self.username = server, artifacts, username
        # bypass_csp: axe-core goes in as the test's own inline script, which the pages' CSP rightly blocks.
        context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900}, bypass_csp=True)
        self.page = context.new_page()
        self.problems: list[str] = []
        token = keta(folder, "staff", "create", username, "--role", role).split()[-1].rsplit("/", 1)[-1]
        self.enrol(token)

    def check(self, name: str) -> None:
        assert self.page.get_attribute("html", "lang") == "ko", name
        self.page.screenshot(path=str(self.artifacts / f"backoffice-ko-{name}.png"), full_page=True)
        self.problems.extend(f"{name}: {p}" for p in axe_violations(self.page))

    def enrol(self, token: str) -> None:
        page = self.page
        page.goto(f"{self.server.base}/backoffice/enrol/{token}")
        assert page.locator("svg").count() == 1  # the QR code, drawn by the server
        self.check(f"enrol-{self.username}")
        self.secret = page.inner_text(".mono").strip()
        totp = pyotp.TOTP(self.secret)
        page.fill("#password", PASSWORD)
        page.fill("#password_again", PASSWORD)
        page.fill("#code", totp.at(datetime.now(UTC) - timedelta(seconds=30)))  # the step before the sign-in's
        page.click("button[type=submit]")
        assert ko("bo.enrol.done_title") in page.inner_text("h1")

    def sign_in(self) -> None:
        page = self.page
        page.goto(f"{self.server.base}/backoffice/login")
        self.check("login")
        page.fill("#username", self.username)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        assert page.url.endswith("/backoffice/login/code")
        self.check("code")
        page.fill("#code", pyotp.TOTP(self.secret).now())
        page.click("button[type=submit]")

    def open_case(self, reference: str, name: str) -> None:
        page = self.page
        page.goto(f"{self.server.base}/backoffice/queue")
        assert ko("bo.queue.title") in page.inner_text("h1")
        self.check(f"queue-{name}")
        page.click(f"a:text('{reference}')")
        assert ko("bo.case.title", reference=reference) in page.inner_text("h1")
        self.check(f"case-{name}")


@pytest.fixture
def mail() -> Iterator[tuple[Inbox, str]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=True)
    controller.start()
    try:
        yield inbox, f"smtp://127.0.0.1:{controller.port}?from=K-ETA%20%3Cno-reply%40keta.example%3E"
    finally:
        controller.stop()


def _wait(predicate: object, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _text(message: EmailMessage) -> str:
    return parts(message)["text/plain"]


def _apply_and_pay(server: Server) -> str:
    reference = _apply(server, language="tr-TR")
    with httpx.Client(base_url=server.base) as client:
        checkout = client.post(f"/api/v1/applications/{reference}/payment", json={"passport_number": "U12345678"})
        assert checkout.status_code == 201, checkout.text
        assert finish_checkout(client, checkout.json()["checkout_url"]).status_code == 303  # type: ignore[arg-type]
        lookup = f"/api/v1/applications/{reference}/lookup"

        def in_review() -> bool:
            return client.post(lookup, json={"passport_number": "U12345678"}).json()["status"] == "in_review"

        _wait(in_review, "screening to send the application to review")
    return reference


def test_a_refusal_confirmed_explained_reviewed_and_overturned(
    tmp_path: Path, artifacts_dir: Path, mail: tuple[Inbox, str]
) -> None:
    inbox, smtp_url = mail
    (tmp_path / "list.jsonl").write_text(WATCHLIST, encoding="utf-8")
    keta(tmp_path, "db", "upgrade")
    keta(tmp_path, "watchlist", "import", str(tmp_path / "list.jsonl"), "--list", "test-list")
    with serving(tmp_path, KETA_SMTP_URL=smtp_url) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            reference = _apply_and_pay(server)
            officer = Desk(browser, server, tmp_path, artifacts_dir, "kim.officer", "officer")
            officer.sign_in()
            officer.open_case(reference, "screening")
            page = officer.page
            case_text = page.inner_text("main")
            assert "Yılmaz" in case_text and "wl-ay" in case_text  # the applicant beside the listed entity
            assert "surname YILMAZ = Yılmaz" in case_text  # the engine's explanation
            page.select_option("#proposal", "refuse")
            page.select_option("#ground", "security_risk")
            page.fill("#propose-note", "여권 일치, 명단 대조 완료")
            page.click(f"button:text('{ko('bo.action.propose')}')")
            assert ko("bo.case_status.awaiting_confirmation") in page.inner_text("main")
            officer.check("case-proposed")

            supervisor = Desk(browser, server, tmp_path, artifacts_dir, "park.super", "supervisor")
            supervisor.sign_in()
            supervisor.open_case(reference, "awaiting-confirmation")
            supervisor.page.click(f"button:text('{ko('bo.action.confirm')}')")
            assert ko("bo.outcome.refused") in supervisor.page.inner_text("main")
            supervisor.check("case-confirmed")
            supervisor.page.goto(f"{server.base}/backoffice/statistics")
            supervisor.check("statistics")

            turkish_ground = gettext("tr", "ground.security_risk")
            _wait(lambda: any(turkish_ground in _text(m) for m in _messages(inbox)), "the refusal e-mail")
            refusal = next(m for m in _messages(inbox) if turkish_ground in _text(m))
            assert refusal["Content-Language"] == "tr"
            assert gettext("tr", "email.refused.redress", days=90).split(":")[0] in _text(refusal)

            traveller = browser.new_context(
                locale="tr-TR", viewport={"width": 375, "height": 812}, java_script_enabled=False
            ).new_page()
            traveller.goto(f"{server.base}/status")
            traveller.fill("#f-reference", reference)
            traveller.fill("#f-passport-number", "U12345678")
            traveller.click("form button[type=submit]")
            assert turkish_ground in traveller.inner_text("main")
            traveller.screenshot(path=str(artifacts_dir / "backoffice-tr-status-refused.png"), full_page=True)
            traveller.fill("#f-reasons", "Listedeki kişi ben değilim; doğum tarihim farklı.")
            traveller.click("form[action='/status/redress'] button[type=submit]")
            traveller.wait_for_url("**/status/sent")
            traveller.screenshot(path=str(artifacts_dir / "backoffice-tr-redress-sent.png"), full_page=True)

            third = Desk(browser, server, tmp_path, artifacts_dir, "lee.officer", "officer")
            third.sign_in()
            third.open_case(reference, "redress")
            assert "Listedeki kişi ben değilim" in third.page.inner_text("main")
            third.page.click(f"button:text('{ko('bo.action.approve_redress')}')")
            assert ko("bo.outcome.overturned") in third.page.inner_text("main")
            third.check("case-overturned")

            traveller.goto(f"{server.base}/status")
            traveller.fill("#f-reference", reference)
            traveller.fill("#f-passport-number", "U12345678")
            traveller.click("form button[type=submit]")
            assert gettext("tr", "status.approved") in traveller.inner_text("main")
            problems = officer.problems + supervisor.problems + third.problems
            assert problems == [], "\n".join(problems)
        finally:
            browser.close()
    assert "audit trail intact" in keta(tmp_path, "audit", "verify")


def _messages(inbox: Inbox) -> list[EmailMessage]:
    return [received.message for received in list(inbox.received)]


def test_the_other_roles_pages_pass_axe(tmp_path: Path, artifacts_dir: Path) -> None:
    """Accounts (admin), the audit trail (auditor), an application's page and the search (officer),
    the landing page of a role without a queue (border)."""
    keta(tmp_path, "db", "upgrade")
    with serving(tmp_path) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            reference = _apply(server)
            admin = Desk(browser, server, tmp_path, artifacts_dir, "choi.admin", "admin")
            admin.sign_in()
            assert admin.page.url.endswith("/backoffice/staff")
            admin.page.fill("#username", "new.officer")
            admin.page.click(f"button:text('{ko('bo.staff.create')}')")
            assert "/backoffice/enrol/" in admin.page.inner_text(".notice")  # the link, shown once
            admin.check("staff")
            auditor = Desk(browser, server, tmp_path, artifacts_dir, "jung.audit", "auditor")
            auditor.sign_in()
            auditor.page.goto(f"{server.base}/backoffice/audit?verify=1")
            assert re.search(ko("bo.audit.intact", count="[0-9]+"), auditor.page.inner_text("main"))
            auditor.check("audit")
            officer = Desk(browser, server, tmp_path, artifacts_dir, "han.officer", "officer")
            officer.sign_in()
            officer.page.goto(f"{server.base}/backoffice/applications")
            officer.check("search")
            officer.page.fill("#reference", reference)
            officer.page.click("main button[type=submit]")
            assert ko("bo.application.title", reference=reference) in officer.page.inner_text("h1")
            officer.check("application")
            border = Desk(browser, server, tmp_path, artifacts_dir, "yoon.border", "border")
            border.sign_in()
            assert border.page.url.endswith("/border")  # a border officer lands on the desk
            border.check("border-desk")
            problems = admin.problems + auditor.problems + officer.problems + border.problems
            assert problems == [], "\n".join(problems)
        finally:
            browser.close()


def _apply(server: Server, language: str = "en") -> str:
    arrival = (datetime.now(ZoneInfo("Asia/Seoul")).date() + timedelta(days=30)).isoformat()
    with httpx.Client(base_url=server.base, headers={"accept-language": language}) as client:
        created = client.post("/api/v1/applications", json=application_json(travel__arrival_date=arrival))
        assert created.status_code == 201, created.text
        return str(created.json()["reference"])
