"""Engine and per-request session; one place for everything database-wide."""

import contextlib
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine

# Stable constraint names so Alembic can alter them on SQLite (batch mode) and PostgreSQL alike.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def make_engine(url: str, *, background_checkpoints: bool = True) -> Engine:
    """background_checkpoints=False for a run that has the database to itself (migrations): no
    thread left behind holding the file open when the next program wants it alone."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        path = engine.url.database
        if background_checkpoints and path and path != ":memory:":
            event.listen(engine, "checkin", WalCheckpointer(path).after_use)
        return engine
    return create_engine(url, pool_pre_ping=True)


# A commit never copies the WAL back itself unless it has grown this far (80 MB with 4 KB
# pages): WalCheckpointer does it beside the requests. SQLite's default is 1,000 pages.
INLINE_CHECKPOINT_PAGES = 20_000


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA wal_autocheckpoint={INLINE_CHECKPOINT_PAGES}")
    # A ward's registry and a season of records stay in memory: 64 MB of page cache (the
    # default is 2 MB) and reads through mmap instead of a copy per page.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


class WalCheckpointer:
    """Copies SQLite's write-ahead log back into the database file in a background thread.

    Done inside a commit (SQLite's default, every 1,000 pages), the copy and its two fsyncs
    landed on whichever push happened to cross the limit: a quarter of the mean push time in
    bench/sync_bench.py. Here a connection going back to the pool (a request or a job is done
    with the database) wakes a thread of this process that runs a PASSIVE checkpoint (it never
    blocks writers or readers) on a connection of its own, at most once per INTERVAL, and once
    more after the last use; sqlite3 releases the GIL meanwhile, so requests go on.
    """

    INTERVAL = 0.25  # seconds

    def __init__(self, path: str):
        self.path = path
        self._running = threading.Lock()
        self._pending = False

    def after_use(self, _dbapi_connection=None, _record=None) -> None:
        self._pending = True
        if self._running.acquire(blocking=False):
            threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True).start()

    def _run(self) -> None:
        while True:
            try:
                while self._pending:
                    self._pending = False
                    self.checkpoint()
                    time.sleep(self.INTERVAL)
            finally:
                self._running.release()
            # A use between the last check and the release found the lock still held.
            if not self._pending or not self._running.acquire(blocking=False):
                return

    def checkpoint(self) -> None:
        try:
            # mode=rw: never create an empty database where the file has gone (tests' folders).
            uri = f"file:{urllib.parse.quote(self.path)}?mode=rw"
            with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=30)) as connection:
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error:  # e.g. the file was removed; the next use tries again
            pass


def engine() -> Engine:
    return current_app.extensions["db_engine"]


def get_session() -> Session:
    if "db_session" not in g:
        g.db_session = Session(engine(), expire_on_commit=False)
    return g.db_session


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session for CLI commands and jobs: commits on success, rolls back on error."""
    with Session(engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    app.extensions["db_engine"] = make_engine(app.config["DATABASE_URL"])
    app.teardown_appcontext(_close_session)
