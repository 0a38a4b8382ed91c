"""Who came: check-in and check-out from the phone, the secretary's marks, and the state of a
volunteer on a shift (upcoming, on shift, present, absent, no-show). Hours are in hours.py."""

from datetime import datetime, timedelta
from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from core import clock
from core.clock import as_utc
from shifts.models import Assignment, Attendance, Shift, ShiftStatus
from shifts.notices import log_change
from shifts.rota.assigning import assignment_of, lock_shift
from shifts.rules import ShiftError

EARLY_CHECK_IN = timedelta(minutes=30)
LATE_CHECK_OUT = timedelta(minutes=60)


class State(StrEnum):
    UPCOMING = "upcoming"
    ON_SHIFT = "on_shift"  # started, not yet marked or checked in
    PRESENT = "present"
    ABSENT = "absent"
    NO_SHOW = "no_show"


STATE_TEXT = {
    State.UPCOMING: _l("sắp tới"),
    State.ON_SHIFT: _l("đang trong ca"),
    State.PRESENT: _l("có mặt"),
    State.ABSENT: _l("vắng"),
    State.NO_SHOW: _l("không đến"),
}


def state_of(assignment: Assignment, shift: Shift, now: datetime) -> State:
    if assignment.attendance == Attendance.ABSENT:
        return State.ABSENT
    if assignment.attendance == Attendance.PRESENT or assignment.check_in_at:
        return State.PRESENT
    if now < as_utc(shift.starts_at):
        return State.UPCOMING
    if now < as_utc(shift.ends_at):
        return State.ON_SHIFT
    return State.NO_SHOW


def check_in_window(shift: Shift, now: datetime) -> bool:
    return as_utc(shift.starts_at) - EARLY_CHECK_IN <= now < as_utc(shift.ends_at)


def check_out_window(shift: Shift, now: datetime) -> bool:
    return now <= as_utc(shift.ends_at) + LATE_CHECK_OUT


def check_in(db: Session, *, shift_id: int, user_id: int, now: datetime) -> Assignment:
    shift = lock_shift(db, shift_id)
    assignment = _own(db, shift, user_id)
    starts, ends = as_utc(shift.starts_at), as_utc(shift.ends_at)
    if not check_in_window(shift, now):
        raise ShiftError(
            _(
                "Chỉ điểm danh vào trong khung giờ ca (từ %(start)s đến %(end)s).",
                start=f"{clock.local(starts - EARLY_CHECK_IN):%H:%M}",
                end=f"{clock.local(ends):%H:%M}",
            )
        )
    if assignment.check_in_at is not None:
        raise ShiftError(_("Bạn đã điểm danh vào ca này rồi."))
    assignment.check_in_at, assignment.attendance = now, Attendance.PRESENT
    log_change(
        db,
        shift,
        actor_id=user_id,
        action="attendance",
        changes={"check_in": [None, user_id]},
        now=now,
    )
    return assignment


def check_out(db: Session, *, shift_id: int, user_id: int, now: datetime) -> Assignment:
    shift = lock_shift(db, shift_id)
    assignment = _own(db, shift, user_id)
    if assignment.check_in_at is None:
        raise ShiftError(_("Bạn chưa điểm danh vào ca này."))
    if assignment.check_out_at is not None:
        raise ShiftError(_("Bạn đã điểm danh ra rồi."))
    latest = as_utc(shift.ends_at) + LATE_CHECK_OUT
    if not check_out_window(shift, now):
        raise ShiftError(
            _(
                "Đã quá giờ điểm danh ra (đến %(end)s). Hãy báo Bí thư Đoàn để ghi giờ.",
                end=f"{clock.local(latest):%H:%M}",
            )
        )
    assignment.check_out_at = max(now, as_utc(assignment.check_in_at))
    log_change(
        db,
        shift,
        actor_id=user_id,
        action="attendance",
        changes={"check_out": [None, user_id]},
        now=now,
    )
    return assignment


def mark(
    db: Session, *, shift_id: int, user_id: int, present: bool, actor_id: int, now: datetime
) -> Assignment:
    """The secretary's word: present or absent (a no-show), once the shift has started."""
    shift = lock_shift(db, shift_id)
    if now < as_utc(shift.starts_at):
        raise ShiftError(_("Ca chưa bắt đầu, chưa thể điểm danh."))
    assignment = assignment_of(db, shift_id=shift.id, user_id=user_id)
    if assignment is None:
        raise ShiftError(_("Người này không có trong ca."))
    before = assignment.attendance
    assignment.attendance = Attendance.PRESENT if present else Attendance.ABSENT
    assignment.marked_by_id = actor_id
    log_change(
        db,
        shift,
        actor_id=actor_id,
        action="attendance",
        changes={"user_id": [user_id, user_id], "attendance": [before, assignment.attendance]},
        now=now,
    )
    return assignment


def _own(db: Session, shift: Shift, user_id: int) -> Assignment:
    assignment = assignment_of(db, shift_id=shift.id, user_id=user_id)
    if assignment is None or shift.status != ShiftStatus.OPEN:
        raise ShiftError(_("Bạn không có trong ca này."))
    return assignment
