"""SQLite copies its write-ahead log back itself (wal_autocheckpoint), with no thread of ours."""

import contextlib
import sqlite3
import threading

from alembic import command
from sqlalchemy import text

from core.db import WAL_AUTOCHECKPOINT_PAGES, make_engine
from core.migrate import alembic_config
from core.schema import metadata


def test_commits_checkpoint_by_the_pragma_and_no_thread_is_started(tmp_path):
    path = tmp_path / "ward.db"
    engine = make_engine(f"sqlite:///{path}")
    threads_before = set(threading.enumerate())
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO ward (name, province, created_at) VALUES (:n, 'Đà Nẵng', '2026')"),
            [{"n": f"Phường {n} " + "x" * 100} for n in range(2000)],
        )
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA wal_autocheckpoint")).scalar() == (
            WAL_AUTOCHECKPOINT_PAGES
        )
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert set(threading.enumerate()) <= threads_before
    engine.dispose()


def test_after_migrating_another_program_can_have_the_database_alone(tmp_path):
    """bench/coverage_dataset.py migrates, then writes with the journal off: that needs every
    other connection closed."""
    path = tmp_path / "fresh.db"
    command.upgrade(alembic_config(f"sqlite:///{path}"), "head")
    with contextlib.closing(sqlite3.connect(path, timeout=0)) as connection:
        assert connection.execute("PRAGMA journal_mode=OFF").fetchone() == ("off",)
