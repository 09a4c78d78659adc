"""keta db upgrade"""

from __future__ import annotations

import click

from keta.cli.context import load_settings, migrate
from keta.config import Settings


@click.group("db")
def db_group() -> None:
    """Database schema management."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def upgrade(revision: str) -> None:
    """Apply the migrations to KETA_DATABASE_URL (SQLite file by default)."""
    settings = _settings()
    migrate(settings, revision)
    click.echo(f"database at revision {revision}")


def _settings() -> Settings:
    # Migrating needs no signing secret; accept development defaults here. A database whose
    # applications were written with another KETA_DATA_KEY cannot be decrypted with the dev key,
    # so the data migration that needs it stops with a message instead of writing wrong keys.
    return load_settings(env="development")


COMMANDS = [db_group]
