"""`keta demo` (what `make run` starts) really serves the seeded data over HTTP, in a real process."""

from __future__ import annotations

import json
import os
import re
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


@pytest.mark.slow
def test_demo_serves_seeded_applications(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "demo.log"
    env = {**os.environ, "KETA_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}", "PYTHONUNBUFFERED": "1"}
    env.pop("KETA_ENV", None)
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "keta", "demo", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if call(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                    break
            except (URLError, ConnectionError):
                time.sleep(0.3)
        else:
            raise AssertionError(f"demo did not start:\n{log.read_text()}")
        printed = log.read_text()
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
    finally:
        process.terminate()
        process.wait(15)
