"""`keta bench carrier`, part 3: the servers under test — `keta serve --workers W` in production
mode on 127.0.0.1 — and what /proc says about them (CPU time, peak RSS)."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

from keta.bench import carrier_load


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(
    database_url: str, *, schema: str, workers: int, rate_limit_url: str, keys: dict[str, str], log: Path
) -> Iterator[tuple[str, int]]:
    port = _free_port()
    env = {
        **os.environ,
        **keys,
        "KETA_ENV": "production",
        "KETA_DATABASE_URL": carrier_load.schema_url(database_url, schema),
        "KETA_SMTP_URL": "smtp://127.0.0.1:9",  # required in production; nothing here sends mail
        # Required in production too; the carrier check never calls the gateway, so it need not exist.
        "KETA_PAYMENT_PROVIDER": "gateway",
        "KETA_PAYMENT_GATEWAY_URL": "https://pay.invalid/v1",
        "KETA_PAYMENT_API_KEY": "bench-not-used",
        "KETA_PAYMENT_WEBHOOK_SECRET": secrets.token_urlsafe(32),
        "KETA_PUBLIC_URL": "https://eta.invalid",
        "KETA_EMBEDDED_WORKER": "false",
        "KETA_BENCH_ENDPOINTS": "true",
        "KETA_RATE_LIMIT_URL": rate_limit_url,
        "KETA_LOG_LEVEL": "WARNING",  # no access log: it would cost the ceiling and the check alike
    }
    command = [sys.executable, "-m", "keta", "serve", "--port", str(port), "--workers", str(workers)]
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310 - our own loopback server
                    if response.status == 200:
                        break
            except (URLError, ConnectionError):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"keta serve did not start:\n{log.read_text()[-3000:]}") from None
                time.sleep(0.3)
        yield base, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


def _tree(pid: int) -> list[int]:
    """A process and its descendants (uvicorn's supervisor and its workers)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            pending.extend(int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split())
        except OSError:
            continue
    return found


def peak_rss(pid: int) -> dict[int, int]:
    """VmHWM (bytes) of a process and its descendants."""
    found: dict[int, int] = {}
    for current in _tree(pid):
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                found[current] = int(line.split()[1]) * 1024
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time so far of a process and its descendants. Divided by the requests
    served meanwhile, it is the server's cost per request — a number a busy neighbour on a shared
    machine barely moves, unlike throughput."""
    ticks = 0
    for current in _tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")
