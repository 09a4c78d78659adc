"""keta db upgrade"""

from __future__ import annotations

import click

from keta.cli.context import load_settings
from keta.config import Settings
from keta.db.migrate import upgrade as run_upgrade


@click.group("db")
def db_group() -> None:
    """Database schema management."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def upgrade(revision: str) -> None:
    """Apply the migrations to KETA_DATABASE_URL (SQLite file by default)."""
    settings = _settings()
    run_upgrade(settings.database_url, revision)
    click.echo(f"database at revision {revision}")


def _settings() -> Settings:
    # Migrating needs no secrets; accept development defaults here.
    return load_settings(env="development")


COMMANDS = [db_group]
