"""Re-screening speed: N valid authorizations re-screened after a watchlist import, through the real job path.

Order: a fresh database (a temporary SQLite file, or a schema of its own on PostgreSQL), migrated; N
approved authorizations bulk-inserted with encrypted personal data (`keta.bench.authorizations`), some of
them listed persons, some with a lost passport; a synthetic multi-script watchlist imported with
`import_watchlist`, whose switch queues the `rescreen_start` job. What is timed is what a worker then
does: the start job and every batch (decrypt, lost/stolen check, name screening, open cases, counters),
drained by `Worker.run_until_idle` in this process, one thread — the engine's index build included, as
after any list change. The baseline, measured afterwards in the same run: the engine alone over the
same entries (read back once, in the worker's order) and the same N names, no database and no
decryption. Its flags are also the expectation: the cases re-screening opened must be exactly the
names the engine flags plus the lost passports.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from keta.adapters.clock import SystemClock
from keta.adapters.crypto import install_keyring
from keta.adapters.payments import SandboxPayments
from keta.adapters.policy_files import load_policy
from keta.bench.authorizations import Population, populate
from keta.bench.speed import peak_rss_bytes
from keta.bench.synthetic import generate_watchlist
from keta.db.engine import make_engine, normalize_url
from keta.db.migrate import upgrade
from keta.db.models import Application, ReviewCase
from keta.db.repositories import watchlists as watchlists_repo
from keta.db.session import make_sessionmaker, session_scope
from keta.domain.screening import features, han_variants, normalize, phonetic
from keta.domain.screening.model import ScreeningOutcome
from keta.jobs.runner import Worker
from keta.screening.engine import Engine
from keta.services import rescreen
from keta.services.runtime import Runtime
from keta.services.watchlists import import_watchlist

BENCH_DATA_KEY = "keta-bench-data-key-not-a-secret"


@dataclass
class RescreenReport:
    backend: str
    authorizations: int
    entities: int
    batch_size: int
    populate_seconds: float = 0.0
    import_seconds: float = 0.0
    rescreen_seconds: float = 0.0
    rescreen_cpu_seconds: float = 0.0  # this process only: on a shared machine, less noisy than the wall clock
    jobs: int = 0
    peak_rss: int = 0
    run: dict[str, Any] = field(default_factory=dict)
    cases: dict[str, int] = field(default_factory=dict)  # kind -> opened
    opened_equals_expected: bool = False
    expected: int = 0
    engine_flagged: int = 0
    lost: int = 0
    planted: int = 0
    planted_found: int = 0
    baseline_build_seconds: float = 0.0
    baseline_seconds: float = 0.0
    baseline_cpu_seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.authorizations / self.rescreen_seconds if self.rescreen_seconds else 0.0

    @property
    def baseline_qps(self) -> float:
        return self.authorizations / self.baseline_seconds if self.baseline_seconds else 0.0

    @property
    def ratio(self) -> float:
        return self.rate / self.baseline_qps if self.baseline_qps else 0.0

    @property
    def cpu_ratio(self) -> float:
        """The same ratio in this process's CPU time (a PostgreSQL server's own work is not in it)."""
        if not self.rescreen_cpu_seconds or not self.baseline_cpu_seconds:
            return 0.0
        return (self.authorizations / self.rescreen_cpu_seconds) / (self.authorizations / self.baseline_cpu_seconds)

    def ratio_line(self) -> str:
        return (
            f"ratio re-screening / engine alone: {self.ratio:.2f}x by the wall clock, {self.cpu_ratio:.2f}x by "
            f"this process's CPU time (the rest is the database, decryption and case writing)"
        )

    def to_dict(self) -> dict[str, Any]:
        derived = {"rate": self.rate, "baseline_qps": self.baseline_qps, "ratio": self.ratio}
        return dict(vars(self)) | derived | {"cpu_ratio": self.cpu_ratio}


@contextmanager
def bench_database(url: str | None, *, keep: bool, say: Callable[[str], None]) -> Iterator[tuple[str, str]]:
    """A migrated, empty database: (url, description). PostgreSQL gets a schema of its own, dropped after."""
    if url is None or url.startswith("sqlite"):
        directory = None if url else Path(tempfile.mkdtemp(prefix="keta-bench-"))
        url = url or f"sqlite:///{directory}/rescreen.db"
        upgrade(url)
        try:
            yield url, "SQLite (a fresh file)" if directory else "SQLite"
        finally:
            if directory is not None and not keep:
                shutil.rmtree(directory, ignore_errors=True)
            elif directory is not None:
                say(f"kept {directory}/rescreen.db")
        return
    schema = f"keta_bench_rescreen_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalize_url(url))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in url else "?"
    schema_url = normalize_url(url) + f"{separator}options={quote(f'-csearch_path={schema}')}"
    try:
        upgrade(schema_url)
        yield schema_url, f"PostgreSQL (schema {schema})"
    finally:
        if keep:
            say(f"kept schema {schema}")
        else:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def run_rescreen(
    *,
    authorizations: int,
    entities: int,
    planted_share: float,
    lost_share: float,
    batch_size: int,
    seed: int,
    database_url: str | None = None,
    keep: bool = False,
    say: Callable[[str], None] = lambda _line: None,
) -> RescreenReport:
    with bench_database(database_url, keep=keep, say=say) as (url, backend):
        engine = make_engine(url)
        try:
            return _run(engine, backend, authorizations, entities, planted_share, lost_share, batch_size, seed, say)
        finally:
            engine.dispose()


def _run(
    engine: Any, backend: str, n: int, entities: int, planted_share: float, lost_share: float, batch_size: int,
    seed: int, say: Callable[[str], None],
) -> RescreenReport:  # fmt: skip
    factory = make_sessionmaker(engine)
    clock = SystemClock()
    payments = SandboxPayments(secret=BENCH_DATA_KEY, clock=clock)  # never charges: nothing here pays
    rt = Runtime(load_policy("kr"), clock, install_keyring(BENCH_DATA_KEY), payments)
    report = RescreenReport(backend, n, entities, batch_size)
    with session_scope(factory) as session:
        if session.scalar(select(func.count()).select_from(Application)):
            raise ValueError("the database already holds applications; give an empty one")
    say(f"keta bench rescreen — {n:,} valid authorizations, {entities:,} watchlist entities, {backend}, "
        f"batches of {batch_size:,}; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    data = generate_watchlist(entities, seed=seed)
    # Import-time costs (pypinyin's tables, the romanizers) once, outside both timings.
    Engine.build(data.entries[:50], thresholds=dict(rt.policy.screening_thresholds))
    started = time.perf_counter()
    population = populate(
        factory, rt, data, authorizations=n, planted_share=planted_share, lost_share=lost_share, seed=seed
    )
    report.populate_seconds = time.perf_counter() - started
    report.planted, report.lost = len(population.planted), len(population.lost)
    say(f"inserted {n:,} approved authorizations (personal data encrypted, blind indexes) in "
        f"{report.populate_seconds:.1f} s: {report.planted:,} of them listed persons, {report.lost:,} with a passport "
        "on the lost/stolen list")  # fmt: skip

    started = time.perf_counter()
    import_watchlist(factory, rt.clock, name="bench", items=iter(data.entries), source="synthetic", checksum="bench")
    report.import_seconds = time.perf_counter() - started
    say(f"watchlist imported in {report.import_seconds:.1f} s; its switch queued the re-screening")

    rescreen.BATCH_SIZE, default = batch_size, rescreen.BATCH_SIZE
    try:
        cold_caches()
        started, cpu = time.perf_counter(), time.process_time()
        report.jobs = Worker(factory, rt, lease_seconds=3600, name="bench").run_until_idle(max_jobs=10**9)
        report.rescreen_seconds = time.perf_counter() - started
        report.rescreen_cpu_seconds = time.process_time() - cpu
    finally:
        rescreen.BATCH_SIZE = default
    report.peak_rss = peak_rss_bytes()
    opened = _read_results(factory, report)
    say(
        f"re-screening: {report.jobs:,} jobs (start + batches) in {report.rescreen_seconds:.1f} s "
        f"({report.rescreen_cpu_seconds:.1f} s CPU), one worker thread → {report.rate:,.0f} authorizations/s; "
        f"peak RSS {report.peak_rss / 2**20:,.0f} MB (whole process)"
    )
    run = report.run
    say(f"run: {run['status']}, total {run['total']:,}, screened {run['screened']:,}, flagged {run['flagged']:,}")
    _baseline(factory, rt, population, opened, report)
    kinds = ", ".join(f"{kind} {count:,}" for kind, count in sorted(report.cases.items()))
    verdict = "the same authorizations" if report.opened_equals_expected else "DIFFERENT authorizations"
    say(
        f"cases opened: {sum(report.cases.values()):,} ({kinds}); expected {report.expected:,} = "
        f"{report.engine_flagged:,} names the engine alone flags ∪ {report.lost:,} lost passports — {verdict}"
    )
    say(f"listed persons planted: {report.planted:,}, found by re-screening: {report.planted_found:,}")
    say(
        f"baseline, the engine alone over the same {n:,} names (no database, no decryption): index built in "
        f"{report.baseline_build_seconds:.1f} s, {report.baseline_qps:,.0f} queries/s "
        f"({report.baseline_seconds:.1f} s, {report.baseline_cpu_seconds:.1f} s CPU)"
    )
    return report


def cold_caches() -> None:
    """Before each timed part: empty the name rules' bounded per-token caches (the baseline screens the
    very names re-screening just screened, and must not inherit its warm caches), and freeze what the
    benchmark itself holds (the generated list, N queries) out of the garbage collector's sight — a
    worker holds neither, and full collections over them would be charged to whichever part allocates
    more."""
    for module in (normalize, features, phonetic, han_variants):
        for value in vars(module).values():
            info = getattr(value, "cache_info", None)
            if info is not None and info().maxsize is not None:  # lru_cache'd; @cache'd tables stay loaded
                value.cache_clear()
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _read_results(factory: sessionmaker[Session], report: RescreenReport) -> set[str]:
    """The run's counters and the cases opened, by kind; returns the references with a case."""
    with session_scope(factory) as session:
        [run] = rescreen.recent_runs(session, limit=1)
        rows = session.execute(select(Application.reference, ReviewCase.kind).join(ReviewCase.application)).all()
    report.run = {"status": run.status, "total": run.total, "screened": run.screened, "flagged": run.flagged}
    for _, kind in rows:
        report.cases[kind] = report.cases.get(kind, 0) + 1
    return {reference for reference, _ in rows}


def _baseline(
    factory: sessionmaker[Session], rt: Runtime, population: Population, opened: set[str], report: RescreenReport
) -> None:
    # The same entries in the order the worker's index got them: which candidates the index keeps
    # depends on insertion order, and the expectation must be exact.
    with session_scope(factory) as session:
        entries = list(watchlists_repo.iter_active_entries(session))
    cold_caches()
    started = time.perf_counter()
    engine = Engine.build(entries, thresholds=dict(rt.policy.screening_thresholds))
    report.baseline_build_seconds = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    flagged = {q.id for q in population.queries if engine.screen(q).outcome is not ScreeningOutcome.CLEAR}
    report.baseline_seconds = time.perf_counter() - started
    report.baseline_cpu_seconds = time.process_time() - cpu
    gc.unfreeze()
    expected = flagged | population.lost
    report.engine_flagged, report.expected = len(flagged), len(expected)
    report.planted_found = sum(reference in opened for reference in population.planted)
    report.opened_equals_expected = opened == expected
