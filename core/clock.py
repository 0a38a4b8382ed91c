"""The one clock: what time it is (UTC) and what day it is in the ward (Asia/Ho_Chi_Minh).

Every model default, service, view, rule, CLI command and the scheduler ask here, so that tests
can move time for all of them at once with time-machine. Time is stored in UTC; people see the
ward's wall clock. SQLite drops the offset of an aware datetime when it stores it, so every
instant that reaches a query is UTC, and `as_utc` mends what SQLite hands back.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WARD_TIMEZONE = "Asia/Ho_Chi_Minh"
WARD_TZ = ZoneInfo(WARD_TIMEZONE)
# Vietnam has kept UTC+7 without daylight saving since 1975: SQL on SQLite adds it as a constant.
WARD_UTC_OFFSET = WARD_TZ.utcoffset(datetime(2026, 1, 1))


def now() -> datetime:
    """This instant, aware, in UTC."""
    return datetime.now(UTC)


def today(at: datetime | None = None) -> date:
    """The ward's calendar day now, or at the instant `at`."""
    return local_date(at or now())


def this_year() -> int:
    return today().year


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def local(value: datetime) -> datetime:
    """An instant on the ward's wall clock."""
    return as_utc(value).astimezone(WARD_TZ)


def local_date(value: datetime) -> date:
    return local(value).date()


def to_utc(day: date, at: time) -> datetime:
    """The UTC instant of a wall-clock time on a ward day."""
    return datetime.combine(day, at, tzinfo=WARD_TZ).astimezone(UTC)


def midnight(day: date) -> datetime:
    """The UTC instant a ward day starts."""
    return to_utc(day, time.min)


def week_start(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """UTC instants from the start of `first` to the end of `last`, ward days."""
    return midnight(first), midnight(last + timedelta(days=1))


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return midnight(first), midnight(following)


def parse_month(text: str | None, at: datetime | None = None) -> tuple[int, int]:
    """ "2026-11" to (2026, 11); anything else means the current month."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    current = today(at)
    return current.year, current.month


def shift_month(year: int, month: int, step: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + step
    return index // 12, index % 12 + 1
