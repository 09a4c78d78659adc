"""Run Alembic programmatically, so `keta db upgrade` works from any directory."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config

from keta.db.engine import normalize_url


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("keta.db") / "migrations"))
    # '%' is ConfigParser's interpolation character; URLs may contain it (encoded passwords).
    config.set_main_option("sqlalchemy.url", normalize_url(database_url).replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head", *, attributes: Mapping[str, Any] | None = None) -> None:
    """`attributes` reach the migrations as `context.config.attributes`: callables a data migration
    needs from above the db layer (e.g. "carrier_keys", which decrypts existing applications)."""
    config = alembic_config(database_url)
    config.attributes.update(attributes or {})
    command.upgrade(config, revision)
