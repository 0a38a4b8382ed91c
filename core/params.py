"""Numbers and dates from the URL: the database's range, checked once, before any query runs.

Path ids go through `IdConverter` (`<id:name>` routes): anything outside 1 … 2^31-1 does not match
the route, so it answers 404 like any other missing record. Query values go through `query_int`
and `query_date`, which answer 400 with a message instead of handing SQLite a number it cannot
bind (OverflowError) or Python a date it cannot shift (OverflowError near year 1 or 9999).
"""

from datetime import date
from typing import NoReturn

from flask import Flask, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, ValidationError

from core import text

# Ids are INTEGER columns: 32 bits on PostgreSQL (SQLite would take 64).
DB_INT_MAX = 2**31 - 1
# Pages far beyond any list still make an OFFSET the database can hold.
PAGE_MAX = 10**9
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2100, 12, 31)
DATE_RANGE_MESSAGE = _l("Ngày phải nằm trong khoảng từ năm 1900 đến năm 2100.")


class BadInput(BadRequest):
    """A 400 whose description is a message for the user, already translated."""


def refuse(message: str) -> NoReturn:
    raise BadInput(description=str(message))


class IdConverter(IntegerConverter):
    """A row id: 1 … 2^31-1. Larger or zero ids match no route (404), as a missing row would."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if not 1 <= number <= DB_INT_MAX:
            raise ValidationError()
        return number


def refuse_unprintable_arguments() -> None:
    """Before every view: text in the path or the query string follows core/text.py's rule
    (PostgreSQL cannot even compare a NUL byte), so no view has to remember it."""
    values = [value for _name, values in request.args.lists() for value in values]
    values += (request.view_args or {}).values()
    try:
        for value in values:
            if isinstance(value, str):
                text.refuse_unprintable(value)
    except text.UnprintableText as error:
        refuse(str(error))


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
    app.before_request(refuse_unprintable_arguments)


def query_int(name: str, default: int | None = None, *, maximum: int = DB_INT_MAX) -> int | None:
    """A positive integer query argument; empty or absent gives `default`, anything else 400."""
    return _positive_int(request.args, name, default, maximum)


def form_int(name: str) -> int | None:
    """The same for a posted field that names a row (an id): absent gives None."""
    return _positive_int(request.form, name, None, DB_INT_MAX)


def _positive_int(values, name: str, default: int | None, maximum: int) -> int | None:
    raw = values.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= maximum:
        refuse(_("Tham số “%(name)s” phải là một số nguyên dương.", name=name))
    return int(raw)


def query_page(name: str = "page") -> int:
    return query_int(name, 1, maximum=PAGE_MAX)


def in_range(day: date | None) -> bool:
    return day is None or FIRST_DAY <= day <= LAST_DAY


def query_date(name: str) -> date | None:
    """An ISO date query argument: absent or unreadable gives None (the page's default), a
    readable date outside 1900–2100 answers 400."""
    try:
        day = date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None
    return checked(day)


def checked(day: date | None) -> date | None:
    """The day itself when it is within 1900–2100 (or None); otherwise 400 with a message."""
    if not in_range(day):
        refuse(DATE_RANGE_MESSAGE)
    return day
