"""The secretary's set-up: ward settings, the weekly pattern, closed days and one-off shifts."""

from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import gettext as _
from sqlmodel import Session, select

from core import clock
from households.models import ResidentialGroup
from shifts.labels import day_label
from shifts.models import (
    CancelReason,
    ClosedDay,
    PatternSlot,
    Place,
    Shift,
    ShiftSettings,
    ShiftStatus,
    place_key,
)
from shifts.notices import log_change
from shifts.planning import generation
from shifts.rules import ShiftError, closed_day

DEFAULT_SESSIONS = [(time(7, 30), time(11, 30)), (time(13, 30), time(17, 0))]


@dataclass
class SlotData:
    weekdays: list[int]
    starts: time
    ends: time
    place: str
    group_id: int | None
    min_volunteers: int
    max_volunteers: int


def settings_for(db: Session, *, ward_id: int) -> ShiftSettings:
    """The stored settings, or the defaults (not saved) for a ward that never changed them."""
    return db.get(ShiftSettings, ward_id) or ShiftSettings(ward_id=ward_id)


def ensure_setup(db: Session, *, ward_id: int) -> ShiftSettings:
    """Write the default settings and the Mon/Wed/Fri pattern the first time a ward uses shifts."""
    settings = db.get(ShiftSettings, ward_id)
    if settings is not None:
        return settings
    settings = ShiftSettings(ward_id=ward_id)
    db.add(settings)
    for starts, ends in DEFAULT_SESSIONS:
        db.add(PatternSlot(ward_id=ward_id, starts=starts, ends=ends))
    db.flush()
    return settings


def save_slot(
    db: Session,
    slot: PatternSlot,
    data: SlotData,
    *,
    now: datetime,
    actor_id: int | None,
) -> generation.SyncResult:
    _check_group(db, slot.ward_id, data.place, data.group_id)
    slot.weekdays = ",".join(str(day) for day in sorted(set(data.weekdays)))
    slot.starts, slot.ends = data.starts, data.ends
    slot.place = data.place
    slot.group_id = data.group_id if data.place == Place.FIELD else None
    slot.min_volunteers, slot.max_volunteers = data.min_volunteers, data.max_volunteers
    db.add(slot)
    db.flush()
    return generation.follow_pattern_change(db, ward_id=slot.ward_id, now=now, actor_id=actor_id)


def delete_slot(
    db: Session, slot: PatternSlot, *, now: datetime, actor_id: int | None
) -> generation.SyncResult:
    slot.deleted_at = now
    db.flush()
    return generation.follow_pattern_change(db, ward_id=slot.ward_id, now=now, actor_id=actor_id)


def close_day(
    db: Session, *, ward_id: int, day: date, reason: str, now: datetime, actor_id: int | None
) -> tuple[int, int]:
    """Mark a day closed and cancel its shifts; returns (shifts cancelled, people told)."""
    if day < clock.today(now):
        raise ShiftError(_("Không thể đánh dấu nghỉ cho ngày đã qua."), "day")
    if closed_day(db, ward_id=ward_id, day=day) is not None:
        raise ShiftError(_("Ngày %(day)s đã được đánh dấu nghỉ.", day=day_label(day)), "day")
    db.add(
        ClosedDay(ward_id=ward_id, day=day, reason=reason, created_by_id=actor_id, created_at=now)
    )
    first, last = clock.day_bounds(day, day)
    shifts = db.exec(
        select(Shift).where(
            Shift.ward_id == ward_id,
            Shift.status == ShiftStatus.OPEN,
            Shift.starts_at >= max(first, now),
            Shift.starts_at < last,
        )
    ).all()
    told = 0
    for shift in shifts:
        told += generation.cancel_shift(
            db, shift, reason=CancelReason.CLOSED, detail=reason, actor_id=actor_id, now=now
        )
    db.flush()
    return len(shifts), told


def reopen_day(
    db: Session, closed: ClosedDay, *, now: datetime, actor_id: int | None
) -> generation.SyncResult:
    """Remove a closed day; its pattern shifts come back, empty, if the rota reaches it."""
    if closed.day < clock.today(now):
        raise ShiftError(_("Không thể mở lại ngày đã qua."), "day")
    db.delete(closed)
    db.flush()
    last = generation.horizon(db, ward_id=closed.ward_id, now=now)
    if last is None or last < closed.day:
        return generation.SyncResult()
    return generation.sync_future(
        db, ward_id=closed.ward_id, until=last, now=now, actor_id=actor_id
    )


def add_shift(
    db: Session,
    *,
    ward_id: int,
    day: date,
    data: SlotData,
    now: datetime,
    actor_id: int | None,
) -> Shift:
    """A one-off shift outside the pattern (a Saturday field visit, an extra desk session)."""
    starts_at, ends_at = clock.to_utc(day, data.starts), clock.to_utc(day, data.ends)
    if starts_at <= now:
        raise ShiftError(_("Không thể tạo ca trong quá khứ."), "day")
    closed = closed_day(db, ward_id=ward_id, day=day)
    if closed is not None:
        raise ShiftError(
            _("Ngày %(day)s phường nghỉ: %(reason)s.", day=day_label(day), reason=closed.reason),
            "day",
        )
    _check_group(db, ward_id, data.place, data.group_id)
    key = place_key(data.place, data.group_id)
    clash = db.exec(
        select(Shift).where(
            Shift.ward_id == ward_id, Shift.starts_at == starts_at, Shift.place_key == key
        )
    ).first()
    if clash is not None and clash.status == ShiftStatus.OPEN:
        raise ShiftError(_("Đã có ca bắt đầu giờ này ở cùng nơi."), "starts")
    shift = clash or Shift(
        ward_id=ward_id,
        starts_at=starts_at,
        place_key=key,
        min_volunteers=0,
        max_volunteers=0,
        created_at=now,
        updated_at=now,
    )
    shift.ends_at = ends_at
    shift.place = data.place
    shift.group_id = data.group_id if data.place == Place.FIELD else None
    shift.min_volunteers, shift.max_volunteers = data.min_volunteers, data.max_volunteers
    shift.slot_id, shift.status, shift.cancel_reason = None, ShiftStatus.OPEN, None
    shift.updated_at = now
    db.add(shift)
    db.flush()
    log_change(db, shift, actor_id=actor_id, action="create", now=now)
    return shift


def _check_group(db: Session, ward_id: int, place: str, group_id: int | None) -> None:
    if place != Place.FIELD:
        return
    group = db.get(ResidentialGroup, group_id) if group_id else None
    if group is None or group.ward_id != ward_id or group.deleted_at is not None:
        raise ShiftError(_("Hãy chọn tổ dân phố sẽ đến."), "group_id")
