"""Many rows at once for the push endpoint's hot path, through SQLAlchemy 2's public API only.

insert_rows: one executemany (SQLite's `executemany`, psycopg's pipelined one: one round trip).
insert_rows_with_ids: an INSERT ... RETURNING of the new id with a unique key of the row, which
SQLAlchemy sends as "insertmanyvalues" (one multi-row INSERT per 1,000 rows on SQLite and
PostgreSQL alike); the ids are matched to rows by the key, so the order of RETURNING does not
matter and no `sort_by_parameter_order` is needed (on SQLite that would fall back to one
INSERT per row). select_in: a SELECT by a list of keys in one query.

No private attribute of SQLAlchemy, no raw DBAPI access, no rowid arithmetic: each would be a trap
for the next SQLAlchemy, Python or SQLite release (issue 18).
"""

from functools import lru_cache

from sqlalchemy import Connection, Table, insert


def insert_rows(connection: Connection, table: Table, rows: list[dict]) -> None:
    """Every row must have the same keys (column names)."""
    if rows:
        connection.execute(_insert(table), rows)


def insert_rows_with_ids(connection: Connection, table: Table, rows: list[dict], key: str) -> dict:
    """{row[key]: the row's new id}; `key` is a unique column of the table."""
    if not rows:
        return {}
    return dict(connection.execute(_insert_returning(table, key), rows).all())


def execute_rows(connection: Connection, statement, rows: list[dict]) -> None:
    """`statement` once per row (executemany), its parameters named by the rows' keys."""
    if rows:
        connection.execute(statement, rows)


def select_in(connection: Connection, statement, keys: list, name: str = "keys") -> list[tuple]:
    """Rows of `statement` with its expanding parameter `name` bound to `keys`."""
    if not keys:
        return []
    return [tuple(row) for row in connection.execute(statement, {name: list(keys)})]


@lru_cache(maxsize=64)
def _insert(table: Table):
    return insert(table)


@lru_cache(maxsize=64)
def _insert_returning(table: Table, key: str):
    return insert(table).returning(table.c[key], table.c.id)
