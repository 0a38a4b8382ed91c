"""Engine and per-request session; one place for everything database-wide."""

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


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # Every statement planned with its actual values: psycopg otherwise prepares a statement
    # on the server after 5 runs, and PostgreSQL may then keep a generic plan, which for a
    # push's look-ups by an array of keys (core/bulk.py) read the whole resident table once it
    # had grown since its last ANALYZE (30 ms instead of 1 ms). Set on the driver, not as
    # `plan_cache_mode = force_custom_plan` for the session: that also re-plans each
    # foreign-key check inside an INSERT, and made a push's two INSERTs 2-3 times as slow.
    return create_engine(url, pool_pre_ping=True, connect_args={"prepare_threshold": None})


# SQLite copies its write-ahead log back into the database file inside the commit that takes the
# log past this many pages (16 MB with 4 KB pages; SQLite's default is 1,000). A larger log means
# fewer copies and fsyncs per push (hot pages are copied once per checkpoint, not once per
# commit), at the price of one slower commit every few hundred pushes. SQLite does it itself:
# no thread of ours, nothing to stop before a restore or a migration.
WAL_AUTOCHECKPOINT_PAGES = 4_000


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
    # A ward's registry and a season of records stay in memory: 64 MB of page cache (the
    # default is 2 MB) and reads through mmap instead of a copy per page.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


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
