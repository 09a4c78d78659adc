"""What the browser tests share: Debian's Chromium and a `keta serve` process on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.error import URLError
from urllib.request import urlopen

from playwright.sync_api import Page
from tests.portal.forms import face_jpeg

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; never `playwright install`
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
BLOCKING = frozenset({"serious", "critical"})


def axe_violations(page: Page) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page, one text each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results: dict[str, Any] = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    problems = []
    for violation in results["violations"]:
        if violation.get("impact") not in BLOCKING:
            continue
        targets = [", ".join(map(str, node["target"])) for node in violation["nodes"]]
        problems.append(
            f"{violation['id']} ({violation['impact']}) — {violation['help']}\n"
            f"    {violation['helpUrl']}\n" + "".join(f"    at {target}\n" for target in targets)
        )
    return problems


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Server:
    base: str
    log: Path


def server_env(folder: Path, **extra: str) -> dict[str, str]:
    """The environment of `keta serve` below, and of any `keta …` command run against its database."""
    return {
        **os.environ,
        "KETA_ENV": "development",
        "KETA_DATABASE_URL": f"sqlite:///{folder / 'portal.db'}",
        "KETA_EMBEDDED_WORKER": "true",
        "KETA_WORKER_POLL_SECONDS": "0.2",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def keta(folder: Path, *args: str, **extra: str) -> str:
    """Run a `keta` command against the served database; its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "keta", *args], env=server_env(folder, **extra), cwd=folder,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


@contextmanager
def serving(folder: Path, **extra_env: str) -> Iterator[Server]:
    """`keta serve` (embedded worker, development keys) on a SQLite file in `folder`, until the block ends."""
    port = free_port()
    log = folder / "serve.log"
    env = server_env(folder, **extra_env)
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "keta", "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=folder,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except (URLError, ConnectionError):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError(f"keta serve did not start:\n{log.read_text()}") from None
                time.sleep(0.2)
        yield Server(base, log)
    finally:
        process.terminate()
        process.wait(15)


def fill_date(page: Page, field_id: str, iso: str) -> None:
    """A date into GOV.UK's three boxes (`#f-x` is the first box; the others are `#f-x-day|month|year`),
    whichever order the page's language puts them in."""
    year, month, day = iso.split("-")
    first = page.get_attribute(field_id, "name") or ""
    for part, value in (("day", day), ("month", month), ("year", year)):
        page.fill(field_id if first.endswith("." + part) else f"{field_id}-{part}", value)


def fill_application(page: Page, arrival: str) -> None:
    """The whole application form, as a Turkish traveller fills it in, face photo included."""
    page.fill("#f-passport-surname", "Yılmaz")
    page.fill("#f-passport-given-names", "Ayşe")
    page.select_option("#f-passport-sex", "F")
    fill_date(page, "#f-passport-birth-date", "1990-04-12")
    page.select_option("#f-passport-nationality", "TUR")
    page.fill("#f-passport-number", "U12345678")
    page.select_option("#f-passport-issuing-country", "TUR")
    fill_date(page, "#f-passport-expiry-date", "2033-04-11")
    page.fill("#f-email", "ayse.yilmaz@example.org")
    page.fill("#f-phone", "+90 555 010 2030")
    fill_date(page, "#f-travel-arrival-date", arrival)
    page.select_option("#f-travel-purpose", "tourism")
    page.fill("#f-travel-address-in-korea", "110 Sejong-daero, Jung-gu, Seoul 04524")
    page.fill("#f-travel-flight-number", "TK90")
    page.select_option("#f-background-employment", "employed")
    page.fill("#f-background-occupation", "Mühendis")
    page.check("input[name='background.criminal_record'][value=false]")
    page.check("input[name='background.infectious_disease'][value=false]")
    page.check("input[name='background.agency_helped'][value=false]")
    page.check("#f-consent")
    page.set_input_files("#f-photo", files=[{"name": "yuz.jpg", "mimeType": "image/jpeg", "buffer": face_jpeg()}])
