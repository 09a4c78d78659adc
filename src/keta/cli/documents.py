"""keta documents import FILE — replace a lost/stolen travel-document list (CSV)."""

from __future__ import annotations

from pathlib import Path

import click

from keta.adapters.watchlist_sources import DocumentsFile, SourceError
from keta.cli.context import build, load_settings
from keta.cli.watchlist import SHOWN_PROBLEMS, progress_bar
from keta.db.session import session_scope
from keta.domain.errors import Conflict
from keta.services.documents import import_documents as replace_documents


@click.group("documents")
def documents_group() -> None:
    """Lost and stolen travel documents."""


@documents_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", default="import", show_default=True, help="where the list came from")
def import_documents(path: Path, source: str) -> None:
    """CSV with header document_number,issuing_country,reported_on. Bad lines are reported and skipped.

    The file replaces, in one transaction, every entry imported before from the same --source;
    entries from other sources stay.
    """
    if not source.strip() or len(source) > 64:
        raise click.BadParameter("give a source name of 1 to 64 characters", param_hint="--source")
    try:
        reader = DocumentsFile(path)
    except SourceError as exc:
        raise click.ClickException(str(exc)) from None
    context = build(load_settings(), sends_mail=False)
    try:
        with progress_bar(reader.stats, "documents") as track, session_scope(context.factory) as session:
            report = replace_documents(session, track(reader), source=source, now=context.runtime.now())
    except SourceError as exc:
        raise click.ClickException(str(exc)) from None
    except Conflict:
        skipped = sum(reader.stats.problems.values())
        raise click.ClickException(f"{path.name}: no usable row ({skipped:,} skipped); the list is unchanged") from None
    finally:
        context.close()
    for problem in report.problems[:SHOWN_PROBLEMS]:
        click.echo(f"line {problem.line_number}: skipped ({problem.code})")
    click.echo(
        f"{report.new:,} new, {report.already_listed:,} already listed, {report.skipped:,} skipped; "
        f"{report.removed:,} no longer listed, removed"
    )


COMMANDS = [documents_group]
