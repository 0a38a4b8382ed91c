"""Where backups go, what they are called, how many are kept."""

import os
from pathlib import Path

from flask import Flask

from core import clock

PREFIX = "thanhnien247-"
DEFAULT_KEEP = 14


def folder(app: Flask) -> Path:
    path = Path(app.config.get("BACKUP_DIR") or Path(app.instance_path) / "backups")
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep(app: Flask) -> int:
    return max(1, int(app.config.get("BACKUP_KEEP") or DEFAULT_KEEP))


def new_name(where: Path, prefix: str, suffix: str) -> Path:
    """thanhnien247-20261203T083000Z.db: sorted by name is sorted by time."""
    stem = f"{prefix}{clock.now():%Y%m%dT%H%M%SZ}"
    path, n = where / f"{stem}{suffix}", 1
    while path.exists():  # two backups in one second
        n += 1
        path = where / f"{stem}-{n}{suffix}"
    return path


def prune(where: Path, suffix: str, count: int) -> list[Path]:
    """Deletes all but the newest `count` backups; the files kept by restores stay."""
    backups = sorted(where.glob(f"{PREFIX}*{suffix}"))  # the names hold the time
    gone = backups[:-count]
    for path in gone:
        os.unlink(path)
    return gone
