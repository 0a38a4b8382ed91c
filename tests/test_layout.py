"""One naming scheme for the modules that declare routes, in every package (README, "Project
layout"): pages in views.py or views_<part>.py, JSON endpoints in api.py or api_<part>.py. So a
newcomer looking for a URL opens those files, and a file of that name always holds routes."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUTE_MODULE = re.compile(r"(views|api)(_[a-z0-9]+)*")
# Flask's route decorators on a blueprint or app: @bp.route(...), and the shortcuts @bp.get(...).
ROUTE_DECORATORS = {"route", "get", "post", "put", "patch", "delete"}


def package_modules() -> list[Path]:
    """Every module of every package of the app (sub-packages included), not the tests."""
    packages = [p.parent for p in ROOT.glob("*/__init__.py") if p.parent.name != "tests"]
    return sorted(path for package in packages for path in package.rglob("*.py"))


def declares_routes(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                call = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(call, ast.Attribute) and call.attr in ROUTE_DECORATORS:
                    return True
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "add_url_rule"
        ):
            return True
    return False


def test_modules_that_declare_routes_are_named_views_or_api():
    misnamed = [
        str(path.relative_to(ROOT))
        for path in package_modules()
        if declares_routes(path) and not ROUTE_MODULE.fullmatch(path.stem)
    ]
    assert misnamed == [], "routes live in views[_<part>].py (pages) or api[_<part>].py (JSON)"


def test_views_and_api_modules_declare_routes():
    empty = [
        str(path.relative_to(ROOT))
        for path in package_modules()
        if ROUTE_MODULE.fullmatch(path.stem) and not declares_routes(path)
    ]
    assert empty == [], "a views or api module without a route: give it another name"


def test_the_check_sees_every_way_to_declare_a_route(tmp_path):
    cases = {
        "@bp.route('/a')\ndef a():\n    pass\n": True,
        "@bp.post('/a')\ndef a():\n    pass\n": True,
        "def a():\n    pass\n\nbp.add_url_rule('/a', view_func=a)\n": True,
        "@bp.app_template_filter('x')\ndef a(value):\n    return value\n": False,
        "import requests\n\ndef a():\n    return requests.get('/a')\n": False,
    }
    for number, (text, expected) in enumerate(cases.items()):
        module = tmp_path / f"case{number}.py"
        module.write_text(text)
        assert declares_routes(module) is expected, text
