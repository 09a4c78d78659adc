"""keta agency create | list | suspend | resume | revoke — accredited travel agencies' keys for
/api/v1/agency."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import click
from sqlalchemy.orm import Session

from keta.cli.context import build, load_settings
from keta.db.models import Agency
from keta.db.session import session_scope
from keta.domain.errors import Conflict, InvalidInput, NotFound
from keta.services import agency_keys


@contextmanager
def _session() -> Iterator[Session]:
    context = build(load_settings(), sends_mail=False)
    try:
        with session_scope(context.factory) as session:
            yield session
    except NotFound:
        raise click.ClickException("no agency with that name") from None
    except Conflict as exc:
        raise click.ClickException(exc.reason.replace("_", " ")) from None
    except InvalidInput as exc:
        raise click.ClickException(", ".join(f"{f.path}: {f.code.replace('_', ' ')}" for f in exc.fields)) from None
    finally:
        context.close()


def _now() -> datetime:
    return datetime.now(UTC)


def _state(agency: Agency) -> str:
    if agency.revoked_at is not None:
        return "revoked"
    return "suspended" if agency.suspended_at is not None else "active"


@click.group("agency")
def agency_group() -> None:
    """Accredited travel agencies and their API keys for /api/v1/agency."""


@agency_group.command("create")
@click.argument("name")
@click.option(
    "--requests-per-minute",
    type=int,
    default=agency_keys.DEFAULT_REQUESTS_PER_MINUTE,
    show_default=True,
    help="this agency's rate limit, shared by every server process",
)
def create(name: str, requests_per_minute: int) -> None:
    """Issue a key. It is printed once, as the last word of the output; keta keeps only its hash."""
    with _session() as session:
        agency, key = agency_keys.create(session, name=name, requests_per_minute=requests_per_minute, now=_now())
        label = agency.name
    click.echo(f"agency {label} created; its API key is shown only now, store it safely: {key}")


@agency_group.command("list")
def list_agencies() -> None:
    """Every agency with its state and rate limit (never a key)."""
    with _session() as session:
        rows = [
            (a.name, _state(a), str(a.requests_per_minute), a.created_at.date().isoformat())
            for a in agency_keys.listed(session)
        ]
    width = max([len("NAME"), *(len(row[0]) for row in rows)])
    click.echo(f"{'NAME':<{width}}  {'STATE':<9}  {'REQ/MIN':>7}  CREATED")
    for name, state, rate, created in rows:
        click.echo(f"{name:<{width}}  {state:<9}  {rate:>7}  {created}")


@agency_group.command("revoke")
@click.argument("name")
def revoke(name: str) -> None:
    """Revoke the agency's key for good: from the next request on it is refused (401)."""
    with _session() as session:
        state = _state(agency_keys.revoke(session, name=name, now=_now()))
    click.echo(f"agency {name}: {state}")


@agency_group.command("suspend")
@click.argument("name")
def suspend(name: str) -> None:
    """Suspend the accreditation: the agency's requests are refused (403) until `keta agency resume`."""
    with _session() as session:
        state = _state(agency_keys.suspend(session, name=name, now=_now()))
    click.echo(f"agency {name}: {state}")


@agency_group.command("resume")
@click.argument("name")
def resume(name: str) -> None:
    """Accept a suspended agency's requests again."""
    with _session() as session:
        state = _state(agency_keys.resume(session, name=name))
    click.echo(f"agency {name}: {state}")


COMMANDS = [agency_group]
