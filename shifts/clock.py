"""Wall-clock time in Asia/Ho_Chi_Minh for people, UTC for the database.

SQLite drops the offset of an aware datetime when it stores it, so every instant that reaches a
query goes through `to_utc` first.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.db import as_utc

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def to_utc(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=LOCAL).astimezone(UTC)


def local(value: datetime) -> datetime:
    return as_utc(value).astimezone(LOCAL)


def local_date(value: datetime) -> date:
    return local(value).date()


def today(now: datetime) -> date:
    return local_date(now)


def week_start(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """UTC instants from the start of `first` to the end of `last`, local days."""
    return to_utc(first, time.min), to_utc(last + timedelta(days=1), time.min)


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return to_utc(first, time.min), to_utc(following, time.min)


def parse_month(text: str | None, now: datetime) -> tuple[int, int]:
    """ "2026-11" to (2026, 11); anything else means the current month."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    current = today(now)
    return current.year, current.month


def shift_month(year: int, month: int, step: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + step
    return index // 12, index % 12 + 1
