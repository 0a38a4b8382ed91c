"""Packages depend downwards only (STYLE.md): read every import of every package, including
imports inside functions, and refuse one that points up a layer, sideways or in a cycle.

When a lower package must cause something in a higher one (a shift cancelled -> a notice), it
sends a signal the higher one subscribes to (shifts/notices.py -> notifications/events.py).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lowest first; a package may import those in the layers before its own, never its own layer's
# neighbours or anything later. app.py (not a package) sits on top of them all.
LAYERS = [
    ["core"],
    ["households"],
    ["volunteer"],
    ["shifts"],
    ["assistance"],
    # Online dossiers are assistance records of the kind "dossier", with their results.
    ["dossiers"],
    # Coverage counts records and dossiers; sync moves records; neither needs the other.
    ["eid_coverage", "sync"],
    # Residents' ratings are shown beside coverage figures.
    ["feedback"],
    # Printed reports gather coverage, dossiers and feedback.
    ["reports"],
    # Tells people about all of the above.
    ["notifications"],
    # Each role's home screen gathers the next shift, follow-ups and coverage.
    ["home"],
    # Command-line tools: backups (of sync's server identity too), the demo ward.
    ["backup", "demo"],
]
LEVEL = {package: level for level, names in enumerate(LAYERS) for package in names}

# The one file allowed to import upwards: the list of every table module that Alembic and the
# tests read (migrations/env.py, tests/conftest.py). Nothing inside the packages imports it; the
# test below keeps it that way.
METADATA_REGISTRY = Path("core/schema.py")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every absolute import, at any depth (a function-level import counts)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def package_imports() -> list[tuple[str, Path, int, str]]:
    """(importing package, file, line, imported package) for imports between our packages."""
    edges = []
    for package in LEVEL:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            for line, module in imported_modules(path):
                target = module.split(".")[0]
                if target in LEVEL and target != package:
                    edges.append((package, relative, line, target))
    return edges


def test_every_package_is_in_a_layer():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name != "tests"}
    assert packages == set(LEVEL), "add the new package to LAYERS (and to STYLE.md's order)"


def test_packages_import_only_lower_layers():
    upward = [
        f"{path}:{line} {package} imports {target}"
        for package, path, line, target in package_imports()
        if LEVEL[target] >= LEVEL[package] and path != METADATA_REGISTRY
    ]
    assert upward == []


def test_no_cycle_between_packages():
    """Implied by the layers, checked on its own so a wrong LAYERS list cannot hide one."""
    graph: dict[str, set[str]] = {package: set() for package in LEVEL}
    for package, path, _line, target in package_imports():
        if path != METADATA_REGISTRY:
            graph[package].add(target)
    done: set[str] = set()

    def visit(package: str, trail: list[str]) -> list[str] | None:
        if package in trail:
            return [*trail[trail.index(package) :], package]
        if package in done:
            return None
        for target in sorted(graph[package]):
            cycle = visit(target, [*trail, package])
            if cycle:
                return cycle
        done.add(package)
        return None

    cycles = [cycle for package in sorted(graph) if (cycle := visit(package, []))]
    assert cycles == []


def test_only_alembic_and_tests_read_the_metadata_registry():
    files = [ROOT / "app.py", *(p for package in LEVEL for p in (ROOT / package).rglob("*.py"))]
    readers = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in files
        for line, module in imported_modules(path)
        if module == "core.schema"
    ]
    assert readers == []


def test_the_check_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "late.py"
    module.write_text("def f():\n    from notifications.events import shift_news\n")
    assert imported_modules(module) == [(2, "notifications.events")]
