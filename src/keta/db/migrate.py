"""Run Alembic programmatically, so `keta db upgrade` works from any directory."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config

from keta.db.engine import normalize_url


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("keta.db") / "migrations"))
    # '%' is ConfigParser's interpolation character; URLs may contain it (encoded passwords).
    config.set_main_option("sqlalchemy.url", normalize_url(database_url).replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)
