"""`keta bench crash`: kill -9 every kind of keta process under load, then count what survived.

On a PostgreSQL schema of its own: 2 API processes (`keta serve`, no embedded worker) and 2
workers (`keta worker`), in production mode, with the outside services played by the bench
(keta.bench.outside). A load driver (keta.bench.traffic, its own process) submits and pays
applications against both servers, retrying a request whose server died, while the bench SIGKILLs
processes — servers and workers in turn, spread evenly over the submissions, so the drill is the
same on a fast or a busy machine — and starts each again. When the load is done it lets the
workers finish and checks, from the database:

- every application that got a 201 exists, and no application exists that nobody was told of;
- every application whose payment webhook got a 200 was screened exactly once (one move into
  screening, one decision), and has exactly one screening job;
- no job is stuck: none is running past its lease (its worker died and nobody took it over),
  none waits long past its time, none died;
- no answer was a 5xx.
"""

from __future__ import annotations

import json
import random
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from keta.bench import carrier_load
from keta.bench.outside import SmtpSink, running_gateway, running_smtp_sink
from keta.bench.processes import KetaProcess, free_port, production_env, run_keys
from keta.bench.traffic import FLOW, Plan
from keta.db.engine import make_engine
from keta.db.models import Application, ApplicationEvent, Job
from keta.db.queue import DEAD, QUEUED, RUNNING, SCREEN_APPLICATION
from keta.db.session import make_sessionmaker

Say = Callable[[str], None]
DECIDED = ("approved", "in_review", "refused")


@dataclass
class DrillReport:
    kills: dict[str, int] = field(default_factory=dict)
    driver: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    jobs: dict[str, int] = field(default_factory=dict)
    emails: int = 0
    emails_twice: int = 0
    clean_exits: dict[str, int | None] = field(default_factory=dict)

    @property
    def failures(self) -> list[str]:
        must_be_zero = (
            "missing after 201",
            "unacknowledged applications",
            "paid but not decided",
            "screened more than once",
            "decisions duplicated",
            "screening jobs duplicated",
            "stuck jobs",
            "dead jobs",
            "5xx answers",
        )
        return [name for name in must_be_zero if self.counts.get(name, 0)]


def run_drill(
    *,
    database_url: str,
    schema: str,
    applications: int,
    seconds: float,
    kills: int,
    clients: int,
    lease_seconds: int,
    keep: bool,
    say: Say,
    seed: int = 1,
) -> DrillReport:
    report = DrillReport()
    url = carrier_load.fresh_schema(database_url, schema)
    chooser = random.Random(seed)  # noqa: S311 (which process dies when, not security)
    try:
        with (
            tempfile.TemporaryDirectory(prefix="keta-crash-") as folder,
            running_gateway() as gateway,
            running_smtp_sink() as sink,
        ):
            secret = secrets.token_urlsafe(32)
            env = production_env(
                url,
                keys=run_keys(),
                smtp_url=sink.url,
                gateway_url=gateway.url,
                gateway_api_key=gateway.api_key,
                webhook_secret=secret,
                embedded_worker="false",
                job_lease_seconds=str(lease_seconds),
                worker_poll_seconds="0.2",
            )
            processes = _processes(env, Path(folder))
            try:
                for process in processes:
                    process.start()
                for process in processes:
                    process.wait_ready()
                say(f"started {', '.join(p.name for p in processes)}; driving {applications} applications …")
                plan = Plan(
                    bases=[p.base for p in processes if p.port is not None],
                    seconds=seconds,
                    webhook_secret=secret,
                    mix={FLOW: 1.0},
                    clients=clients,
                    max_flows=applications,
                    persistent=True,
                    prefix="C",
                    seed=seed,
                    report_every=10.0,
                )
                driver = _start_driver(plan, Path(folder), say)
                _kill_while(driver, processes, chooser, url=url, applications=applications, kills=kills, say=say)
                report.driver = _driver_result(driver, Path(folder))
                for process in processes:
                    if not process.alive():
                        process.start()
                    process.wait_ready()
                say("load done; letting the workers finish …")
                _settle(url, lease_seconds)
                _count(url, report, lease_seconds)
                _mail(report, sink)
                report.kills = {p.name: p.kills for p in processes}
                report.clean_exits = {p.name: p.stop() for p in processes}
            finally:
                for process in processes:
                    process.stop()  # after an error too: no server is left running
    finally:
        if not keep:
            carrier_load.drop(database_url, schema)
    return report


def _processes(env: dict[str, str], folder: Path) -> list[KetaProcess]:
    servers = []
    for n in (1, 2):
        port = free_port()
        servers.append(KetaProcess(f"api-{n}", ["serve", "--port", str(port)], env, folder / f"api-{n}.log", port))
    workers = [KetaProcess(f"worker-{n}", ["worker"], env, folder / f"worker-{n}.log") for n in (1, 2)]
    return servers + workers


def _start_driver(plan: Plan, folder: Path, say: Say) -> subprocess.Popen[str]:
    (folder / "plan.json").write_text(json.dumps(asdict(plan)))
    command = [sys.executable, "-m", "keta.bench.traffic", str(folder / "plan.json"), str(folder / "result.json")]
    driver = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # noqa: S603

    def relay() -> None:
        assert driver.stdout is not None
        for line in driver.stdout:
            say(line.rstrip())

    threading.Thread(target=relay, daemon=True).start()
    return driver


def _driver_result(driver: subprocess.Popen[str], folder: Path) -> dict[str, Any]:
    if driver.wait() != 0 or not (folder / "result.json").exists():
        raise RuntimeError(f"the load driver failed with exit code {driver.returncode}")
    result: dict[str, Any] = json.loads((folder / "result.json").read_text())
    return result


def _kill_while(
    driver: subprocess.Popen[str],
    processes: list[KetaProcess],
    chooser: random.Random,
    *,
    url: str,
    applications: int,
    kills: int,
    say: Say,
) -> None:
    """While the driver runs, SIGKILL `kills` processes, spread evenly over the submissions (so the
    drill does the same whatever the machine's speed), servers and workers in turn, each a random one
    of its kind; each is started again a moment later, without waiting for it (a process may also be
    killed while it starts)."""
    servers = [p for p in processes if p.port is not None]
    workers = [p for p in processes if p.port is None]
    thresholds = [applications * (n + 1) // (kills + 1) for n in range(kills)]
    engine = make_engine(url)
    try:
        while driver.poll() is None and thresholds:
            with engine.connect() as connection:
                made = connection.execute(select(func.count()).select_from(Application)).scalar_one()
            if made < thresholds[0]:
                time.sleep(0.2)
                continue
            thresholds.pop(0)
            victim = chooser.choice(servers if len(thresholds) % 2 else workers)
            victim.kill()
            say(f"kill -9 {victim.name} at {made} applications (kill {sum(p.kills for p in processes)})")
            time.sleep(chooser.uniform(0.1, 1.0))  # a moment with that process gone
            victim.start()
    finally:
        engine.dispose()


def _settle(url: str, lease_seconds: int, timeout: float = 180.0) -> None:
    """Until no job is runnable now or soon: queued and due, or running (a dead worker's lease
    runs out and another worker takes it)."""
    engine = make_engine(url)
    deadline = time.monotonic() + timeout + lease_seconds
    try:
        while time.monotonic() < deadline:
            soon = datetime.now(UTC) + timedelta(seconds=lease_seconds)
            with make_sessionmaker(engine)() as session:
                pending = session.scalar(
                    select(func.count())
                    .select_from(Job)
                    .where(((Job.status == QUEUED) & (Job.run_after <= soon)) | (Job.status == RUNNING))
                )
            if not pending:
                return
            time.sleep(1.0)
    finally:
        engine.dispose()


def _count(url: str, report: DrillReport, lease_seconds: int) -> None:
    acknowledged = {row["reference"]: row for row in report.driver["submitted"]}
    paid = {reference for reference, row in acknowledged.items() if row["paid"]}
    engine = make_engine(url)
    now = datetime.now(UTC)
    try:
        with make_sessionmaker(engine)() as session:
            rows = {a.reference: (a.id, a.status) for a in session.scalars(select(Application))}
            events = list(session.execute(select(ApplicationEvent.application_id, ApplicationEvent.from_status,
                                                 ApplicationEvent.to_status)))  # fmt: skip
            jobs = list(session.scalars(select(Job)))
    finally:
        engine.dispose()
    into = Counter(app for app, _, to in events if to == "screening")
    decided = Counter(app for app, source, to in events if source == "screening" and to in DECIDED)
    screen_jobs = Counter(str(j.payload.get("application_id")) for j in jobs if j.kind == SCREEN_APPLICATION)
    paid_ids = [rows[r][0] for r in paid if r in rows]
    errors = report.driver.get("kinds", {})
    report.counts = {
        "acknowledged (201)": len(acknowledged),
        "missing after 201": sum(1 for r in acknowledged if r not in rows),
        "unacknowledged applications": sum(1 for r in rows if r not in acknowledged),
        "paid (webhook 200)": len(paid),
        "paid but not decided": sum(1 for r in paid if r in rows and rows[r][1] not in DECIDED),
        "screened more than once": sum(1 for i in paid_ids if into[i] > 1),
        "decisions duplicated": sum(1 for i in paid_ids if decided[i] > 1),
        "screened exactly once": sum(1 for i in paid_ids if into[i] == 1 and decided[i] == 1),
        "screening jobs duplicated": sum(1 for i in paid_ids if screen_jobs[str(i)] > 1),
        "stuck jobs": sum(
            1
            for j in jobs
            if (j.status == RUNNING and j.lease_until is not None and j.lease_until < now)
            or (j.status == QUEUED and j.run_after < now - timedelta(seconds=3 * lease_seconds))
        ),
        "dead jobs": sum(1 for j in jobs if j.status == DEAD),
        "jobs taken over after a crash": sum(1 for j in jobs if j.attempts > 1),
        "5xx answers": sum(
            n for kind in errors.values() for problem, n in kind["errors"].items() if problem.startswith("HTTP 5")
        ),
    }
    report.jobs = dict(Counter(f"{j.kind}:{j.status}" for j in jobs))


def _mail(report: DrillReport, sink: SmtpSink) -> None:
    report.emails, report.emails_twice = sink.messages, sink.duplicates()


def render(report: DrillReport, say: Say) -> None:
    say("\nprocesses killed with SIGKILL (and restarted): " + ", ".join(f"{k} {v}" for k, v in report.kills.items()))
    driver = report.driver
    say(f"load: {driver['seconds']:.0f} s, requests re-sent after a lost connection: {driver['retries']}")
    for kind, numbers in driver["kinds"].items():
        problems = ", ".join(f"{p} ×{n}" for p, n in numbers["errors"].items()) or "none"
        say(
            f"  {kind:<8} {numbers['requests']:>6} answered, p50 {numbers['p50_ms']:.1f} ms, "
            f"p99 {numbers['p99_ms']:.1f} ms; errors: {problems}"
        )
    for name, value in report.counts.items():
        say(f"{name:<34} {value:>6}")
    say("jobs by kind and status: " + ", ".join(f"{k} {v}" for k, v in sorted(report.jobs.items())))
    say(f"e-mails delivered: {report.emails}, of which sent again after a worker was killed: {report.emails_twice}")
    say(
        "clean shutdown (SIGTERM) exit codes: "
        + ", ".join(f"{k} {v}" for k, v in report.clean_exits.items())
        + " (uvicorn re-raises SIGTERM after its graceful shutdown: -15)"
    )
    failures = report.failures
    say("crash drill: " + ("PASSED" if not failures else "FAILED: " + ", ".join(failures)))
