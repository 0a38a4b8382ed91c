"""PostgreSQL: pg_dump and pg_restore (custom format), the client tools of the server's version.

The SQLAlchemy URL becomes a libpq one; a `search_path` in its options (one schema per test
run, or a deployment in its own schema) limits both tools to that schema.
"""

import subprocess
import urllib.parse
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from sync import state


def _libpq(url: str) -> tuple[str, list[str]]:
    parsed = make_url(url).set(drivername="postgresql")
    options = parsed.query.get("options", "")
    schemas = []
    for option in urllib.parse.unquote(str(options)).split():
        if option.startswith("-csearch_path="):
            schemas = [f"--schema={name}" for name in option.split("=", 1)[1].split(",")]
    return parsed.render_as_string(hide_password=False), schemas


def copy(url: str, target: Path) -> None:
    connection, schemas = _libpq(url)
    partial = target.with_name(target.name + ".partial")
    _run(["pg_dump", "--format=custom", f"--file={partial}", *schemas, connection])
    partial.replace(target)


def restore(url: str, backup: Path) -> str:
    connection, schemas = _libpq(url)
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *schemas,
            f"--dbname={connection}",
            str(backup),
        ]
    )
    engine = create_engine(url)
    try:
        with engine.begin() as db:
            return state.restamp(db, "restore")
    finally:
        engine.dispose()


def check(path: Path) -> str | None:
    if not path.is_file():
        return "không có tệp này"
    listing = subprocess.run(["pg_restore", "--list", str(path)], capture_output=True, text=True)
    if listing.returncode != 0:
        return "không phải bản sao lưu pg_dump (định dạng custom)"
    if "server_identity" not in listing.stdout:
        return "không phải bản sao lưu của ứng dụng này"
    return None


def _run(argv: list[str]) -> None:
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{argv[0]}: {done.stderr.strip()}")
