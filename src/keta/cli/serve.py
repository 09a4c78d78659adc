"""keta serve | demo | worker — run the web app, the demo, or a standalone worker."""

from __future__ import annotations

import signal
from types import FrameType

import click
import uvicorn

from keta.adapters.safelog import configure as configure_logging
from keta.cli.context import build, load_settings, migrate
from keta.config import Settings
from keta.db.session import session_scope
from keta.jobs.runner import Worker
from keta.services import demo as demo_data
from keta.services.ratelimits import is_shared
from keta.services.watchlists import import_watchlist
from keta.web.app import create_app


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
    level = settings.log_level.lower()
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level=level)
        return
    # Several processes: each builds its own app (and engine, and embedded worker) from the environment.
    uvicorn.run(
        "keta.web.app:app_from_environment", factory=True, host=host, port=port, workers=workers, log_level=level
    )


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1), help="server processes")
def serve(host: str, port: int, workers: int) -> None:
    """Run the web app (with an embedded worker unless KETA_EMBEDDED_WORKER=false)."""
    _serve(load_settings(), host, port, workers)


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def demo(host: str, port: int) -> None:
    """Development mode with demo data: a SQLite file, dev keys, seeded applications."""
    settings = load_settings(env="development")
    configure_logging(settings.log_level)
    migrate(settings)
    context = build(settings)
    with session_scope(context.factory) as session:
        fresh = not demo_data.has_data(session)
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
        cases = demo_data.seed(session, context.runtime) if fresh else []
    Worker(context.factory, context.runtime).run_until_idle()
    base = f"http://{host}:{port}"
    click.echo(f"\nketa demo — policy {context.runtime.policy.name}\n")
    click.echo(f"  API docs:   {base}/docs")
    click.echo(f"  Health:     {base}/healthz   Metrics: {base}/metrics")
    for case in cases:
        click.echo(f"  {case.label}: {case.reference}  ({case.proof})")
    if cases:
        click.echo('\n  Look one up: POST /api/v1/applications/<reference>/lookup {"passport_number": ...}')
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


@click.command("worker")
@click.option("--once", is_flag=True, help="drain the queue, then exit")
def worker(once: bool) -> None:
    """Run a standalone worker against KETA_DATABASE_URL (as many as you like, anywhere)."""
    settings = load_settings()
    configure_logging(settings.log_level)
    context = build(settings)
    runner = Worker(
        context.factory,
        context.runtime,
        lease_seconds=settings.job_lease_seconds,
        poll_seconds=settings.worker_poll_seconds,
    )
    if once:
        click.echo(f"{runner.run_until_idle()} jobs done")
        return

    def stop(_signum: int, _frame: FrameType | None) -> None:
        runner.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    runner.run_forever()


COMMANDS = [serve, demo, worker]
