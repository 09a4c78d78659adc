"""Statements of a hot path (the carrier check, rate-limit counters): built once, and run on
PostgreSQL through the driver itself.

SQLAlchemy spends about a tenth of a millisecond of CPU per execution (execution context,
result wrapping, type processing): more than PostgreSQL spends on an indexed look-up, and a
carrier check runs four statements. So on PostgreSQL a `HotStatement` is compiled once to
psycopg's own SQL and run on the driver connection beneath the SQLAlchemy connection. psycopg
adapts the values these statements carry (str, int, UUID, date, datetime, lists of str) as
SQLAlchemy's PostgreSQL types would, except JSON, which the statement names so it is serialized
here. Elsewhere (SQLite) it runs through SQLAlchemy as usual; the suite runs both.

The statement runs on the same driver connection SQLAlchemy holds, so it takes part in
whatever transaction that connection has; the hot paths use AUTOCOMMIT connections
(`keta.db.engine.make_lean_engine`), where each statement commits on its own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.sql.expression import Executable


class HotStatement:
    def __init__(self, statement: Executable, *, json_params: tuple[str, ...] = (), returns_rows: bool = True) -> None:
        self._statement = statement
        self._json = json_params
        self._returns_rows = returns_rows
        self._postgresql_sql: str | None = None
        self._constants: dict[str, Any] = {}  # parameters SQLAlchemy made for literals (hits = 1, …)

    def rows(self, connection: Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Run the statement; its result rows as tuples (none for a statement without any)."""
        if connection.dialect.name != "postgresql":
            result = connection.execute(self._statement, dict(params))
            return [tuple(row) for row in result] if result.returns_rows else []
        if self._postgresql_sql is None:
            compiled = self._statement.compile(dialect=connection.dialect)  # type: ignore[attr-defined]
            self._constants = {name: value for name, value in compiled.params.items() if value is not None}
            self._postgresql_sql = str(compiled)
        values = dict(self._constants)
        for name, value in params.items():
            values[name] = json.dumps(value, separators=(",", ":")) if name in self._json else value
        driver = connection.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor:
            cursor.execute(self._postgresql_sql, values)
            return list(cursor.fetchall()) if self._returns_rows else []
