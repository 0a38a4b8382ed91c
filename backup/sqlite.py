"""SQLite: copies through the online backup API (consistent while the app serves: one read
transaction, which in WAL mode never blocks a writer), restore into the live file."""

import contextlib
import os
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine

from sync import state


def copy(source: Path, target: Path, *, origin: str | None) -> None:
    """`source` into a new single file `target`; stamped with a new identity unless None."""
    partial = target.with_name(target.name + ".partial")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(partial)
    uri = f"file:{source}?mode=ro"
    with (
        contextlib.closing(sqlite3.connect(uri, uri=True, timeout=30)) as src,
        contextlib.closing(sqlite3.connect(partial)) as dst,
    ):
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    if origin:
        stamp(partial, origin)
    os.replace(partial, target)


def stamp(path: Path, origin: str) -> str:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            return state.restamp(connection, origin)
    finally:
        engine.dispose()


def check(path: Path) -> str | None:
    """Why `path` cannot be restored, or None."""
    if not path.is_file():
        return "không có tệp này"
    try:
        uri = f"file:{path}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
            if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return "tệp bị hỏng"
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError:
        return "không phải cơ sở dữ liệu SQLite"
    if not {"assistance_record", "server_identity"} <= tables:
        return "không phải bản sao lưu của ứng dụng này (hãy nâng cấp bằng db upgrade trước)"
    return None


def restore(live: Path, backup: Path) -> str:
    """The backup's content into the live file (its WAL included), with a new identity."""
    with (
        contextlib.closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as src,
        contextlib.closing(sqlite3.connect(live, timeout=30)) as dst,
    ):
        src.backup(dst)
    return stamp(live, "restore")
