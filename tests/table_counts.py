"""Row counts, or every row, of every table: "nothing was written" is the same before and after."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from tests.conftest import Database

import keta.db.models  # noqa: F401 - registers every table
from keta.db.base import Base

# A rate-limit counter counts every request, refused ones included (that is its job, keta.web.throttle):
# a hit is not something the request wrote, so "nothing was written" leaves it out.
COUNTERS = frozenset({"rate_limit_windows"})


def _tables() -> list[Any]:
    return [table for table in Base.metadata.sorted_tables if table.name not in COUNTERS]


def row_counts(database: Database) -> dict[str, int]:
    with database.engine.connect() as connection:
        return {table.name: connection.scalar(select(func.count()).select_from(table)) or 0 for table in _tables()}


def snapshot(database: Database) -> dict[str, list[str]]:
    """Every row of every table, as text: an insert, an update or a delete all show."""
    with database.engine.connect() as connection:
        return {
            table.name: sorted(repr(tuple(row)) for row in connection.execute(select(table))) for table in _tables()
        }
