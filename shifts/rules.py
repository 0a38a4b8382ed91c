"""The checks every change to the rota goes through, and the error they raise."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_
from sqlmodel import Session, select

from core import clock
from core.access import Role
from core.clock import as_utc
from shifts.labels import WEEKDAYS, day_label, shift_label
from shifts.models import Assignment, ClosedDay, Shift, ShiftStatus, Unavailability
from volunteer.models import User


class ShiftError(Exception):
    """A rule said no. `field` names the form field the message belongs next to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def closed_day(db: Session, *, ward_id: int, day: date) -> ClosedDay | None:
    query = select(ClosedDay).where(ClosedDay.ward_id == ward_id, ClosedDay.day == day)
    return db.exec(query).first()


def ward_volunteer(db: Session, *, user_id: int | None, ward_id: int) -> User:
    """The volunteer, or a "who is that?" error: another ward's id is as unknown as a made-up one."""
    user = db.get(User, user_id) if user_id else None
    if user is None or user.ward_id != ward_id or user.role != Role.VOLUNTEER:
        raise ShiftError(_("Không có tình nguyện viên này trong phường."), "user_id")
    return user


def unavailable_on(db: Session, *, user_id: int, day: date) -> Unavailability | None:
    query = select(Unavailability).where(
        Unavailability.user_id == user_id,
        or_(Unavailability.weekday == day.weekday(), Unavailability.day == day),
    )
    return db.exec(query).first()


def overlapping_shift(db: Session, *, user_id: int, shift: Shift) -> Shift | None:
    """Another live shift of this volunteer that shares any minute with `shift`."""
    query = (
        select(Shift)
        .join(Assignment, Assignment.shift_id == Shift.id)
        .where(
            Assignment.user_id == user_id,
            Shift.id != shift.id,
            Shift.status == ShiftStatus.OPEN,
            Shift.starts_at < as_utc(shift.ends_at),
            Shift.ends_at > as_utc(shift.starts_at),
        )
    )
    return db.exec(query).first()


def check_can_join(db: Session, shift: Shift, user: User, *, count_places: bool = True) -> None:
    """Everything that keeps `user` off `shift`, in the order a secretary would ask."""
    day = clock.local_date(shift.starts_at)
    closed = closed_day(db, ward_id=shift.ward_id, day=day)
    if closed is not None:
        raise ShiftError(
            _("Ngày %(day)s phường nghỉ: %(reason)s.", day=day_label(day), reason=closed.reason),
            "user_id",
        )
    if shift.status != ShiftStatus.OPEN:
        raise ShiftError(_("Ca này đã bị hủy."), "user_id")
    if not user.active:
        raise ShiftError(_("Tài khoản của %(name)s đã bị khóa.", name=user.full_name), "user_id")
    on_shift = db.exec(
        select(Assignment.id).where(Assignment.shift_id == shift.id, Assignment.user_id == user.id)
    ).first()
    if on_shift is not None:
        raise ShiftError(_("%(name)s đã có trong ca này.", name=user.full_name), "user_id")
    away = unavailable_on(db, user_id=user.id, day=day)
    if away is not None:
        when = WEEKDAYS[away.weekday] if away.weekday is not None else day_label(day)
        raise ShiftError(
            _("%(name)s đã báo bận vào %(when)s.", name=user.full_name, when=when), "user_id"
        )
    other = overlapping_shift(db, user_id=user.id, shift=shift)
    if other is not None:
        raise ShiftError(
            _(
                "%(name)s đã có ca trùng giờ: %(shift)s.",
                name=user.full_name,
                shift=shift_label(other),
            ),
            "user_id",
        )
    if count_places and shift.assigned_count >= shift.max_volunteers:
        raise ShiftError(
            _("Ca đã đủ %(max)s người, không thể xếp thêm.", max=shift.max_volunteers), "user_id"
        )
