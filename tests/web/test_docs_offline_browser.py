"""/docs and /redoc render with the network cut off: a real browser (Debian's Chromium) against
`keta serve`, with every request to another host aborted. Swagger UI and ReDoc come from the
project (keta.web.api_docs), so the operations appear, and nothing even tries to leave."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, sync_playwright
from tests.portal.browser import CHROMIUM, CHROMIUM_ARGS, Server, serving

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed (make system-deps)"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("docs")) as running:
        yield running


def offline(page: Page, base: str) -> list[str]:
    """Abort every request that is not for `base`'s host; the list of those aborted."""
    ours = urlsplit(base).netloc
    aborted: list[str] = []

    def route(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).netloc == ours or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            aborted.append(url)
            route.abort()

    page.route("**/*", route)
    return aborted


def test_swagger_ui_renders_the_operations_offline(server: Server) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            aborted = offline(page, server.base)
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(server.base + "/docs")
            page.wait_for_selector(".opblock", timeout=30_000)
            paths = page.locator(".opblock .opblock-summary-path").all_inner_texts()
            assert any("/api/v1/applications" in path for path in paths), paths
            assert any("/api/v1/groups" in path for path in paths), paths
            assert len(paths) >= 10, paths
            assert aborted == [] and errors == [], (aborted, errors)
        finally:
            browser.close()


def test_redoc_renders_the_operations_offline(server: Server) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            aborted = offline(page, server.base)
            page.goto(server.base + "/redoc")
            page.wait_for_selector("[data-section-id^='operation/']", timeout=30_000)
            assert page.locator("[data-section-id^='operation/']").count() >= 10
            assert "/api/v1/applications" in page.inner_text("body")
            assert aborted == [], aborted
        finally:
            browser.close()
