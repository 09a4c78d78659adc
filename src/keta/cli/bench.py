"""keta bench screening-quality | screening-speed | rescreen | carrier | key-rotation — each next to a baseline
measured in the same run.

Heavy imports (numpy, faker, rapidfuzz) happen inside the commands, so `keta --help` stays fast.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from keta.bench import Contestant

SCREENERS = ("keta", "baseline")
SEED = 20261129


def _subject(screener: str) -> Contestant:
    """What the first column measures: keta's engine, or the baseline itself (to check the harness)."""
    if screener == "baseline":
        from keta.bench.baseline import baseline_contestant

        return baseline_contestant()
    from keta.bench.quality import ENGINE_MODULE, keta_contestant

    try:
        return keta_contestant()
    except (ImportError, AttributeError) as exc:
        raise click.ClickException(
            f"keta's screening engine is not available ({ENGINE_MODULE}: {type(exc).__name__}: {exc}); "
            "run with --screener baseline to exercise the harness with the baseline alone"
        ) from None


def _write_json(path: Path | None, payload: object) -> None:
    if path is not None:
        path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        click.echo(f"wrote {path}", err=True)


@click.group("bench")
def bench_group() -> None:
    """Benchmarks: screening quality and speed next to brute force; carrier checks next to a constant endpoint."""


@bench_group.command("screening-quality")
@click.option(
    "--public-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="public sets (default: $KETA_BENCH_PUBLIC, else ../shared/benchmarks/public; skipped when absent)",
)
@click.option("--seeds", type=click.IntRange(min=1), default=10, show_default=True, help="seeds per set")
@click.option("--own-size", type=click.IntRange(min=200), default=2000, show_default=True, help="queries in keta's set")
@click.option(
    "--negatives-sample", type=click.IntRange(min=0), default=10_000, show_default=True, help="yente negatives"
)
@click.option("--namesake-entities", type=click.IntRange(min=1000), default=20_000, show_default=True)
@click.option("--namesake-queries", type=click.IntRange(min=100), default=2000, show_default=True)
@click.option("--baseline-seeds", type=click.IntRange(min=0), default=3, show_default=True, help="brute force is slow")
@click.option("--seed", type=int, default=SEED, show_default=True, help="the first seed; the others follow it")
@click.option("--screener", type=click.Choice(SCREENERS), default="keta", show_default=True, help="what is measured")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="also write the numbers")
def screening_quality(
    public_dir: Path | None,
    seeds: int,
    own_size: int,
    negatives_sample: int,
    namesake_entities: int,
    namesake_queries: int,
    baseline_seeds: int,
    seed: int,
    screener: str,
    json_path: Path | None,
) -> None:
    """Recall, false-positive rate and review rate per set, mean and worst over seeds, keta beside the baseline.

    Sets: keta's own multi-script set (tuning part and held-out part), the namesake set, the yente fixtures and
    the nomenklatura name_bench persons (when the public directory is present). Each set says its role.
    """
    from rich.console import Console

    from keta.bench.baseline import baseline_contestant
    from keta.bench.public import resolve_public_dir
    from keta.bench.seeded import Plan, run_seeded
    from keta.bench.seeded_render import render

    keta = None
    if screener == "keta":
        _subject("keta")  # fails early, with the hint, when the engine is missing
        from keta.bench.quality import keta_contestant

        keta = keta_contestant
    progress = Console(stderr=True)
    plan = Plan(
        seeds=seeds,
        base_seed=seed,
        own_size=own_size,
        negatives_sample=negatives_sample,
        namesake_entities=namesake_entities,
        namesake_queries=namesake_queries,
        baseline_seeds=baseline_seeds,
    )
    report = run_seeded(
        keta,
        baseline_contestant(),
        public_dir=resolve_public_dir(public_dir),
        plan=plan,
        progress=lambda line: progress.print(f"[dim]{line}[/]"),
    )
    out = Console()
    if not out.is_terminal:  # piped or captured: wide enough for the tables, not Rich's default of 80
        out.width = 150
    render(report, out)
    _write_json(json_path, report.to_dict())


@bench_group.command("screening-speed")
@click.option("--entities", type=click.IntRange(min=1), default=1_000_000, show_default=True)
@click.option("--queries", type=click.IntRange(min=1), default=2000, show_default=True, help="keta's fixed query set")
@click.option(
    "--baseline-queries", type=click.IntRange(min=1), default=20, show_default=True, help="brute force: first N queries"
)
@click.option("--repeats", type=click.IntRange(min=1), default=3, show_default=True, help="runs per side (median)")
@click.option("--seed", type=int, default=SEED, show_default=True)
@click.option("--quality-seeds", type=click.IntRange(min=0), default=10, show_default=True, help="namesake set seeds")
@click.option("--quality-queries", type=click.IntRange(min=10), default=1000, show_default=True, help="per seed")
@click.option("--screener", type=click.Choice(SCREENERS), default="keta", show_default=True, help="what is measured")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="also write the numbers")
def screening_speed(
    entities: int,
    queries: int,
    baseline_queries: int,
    repeats: int,
    seed: int,
    quality_seeds: int,
    quality_queries: int,
    screener: str,
    json_path: Path | None,
) -> None:
    """Generate a synthetic watchlist; report index build time, peak memory, queries/s (a mix, and common names
    alone), the namesake set's recall and review rate on that list over seeds; brute force alike.

    The last line is the throughput ratio keta / brute force.
    """
    from keta.bench.speed import run_speed

    subject = _subject(screener)
    report = run_speed(
        subject,
        entities=entities,
        queries=queries,
        baseline_queries=baseline_queries,
        repeats=repeats,
        seed=seed,
        quality_seeds=quality_seeds,
        quality_queries=quality_queries,
        say=click.echo,
    )
    _write_json(json_path, report.to_dict())
    click.echo(report.ratio_line())


@bench_group.command("key-rotation")
@click.option("--applications", type=click.IntRange(min=1), default=10_000, show_default=True)
@click.option("--photo-kb", type=click.IntRange(min=0, max=2000), default=0, show_default=True,
              help="a random 'photo' of this size inside each application's personal data")  # fmt: skip
@click.option("--batch", type=click.IntRange(min=1), default=200, show_default=True, help="rows per rotation job")
@click.option(
    "--database-url", help="a PostgreSQL database to run in (a scratch schema); default: a temporary SQLite file"
)
def key_rotation(applications: int, photo_kb: int, batch: int, database_url: str | None) -> None:
    """Re-encrypt N applications: keta's rotation jobs next to a one-transaction baseline, rows/s and ratio."""
    from keta.bench.rotation import run, scratch_database

    with scratch_database(database_url) as factory:
        timings = run(factory, count=applications, photo_kb=photo_kb, batch=batch)
    for timing in timings:
        click.echo(f"{timing.name:>8}: {timing.rows:,} rows in {timing.seconds:.2f} s = {timing.rate:,.0f} rows/s")
    keta, baseline = timings
    click.echo(f"ratio keta/baseline: {keta.rate / baseline.rate:.2f} (batches of {batch}, safe while the API writes)")


@bench_group.command("rescreen")
@click.option("--authorizations", type=click.IntRange(min=1), default=100_000, show_default=True)
@click.option("--entities", type=click.IntRange(min=1), default=10_000, show_default=True, help="watchlist size")
@click.option("--planted", type=click.FloatRange(0, 1), default=0.01, show_default=True, help="share of listed persons")
@click.option(
    "--lost", type=click.FloatRange(0, 1), default=0.001, show_default=True, help="share with a lost passport"
)
@click.option("--batch-size", type=click.IntRange(min=1), default=500, show_default=True)
@click.option("--database-url", help="PostgreSQL (a schema of its own, dropped after); default: a fresh SQLite file")
@click.option("--keep", is_flag=True, help="keep the database (or schema) afterwards")
@click.option("--seed", type=int, default=SEED, show_default=True)
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="also write the numbers")
def rescreen(
    authorizations: int,
    entities: int,
    planted: float,
    lost: float,
    batch_size: int,
    database_url: str | None,
    keep: bool,
    seed: int,
    json_path: Path | None,
) -> None:
    """Re-screen N valid authorizations after a watchlist import, through the job table and a worker.

    Prints time, authorizations/s, peak memory, cases opened against the expected count, and the engine
    alone over the same names (no database, no decryption) as the baseline; the last line is the ratio.
    """
    from keta.bench.rescreen import run_rescreen

    try:
        report = run_rescreen(
            authorizations=authorizations,
            entities=entities,
            planted_share=planted,
            lost_share=lost,
            batch_size=batch_size,
            seed=seed,
            database_url=database_url,
            keep=keep,
            say=click.echo,
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    _write_json(json_path, report.to_dict())
    click.echo(report.ratio_line())


@bench_group.command("carrier")
@click.option("--authorizations", type=click.IntRange(min=10), default=1_000_000, show_default=True)
@click.option("--seconds", type=click.FloatRange(min=1), default=10.0, show_default=True, help="per measured run")
@click.option(
    "--clients",
    type=click.IntRange(min=1),
    multiple=True,
    default=(4, 32),
    show_default=True,
    help="concurrent connections; repeat the option for several runs",
)
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help="keta serve processes")
@click.option(
    "--database-url",
    envvar="KETA_BENCH_DATABASE_URL",
    default="postgresql://postgres@127.0.0.1:5432/test",
    show_default=True,
    help="a PostgreSQL server; the bench works in a schema of its own (keta_bench_carrier)",
)
@click.option("--schema", default="keta_bench_carrier", show_default=True, help="the bench's own schema (dropped)")
@click.option("--rate-limit-url", default="database", show_default=True, help="the servers' KETA_RATE_LIMIT_URL")
@click.option("--keep", is_flag=True, help="keep the bench schema afterwards")
def carrier(
    authorizations: int,
    seconds: float,
    clients: tuple[int, ...],
    workers: int,
    database_url: str,
    schema: str,
    rate_limit_url: str,
    keep: bool,
) -> None:
    """Carrier checks against N approved authorizations in PostgreSQL, next to a constant endpoint.

    Prints throughput and p50/p99 latency of single checks and 300-passenger manifests, the
    ratio of single checks to the ceiling, and the servers' peak RSS.
    """
    from keta.bench.carrier import render, run_bench
    from keta.cli.context import load_settings

    if not database_url.startswith(("postgresql", "postgres://")):
        raise click.ClickException("the carrier bench needs PostgreSQL (--database-url postgresql://…)")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", schema):
        raise click.ClickException("--schema: lower-case letters, digits and _ only")
    try:
        report = run_bench(
            database_url=database_url,
            schema=schema,
            authorizations=authorizations,
            seconds=seconds,
            clients=clients,
            workers=workers,
            rate_limit_url=rate_limit_url,
            policy_name=load_settings(env="development").policy,
            keep=keep,
            say=lambda line: click.echo(line, err=True),
        )
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
    render(report, clients=clients, say=click.echo)


def _postgres_schema(database_url: str, schema: str) -> None:
    if not database_url.startswith(("postgresql", "postgres://")):
        raise click.ClickException("this bench needs PostgreSQL (--database-url postgresql://…)")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", schema):
        raise click.ClickException("--schema: lower-case letters, digits and _ only")


@bench_group.command("crash")
@click.option("--applications", type=click.IntRange(min=1, max=100_000), default=400, show_default=True)
@click.option("--seconds", type=click.FloatRange(min=5, max=3600), default=120.0, show_default=True,
              help="the load stops at this time or after --applications, whichever comes first")  # fmt: skip
@click.option("--kills", type=click.IntRange(min=0, max=1000), default=12, show_default=True,
              help="kill -9 this many processes, spread over the submissions, servers and workers in turn")  # fmt: skip
@click.option("--clients", type=click.IntRange(min=1, max=64), default=4, show_default=True)
@click.option("--lease-seconds", type=click.IntRange(min=2), default=5, show_default=True,
              help="the processes' KETA_JOB_LEASE_SECONDS: how soon a dead worker's job is taken over")  # fmt: skip
@click.option("--database-url", envvar="KETA_BENCH_DATABASE_URL", default="postgresql://postgres@127.0.0.1:5432/test",
              show_default=True, help="a PostgreSQL server; the drill works in a schema of its own")  # fmt: skip
@click.option("--schema", default="keta_bench_crash", show_default=True, help="the drill's own schema (dropped)")
@click.option("--keep", is_flag=True, help="keep the schema afterwards")
@click.option("--seed", type=int, default=1, show_default=True, help="which processes are killed when")
def crash(
    applications: int,
    seconds: float,
    kills: int,
    clients: int,
    lease_seconds: int,
    database_url: str,
    schema: str,
    keep: bool,
    seed: int,
) -> None:
    """kill -9 API processes and workers under a submission + payment load, then count: every 201 exists,
    every paid application screened exactly once, no job stuck, no decision duplicated. Exit 1 on a failure."""
    from keta.bench.crash import render, run_drill

    _postgres_schema(database_url, schema)
    try:
        report = run_drill(
            database_url=database_url,
            schema=schema,
            applications=applications,
            seconds=seconds,
            kills=kills,
            clients=clients,
            lease_seconds=lease_seconds,
            keep=keep,
            seed=seed,
            say=lambda line: click.echo(line, err=True),
        )
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
    render(report, say=click.echo)
    if report.failures:
        raise SystemExit(1)


@bench_group.command("soak")
@click.option("--minutes", type=click.FloatRange(min=0.5, max=240), default=10.0, show_default=True)
@click.option("--rate", type=click.FloatRange(min=1, max=5000), default=40.0, show_default=True,
              help="steps per second the driver aims at, all clients together (a payment is two requests)")  # fmt: skip
@click.option("--clients", type=click.IntRange(min=1, max=64), default=8, show_default=True)
@click.option("--api-workers", type=click.IntRange(min=1, max=64), default=2, show_default=True,
              help="keta serve --workers")  # fmt: skip
@click.option("--concurrency", type=click.IntRange(min=1, max=64), default=2, show_default=True,
              help="keta worker --concurrency")  # fmt: skip
@click.option("--authorizations", type=click.IntRange(min=10), default=100_000, show_default=True,
              help="approved authorizations loaded for the carrier checks")  # fmt: skip
@click.option("--database-url", envvar="KETA_BENCH_DATABASE_URL", default="postgresql://postgres@127.0.0.1:5432/test",
              show_default=True, help="a PostgreSQL server; the soak works in a schema of its own")  # fmt: skip
@click.option("--schema", default="keta_bench_soak", show_default=True, help="the soak's own schema (dropped)")
@click.option("--keep", is_flag=True, help="keep the schema afterwards")
def soak(
    minutes: float,
    rate: float,
    clients: int,
    api_workers: int,
    concurrency: int,
    authorizations: int,
    database_url: str,
    schema: str,
    keep: bool,
) -> None:
    """Mixed traffic (eligibility, submissions, payments, look-ups, carrier checks) for N minutes against
    keta serve --workers N and keta worker --concurrency M on PostgreSQL, from a separate driver process.

    Prints errors (goal 0), p50/p99 latency per kind, throughput, and RSS at the start and the end (goal: flat).
    """
    from keta.bench.soak import render, run_soak
    from keta.cli.context import load_settings

    _postgres_schema(database_url, schema)
    try:
        report = run_soak(
            database_url=database_url,
            schema=schema,
            minutes=minutes,
            api_workers=api_workers,
            worker_concurrency=concurrency,
            clients=clients,
            rate=rate,
            authorizations=authorizations,
            policy_name=load_settings(env="development").policy,
            keep=keep,
            say=lambda line: click.echo(line, err=True),
        )
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
    render(report, say=click.echo)


COMMANDS = [bench_group]
