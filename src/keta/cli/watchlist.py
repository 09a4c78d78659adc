"""keta watchlist import | list | rollback — versioned watchlists in the database."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

from keta.adapters.watchlist_sources import SourceError, SourceStats, WatchlistFile, file_sha256
from keta.cli.context import build, load_settings
from keta.db.repositories import watchlists as repo
from keta.db.session import session_scope
from keta.domain.errors import Conflict, InvalidInput, NotFound
from keta.services.watchlists import ImportReport, import_watchlist, rollback_watchlist

T = TypeVar("T")
SHOWN_PROBLEMS = 20


@contextmanager
def progress_bar(stats: SourceStats, label: str) -> Iterator[Callable[[Iterable[T]], Iterator[T]]]:
    """A Rich bar on stderr following the bytes read (silent when stderr is not a terminal)."""
    console = Console(stderr=True)
    columns = (TextColumn(label), BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task(label, total=stats.total_bytes or None)

        def track(items: Iterable[T]) -> Iterator[T]:
            for count, item in enumerate(items):
                if count % 1000 == 0:
                    progress.update(task, completed=stats.bytes_read)
                yield item
            progress.update(task, completed=stats.bytes_read)

        yield track


def counts(counter: dict[str, int]) -> str:
    return ", ".join(f"{key} {value:,}" for key, value in sorted(counter.items()))


@click.group("watchlist")
def watchlist_group() -> None:
    """Watchlists (sanctions, PEP, national lists) for name screening."""


@watchlist_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--list", "list_name", required=True, help="the watchlist to replace (created on first import)")
@click.option("--format", "fmt", type=click.Choice(["ftm", "csv"]), help="default: from the file extension")
def import_command(path: Path, list_name: str, fmt: str | None) -> None:
    """FollowTheMoney JSON lines (.jsonl/.json/.ndjson) or CSV (id,name,aliases,birth_date,nationality).

    The list is replaced atomically by a new version; bad lines are reported and skipped.
    """
    context = build(load_settings(), sends_mail=False)
    try:
        source = WatchlistFile(path, fmt)
        checksum = file_sha256(path)
        with progress_bar(source.stats, f"{list_name}") as track:
            report = import_watchlist(
                context.factory,
                context.runtime.clock,
                name=list_name,
                items=track(source),
                source=path.name,
                checksum=checksum,
            )
    except SourceError as exc:
        raise click.ClickException(str(exc)) from None
    except InvalidInput:
        raise click.BadParameter("give a list name of 1 to 64 characters", param_hint="--list") from None
    except Conflict as exc:
        if exc.reason == "nothing_to_import":
            skipped = sum(source.stats.problems.values())
            message = f"{path.name}: no usable entry ({skipped:,} lines skipped); the list is unchanged"
        else:
            message = f"another import of {list_name!r} started meanwhile; this one was discarded"
        raise click.ClickException(message) from None
    finally:
        context.close()
    _print_report(report, source.stats)


def _print_report(report: ImportReport, stats: SourceStats) -> None:
    click.echo(
        f"{report.list_name}: version {report.version} active — {report.loaded:,} entities loaded "
        f"in {report.duration:.1f} s"
    )
    if report.skipped:
        click.echo(f"skipped {report.skipped:,} lines: {counts(report.skipped_by_code)}")
    if stats.schemas_skipped:
        click.echo(f"skipped other schemas: {counts(dict(stats.schemas_skipped))}")
    if stats.dates_dropped or stats.unknown_countries:
        click.echo(
            f"kept without their bad values: {stats.dates_dropped:,} invalid birth dates, "
            f"{stats.unknown_countries:,} unknown nationality codes"
        )
    for problem in report.problems[:SHOWN_PROBLEMS]:
        click.echo(f"line {problem.line_number}: {problem.code}")
    if report.skipped > SHOWN_PROBLEMS:
        click.echo(f"… and {report.skipped - SHOWN_PROBLEMS:,} more")


@watchlist_group.command("list")
def list_command() -> None:
    """The watchlists with their active version."""
    context = build(load_settings(), sends_mail=False)
    try:
        with session_scope(context.factory) as session:
            rows = repo.summaries(session)
    finally:
        context.close()
    if not rows:
        click.echo("no watchlists yet: keta watchlist import FILE --list NAME")
        return
    click.echo(f"{'NAME':<24} {'VERSION':>7} {'ENTITIES':>10} {'SKIPPED':>8}  LOADED AT (UTC)   SOURCE")
    for row in rows:
        loaded_at = row.activated_at.strftime("%Y-%m-%d %H:%M") if row.activated_at else "-"
        version = str(row.version) if row.version is not None else "-"
        click.echo(
            f"{row.name:<24} {version:>7} {row.entity_count:>10,} {row.skipped_count:>8,}  "
            f"{loaded_at:<16}  {row.source or '-'}"
        )


@watchlist_group.command("rollback")
@click.argument("name")
def rollback_command(name: str) -> None:
    """Make the list's previous version active again (kept until the next import)."""
    context = build(load_settings(), sends_mail=False)
    try:
        with session_scope(context.factory) as session:
            version = rollback_watchlist(session, context.runtime.clock, name=name)
            number = version.number
    except NotFound:
        raise click.ClickException(f"no watchlist named {name!r}") from None
    except Conflict:
        raise click.ClickException(f"{name}: no previous version to go back to") from None
    finally:
        context.close()
    click.echo(f"{name}: version {number} active again")


COMMANDS = [watchlist_group]
