"""A value computed at most once per request, kept on `g` (which Flask drops at the request's end).

For what base.html shows on every page (the unread count): the template may ask more than once,
the database is asked once, and only when the page actually shows it.
"""

from collections.abc import Callable
from typing import TypeVar

from flask import g

T = TypeVar("T")


def once(name: str, compute: Callable[[], T]) -> T:
    key = f"once_{name}"
    if key not in g:
        setattr(g, key, compute())
    return getattr(g, key)
