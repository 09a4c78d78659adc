"""`keta bench carrier`: the carrier check under load, next to a constant endpoint on the same stack.

1. load N approved authorizations into a PostgreSQL schema of the bench's own (carrier_load);
2. start `keta serve --workers W` on 127.0.0.1 against it, in production mode with this run's keys,
   the rate limiter on (one carrier, a budget too large to bite), access logs off;
3. check a few answers for correctness, then drive each scenario with wrk at each client count,
   each after a short warm-up: the ceiling (a hidden constant endpoint mounted by
   KETA_BENCH_ENDPOINTS, same body, same headers), single checks, and 300-passenger manifests;
4. print throughput and latency per scenario, the single/ceiling ratio, the manifests' p99 and the
   server processes' peak RSS, then stop the servers and drop the schema.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from urllib.request import Request, urlopen

from keta.adapters.clock import SystemClock
from keta.adapters.crypto import Keyring
from keta.adapters.payments import SandboxPayments
from keta.adapters.policy_files import load_policy
from keta.bench import carrier_load, carrier_wrk
from keta.bench.carrier_server import cpu_seconds, peak_rss, serving
from keta.bench.carrier_wrk import Measured, Scenario
from keta.domain.policy import Policy
from keta.services.runtime import Runtime

CEILING = Scenario("ceiling: constant endpoint", "/_bench/constant", 1, 0)
SINGLE = Scenario("single check", "/api/v1/carrier/checks", 1, 0)
MANIFEST = Scenario("manifest of 300", "/api/v1/carrier/checks", 300, 64)
SCENARIOS = (CEILING, SINGLE, MANIFEST)
WARM_UP_SECONDS = 3.0
ROUNDS = 5
Say = Callable[[str], None]


def bench_nationalities(policy: Policy, arrival: date) -> tuple[str, ...]:
    """Nationalities that need an authorization on the arrival date (visa-free, not exempt)."""
    visa_free = {n for entry in policy.visa_free.in_force(arrival) for n in entry.value}
    needing = sorted(n for n in visa_free if not policy.temporarily_exempt(n, arrival))
    return tuple(needing[:12])


def probe(base: str, key: str, *, nationalities: tuple[str, ...], arrival: date) -> None:
    """The answers are right before anything is timed: loaded → OK, never loaded → NOT_OK."""
    number, nationality, birth = carrier_load.passenger_facts(7, nationalities)
    rows = [
        {
            "document_number": number,
            "issuing_country": nationality,
            "nationality": nationality,
            "birth_date": birth.isoformat(),
            "arrival_date": arrival.isoformat(),
        },
    ]
    rows.append({**rows[0], "document_number": "Z00000007"})
    rows.append({**rows[0], "birth_date": (birth + timedelta(days=1)).isoformat()})
    request = Request(  # noqa: S310 - our own loopback server
        f"{base}{SINGLE.path}",
        data=json.dumps({"passengers": rows}).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
    )
    with urlopen(request, timeout=10) as response:  # noqa: S310 - our own loopback server
        statuses = [r["status"] for r in json.loads(response.read())["results"]]
    if statuses != ["OK", "NOT_OK", "NOT_OK"]:
        raise RuntimeError(f"wrong answers before the run: {statuses}")


@dataclass
class CarrierReport:
    rows: int
    loaded: carrier_load.Loaded | None = None
    workers: int = 2
    measured: list[Measured] = field(default_factory=list)
    rss: dict[int, int] = field(default_factory=dict)
    server_pid: int = 0
    load_before: str = field(default_factory=lambda: f"{os.getloadavg()[0]:.2f}")

    def find(self, scenario: Scenario, clients: int) -> Measured | None:
        return next((m for m in self.measured if m.scenario == scenario and m.clients == clients), None)


def run_bench(
    *,
    database_url: str,
    schema: str,
    authorizations: int,
    seconds: float,
    clients: tuple[int, ...],
    workers: int,
    rate_limit_url: str,
    policy_name: str,
    keep: bool,
    say: Say,
) -> CarrierReport:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (Debian package `wrk`; `make system-deps` installs it)")
    keys = {"KETA_DATA_KEY": secrets.token_urlsafe(32), "KETA_SECRET_KEY": secrets.token_urlsafe(32)}
    clock = SystemClock()
    rt = Runtime(
        policy=load_policy(policy_name),
        clock=clock,
        keyring=Keyring(keys["KETA_DATA_KEY"]),
        payments=SandboxPayments(secret=keys["KETA_SECRET_KEY"], clock=clock),  # never charges: nothing pays here
    )
    arrival = rt.today() + timedelta(days=7)
    nationalities = bench_nationalities(rt.policy, arrival)
    report = CarrierReport(authorizations, workers=workers)
    say(f"loading {authorizations:,} approved authorizations into schema {schema} …")
    report.loaded = carrier_load.load(database_url, rt, schema=schema, rows=authorizations, nationalities=nationalities)
    say(f"loaded in {report.loaded.copy_seconds + report.loaded.index_seconds + report.loaded.vacuum_seconds:.1f} s")
    try:
        with tempfile.TemporaryDirectory(prefix="keta-bench-") as folder:
            log = Path(folder) / "serve.log"
            env_keys = {**keys, "KETA_POLICY": policy_name}
            with serving(
                database_url, schema=schema, workers=workers, rate_limit_url=rate_limit_url, keys=env_keys, log=log
            ) as (
                base,
                pid,
            ):
                report.server_pid = pid
                key = report.loaded.carrier_key
                probe(base, key, nationalities=nationalities, arrival=arrival)
                scripts: dict[Scenario, Path] = {}
                for scenario in SCENARIOS:
                    scripts[scenario] = Path(folder) / f"{scenario.size}-{len(scripts)}.lua"
                    text = carrier_wrk.script(
                        scenario, rows=authorizations, nationalities=nationalities, arrival=arrival, key=key, seed=7
                    )
                    scripts[scenario].write_text(text)
                    carrier_wrk.run(wrk, base, scripts[scenario], scenario=scenario, clients=4, seconds=WARM_UP_SECONDS)
                for count in clients:
                    # Rounds alternate the scenarios, so a neighbour's load on a shared machine
                    # weighs on the ceiling and the checks alike instead of on whichever ran then.
                    rounds: dict[Scenario, list[Measured]] = {scenario: [] for scenario in SCENARIOS}
                    for _ in range(ROUNDS):
                        for scenario in SCENARIOS:
                            before = cpu_seconds(pid)
                            measured = carrier_wrk.run(
                                wrk, base, scripts[scenario], scenario=scenario, clients=count, seconds=seconds / ROUNDS
                            )
                            rounds[scenario].append(replace(measured, server_cpu_seconds=cpu_seconds(pid) - before))
                    for scenario in SCENARIOS:
                        measured = carrier_wrk.combine(rounds[scenario])
                        say(
                            f"  {scenario.label}, {count} clients: {measured.per_second:,.0f} req/s, "
                            f"p99 {measured.p99_ms:.1f} ms"
                        )
                        report.measured.append(measured)
                report.rss = peak_rss(pid)
    finally:
        if not keep:
            carrier_load.drop(database_url, schema)
    return report


def render(report: CarrierReport, *, clients: tuple[int, ...], say: Say) -> None:
    loaded = report.loaded
    assert loaded is not None
    say(
        f"\nloaded {loaded.rows:,} approved authorizations: COPY {loaded.copy_seconds:.1f} s, "
        f"indexes {loaded.index_seconds:.1f} s, VACUUM ANALYZE {loaded.vacuum_seconds:.1f} s"
    )
    say(
        f"keta serve --workers {report.workers} on 127.0.0.1; wrk, 1 thread, N connections; {_cpus()} CPUs, "
        f"load average {report.load_before} before, {os.getloadavg()[0]:.2f} after\n"
    )
    say(
        f"{'scenario':<28} {'clients':>7} {'req/s':>9} {'passengers/s':>13} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'non-2xx':>8} {'server CPU ms/req':>18}"
    )
    for m in report.measured:
        say(
            f"{m.scenario.label:<28} {m.clients:>7} {m.per_second:>9,.0f} {m.per_second * m.scenario.size:>13,.0f} "
            f"{m.p50_ms:>8.2f} {m.p99_ms:>8.2f} {m.non_2xx + m.errors:>8} {m.cpu_ms_per_request:>18.2f}"
        )
    say("")
    for count in clients:
        ceiling, single = report.find(CEILING, count), report.find(SINGLE, count)
        if ceiling and single and ceiling.per_second:
            ratio = single.per_second / ceiling.per_second
            say(f"single checks / ceiling at {count} clients: {ratio:.2f} of its throughput (target >= 0.50)")
            if single.cpu_ms_per_request:
                cost = ceiling.cpu_ms_per_request / single.cpu_ms_per_request
                say(f"  ceiling / single check server CPU per request at {count} clients: {cost:.2f}")
    manifest = report.find(MANIFEST, 4)
    if manifest:
        say(f"300-passenger manifest p99 at 4 clients: {manifest.p99_ms:.1f} ms (target <= 50 ms)")
    children = [rss for pid, rss in report.rss.items() if pid != report.server_pid]
    if children:
        say(
            f"server peak RSS: {max(children) / 2**20:.0f} MiB largest process ({len(children)} under the "
            f"supervisor: workers and multiprocessing's helper), {sum(report.rss.values()) / 2**20:.0f} MiB in all"
        )


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
