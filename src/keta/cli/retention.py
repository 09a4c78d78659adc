"""keta retention purge [--dry-run] — delete the personal data the policy no longer allows keta to keep.

The same work as the daily `retention_purge` job, page by page, one transaction per page, with the
counts per category printed. `--dry-run` counts and changes nothing.
"""

from __future__ import annotations

import uuid
from collections import Counter

import click

from keta.cli.context import build, load_settings
from keta.db.session import session_scope
from keta.domain.retention import Category
from keta.services import retention

LABELS = {
    Category.EXPIRED: "no longer valid authorizations",
    Category.REFUSED: "refusals",
    Category.REVOKED: "revocations",
    Category.ANNULLED: "annulments",
    Category.WITHDRAWN: "withdrawn applications",
    Category.UNPAID: "never-paid applications",
}


@click.group("retention")
def retention_group() -> None:
    """Data retention limits (the policy file's [[retention]] rule)."""


@retention_group.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what is due; change nothing.")
def purge(dry_run: bool) -> None:
    """Delete personal data past its retention period; keep anonymous statistics and the audit trail."""
    context = build(load_settings(), sends_mail=False)
    runtime = context.runtime
    rule = runtime.policy.retention_rule(runtime.today())
    if rule is None:
        context.close()
        raise click.ClickException(f"policy {runtime.policy.code} sets no retention rule for {runtime.today()}")
    applications: Counter[str] = Counter()
    texts: Counter[str] = Counter()
    due: set[uuid.UUID] = set()
    after: uuid.UUID | None = None
    try:
        while True:
            with session_scope(context.factory) as session:
                step = retention.purge_step(session, runtime, after=after, dry_run=dry_run)
            applications.update(step.applications)
            texts.update(step.texts)
            due.update(step.due_ids)
            if step.after is None:
                break
            after = step.after
        with session_scope(context.factory) as session:
            groups = retention.purge_groups(session, runtime, dry_run=dry_run, also_due=due if dry_run else ())
            records = retention.purge_idempotency_records(session, runtime, dry_run=dry_run)
    finally:
        context.close()
    click.echo(
        f"retention rule of policy {runtime.policy.code} on {runtime.today()}: "
        f"valid + {rule.after_validity_days} days; "
        f"refused, revoked or annulled + {rule.after_refusal_years} years; "
        f"withdrawn or never paid + {rule.unfinished_months} months"
    )
    click.echo(f"{'due' if dry_run else 'purged'}: {sum(applications.values()):,} applications")
    for kind, label in LABELS.items():
        click.echo(f"  {label}: {applications[kind.value]:,}")
    click.echo(
        f"  with them: {', '.join(f'{texts[name]:,} {name}' for name in ('findings', 'notes', 'requests', 'redress'))}"
    )
    click.echo(f"groups whose every member is purged: {groups:,}")
    hours = context.runtime.idempotency_ttl.total_seconds() / 3600
    click.echo(f"idempotency records older than {hours:g} hours: {records:,}")
    if dry_run:
        click.echo("dry run: nothing was changed")


COMMANDS = [retention_group]
