"""keta keys rotate [--status] — re-encrypt personal data under the current KETA_DATA_KEY.

The procedure: set the new key as KETA_DATA_KEY and the old one in KETA_DATA_KEY_PREVIOUS on every
process, restart them, run `keta keys rotate`, follow `keta keys rotate --status` until it says
done, then remove KETA_DATA_KEY_PREVIOUS and restart again.
"""

from __future__ import annotations

import click
from sqlalchemy.orm import Session

from keta.cli.context import build, load_settings
from keta.db.session import session_scope
from keta.services import key_rotation
from keta.services.runtime import Runtime


@click.group("keys")
def keys_group() -> None:
    """The data key that encrypts personal data at rest."""


@keys_group.command("rotate")
@click.option("--status", "show_status", is_flag=True, help="Report progress instead of starting.")
def rotate(show_status: bool) -> None:
    """Enqueue the background jobs that re-encrypt every ciphertext and blind index under KETA_DATA_KEY."""
    context = build(load_settings(), sends_mail=False)
    keyring = context.runtime.keyring
    try:
        with session_scope(context.factory) as session:
            if show_status:
                _report(session, context.runtime)
                return
            try:
                stale = key_rotation.start(session, context.runtime)
            except key_rotation.RotationRunning:
                raise click.ClickException(
                    "a key rotation is already running; follow it with: keta keys rotate --status"
                ) from None
    finally:
        context.close()
    total = sum(row.rows for row in stale)
    previous = ", ".join(f"{key.id:#04x}" for key in keyring.previous) or "none"
    click.echo(f"rotation to key {keyring.current.id:#04x} queued (previous keys: {previous}): {total:,} rows")
    for row in stale:
        if row.rows:
            click.echo(f"  {row.table}.{row.column}: {row.rows:,}")
    click.echo("workers (keta serve, keta worker) do the work; follow it with: keta keys rotate --status")


def _report(session: Session, runtime: Runtime) -> None:
    keyring = runtime.keyring
    stale = key_rotation.stale_rows(session, keyring)
    left = sum(row.rows for row in stale)
    previous = ", ".join(f"{key.id:#04x}" for key in keyring.previous) or "none"
    click.echo(f"current key {keyring.current.id:#04x}; previous keys: {previous}")
    for row in stale:
        click.echo(f"  {row.table}.{row.column}: {row.rows:,} rows under an old key")
    pending = key_rotation.pending_job(session)
    latest = key_rotation.latest_job(session)
    if pending is not None:
        where = pending.payload.get("after") or "start"
        click.echo(f"in progress: table {pending.payload['table']} from {where} (walk {pending.payload['walk']})")
    elif latest is not None and latest.status == "dead":
        click.echo(f"stopped: the last rotation job failed ({latest.last_error or 'no error recorded'}); "
                   "run keta keys rotate again")  # fmt: skip
    if pending is None and left == 0:
        done = "remove KETA_DATA_KEY_PREVIOUS and restart" if keyring.previous else "nothing left to rotate"
        click.echo(f"done: no data left under an old key; {done}")
    elif pending is None:
        click.echo(f"not done: {left:,} rows under an old key; run keta keys rotate")


COMMANDS = [keys_group]
