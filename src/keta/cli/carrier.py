"""keta carrier create | list | suspend | resume | revoke — airlines' keys for the carrier check."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import click
from sqlalchemy.orm import Session

from keta.cli.context import build, load_settings
from keta.db.models import Carrier
from keta.db.session import session_scope
from keta.domain.errors import Conflict, InvalidInput, NotFound
from keta.services import carrier_keys

DEFAULT_REQUESTS_PER_MINUTE = 600


@contextmanager
def _session() -> Iterator[Session]:
    context = build(load_settings(), sends_mail=False)
    try:
        with session_scope(context.factory) as session:
            yield session
    except NotFound:
        raise click.ClickException("no carrier with that name") from None
    except Conflict as exc:
        raise click.ClickException(exc.reason.replace("_", " ")) from None
    except InvalidInput as exc:
        raise click.ClickException(", ".join(f"{f.path}: {f.code.replace('_', ' ')}" for f in exc.fields)) from None
    finally:
        context.close()


def _now() -> datetime:
    return datetime.now(UTC)


@click.group("carrier")
def carrier_group() -> None:
    """Carriers (airlines) and their API keys for POST /api/v1/carrier/checks."""


@carrier_group.command("create")
@click.argument("name")
@click.option(
    "--requests-per-minute",
    type=int,
    default=DEFAULT_REQUESTS_PER_MINUTE,
    show_default=True,
    help="this carrier's rate limit, shared by every server process",
)
def create(name: str, requests_per_minute: int) -> None:
    """Issue a key. It is printed once, as the last word of the output; keta keeps only its hash."""
    with _session() as session:
        carrier, key = carrier_keys.create(session, name=name, requests_per_minute=requests_per_minute, now=_now())
        label = carrier.name
    click.echo(f"carrier {label} created; its API key is shown only now, store it safely: {key}")


@carrier_group.command("list")
def list_carriers() -> None:
    """Every carrier with its state and rate limit (never a key)."""
    with _session() as session:
        rows = [
            (c.name, _state(c), str(c.requests_per_minute), c.created_at.date().isoformat())
            for c in carrier_keys.listed(session)
        ]
    width = max([len("NAME"), *(len(row[0]) for row in rows)])
    click.echo(f"{'NAME':<{width}}  {'STATE':<9}  {'REQ/MIN':>7}  CREATED")
    for name, state, rate, created in rows:
        click.echo(f"{name:<{width}}  {state:<9}  {rate:>7}  {created}")


def _state_change(verb: str, change: Callable[[Session, str], Carrier]) -> click.Command:
    @click.argument("name")
    def command(name: str) -> None:
        with _session() as session:
            carrier = change(session, name)
            state = _state(carrier)
        click.echo(f"carrier {name}: {state}")

    command.__doc__ = {
        "revoke": "Revoke the carrier's key for good: from the next request on it is refused (401).",
        "suspend": "Refuse the carrier's requests (403) until `keta carrier resume`.",
        "resume": "Accept a suspended carrier's requests again.",
    }[verb]
    return carrier_group.command(verb)(command)


def _state(carrier: Carrier) -> str:
    if carrier.revoked_at is not None:
        return "revoked"
    return "suspended" if carrier.suspended_at is not None else "active"


_state_change("revoke", lambda session, name: carrier_keys.revoke(session, name=name, now=_now()))
_state_change("suspend", lambda session, name: carrier_keys.suspend(session, name=name, now=_now()))
_state_change("resume", lambda session, name: carrier_keys.resume(session, name=name))

COMMANDS = [carrier_group]
