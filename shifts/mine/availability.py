"""Days a volunteer cannot do: a weekday every week, or one date."""

from datetime import date, datetime

from flask_babel import gettext as _
from sqlmodel import Session, select

from core import clock
from shifts.labels import WEEKDAYS, day_label
from shifts.models import Assignment, Shift, ShiftStatus, Unavailability
from shifts.rules import ShiftError


def listed(db: Session, *, user_id: int, now: datetime) -> list[Unavailability]:
    """Weekdays first, then dates still to come."""
    rows = db.exec(select(Unavailability).where(Unavailability.user_id == user_id)).all()
    today = clock.today(now)
    weekdays = sorted((r for r in rows if r.weekday is not None), key=lambda r: r.weekday)
    dates = sorted((r for r in rows if r.day is not None and r.day >= today), key=lambda r: r.day)
    return weekdays + dates


def add(
    db: Session,
    *,
    user_id: int,
    weekday: int | None,
    day: date | None,
    note: str | None,
    now: datetime,
) -> Unavailability:
    if day is not None:
        weekday = None
        if day < clock.today(now):
            raise ShiftError(_("Không thể báo bận cho ngày đã qua."), "day")
        clash = Unavailability.day == day
        label = day_label(day)
    else:
        clash = Unavailability.weekday == weekday
        label = str(WEEKDAYS[weekday])
    if db.exec(select(Unavailability.id).where(Unavailability.user_id == user_id, clash)).first():
        raise ShiftError(
            _("Bạn đã báo bận vào %(when)s rồi.", when=label), "day" if day else "weekday"
        )
    item = Unavailability(
        user_id=user_id, weekday=weekday, day=day, note=note or None, created_at=now
    )
    db.add(item)
    db.flush()
    return item


def shifts_clashing(db: Session, item: Unavailability, *, now: datetime) -> list[Shift]:
    """The volunteer's coming shifts on the day they just said they cannot do."""
    shifts = db.exec(
        select(Shift)
        .join(Assignment, Assignment.shift_id == Shift.id)
        .where(
            Assignment.user_id == item.user_id,
            Shift.status == ShiftStatus.OPEN,
            Shift.starts_at > now,
        )
    ).all()
    return [
        shift
        for shift in shifts
        if clock.local_date(shift.starts_at) == item.day
        or clock.local_date(shift.starts_at).weekday() == item.weekday
    ]
