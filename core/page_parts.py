"""What a page shows that only a package above the page's own can compute, asked for by its view.

Packages depend downwards only (tests/test_package_layers.py), yet the household page lists the
household's visits (assistance), a list of records shows its dossiers' results (dossiers), the
rota's pages point to the groups furthest from the e-ID target (eid_coverage, home) and the
hours pages add home visits (eid_coverage). The package above lends a function under a name when
its blueprint is registered; the page's view calls it by that name and passes the result to
render_template with its own values. So a template shows what its view gave it and never queries
the database itself (tests/test_page_queries.py).
"""

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app


def lend(app: Flask, name: str, compute: Callable[..., Any]) -> None:
    app.extensions[f"page_part.{name}"] = compute


def ask(name: str, /, **facts: Any) -> Any:
    """The part `name` computed for these facts by the package that lent it."""
    compute = current_app.extensions.get(f"page_part.{name}")
    if compute is None:
        raise LookupError(f"no package lent the page part {name!r}")  # a blueprint not registered
    return compute(**facts)
