"""Many rows at once, straight through the DBAPI, for the push endpoint's hot path.

insert_rows, execute_rows: for a push of hundreds of records, SQLAlchemy's per-row parameter
handling (each row's values matched against the compiled statement) costs more than SQLite's
own insert. Here the statement is compiled once per statement and key set, each parameter's
bind processor (the dialect's own conversion, e.g. datetimes to text on SQLite) is applied in a
plain loop, once per distinct value, and the rows go to `exec_driver_sql`: the same SQL and
stored values as `execute(statement, rows)`, on the caller's connection and transaction.

insert_rows_with_ids: the same, answering each new row's id by a unique key of the rows. On
SQLite the ids are worked out from the last one: rows inserted by one executemany in a write
transaction take consecutive rowids (the largest so far plus one, and no other writer can come
in between), checked at both ends; elsewhere they are looked up by key.

select_in: a SELECT by a list of keys (`IN` an expanding parameter). SQLAlchemy renders the
list's placeholders and wraps every row on each call: half the time of a lookup of 150 UUIDs
on SQLite. Here the rendered SQL is kept per statement and list length (rounded up), and the
rows are the DBAPI's own tuples.
"""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from operator import itemgetter

from sqlalchemy import Connection, Table, bindparam, insert, select
from sqlalchemy.engine import Dialect


def insert_rows(connection: Connection, table: Table, rows: list[dict]) -> None:
    """Every row must have the same keys (column names)."""
    if rows:
        execute_rows(connection, _insert(table), rows)


def insert_rows_with_ids(connection: Connection, table: Table, rows: list[dict], key: str) -> dict:
    """insert_rows, then {row[key]: the row's new id}; `key` is a unique column of the table."""
    if not rows:
        return {}
    insert_rows(connection, table, rows)
    if connection.dialect.name == "sqlite":
        last = connection.exec_driver_sql("SELECT last_insert_rowid()").scalar_one()
        first = last - len(rows) + 1
        ends = dict(select_in(connection, _keys_by_id(table, key), [first, last]))
        if ends.get(first) == rows[0][key] and ends.get(last) == rows[-1][key]:
            return {row[key]: first + offset for offset, row in enumerate(rows)}
    wanted = [row[key] for row in rows]
    return dict(select_in(connection, _ids_by_key(table, key), wanted))


def execute_rows(connection: Connection, statement, rows: list[dict]) -> None:
    """`statement` once per row (executemany); its parameters are named by the rows' keys
    (an insert's columns, or the bindparam names of an update), the same keys in every row."""
    if not rows:
        return
    sql, order, processors = _statement(connection.dialect, statement, tuple(rows[0]))
    if order is None:  # named parameters (psycopg): the row dicts, copied where converted
        params = [dict(row) for row in rows] if processors else rows
    else:  # positional parameters (sqlite3): each row's values in the statement's order
        pick = itemgetter(*order) if len(order) > 1 else lambda row: (row[order[0]],)
        params = [list(pick(row)) for row in rows]
    for slots, process in processors:
        for slot in slots:
            _convert(params, slot, process)
    if order is not None:
        params = [tuple(values) for values in params]  # what exec_driver_sql takes
    # Through SQLAlchemy, not the bare cursor: a duplicate UUID must raise its IntegrityError,
    # which the push endpoint catches to answer "duplicate".
    connection.exec_driver_sql(sql, params)


_LIST_STEP = 32


def select_in(connection: Connection, statement, keys: list, name: str = "keys") -> list[tuple]:
    """Rows of `statement` with the expanding parameter `name` bound to `keys`, on the caller's
    transaction. The keys and the statement's other parameters must need no conversion (text,
    integers), and the values come back as the driver gives them (SQLite: datetimes as text)."""
    if not keys:
        return []
    # Padded with NULLs (IN never matches NULL) to a multiple of _LIST_STEP: a few renderings
    # serve every list length, instead of one per length, each costing a compilation.
    size = -(-len(keys) // _LIST_STEP) * _LIST_STEP
    sql, fixed, names, order = _expanded(connection.dialect, statement, name, size)
    params = dict(fixed)
    params.update(zip(names, [*keys, *[None] * (size - len(keys))], strict=True))
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql, params if order is None else [params[key] for key in order])
        return cursor.fetchall()
    finally:
        cursor.close()


@lru_cache(maxsize=1024)
def _expanded(dialect: Dialect, statement, name: str, count: int):
    state = statement.compile(dialect=dialect).construct_expanded_state({name: [None] * count})
    names = [f"{name}_{i}" for i in range(1, count + 1)]
    listed = set(names)
    fixed = {key: value for key, value in state.parameters.items() if key not in listed}
    return state.statement, fixed, names, state.positiontup


def _convert(params: list, slot, process) -> None:
    """One column of every row through its bind processor, in place."""
    done = {}  # a batch's rows share values (the time it was received): convert once
    for values in params:
        value = values[slot]
        if value is None:
            continue
        try:
            values[slot] = done[value]
        except KeyError:
            values[slot] = done[value] = process(value)
        except TypeError:  # unhashable, e.g. a JSON column's dict
            values[slot] = process(value)


@lru_cache(maxsize=64)
def _insert(table: Table):
    return insert(table)


@lru_cache(maxsize=64)
def _keys_by_id(table: Table, key: str):
    return select(table.c.id, table.c[key]).where(table.c.id.in_(bindparam("keys", expanding=True)))


@lru_cache(maxsize=64)
def _ids_by_key(table: Table, key: str):
    return select(table.c[key], table.c.id).where(
        table.c[key].in_(bindparam("keys", expanding=True))
    )


@lru_cache(maxsize=64)
def _statement(dialect: Dialect, statement, keys: tuple[str, ...]):
    """The SQL, the parameters' order (None for named ones), and for each parameter that needs
    converting: where it sits in a row's values (a name, or every position it takes: an
    update's level appears in SET and WHERE) and its bind processor."""
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    order = list(compiled.positiontup) if compiled.positional else None
    processors = []
    for key in keys:
        process = compiled.binds[key].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            slots = [key] if order is None else [i for i, name in enumerate(order) if name == key]
            processors.append((slots, process))
    return compiled.string, order, processors


_pause_lock = threading.Lock()
_pauses = 0
_resume = False


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """No cyclic garbage collection while a bulk write runs.

    A push of hundreds of items keeps thousands of small containers alive until it commits.
    Collections during that time find nothing to free but promote them all, so every other
    push ends in a full collection of the whole process (about 100 ms with the app loaded):
    a third of a push's time. Reference counting still frees everything as usual; cycles wait
    until the last concurrent bulk write is done. Threads share the collector, hence the count.
    """
    global _pauses, _resume
    with _pause_lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()
