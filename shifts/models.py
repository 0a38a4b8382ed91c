"""Tables of the rota: the ward's weekly pattern and settings, shifts, who is on them, swaps,
availability, closed days, notices and calendar tokens.

Shift times are UTC instants; pattern times are wall-clock times in the ward (core.clock).
"""

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import CheckConstraint, DateTime, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from core import clock

DEFAULT_WEEKDAYS = "0,2,4"  # Monday, Wednesday, Friday (date.weekday() numbers)
DEFAULT_RELEASE_HOURS = 24


class Place(StrEnum):
    DESK = "desk"  # bộ phận Một cửa
    FIELD = "field"  # a visit to a residential group


class ShiftStatus(StrEnum):
    OPEN = "open"
    CANCELLED = "cancelled"


class CancelReason(StrEnum):
    CLOSED = "closed"  # the ward closed that day
    PATTERN = "pattern"  # the weekly pattern no longer has this session


class Attendance(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"


class SwapStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"
    DECLINED = "declined"
    VOID = "void"  # the shift was cancelled or the offerer left it


def place_key(place: str, group_id: int | None) -> str:
    """One string per place, so a unique constraint can cover "desk" and each group alike."""
    return Place.DESK.value if place == Place.DESK else f"group-{group_id}"


class ShiftSettings(SQLModel, table=True):
    """One row per ward; its existence also means the ward's default pattern was written."""

    __tablename__ = "shift_settings"
    __table_args__ = (CheckConstraint("release_hours >= 0", name="release_hours"),)

    ward_id: int = Field(foreign_key="ward.id", primary_key=True)
    self_signup: bool = Field(default=True)
    release_hours: int = Field(default=DEFAULT_RELEASE_HOURS)
    updated_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))


class PatternSlot(SQLModel, table=True):
    """One session of the weekly pattern, repeated on the given weekdays."""

    __tablename__ = "shift_pattern_slot"
    __table_args__ = (
        CheckConstraint("ends > starts", name="time_order"),
        CheckConstraint("max_volunteers >= min_volunteers", name="min_max"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ward_id: int = Field(foreign_key="ward.id", index=True)
    weekdays: str = Field(default=DEFAULT_WEEKDAYS, max_length=13)
    starts: time
    ends: time
    place: str = Field(default=Place.DESK, max_length=10)
    group_id: int | None = Field(default=None, foreign_key="residential_group.id")
    min_volunteers: int = Field(default=2)
    max_volunteers: int = Field(default=4)
    created_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))
    deleted_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))

    @property
    def weekday_list(self) -> list[int]:
        return [int(day) for day in self.weekdays.split(",") if day != ""]


class ClosedDay(SQLModel, table=True):
    __tablename__ = "shift_closed_day"
    __table_args__ = (UniqueConstraint("ward_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    ward_id: int = Field(foreign_key="ward.id", index=True)
    day: date
    reason: str = Field(max_length=120)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))


class Shift(SQLModel, table=True):
    __tablename__ = "shift"
    __table_args__ = (
        # Generating twice finds the same row instead of adding a second one.
        UniqueConstraint("ward_id", "starts_at", "place_key"),
        CheckConstraint("ends_at > starts_at", name="time_order"),
        CheckConstraint("max_volunteers >= min_volunteers", name="min_max"),
        # The last line of defence against overbooking, kept in step by shifts.rota.assigning.
        CheckConstraint(
            "assigned_count >= 0 AND assigned_count <= max_volunteers", name="within_max"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    ward_id: int = Field(foreign_key="ward.id", index=True)
    starts_at: datetime = Field(sa_type=DateTime(timezone=True), index=True)
    ends_at: datetime = Field(sa_type=DateTime(timezone=True))
    place: str = Field(default=Place.DESK, max_length=10)
    group_id: int | None = Field(default=None, foreign_key="residential_group.id")
    place_key: str = Field(max_length=20)
    min_volunteers: int
    max_volunteers: int
    assigned_count: int = Field(default=0)
    # None for a one-off shift added by hand; pattern changes leave those alone.
    slot_id: int | None = Field(default=None, foreign_key="shift_pattern_slot.id")
    status: str = Field(default=ShiftStatus.OPEN, max_length=12)
    cancel_reason: str | None = Field(default=None, max_length=12)
    created_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))
    updated_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))


class Assignment(SQLModel, table=True):
    """A volunteer on a shift, with their attendance."""

    __tablename__ = "shift_assignment"
    __table_args__ = (UniqueConstraint("shift_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    shift_id: int = Field(foreign_key="shift.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    source: str = Field(max_length=10)  # secretary, self, swap
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))
    check_in_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    check_out_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    attendance: str | None = Field(default=None, max_length=10)
    marked_by_id: int | None = Field(default=None, foreign_key="user.id")


class Unavailability(SQLModel, table=True):
    """A weekday the volunteer can never do, or one date they cannot."""

    __tablename__ = "shift_unavailability"
    __table_args__ = (
        CheckConstraint(
            "(weekday IS NULL AND day IS NOT NULL) OR (weekday IS NOT NULL AND day IS NULL)",
            name="weekday_or_day",
        ),
        CheckConstraint("weekday IS NULL OR (weekday >= 0 AND weekday <= 6)", name="weekday"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    weekday: int | None = None
    day: date | None = None
    note: str | None = Field(default=None, max_length=120)
    created_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))


class SwapOffer(SQLModel, table=True):
    __tablename__ = "shift_swap"
    __table_args__ = (
        # One open offer per volunteer and shift.
        Index(
            "ix_shift_swap_open",
            "shift_id",
            "from_user_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    shift_id: int = Field(foreign_key="shift.id", index=True)
    from_user_id: int = Field(foreign_key="user.id", index=True)
    # None: offered to anyone in the ward.
    to_user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    status: str = Field(default=SwapStatus.OPEN, max_length=10)
    accepted_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))
    decided_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class CalendarToken(SQLModel, table=True):
    """The secret in a volunteer's private iCal URL; replacing it kills the old URL."""

    __tablename__ = "shift_calendar_token"

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    token: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))
