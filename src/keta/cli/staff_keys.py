"""keta staff api-key create | revoke USERNAME — staff API keys for border systems (POST /api/v1/border/…)."""

from __future__ import annotations

import click

from keta.cli.context import build, load_settings
from keta.db.session import session_scope
from keta.domain.errors import InvalidInput, NotFound
from keta.services import staff_keys

CLI_ACTOR = "cli"


@click.group("api-key")
def api_key_group() -> None:
    """API keys that act for a member of staff (the border API needs the `border` role)."""


@api_key_group.command("create")
@click.argument("username")
@click.option(
    "--requests-per-minute",
    type=int,
    default=staff_keys.DEFAULT_REQUESTS_PER_MINUTE,
    show_default=True,
    help="this key's rate limit, shared by every server process",
)
def create(username: str, requests_per_minute: int) -> None:
    """Issue a key for USERNAME. It is printed once, as the last word of the output; keta keeps only its hash."""
    context = build(load_settings(), sends_mail=False)
    try:
        with session_scope(context.factory) as session:
            _, key = staff_keys.create(
                session, context.runtime, username=username, requests_per_minute=requests_per_minute, actor=CLI_ACTOR
            )
    except NotFound:
        raise click.ClickException(f"{username}: no such account, or it is disabled") from None
    except InvalidInput:
        raise click.BadParameter("at least 1", param_hint="--requests-per-minute") from None
    finally:
        context.close()
    click.echo(f"API key for {username} created; it is shown only now, store it safely: {key}")


@api_key_group.command("revoke")
@click.argument("username")
def revoke(username: str) -> None:
    """Revoke every key of USERNAME: from the next request on they are refused (401)."""
    context = build(load_settings(), sends_mail=False)
    try:
        with session_scope(context.factory) as session:
            count = staff_keys.revoke(session, context.runtime, username=username, actor=CLI_ACTOR)
    except NotFound:
        raise click.ClickException(f"{username}: no such account") from None
    finally:
        context.close()
    click.echo(f"revoked {count} API key(s) of {username}")
