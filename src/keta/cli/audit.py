"""keta audit verify — walk the audit chain and name the first record that was tampered with."""

from __future__ import annotations

import click

from keta.cli.context import build, load_settings
from keta.db.session import session_scope
from keta.services import audit as trail

PROBLEMS = {
    "edited": "was edited",
    "missing_before": "follows a gap: records before it were removed",
    "reordered": "is out of order, or the record before it was replaced",
    "head_mismatch": "is missing: records at the end of the chain were removed",
    "unknown_key": "was sealed with a data key neither the keyring nor the key registry holds",
}


@click.group("audit")
def audit_group() -> None:
    """The tamper-evident audit trail."""


@audit_group.command("verify")
def verify() -> None:
    """Exit 0 when the chain is intact; exit 1 naming the first broken record otherwise."""
    context = build(load_settings(), sends_mail=False)
    try:
        with session_scope(context.factory) as session:
            result = trail.verify(session, context.runtime.keyring)
    finally:
        context.close()
    if result.first_break is None:
        click.echo(f"audit trail intact: {result.records:,} records")
        return
    broken = result.first_break
    click.echo(f"audit trail broken: record {broken.seq} {PROBLEMS[broken.problem]}", err=True)
    raise SystemExit(1)


COMMANDS = [audit_group]
