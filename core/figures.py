"""One computation and one format for the figures every screen and export shows.

A percentage is rounded down to one decimal (89.96% is 89.9%, never a 90% a group has not
reached); hours are rounded half up to one decimal. Screens format both for the reader's locale
with Babel (36,9% in Vietnamese, 36.9% in English; no ",0"); spreadsheets keep the same rounded number
as a number, with NUMBER_FORMAT. The gap is what a group still needs to reach the target.
"""

from decimal import ROUND_HALF_UP, Decimal

from flask import Flask
from flask_babel import format_decimal

TARGET = 90  # percent of adults with an e-ID account (the city's target)
NUMBER_FORMAT = "0.0"  # the XLSX number format of percentages and hours


def percent(part: int, whole: int) -> float | None:
    """part/whole in percent, rounded down to one decimal with integer arithmetic."""
    return (1000 * part // whole) / 10 if whole else None


def gap(part: int, whole: int, target: int = TARGET) -> int:
    """How many more of `whole` need to be counted in `part` to reach target%."""
    # Integer ceiling: 0.9 * 10 is 9.000000000000002 in floating point.
    return max(0, -(-target * whole // 100) - part)


def hours(value: float) -> float:
    """Hours to one decimal, half up (2.25 h is 2.3 h, as a person would round it)."""
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def format_percent(value: float | None) -> str:
    return "–" if value is None else format_decimal(value, "#,##0.#") + "%"


def format_hours(value: float | None) -> str:
    return "–" if value is None else format_decimal(hours(value), "#,##0.#")


def format_count(value: int | None) -> str:
    return "–" if value is None else format_decimal(value, "#,##0")


def init_app(app: Flask) -> None:
    app.add_template_filter(format_percent, "percent")
    # The coverage pages' older name for the same filter.
    app.add_template_filter(format_percent, "coverage_percent")
    app.add_template_filter(format_hours, "hours")
    app.add_template_filter(format_count, "count")
