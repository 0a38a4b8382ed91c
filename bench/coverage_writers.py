"""Bulk writers for bench/coverage_dataset.py: a migrated SQLite file, a migrated PostgreSQL schema.

Columns follow the models' order (core.schema.metadata); a generator tuple of the wrong length
fails loudly instead of shifting values into the wrong columns.
"""

import sqlite3
from datetime import date, datetime
from pathlib import Path

import psycopg
from alembic import command
from sqlalchemy.engine import make_url

from core.migrate import alembic_config
from core.schema import metadata

TABLES = [
    "ward",
    "user",
    "residential_group",
    "household",
    "resident",
    "assistance_record",
    "assistance_resident",
    "shift",
    "shift_assignment",
]


def columns(table: str) -> list[str]:
    return [column.name for column in metadata.tables[table].columns]


def _check(table: str, rows: list[tuple]) -> None:
    width = len(columns(table))
    if rows and len(rows[0]) != width:
        raise ValueError(f"{table}: {len(rows[0])} values for {width} columns")


def _sqlite_value(value):
    # The same text SQLAlchemy writes for DateTime and Date columns on SQLite (UTC, no offset).
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}.{value.microsecond:06d}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


class SqliteWriter:
    name = "sqlite"

    def __init__(self, path: Path):
        self.path = path

    def start(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        command.upgrade(alembic_config(f"sqlite:///{self.path}"), "head")
        self.connection = sqlite3.connect(self.path)
        # A throw-away file: no journal, no fsync, a large page cache for the random uuid indexes.
        self.connection.execute("PRAGMA journal_mode=OFF")
        self.connection.execute("PRAGMA synchronous=OFF")
        self.connection.execute("PRAGMA cache_size=-1000000")

    def write(self, rows: dict[str, list[tuple]]) -> None:
        for table in TABLES:
            batch = rows.get(table) or []
            if not batch:
                continue
            _check(table, batch)
            names = columns(table)
            sql = (
                f'INSERT INTO "{table}" ({", ".join(names)}) VALUES ({", ".join("?" * len(names))})'
            )
            self.connection.executemany(sql, ([_sqlite_value(v) for v in row] for row in batch))
        self.connection.commit()

    def finish(self) -> None:
        self.connection.execute("ANALYZE")
        self.connection.execute("PRAGMA journal_mode=WAL")  # as the app runs it
        self.connection.close()


class PostgresWriter:
    name = "postgresql"

    def __init__(self, url: str, schema: str):
        self.base_url, self.schema = url, schema

    @property
    def url(self) -> str:
        return f"{self.base_url}?options=-csearch_path%3D{self.schema}"

    def _connect(self) -> psycopg.Connection:
        url = make_url(self.base_url)
        return psycopg.connect(
            host=url.host,
            port=url.port,
            user=url.username,
            dbname=url.database,
            password=url.password,
        )

    def start(self) -> None:
        with self._connect() as connection:
            connection.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")
            connection.execute(f"CREATE SCHEMA {self.schema}")
        command.upgrade(alembic_config(self.url), "head")
        self.connection = self._connect()
        self.connection.execute(f"SET search_path TO {self.schema}")

    def write(self, rows: dict[str, list[tuple]]) -> None:
        with self.connection.cursor() as cursor:
            for table in TABLES:
                batch = rows.get(table) or []
                if not batch:
                    continue
                _check(table, batch)
                names = ", ".join(columns(table))
                with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in batch:
                        copy.write_row(row)
        self.connection.commit()

    def finish(self) -> None:
        with self.connection.cursor() as cursor:
            for table in TABLES:
                if "id" in columns(table):
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                        f'COALESCE((SELECT max(id) FROM "{table}"), 1))'
                    )
        self.connection.commit()
        self.connection.autocommit = True
        self.connection.execute("VACUUM ANALYZE")
        self.connection.close()
