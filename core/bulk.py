"""Many rows at once for the push endpoint's hot path, through SQLAlchemy 2's public API only.

insert_rows: every row in one statement. insert_rows_with_ids: the same, answering each row's
new id by a unique key of the row (matched by key, so the order of RETURNING does not matter).
select_in: a SELECT by a list of keys in one query.

SQLite gets SQLAlchemy's own forms: an executemany of the INSERT, and "insertmanyvalues" (one
multi-row INSERT ... RETURNING per 1,000 rows) when the ids are wanted.

PostgreSQL gets one short statement of one array per column,
`INSERT INTO t (a, b) SELECT * FROM unnest(:a, :b) [RETURNING key, id]`, and a list of keys as one
array (`= ANY(:keys)`). An executemany there runs the INSERT once per row, each run firing its
own foreign-key triggers (100 records 7.0 ms against 4.7 in one statement, their links 5.7
against 1.9), and a
multi-row INSERT of 1,700 parameters is text that psycopg re-parses on every call (it caches only
short statements): see docs/BENCHMARKS.md, issue 18.

No private attribute of SQLAlchemy, no raw DBAPI access, no rowid arithmetic: each would be a trap
for the next SQLAlchemy, Python or SQLite release (issue 18).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import ARRAY, Connection, Table, any_, bindparam, func, insert, select
from sqlalchemy.sql import ColumnElement, Executable
from sqlalchemy.types import TypeEngine


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
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        connection.execute(_unnest_insert(table, tuple(rows[0])), _columns(rows))
    else:
        connection.execute(_insert(table), rows)


def insert_rows_with_ids(connection: Connection, table: Table, rows: list[dict], key: str) -> dict:
    """{row[key]: the row's new id}; `key` is a unique column of the table."""
    if not rows:
        return {}
    if connection.dialect.name == "postgresql":
        statement = _unnest_insert(table, tuple(rows[0])).returning(table.c[key], table.c.id)
        return dict(connection.execute(statement, _columns(rows)).all())
    return dict(connection.execute(_insert_returning(table, key), rows).all())


@dataclass(frozen=True)
class PerRow:
    """One statement run for each of many rows, built for each backend once (see `per_row`)."""

    executemany: Executable  # its values as bound parameters, run once per row: SQLite
    unnested: Executable  # its values read from `unnest(arrays)`, run once: PostgreSQL


def per_row(build: Callable[[Callable[[str, TypeEngine], ColumnElement]], Executable]) -> PerRow:
    """`build(value)` makes the statement; `value(name, type)` is the row's value `name`. On
    PostgreSQL an UPDATE that names these values becomes UPDATE ... FROM unnest(...)."""
    fields: dict[str, TypeEngine] = {}

    def bound(name: str, type_: TypeEngine) -> ColumnElement:
        fields[name] = type_
        return bindparam(name, type_=type_)

    executemany = build(bound)
    rows = _unnested(fields)
    return PerRow(executemany=executemany, unnested=build(lambda name, _type: rows.c[name]))


def execute_rows(connection: Connection, statement: PerRow, rows: list[dict]) -> None:
    """`statement` for each row, its values named by the rows' keys."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        connection.execute(statement.unnested, _columns(rows))
    else:
        connection.execute(statement.executemany, rows)


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


def _columns(rows: list[dict]) -> dict[str, list]:
    return {name: [row[name] for row in rows] for name in rows[0]}


def _unnested(types: dict[str, TypeEngine]):
    """`unnest(:a, :b) AS anon(a, b)`: one array parameter per value, a row per position."""
    arrays = [bindparam(name, type_=ARRAY(type_)) for name, type_ in types.items()]
    return func.unnest(*arrays).table_valued(*types).render_derived()


@lru_cache(maxsize=64)
def _unnest_insert(table: Table, names: tuple[str, ...]):
    rows = _unnested({name: table.c[name].type for name in names})
    return insert(table).from_select(list(names), select(*(rows.c[name] for name in names)))
