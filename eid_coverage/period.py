"""The dashboard's period (this week, this month, a custom range) and its weekly trend window.

Periods are whole ward days (core.clock); queries get UTC instants. SQLite drops the offset
of an aware datetime when it stores one, so every bound is converted to UTC first.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core import clock, params
from core.clock import midnight, week_start

KINDS = ("week", "month", "custom")
MAX_DAYS = 366
TREND_WEEKS = 8


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    kind: str
    first: date
    last: date  # inclusive

    @property
    def starts_at(self) -> datetime:
        return midnight(self.first)

    @property
    def ends_at(self) -> datetime:
        """Exclusive: midnight after the last day."""
        return midnight(self.last + timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def weeks(self, current: date) -> list[date]:
        """Mondays of the trend: the weeks of the period up to the current one, and at least eight
        weeks, so a one-week period still shows where it came from."""
        last_monday = week_start(min(self.last, max(current, self.first)))
        first_monday = min(week_start(self.first), last_monday - timedelta(weeks=TREND_WEEKS - 1))
        count = (last_monday - first_monday).days // 7 + 1
        return [first_monday + timedelta(weeks=i) for i in range(count)]

    def query_args(self) -> dict[str, str]:
        if self.kind == "custom":
            return {
                "period": "custom",
                "start": self.first.isoformat(),
                "end": self.last.isoformat(),
            }
        return {"period": self.kind}


def for_week(day: date) -> Period:
    first = week_start(day)
    return Period("week", first, first + timedelta(days=6))


def for_month(day: date) -> Period:
    return Period("month", month_start(day), month_end(day))


def _date(text: str | None) -> date | None:
    """A readable date, refused (400) outside 1900–2100; None when unreadable."""
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        return None
    return params.checked(day)


def parse(args, now: datetime | None = None) -> Period:
    """From query arguments; anything unreadable falls back to this month."""
    current = clock.today(now)
    kind = args.get("period", "month")
    if kind == "week":
        return for_week(current)
    if kind == "custom":
        first, last = _date(args.get("start")), _date(args.get("end"))
        if first and last:
            first, last = min(first, last), max(first, last)
            last = min(last, first + timedelta(days=MAX_DAYS - 1))
            return Period("custom", first, last)
    return for_month(current)


def parse_month(text: str | None, now: datetime | None = None) -> Period:
    """ "2026-11" as a month period; anything else means this month."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        first = date(year, month, 1)
    except ValueError:
        return for_month(clock.today(now))
    return for_month(params.checked(first))
