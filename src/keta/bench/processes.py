"""keta processes under test (`keta serve`, `keta worker`), started as an operator would start them,
and what /proc says about them: CPU time, resident memory now and at its peak.

Shared by `keta bench carrier`, `keta bench crash` and `keta bench soak`. Every server listens on
127.0.0.1 only, on a port picked free; `production_env` is the full production configuration a
bench runs under (real keys made for the run, SMTP, a payment gateway), so what is measured is
what production would run.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.error import URLError
from urllib.request import urlopen


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_keys() -> dict[str, str]:
    """Fresh keys for one run: they pass the production guards and are never reused."""
    return {"KETA_DATA_KEY": secrets.token_urlsafe(32), "KETA_SECRET_KEY": secrets.token_urlsafe(32)}


def production_env(
    database_url: str,
    *,
    keys: Mapping[str, str],
    smtp_url: str = "smtp://127.0.0.1:9",
    gateway_url: str = "https://pay.invalid/v1",
    gateway_api_key: str = "bench-not-used",
    webhook_secret: str | None = None,
    **settings: str,
) -> dict[str, str]:
    """The environment of a production keta process for a bench: `settings` are further KETA_
    variables by their lower-case names without the prefix (`embedded_worker="false"`)."""
    return {
        **os.environ,
        **keys,
        "KETA_ENV": "production",
        "KETA_DATABASE_URL": database_url,
        "KETA_SMTP_URL": smtp_url,
        "KETA_PAYMENT_PROVIDER": "gateway",
        "KETA_PAYMENT_GATEWAY_URL": gateway_url,
        "KETA_PAYMENT_API_KEY": gateway_api_key,
        "KETA_PAYMENT_WEBHOOK_SECRET": webhook_secret or secrets.token_urlsafe(32),
        "KETA_PUBLIC_URL": "https://eta.invalid",
        "KETA_LOG_LEVEL": "WARNING",  # no access log: it would cost every request alike
        **{f"KETA_{name.upper()}": value for name, value in settings.items()},
    }


@dataclass
class KetaProcess:
    """One `python -m keta …` process: started, killed and restarted with the same arguments."""

    name: str
    arguments: Sequence[str]
    env: Mapping[str, str]
    log: Path
    port: int | None = None  # a server's port; None for a worker
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0
    kills: int = 0
    _logs: list[IO[str]] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> None:
        out = self.log.open("a")
        self._logs.append(out)
        command = [sys.executable, "-m", "keta", *self.arguments]
        self.process = subprocess.Popen(command, env=dict(self.env), stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
        self.starts += 1

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_ready(self, timeout: float = 120.0) -> None:
        """A server: until /healthz answers 200. A worker: until it has been up for a moment."""
        deadline = time.monotonic() + timeout
        while True:
            if not self.alive():
                raise RuntimeError(f"{self.name} exited while starting:\n{self.log.read_text()[-3000:]}")
            if self.port is None:
                return
            try:
                with urlopen(f"{self.base}/healthz", timeout=2) as response:  # noqa: S310 - our own loopback server
                    if response.status == 200:
                        return
            except (URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not become ready:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL the process and everything it started (uvicorn's workers, a pool's children)."""
        if self.process is None:
            return
        for pid in reversed(tree(self.process.pid)):
            _send(pid, signal.SIGKILL)
        self.process.wait()
        self.kills += 1

    def stop(self, timeout: float = 30.0) -> int | None:
        """SIGTERM and wait (a clean shutdown); SIGKILL after `timeout`. The exit code, None if killed."""
        code: int | None = None
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                code = self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        for out in self._logs:
            out.close()
        self._logs.clear()
        return code


def _send(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it exited meanwhile
        os.kill(pid, signum)


def tree(pid: int) -> list[int]:
    """A process and its descendants, parents first (uvicorn's supervisor and its workers)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop(0)
        found.append(current)
        try:
            pending.extend(int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split())
        except OSError:
            continue
    return found


def _status_field(pid: int, name: str) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1]) * 1024
    return None


def peak_rss(pid: int) -> dict[int, int]:
    """VmHWM (bytes) of a process and its descendants."""
    found = {current: _status_field(current, "VmHWM") for current in tree(pid)}
    return {current: value for current, value in found.items() if value is not None}


def rss(pid: int) -> dict[int, int]:
    """VmRSS (bytes, resident now) of a process and its descendants."""
    found = {current: _status_field(current, "VmRSS") for current in tree(pid)}
    return {current: value for current, value in found.items() if value is not None}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time so far of a process and its descendants. Divided by the requests
    served meanwhile, it is the server's cost per request — a number a busy neighbour on a shared
    machine barely moves, unlike throughput."""
    ticks = 0
    for current in tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")
