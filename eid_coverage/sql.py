"""SQL pieces the coverage queries share: the local calendar day of an instant, per dialect."""

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Date

from core.clock import WARD_TIMEZONE, WARD_UTC_OFFSET


class local_date(FunctionElement):  # noqa: N801 - reads like the SQL function it renders
    """The ward's calendar day of a UTC timestamp column."""

    type = Date()
    inherit_cache = True
    name = "local_date"


@compiles(local_date, "sqlite")
def _sqlite_local_date(element, compiler, **kw) -> str:
    # SQLite keeps UTC timestamps as text.
    offset = int(WARD_UTC_OFFSET.total_seconds())
    return f"date({compiler.process(element.clauses, **kw)}, '{offset:+d} seconds')"


@compiles(local_date, "postgresql")
def _postgresql_local_date(element, compiler, **kw) -> str:
    clauses = compiler.process(element.clauses, **kw)
    return f"CAST(timezone('{WARD_TIMEZONE}', {clauses}) AS DATE)"
