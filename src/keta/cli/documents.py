"""keta documents import FILE — load a lost/stolen travel-document list (CSV)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import click

from keta.cli.context import build, load_settings
from keta.db.session import session_scope
from keta.domain.documents import normalize_document_number
from keta.services.documents import ReportedDocument, add_reported

HEADER = ["document_number", "issuing_country", "reported_on"]


@click.group("documents")
def documents_group() -> None:
    """Lost and stolen travel documents."""


@documents_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", default="import", show_default=True, help="where the list came from")
def import_documents(path: Path, source: str) -> None:
    """CSV with header document_number,issuing_country,reported_on. Bad lines are reported and skipped."""
    rows, skipped = [], 0
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or [f.strip() for f in reader.fieldnames][:2] != HEADER[:2]:
            raise click.UsageError(f"expected header {','.join(HEADER)}")
        for line, row in enumerate(reader, start=2):
            number = normalize_document_number(row.get("document_number") or "")
            country = (row.get("issuing_country") or "").strip().upper()
            try:
                reported = date.fromisoformat(row["reported_on"]) if row.get("reported_on") else None
            except ValueError:
                reported = None
                number = ""
            if not number or len(country) != 3 or not country.isalpha():
                click.echo(f"line {line}: skipped (document_number, issuing_country or reported_on invalid)", err=True)
                skipped += 1
                continue
            rows.append(ReportedDocument(number, country, reported))
    context = build(load_settings())
    try:
        with session_scope(context.factory) as session:
            added = add_reported(session, rows, source=source)
    finally:
        context.close()
    click.echo(f"{added} new, {len(rows) - added} already listed, {skipped} skipped")


COMMANDS = [documents_group]
