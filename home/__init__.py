"""The home screen at "/": each role's daily work on one page. It joins shifts, assistance and
coverage, so it sits above all three (core.access, STYLE.md's dependency direction)."""

from flask import Blueprint

bp = Blueprint("home", __name__)

from home import planning, views  # noqa: E402,F401  (views and template globals register on bp)
