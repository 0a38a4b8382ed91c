"""Putting volunteers on shifts and taking them off, safely when two people act at once.

Every change locks the shift row before it reads anything it will decide on, so two secretaries
filling the last place are served one after the other and the second one sees the place taken.
PostgreSQL: SELECT ... FOR UPDATE on the shift (and on the volunteer, so two different shifts
cannot both take the same person at the same hour). SQLite allows one writer at a time: a no-op
UPDATE of the shift row takes that write lock first, which serialises the whole check-then-write.
The CHECK on shift.assigned_count backs this up in the database itself.
"""

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import update
from sqlmodel import Session, select

from core.clock import as_utc
from shifts.models import Assignment, Shift, SwapOffer, SwapStatus
from shifts.notices import log_change, notify
from shifts.planning.setup import settings_for
from shifts.rules import ShiftError, check_can_join, ward_volunteer
from volunteer.models import User

SECRETARY, SELF, SWAP = "secretary", "self", "swap"


def _is_sqlite(db: Session) -> bool:
    return db.get_bind().dialect.name == "sqlite"


def lock_shift(db: Session, shift_id: int) -> Shift:
    table = Shift.__table__
    if _is_sqlite(db):
        db.execute(update(table).where(table.c.id == shift_id).values(id=table.c.id))
        query = select(Shift).where(Shift.id == shift_id)
    else:
        query = select(Shift).where(Shift.id == shift_id).with_for_update()
    shift = db.exec(query.execution_options(populate_existing=True)).first()
    if shift is None:
        raise ShiftError(_("Không tìm thấy ca này."))
    return shift


def lock_volunteer(db: Session, *, user_id: int | None, ward_id: int) -> User:
    """The volunteer row, locked on PostgreSQL (SQLite's write lock already covers it)."""
    if user_id and not _is_sqlite(db):
        query = select(User).where(User.id == user_id).with_for_update()
        db.exec(query.execution_options(populate_existing=True)).first()
    return ward_volunteer(db, user_id=user_id, ward_id=ward_id)


def assignment_of(db: Session, *, shift_id: int, user_id: int) -> Assignment | None:
    query = select(Assignment).where(Assignment.shift_id == shift_id, Assignment.user_id == user_id)
    return db.exec(query).first()


def release_deadline(shift: Shift, release_hours: int) -> datetime:
    return as_utc(shift.starts_at) - timedelta(hours=release_hours)


def assign(
    db: Session,
    *,
    shift_id: int,
    user_id: int | None,
    actor_id: int,
    now: datetime,
    source: str = SECRETARY,
) -> Assignment:
    shift = lock_shift(db, shift_id)
    if as_utc(shift.ends_at) <= now:
        raise ShiftError(_("Ca đã kết thúc, không thể xếp thêm người."), "user_id")
    user = lock_volunteer(db, user_id=user_id, ward_id=shift.ward_id)
    check_can_join(db, shift, user)
    assignment = Assignment(
        shift_id=shift.id, user_id=user.id, source=source, created_by_id=actor_id, created_at=now
    )
    db.add(assignment)
    # Counted in SQL, not from the value read earlier: the CHECK sees the true total.
    shift.assigned_count = Shift.assigned_count + 1
    shift.updated_at = now
    db.flush()
    action = "signup" if source == SELF else "assign"
    log_change(
        db, shift, actor_id=actor_id, action=action, changes={"volunteer": [None, user.id]}, now=now
    )
    if actor_id != user.id:
        notify(db, user_id=user.id, kind="assigned", shift_id=shift.id, actor_id=actor_id, now=now)
    return assignment


def sign_up(db: Session, *, shift_id: int, user_id: int, now: datetime) -> Assignment:
    shift = lock_shift(db, shift_id)
    if not settings_for(db, ward_id=shift.ward_id).self_signup:
        raise ShiftError(_("Phường chưa cho phép tự đăng ký ca; hãy liên hệ Bí thư Đoàn."))
    if as_utc(shift.starts_at) <= now:
        raise ShiftError(_("Ca đã bắt đầu, không thể đăng ký."))
    return assign(db, shift_id=shift_id, user_id=user_id, actor_id=user_id, now=now, source=SELF)


def unassign(db: Session, *, shift_id: int, user_id: int, actor_id: int, now: datetime) -> None:
    """The secretary takes someone off a shift, at any time before it ends."""
    shift = lock_shift(db, shift_id)
    if as_utc(shift.ends_at) <= now:
        raise ShiftError(_("Ca đã kết thúc; hãy điểm danh vắng thay vì rút người khỏi ca."))
    assignment = assignment_of(db, shift_id=shift.id, user_id=user_id)
    if assignment is None:
        raise ShiftError(_("Người này không có trong ca."))
    _take_off(db, shift, assignment, actor_id=actor_id, action="unassign", now=now)


def release(db: Session, *, shift_id: int, user_id: int, now: datetime) -> None:
    """A volunteer gives a shift back, until the ward's deadline before it starts."""
    shift = lock_shift(db, shift_id)
    assignment = assignment_of(db, shift_id=shift.id, user_id=user_id)
    if assignment is None:
        raise ShiftError(_("Bạn không có trong ca này."))
    hours = settings_for(db, ward_id=shift.ward_id).release_hours
    if now > release_deadline(shift, hours):
        raise ShiftError(
            _(
                "Đã quá hạn trả ca (%(hours)s giờ trước giờ bắt đầu). "
                "Hãy đổi ca với người khác hoặc báo Bí thư Đoàn.",
                hours=hours,
            )
        )
    _take_off(db, shift, assignment, actor_id=user_id, action="release", now=now)


def _take_off(
    db: Session, shift: Shift, assignment: Assignment, *, actor_id: int, action: str, now: datetime
) -> None:
    user_id = assignment.user_id
    db.delete(assignment)
    for offer in db.exec(
        select(SwapOffer).where(
            SwapOffer.shift_id == shift.id,
            SwapOffer.from_user_id == user_id,
            SwapOffer.status == SwapStatus.OPEN,
        )
    ).all():
        offer.status, offer.decided_at = SwapStatus.VOID, now
    shift.assigned_count = Shift.assigned_count - 1
    shift.updated_at = now
    db.flush()
    log_change(
        db, shift, actor_id=actor_id, action=action, changes={"volunteer": [user_id, None]}, now=now
    )
    if actor_id != user_id:
        notify(
            db, user_id=user_id, kind="unassigned", shift_id=shift.id, actor_id=actor_id, now=now
        )
