"""keta serve | demo | worker — run the web app, the demo, or a standalone worker."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from types import FrameType

import click
import uvicorn
from sqlalchemy.engine import make_url

from keta.adapters.mailer import DEFAULT_MAILBOX
from keta.adapters.safelog import configure as configure_logging
from keta.adapters.safelog import uvicorn_log_config
from keta.cli.context import CliContext, build, development_warning, load_server_settings, load_settings, migrate
from keta.cli.demo_banner import banner
from keta.config import Settings, explicit_env
from keta.db.repositories import instance
from keta.db.session import session_scope
from keta.jobs.pool import PoolFailed, WorkerPool, watch_supervisor
from keta.jobs.runner import Worker
from keta.jobs.schedule import Scheduler
from keta.services import demo as demo_data
from keta.services.ratelimits import is_shared
from keta.services.watchlists import import_watchlist
from keta.web.app import create_app


def refuse_demo_database(context: CliContext) -> None:
    """Production never runs on a database `keta demo` seeded with fictional people."""
    if context.settings.env != "production":
        return
    with session_scope(context.factory) as session:
        if instance.state(session) == "demo":
            raise click.ClickException(
                "KETA_DATABASE_URL names a demo database (keta demo seeded it with fictional people); "
                "production refuses it"
            )


def reset_demo_database(settings: Settings) -> None:
    """`keta demo --reset`: removes the SQLite file, only when the demo made it (never other data)."""
    if not settings.is_sqlite:
        raise click.ClickException("--reset deletes the demo's SQLite file; with PostgreSQL drop the database yourself")
    path = Path(make_url(settings.database_url).database or "")
    if not path.is_file():
        return
    migrate(settings)
    context = build(settings, sends_mail=False)
    try:
        with session_scope(context.factory) as session:
            state = instance.state(session)
    finally:
        context.close()
    if state == "other":
        raise click.ClickException(f"--reset refused: {path} holds data keta demo did not create")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _serve(settings: Settings, host: str, port: int, workers: int) -> None:
    configure_logging(settings.log_level)
    if workers > 1 and not is_shared(settings.rate_limit_url):
        message = (
            f"KETA_RATE_LIMIT_URL={settings.rate_limit_url} counts per process: with {workers} workers every "
            "limit would be multiplied. Use database (the default) or redis://host:port/db"
        )
        if settings.env == "production":
            raise click.ClickException(message)
        click.echo(f"warning: {message}", err=True)
    migrate(settings)
    context = build(settings)
    try:
        refuse_demo_database(context)
    finally:
        context.close()
    log_config = uvicorn_log_config(settings.log_level)
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_config=log_config)
        return
    # Several processes: each builds its own app (and engine, and embedded worker) from the environment.
    uvicorn.run(
        "keta.web.app:app_from_environment", factory=True, host=host, port=port, workers=workers, log_config=log_config
    )


PORT = click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), envvar="KETA_PORT", help="or KETA_PORT"
)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@PORT
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1), help="server processes")
def serve(host: str, port: int, workers: int) -> None:
    """Run the web app (with an embedded worker unless KETA_EMBEDDED_WORKER=false)."""
    _serve(load_server_settings(), host, port, workers)


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@PORT
@click.option("--reset", is_flag=True, help="delete the demo's own SQLite file first, and seed it again")
def demo(host: str, port: int, reset: bool) -> None:
    """Development mode with demo data: a SQLite file, dev keys, seeded applications.

    It seeds only an empty database, or one it made itself: never a database with real data."""
    chosen = explicit_env()
    if chosen not in (None, "development"):
        raise click.ClickException(
            f"KETA_ENV={chosen}: keta demo runs only in development mode (it seeds fictional people); "
            "unset KETA_ENV or set it to development"
        )
    settings = load_settings(env="development")
    warning = development_warning(settings)
    if warning:
        click.echo(warning, err=True)
    configure_logging(settings.log_level)
    if reset:
        reset_demo_database(settings)
    migrate(settings)
    context = build(settings)
    try:
        with session_scope(context.factory) as session:
            fresh = demo_data.claim_database(session, context.runtime)
    except demo_data.NotADemoDatabase:
        context.close()
        raise click.ClickException(
            "KETA_DATABASE_URL holds data keta demo did not create; the demo seeds only an empty database "
            "or one it made itself (e.g. KETA_DATABASE_URL=sqlite:///./demo.db)"
        ) from None
    if fresh:
        import_watchlist(
            context.factory,
            context.runtime.clock,
            name="demo-watchlist",
            items=demo_data.DEMO_WATCHLIST,
            source="demo",
            checksum="demo",
        )
    with session_scope(context.factory) as session:
        cases = demo_data.seed(session, context.runtime) if fresh else demo_data.recall(session, context.runtime)
        accounts = demo_data.seed_staff(session, context.runtime) if fresh else []
    Worker(context.factory, context.runtime).run_until_idle()
    mailbox = Path(settings.mailbox_dir or DEFAULT_MAILBOX).resolve() if not settings.smtp_url else None
    for line in banner(
        f"http://{host}:{port}",
        policy=context.runtime.policy.name,
        cases=cases,
        accounts=accounts,
        mailbox=mailbox,
        fresh=fresh,
    ):
        click.echo(line)
    uvicorn.run(create_app(settings), host=host, port=port, log_config=uvicorn_log_config("warning"))


@click.command("worker")
@click.option("--once", is_flag=True, help="drain the queue, then exit")
@click.option(
    "--concurrency",
    default=1,
    show_default=True,
    type=click.IntRange(min=1, max=64),
    help="worker processes, kept alive by this one (screening is CPU work: about one per core)",
)
@click.option("--supervisor", type=int, hidden=True, help="set by --concurrency on its children: the supervisor's pid")
def worker(once: bool, concurrency: int, supervisor: int | None) -> None:
    """Run a standalone worker against KETA_DATABASE_URL (as many as you like, anywhere)."""
    if once and concurrency > 1:
        raise click.ClickException("--once drains the queue in this process; use it without --concurrency")
    # A child of a pool: its supervisor has already checked the settings and said any warning.
    settings = load_settings() if supervisor is not None else load_server_settings()
    configure_logging(settings.log_level)
    if concurrency > 1:
        _supervise(settings, concurrency)
        return
    context = build(settings)
    try:
        refuse_demo_database(context)
        _work(context, once=once, supervisor=supervisor)
    finally:
        context.close()


def _supervise(settings: Settings, concurrency: int) -> None:
    """`--concurrency M`: M `keta worker` children, restarted when one dies, stopped on SIGTERM."""
    context = build(settings)
    try:
        refuse_demo_database(context)  # refused once here, not M times
    finally:
        context.close()
    me = os.getpid()
    pool = WorkerPool(
        lambda _index: [sys.executable, "-m", "keta", "worker", "--supervisor", str(me)],
        concurrency,
        stop_seconds=settings.job_lease_seconds,
    )

    def stop(_signum: int, _frame: FrameType | None) -> None:
        pool.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        pool.run()
    except PoolFailed as exc:
        raise click.ClickException(str(exc)) from None


def _work(context: CliContext, *, once: bool, supervisor: int | None = None) -> None:
    settings = context.settings
    runner = Worker(
        context.factory,
        context.runtime,
        lease_seconds=settings.job_lease_seconds,
        poll_seconds=settings.worker_poll_seconds,
        scheduler=Scheduler(check_seconds=settings.scheduler_seconds),
    )
    if once:
        try:
            runner.schedule_due()  # the periodic jobs due now are enqueued and run too
            click.echo(f"{runner.run_until_idle()} jobs done")
        finally:
            context.close()
        return

    def stop(_signum: int, _frame: FrameType | None) -> None:
        runner.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if supervisor is not None:
        watch_supervisor(supervisor, runner.stop)
    runner.run_forever()


COMMANDS = [serve, demo, worker]
