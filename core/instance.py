"""Secrets generated on first start into the instance folder and kept."""

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def read_or_create(path: Path, make: Callable[[], bytes]) -> bytes:
    """The file's bytes, writing `make()` there first (mode 600) if it does not exist yet.

    Several processes start together (the web server's workers, the scheduler): exactly one of
    them writes. The bytes go to a temporary file that is hard-linked into place; the link fails
    if another process got there first, and every process then reads the same file.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(make())
            os.chmod(temporary, 0o600)
            with contextlib.suppress(FileExistsError):  # another process won; use its file
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    return path.read_bytes()
