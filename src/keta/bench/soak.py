"""`keta bench soak`: mixed traffic for N minutes against several keta processes on PostgreSQL.

1. load approved authorizations with COPY into a schema of the bench's own, and make a carrier
   key through the carrier-key service (keta.bench.carrier_load, as `keta bench carrier` does);
2. start `keta serve --workers W` (no embedded worker) and `keta worker --concurrency M` in
   production mode, with the payment gateway and the mail server played by the bench;
3. run the load driver (keta.bench.traffic, a process of its own) with a mix of eligibility
   checks, submissions, payments (checkout + signed webhook), look-ups and carrier checks, paced
   to a request rate, while sampling every keta process's resident memory each minute;
4. print errors (goal 0), p50/p99 latency per kind, throughput, the servers' and workers' RSS at
   the start and the end (goal: flat), how far screening fell behind, then stop and drop.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from keta.adapters.clock import SystemClock
from keta.adapters.crypto import Keyring
from keta.adapters.payments import SandboxPayments
from keta.adapters.policy_files import load_policy
from keta.bench import carrier_load
from keta.bench.carrier import bench_nationalities
from keta.bench.outside import running_gateway, running_smtp_sink
from keta.bench.processes import KetaProcess, cpu_seconds, free_port, production_env, rss, run_keys
from keta.bench.traffic import Plan
from keta.db.engine import make_engine
from keta.db.models import Application, Job
from keta.db.queue import QUEUED, RUNNING
from keta.db.session import make_sessionmaker
from keta.services.runtime import Runtime

Say = Callable[[str], None]
MIX = {"eligibility": 0.2, "submit": 0.1, "payment": 0.1, "lookup": 0.25, "carrier": 0.35}
MIB = 2**20


@dataclass
class Sample:
    minute: float
    api_mib: float  # every process of `keta serve` (uvicorn's supervisor, its workers, multiprocessing's helper)
    worker_mib: float  # the pool's supervisor and its children
    load: float
    api_largest_mib: float = 0.0
    worker_largest_mib: float = 0.0


@dataclass
class SoakReport:
    minutes: float
    api_workers: int
    worker_concurrency: int
    authorizations: int
    driver: dict[str, Any] = field(default_factory=dict)
    samples: list[Sample] = field(default_factory=list)
    backlog_at_end: int = 0
    settle_seconds: float = 0.0
    undecided_after_settle: int = 0
    api_cpu_seconds: float = 0.0  # keta serve's processes, during the load
    worker_cpu_seconds: float = 0.0  # the worker pool's processes, from the load's start until drained
    load_before: float = field(default_factory=lambda: os.getloadavg()[0])


def run_soak(
    *,
    database_url: str,
    schema: str,
    minutes: float,
    api_workers: int,
    worker_concurrency: int,
    clients: int,
    rate: float,
    authorizations: int,
    policy_name: str,
    keep: bool,
    say: Say,
) -> SoakReport:
    report = SoakReport(minutes, api_workers, worker_concurrency, authorizations)
    keys = run_keys()
    clock = SystemClock()
    keyring = Keyring(keys["KETA_DATA_KEY"])
    # The loader writes rows directly and pays nothing; its runtime needs no real provider.
    rt = Runtime(load_policy(policy_name), clock, keyring, SandboxPayments(secret=keys["KETA_SECRET_KEY"], clock=clock))
    arrival = rt.today() + timedelta(days=7)
    nationalities = bench_nationalities(rt.policy, arrival)
    say(f"loading {authorizations:,} approved authorizations into schema {schema} …")
    loaded = carrier_load.load(database_url, rt, schema=schema, rows=authorizations, nationalities=nationalities)
    url = carrier_load.schema_url(database_url, schema)
    try:
        with (
            tempfile.TemporaryDirectory(prefix="keta-soak-") as folder,
            running_gateway() as gateway,
            running_smtp_sink() as sink,
        ):
            secret = keys["KETA_SECRET_KEY"][::-1]  # its own value; as strong as the key it mirrors
            env = production_env(
                url,
                keys={**keys, "KETA_POLICY": policy_name},
                smtp_url=sink.url,
                gateway_url=gateway.url,
                gateway_api_key=gateway.api_key,
                webhook_secret=secret,
                embedded_worker="false",
            )
            port = free_port()
            api = KetaProcess(
                f"keta serve --workers {api_workers}",
                ["serve", "--port", str(port), "--workers", str(api_workers)],
                env,
                Path(folder) / "serve.log",
                port,
            )
            worker = KetaProcess(
                f"keta worker --concurrency {worker_concurrency}",
                ["worker", "--concurrency", str(worker_concurrency)],
                env,
                Path(folder) / "worker.log",
            )
            try:
                for process in (api, worker):
                    process.start()
                api.wait_ready()
                worker.wait_ready()
                time.sleep(3)  # the pool's children are up
                plan = Plan(
                    bases=[api.base],
                    seconds=minutes * 60,
                    webhook_secret=secret,
                    mix=MIX,
                    clients=clients,
                    rate=rate,
                    prefix="K",
                    report_every=60.0,
                    carrier_key=loaded.carrier_key,
                    carrier_rows=authorizations,
                    nationalities=list(nationalities),
                    arrival=arrival.isoformat(),
                )
                say(f"{api.name} and {worker.name} ready; {minutes:g} minutes of mixed traffic at {rate:g} req/s …")
                report.samples.append(_sample(0.0, api, worker))
                api_cpu, worker_cpu = cpu_seconds(api.pid), cpu_seconds(worker.pid)
                report.driver = _drive(plan, Path(folder), report, api, worker, say)
                report.api_cpu_seconds = cpu_seconds(api.pid) - api_cpu
                report.samples.append(_sample(report.driver["seconds"] / 60, api, worker))
                report.backlog_at_end = _backlog(url)
                started = time.monotonic()
                while _backlog(url) and time.monotonic() - started < 300:
                    time.sleep(1)
                report.settle_seconds = time.monotonic() - started
                report.worker_cpu_seconds = cpu_seconds(worker.pid) - worker_cpu
                report.undecided_after_settle = _undecided(url)
                say(f"e-mails delivered meanwhile: {sink.messages}")
            finally:
                for process in (api, worker):
                    process.stop()
    finally:
        if not keep:
            carrier_load.drop(database_url, schema)
    return report


def _sample(minute: float, api: KetaProcess, worker: KetaProcess) -> Sample:
    served, working = rss(api.pid), rss(worker.pid)
    return Sample(
        minute,
        sum(served.values()) / MIB,
        sum(working.values()) / MIB,
        os.getloadavg()[0],
        max(served.values(), default=0) / MIB,
        max(working.values(), default=0) / MIB,
    )


def _drive(
    plan: Plan, folder: Path, report: SoakReport, api: KetaProcess, worker: KetaProcess, say: Say
) -> dict[str, Any]:
    (folder / "plan.json").write_text(json.dumps(asdict(plan)))
    command = [sys.executable, "-m", "keta.bench.traffic", str(folder / "plan.json"), str(folder / "result.json")]
    driver = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # noqa: S603
    started = time.monotonic()

    def relay() -> None:
        assert driver.stdout is not None
        for line in driver.stdout:
            sample = _sample((time.monotonic() - started) / 60, api, worker)
            report.samples.append(sample)
            say(
                f"{line.rstrip()}; RSS serve {sample.api_mib:.0f} MiB, workers {sample.worker_mib:.0f} MiB; "
                f"load {sample.load:.2f}"
            )

    relaying = threading.Thread(target=relay, daemon=True)
    relaying.start()
    code = driver.wait(timeout=plan.seconds + 600)
    relaying.join(5)
    if code != 0 or not (folder / "result.json").exists():
        raise RuntimeError(f"the load driver failed with exit code {code}")
    result: dict[str, Any] = json.loads((folder / "result.json").read_text())
    return result


def _backlog(url: str) -> int:
    """Jobs runnable now that no worker has finished: how far the workers are behind."""
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            now = datetime.now(UTC)
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(Job)
                    .where(((Job.status == QUEUED) & (Job.run_after <= now)) | (Job.status == RUNNING))
                )
                or 0
            )
    finally:
        engine.dispose()


def _undecided(url: str) -> int:
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            query = select(func.count()).select_from(Application).where(Application.status.in_(("paid", "screening")))
            return int(session.scalar(query) or 0)
    finally:
        engine.dispose()


def render(report: SoakReport, say: Say) -> None:
    driver = report.driver
    kinds: dict[str, dict[str, Any]] = driver["kinds"]
    total = sum(k["requests"] for k in kinds.values())
    errors = sum(n for k in kinds.values() for n in k["errors"].values())
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    say(
        f"\nsoak: {driver['seconds'] / 60:.1f} minutes, keta serve --workers {report.api_workers} + keta worker "
        f"--concurrency {report.worker_concurrency}, {report.authorizations:,} authorizations loaded; {cpus} CPUs, "
        f"load average {report.load_before:.2f} before, {os.getloadavg()[0]:.2f} after"
    )
    say(f"{'kind':<12} {'requests':>9} {'per s':>7} {'errors':>7} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind, numbers in kinds.items():
        failed = sum(numbers["errors"].values())
        say(
            f"{kind:<12} {numbers['requests']:>9,} {numbers['requests'] / driver['seconds']:>7.1f} {failed:>7} "
            f"{numbers['p50_ms']:>8.1f} {numbers['p99_ms']:>8.1f} {numbers['max_ms']:>8.1f}"
        )
    say(f"{'all':<12} {total:>9,} {total / driver['seconds']:>7.1f} {errors:>7}")
    for kind, numbers in kinds.items():
        for problem, n in numbers["errors"].items():
            say(f"  error: {kind} {problem} ×{n}")
    submitted = driver["submitted"]
    paid = sum(1 for s in submitted if s["paid"])
    say(f"applications submitted {len(submitted):,}, paid {paid:,}")
    # CPU time, not throughput, is what a busy neighbour on a shared machine barely moves.
    say(
        f"server CPU: {report.api_cpu_seconds * 1000 / max(total, 1):.2f} ms per request (all kinds, keta serve's "
        f"processes); worker CPU: {report.worker_cpu_seconds * 1000 / max(paid, 1):.1f} ms per paid application "
        "(screening, its e-mails, the periodic jobs)"
    )
    first, last = report.samples[0], report.samples[-1]
    warm = next((s for s in report.samples if s.minute >= 1.0), first)
    say(
        f"RSS keta serve: {first.api_mib:.0f} MiB at start, {warm.api_mib:.0f} MiB after the first minute, "
        f"{last.api_mib:.0f} MiB at the end ({_change(warm.api_mib, last.api_mib)} since the first minute); "
        f"largest process {first.api_largest_mib:.0f} -> {last.api_largest_mib:.0f} MiB"
    )
    say(
        f"RSS keta worker: {first.worker_mib:.0f} MiB at start, {warm.worker_mib:.0f} MiB after the first minute, "
        f"{last.worker_mib:.0f} MiB at the end ({_change(warm.worker_mib, last.worker_mib)} since the first minute); "
        f"largest process {first.worker_largest_mib:.0f} -> {last.worker_largest_mib:.0f} MiB"
    )
    say(
        f"jobs not yet done when the load stopped: {report.backlog_at_end} (drained in {report.settle_seconds:.0f} s); "
        f"paid applications still undecided after that: {report.undecided_after_settle}"
    )
    say(f"errors: {errors} (goal 0)")


def _change(before: float, after: float) -> str:
    return f"{(after - before) / before * 100:+.1f} %" if before else "n/a"
