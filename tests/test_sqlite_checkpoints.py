"""SQLite's write-ahead log is copied back by a background thread, never inside a push."""

import contextlib
import os
import sqlite3
import time

from alembic import command
from sqlalchemy import text

from core.db import INLINE_CHECKPOINT_PAGES, WalCheckpointer, make_engine
from core.migrate import alembic_config
from core.schema import metadata


def _wait_for(condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_committed_pages_reach_the_database_file_without_an_inline_checkpoint(tmp_path):
    path = tmp_path / "ward.db"
    engine = make_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    with engine.connect() as connection:
        limit = connection.execute(text("PRAGMA wal_autocheckpoint")).scalar()
    # Far more than these writes: without the background thread they would stay in the log.
    assert limit == INLINE_CHECKPOINT_PAGES
    before = os.stat(path).st_size
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO ward (name, province, created_at) VALUES (:n, 'Đà Nẵng', '2026')"),
            [{"n": f"Phường {n} " + "x" * 100} for n in range(2000)],
        )
    assert _wait_for(lambda: os.stat(path).st_size > before), "the log was not copied back"
    engine.dispose()


def test_a_checkpoint_never_creates_a_missing_database(tmp_path):
    path = tmp_path / "gone.db"
    WalCheckpointer(str(path)).checkpoint()
    assert not path.exists()


def test_a_burst_of_requests_is_followed_by_one_more_checkpoint(tmp_path, monkeypatch):
    """At most one checkpoint per interval while requests keep coming, and one after the
    last of them, so the log never keeps the last writes waiting for the next visitor."""
    path = tmp_path / "busy.db"
    sqlite3.connect(path).close()
    checkpointer = WalCheckpointer(str(path))
    monkeypatch.setattr(checkpointer, "INTERVAL", 0.05)
    runs = []
    monkeypatch.setattr(checkpointer, "checkpoint", lambda: runs.append(time.monotonic()))
    started = last_use = time.monotonic()
    while last_use - started < 0.3:
        last_use = time.monotonic()
        checkpointer.after_use()
        time.sleep(0.002)
    assert _wait_for(lambda: runs and runs[-1] > last_use, timeout=2)
    assert 2 <= len(runs) <= (last_use - started) / 0.05 + 2.5  # of about 150 uses
    time.sleep(0.2)
    assert not checkpointer._running.locked()  # the thread ends once requests stop


def test_after_migrating_another_program_can_have_the_database_alone(tmp_path):
    """bench/coverage_dataset.py migrates, then writes with the journal off: that needs every
    other connection closed, the checkpoint thread's included."""
    path = tmp_path / "fresh.db"
    command.upgrade(alembic_config(f"sqlite:///{path}"), "head")
    with contextlib.closing(sqlite3.connect(path, timeout=0)) as connection:
        assert connection.execute("PRAGMA journal_mode=OFF").fetchone() == ("off",)
