"""`keta` — the command line. Settings are read lazily, so `keta --help` works with none set."""

from __future__ import annotations

import click

from keta import __version__
from keta.cli import (
    agency,
    audit,
    bench,
    carrier,
    db,
    documents,
    eligibility,
    keys,
    mrz,
    retention,
    screen,
    serve,
    staff,
    watchlist,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="keta")
def main() -> None:
    """keta: an open-source electronic travel authorization platform (default policy: K-ETA)."""


for module in (
    agency,
    audit,
    bench,
    carrier,
    db,
    documents,
    eligibility,
    keys,
    mrz,
    retention,
    screen,
    serve,
    staff,
    watchlist,
):
    for command in module.COMMANDS:
        main.add_command(command)
