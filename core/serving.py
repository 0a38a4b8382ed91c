"""Which processes are using the database: `flask restore` refuses while any of them runs.

Every process that serves requests takes a shared lock on a file beside the database: each
gunicorn worker as it starts (gunicorn.conf.py), `flask run` at its first request, the
scheduler when it starts; they hold it until they exit. The restore asks for the same lock exclusively: it gets it only when none
of them runs. The operating system drops the locks of a process that dies, even by kill -9, so
nothing stale is left to clean up.
"""

import fcntl
import os
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy.engine import make_url

_held: dict[str, int] = {}  # lock file -> descriptor, per process


def lock_file(app: Flask) -> Path:
    url = make_url(app.config["DATABASE_URL"])
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(f"{url.database}.serving")
    return Path(app.instance_path) / "serving.lock"


def hold(app: Flask | None = None) -> None:
    app = app or current_app._get_current_object()
    path = app.extensions.get("serving_lock")
    if path is None:
        path = app.extensions["serving_lock"] = str(lock_file(app))
    if path in _held:
        return
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(descriptor, fcntl.LOCK_SH)
    _held[path] = descriptor


def release(app: Flask) -> None:
    """What a process's exit does; for tests that stop a server inside the test process."""
    descriptor = _held.pop(str(lock_file(app)), None)
    if descriptor is not None:
        os.close(descriptor)


def exclusive(app: Flask) -> int | None:
    """The lock alone (a descriptor to close when done), or None while anything else serves."""
    descriptor = os.open(lock_file(app), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None
    return descriptor


def init_app(app: Flask) -> None:
    app.before_request(hold)
