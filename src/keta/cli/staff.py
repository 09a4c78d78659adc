"""keta staff create|list|reset|disable — back-office accounts from the command line.

`create` and `reset` print a one-time enrolment link (valid 72 hours) as the last word of their
output; whoever opens it sets the password and links an authenticator app. Every change is in the
audit trail with the actor "cli".
"""

from __future__ import annotations

import click
from sqlalchemy import select

from keta.cli.context import build, load_settings
from keta.cli.staff_keys import api_key_group
from keta.db.models import StaffMember
from keta.db.session import session_scope
from keta.domain.errors import Conflict, InvalidInput, NotFound
from keta.domain.review import Role
from keta.services import staff

CLI_ACTOR = "cli"


def _link(base: str, token: str) -> str:
    return f"{base.rstrip('/')}/backoffice/enrol/{token}"


@click.group("staff")
def staff_group() -> None:
    """Back-office accounts: officers, supervisors, admins, auditors, border officers."""


@staff_group.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
def create(username: str, role: str) -> None:
    """Create USERNAME with ROLE; prints the one-time enrolment link."""
    context = build(load_settings(), sends_mail=False)
    try:
        with session_scope(context.factory) as session:
            _, token = staff.create(session, context.runtime, username=username, role=Role(role), actor=CLI_ACTOR)
    except InvalidInput:
        raise click.BadParameter(
            "3 to 32 lower-case letters, digits, '.', '-' or '_', starting with a letter", param_hint="USERNAME"
        ) from None
    except Conflict:
        raise click.ClickException(f"{username}: this user name is already taken") from None
    finally:
        context.close()
    click.echo(
        f"created {username} ({role}); enrolment link, valid 72 hours: {_link(context.settings.base_url, token)}"
    )


@staff_group.command("reset")
@click.argument("username")
def reset(username: str) -> None:
    """Clear USERNAME's password and authenticator, end their sessions; prints a new enrolment link."""
    context = build(load_settings(), sends_mail=False)
    try:
        with session_scope(context.factory) as session:
            token = staff.reset(session, context.runtime, username=username, actor=CLI_ACTOR)
    except NotFound:
        raise click.ClickException(f"{username}: no such account") from None
    finally:
        context.close()
    click.echo(f"reset {username}; enrolment link, valid 72 hours: {_link(context.settings.base_url, token)}")


@staff_group.command("disable")
@click.argument("username")
def disable(username: str) -> None:
    """Disable USERNAME: every session ends at once and sign-in is refused."""
    context = build(load_settings(), sends_mail=False)
    try:
        with session_scope(context.factory) as session:
            staff.disable(session, context.runtime, username=username, actor=CLI_ACTOR)
    except NotFound:
        raise click.ClickException(f"{username}: no such account") from None
    finally:
        context.close()
    click.echo(f"disabled {username}")


@staff_group.command("list")
def list_staff() -> None:
    """Every account with its role and state."""
    context = build(load_settings(), sends_mail=False)
    try:
        with session_scope(context.factory) as session:
            for member in session.scalars(select(StaffMember).order_by(StaffMember.username)):
                state = "disabled" if member.disabled_at else ("active" if member.password_hash else "enrolling")
                click.echo(f"{member.username}\t{member.role}\t{state}")
    finally:
        context.close()


staff_group.add_command(api_key_group)
COMMANDS = [staff_group]
