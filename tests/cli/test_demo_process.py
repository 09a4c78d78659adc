"""`keta demo` (what `make run` starts) really serves the seeded data over HTTP, in a real process, on
the port KETA_PORT names; its banner starts with the portal, every run prints the cases again (and
`--reset` starts over); demo e-mails land in ./mailbox and on /dev/mailbox. `make run PORT=…` passes
the port on."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.error import URLError
from urllib.request import Request, urlopen

import pytest


def call(url: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = Request(url, data=data, headers={"content-type": "application/json", "accept-language": "tr"})
    with urlopen(request, timeout=5) as response:
        return response.status, json.loads(response.read())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_demo(tmp_path: Path, port: int, *args: str) -> tuple[subprocess.Popen[bytes], Path]:
    log = tmp_path / f"demo-{len(list(tmp_path.glob('demo-*.log')))}.log"
    env = {**os.environ, "KETA_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}", "PYTHONUNBUFFERED": "1"}
    env["KETA_PORT"] = str(port)  # the port from the environment, as `KETA_PORT=8080 make run` does
    env.pop("KETA_ENV", None)
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "keta", "demo", *args], env=env, stdout=out, stderr=subprocess.STDOUT, cwd=tmp_path
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if call(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                return process, log
        except (URLError, ConnectionError):
            time.sleep(0.3)
    process.terminate()
    process.wait(15)
    raise AssertionError(f"demo did not start:\n{log.read_text()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(15)


@pytest.mark.slow
def test_demo_serves_seeded_applications(tmp_path: Path) -> None:
    port = free_port()
    process, log = start_demo(tmp_path, port)
    try:
        printed = log.read_text()
        lines = [line.strip() for line in printed.splitlines() if line.strip().startswith(("Portal:", "Try:", "API"))]
        assert lines[0] == f"Portal:      http://127.0.0.1:{port}/", printed  # the portal first
        assert lines[1].startswith(f"Try:         http://127.0.0.1:{port}/status"), printed
        assert '"Decline (sandbox)" declines it' in printed and f"http://127.0.0.1:{port}/dev/mailbox" in printed
        match = re.search(r"approved after screening \(Türkiye\): (\S+)\s+\((\S+)\)", printed)
        assert match, printed
        reference, passport = match.groups()
        status, body = call(
            f"http://127.0.0.1:{port}/api/v1/applications/{reference}/lookup", {"passport_number": passport}
        )
        assert status == 200
        assert body["status"] == "approved"
        watched = re.search(r"possible watchlist match \(Russia\): (\S+)\s+\((\S+)\)", printed)
        assert watched, printed
        status, body = call(
            f"http://127.0.0.1:{port}/api/v1/applications/{watched.group(1)}/lookup",
            {"passport_number": watched.group(2)},
        )
        assert body["status"] == "in_review"
        assert body["decision_reasons"][0]["code"] == "watchlist_possible_match"
        group = re.search(r"group of 3.*: (G\S+)\s+\((\S+)\)", printed)
        assert group, printed
        _, view = call(f"http://127.0.0.1:{port}/api/v1/groups/{group.group(1)}/lookup", {"email": group.group(2)})
        assert len(view["members"]) == 3
        mails = sorted((tmp_path / "mailbox").glob("*.eml"))
        assert mails, "the demo's e-mails are not in ./mailbox"
        with urlopen(f"http://127.0.0.1:{port}/dev/mailbox", timeout=5) as page:
            assert mails[0].name in page.read().decode()
    finally:
        stop(process)

    # A second run on the same database prints the same cases again; --reset seeds new ones.
    process, log = start_demo(tmp_path, port)
    try:
        again = re.search(r"approved after screening \(Türkiye\): (\S+)\s+\((\S+)\)", log.read_text())
        assert again and again.groups() == (reference, passport), log.read_text()
        assert "seeded by an earlier run" in log.read_text()
    finally:
        stop(process)
    process, log = start_demo(tmp_path, port, "--reset")
    try:
        fresh = re.search(r"approved after screening \(Türkiye\): (\S+)\s+\((\S+)\)", log.read_text())
        assert fresh and fresh.group(1) != reference, log.read_text()
        assert "seeded by an earlier run" not in log.read_text()
    finally:
        stop(process)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_passes_the_port_and_reset_on() -> None:
    root = Path(__file__).resolve().parents[2]

    def dry_run(*variables: str) -> str:
        """The `keta demo` line `make run` would execute (-n: nothing runs, nothing installs)."""
        done = subprocess.run(
            ["make", "-n", "--no-print-directory", "-C", str(root), "run", *variables],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        return [line for line in done.stdout.splitlines() if "keta demo" in line][-1]

    assert dry_run("PORT=8123", "RESET=1").endswith("/keta demo --port 8123 --reset")
    assert dry_run().endswith("/keta demo")  # then KETA_PORT, else 8000
