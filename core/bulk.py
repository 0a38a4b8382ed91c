"""Many rows at once for the push endpoint's hot path, through SQLAlchemy 2's public API only.

insert_rows: one executemany (SQLite's `executemany`, psycopg's pipelined one: one round trip).
insert_rows_with_ids: an INSERT ... RETURNING of the new id with a unique key of the row, which
SQLAlchemy sends as "insertmanyvalues" (one multi-row INSERT per 1,000 rows on SQLite and
PostgreSQL alike); the ids are matched to rows by the key, so the order of RETURNING does not
matter and no `sort_by_parameter_order` is needed (on SQLite that would fall back to one
INSERT per row). select_in: a SELECT by a list of keys in one query.

PostgreSQL gets shorter statements: a list of keys is one array parameter (`= ANY(:keys)`)
rather than an `IN` of 100-200 parameters, and new rows' ids are read back by their keys after
an executemany rather than through a 1,700-parameter multi-row INSERT. psycopg re-parses a long
statement's text on every call (it caches only short ones): those two were the largest part
of the app's CPU per push there (docs/BENCHMARKS.md, issue 18).

No private attribute of SQLAlchemy, no raw DBAPI access, no rowid arithmetic: each would be a trap
for the next SQLAlchemy, Python or SQLite release (issue 18).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import ARRAY, Connection, Table, any_, bindparam, insert, select
from sqlalchemy.sql import ColumnElement, Executable


@dataclass(frozen=True)
class Keyed:
    """One SELECT by a list of keys, built for each backend once (see `keyed`)."""

    expanding: Executable  # `IN (:k1, :k2, ...)`: SQLite
    array: Executable  # `= ANY(:keys)`: PostgreSQL

    def for_(self, connection: Connection) -> Executable:
        return self.array if connection.dialect.name == "postgresql" else self.expanding


def keyed(build: Callable[[Callable[[ColumnElement], ColumnElement]], Executable]) -> Keyed:
    """`build(among)` makes the statement; `among(column)` is "column is one of the keys"."""
    return Keyed(
        expanding=build(lambda column: column.in_(bindparam("keys", expanding=True))),
        array=build(lambda column: column == any_(bindparam("keys", type_=ARRAY(column.type)))),
    )


def insert_rows(connection: Connection, table: Table, rows: list[dict]) -> None:
    """Every row must have the same keys (column names)."""
    if rows:
        connection.execute(_insert(table), rows)


def insert_rows_with_ids(connection: Connection, table: Table, rows: list[dict], key: str) -> dict:
    """{row[key]: the row's new id}; `key` is a unique column of the table."""
    if not rows:
        return {}
    if connection.dialect.name == "postgresql":
        connection.execute(_insert(table), rows)
        return dict(select_in(connection, _ids_by(table, key), [row[key] for row in rows]))
    return dict(connection.execute(_insert_returning(table, key), rows).all())


def execute_rows(connection: Connection, statement, rows: list[dict]) -> None:
    """`statement` once per row (executemany), its parameters named by the rows' keys."""
    if rows:
        connection.execute(statement, rows)


def select_in(connection: Connection, statement: Keyed, keys: list) -> list[tuple]:
    """Rows of a `keyed` statement for these keys."""
    if not keys:
        return []
    return [
        tuple(row) for row in connection.execute(statement.for_(connection), {"keys": list(keys)})
    ]


@lru_cache(maxsize=64)
def _insert(table: Table):
    return insert(table)


@lru_cache(maxsize=64)
def _insert_returning(table: Table, key: str):
    return insert(table).returning(table.c[key], table.c.id)


@lru_cache(maxsize=64)
def _ids_by(table: Table, key: str) -> Keyed:
    return keyed(lambda among: select(table.c[key], table.c.id).where(among(table.c[key])))
