"""core/ and sync/ use only public APIs (issue 18): no private attribute of SQLAlchemy or anything
else, no collector switched off, no driver cursor or rowid arithmetic on the push's path."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# werkzeug documents LocalProxy._get_current_object() as the way to the proxied object.
DOCUMENTED = {"_get_current_object"}


def _sources():
    for package in ("core", "sync"):
        yield from sorted((ROOT / package).rglob("*.py"))


def test_no_private_attribute_of_another_object():
    found = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Attribute):
                continue
            name = node.attr
            if not name.startswith("_") or name.startswith("__") or name in DOCUMENTED:
                continue
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                continue
            if isinstance(owner, ast.Call) and getattr(owner.func, "id", None) == "super":
                continue
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} .{name}")
    assert found == []


def test_no_collector_switched_off_and_no_driver_tricks():
    found = []
    for path in _sources():
        text = path.read_text()
        for needle in ("gc.disable", "last_insert_rowid", "threading.Thread"):
            if needle in text:
                found.append(f"{path.relative_to(ROOT)}: {needle}")
    bulk = (ROOT / "core" / "bulk.py").read_text()
    for needle in ("exec_driver_sql", "cursor", "dbapi_connection", "compile("):
        if needle in bulk:
            found.append(f"core/bulk.py: {needle}")
    assert found == []
