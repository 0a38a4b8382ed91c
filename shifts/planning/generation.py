"""From the weekly pattern to shifts: generate the next weeks, follow pattern changes, cancel.

One reconciliation, `sync_future`, serves generation and pattern changes alike: it computes the
shifts the pattern wants between today and a date, then creates the missing ones, updates the ones
that changed, and cancels generated ones the pattern no longer has. Only shifts that have not
started are looked at, so the past is never touched; and a second run finds nothing to do.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from core import clock
from core.clock import as_utc
from shifts.models import (
    Assignment,
    CancelReason,
    ClosedDay,
    PatternSlot,
    Shift,
    ShiftStatus,
    SwapOffer,
    SwapStatus,
    place_key,
)
from shifts.notices import log_change, notify, tell_assigned

MAX_WEEKS = 12


@dataclass(frozen=True)
class Planned:
    slot: PatternSlot
    day: date
    starts_at: datetime
    ends_at: datetime

    @property
    def key(self) -> tuple[datetime, str]:
        return self.starts_at, place_key(self.slot.place, self.slot.group_id)


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    cancelled: int = 0
    notified: int = 0
    crowded: list[int] = field(default_factory=list)  # shifts left above a lowered maximum


def live_slots(db: Session, *, ward_id: int) -> list[PatternSlot]:
    query = (
        select(PatternSlot)
        .where(PatternSlot.ward_id == ward_id, PatternSlot.deleted_at.is_(None))
        .order_by(PatternSlot.starts, PatternSlot.id)
    )
    return list(db.exec(query).all())


def closed_days(db: Session, *, ward_id: int, first: date, last: date) -> dict[date, ClosedDay]:
    query = select(ClosedDay).where(
        ClosedDay.ward_id == ward_id, ClosedDay.day >= first, ClosedDay.day <= last
    )
    return {closed.day: closed for closed in db.exec(query).all()}


def planned(
    slots: list[PatternSlot], *, first: date, last: date, closed: set[date], now: datetime
) -> dict[tuple[datetime, str], Planned]:
    wanted: dict[tuple[datetime, str], Planned] = {}
    day = first
    while day <= last:
        if day not in closed:
            for slot in slots:
                if day.weekday() not in slot.weekday_list:
                    continue
                item = Planned(
                    slot, day, clock.to_utc(day, slot.starts), clock.to_utc(day, slot.ends)
                )
                if item.starts_at > now:
                    wanted.setdefault(item.key, item)
        day += timedelta(days=1)
    return wanted


def horizon(db: Session, *, ward_id: int, now: datetime) -> date | None:
    """The local date of the last shift not yet started: how far the rota has been generated."""
    last = db.exec(
        select(func.max(Shift.starts_at)).where(Shift.ward_id == ward_id, Shift.starts_at > now)
    ).one()
    return clock.local_date(last) if last is not None else None


def next_day(db: Session, *, ward_id: int, now: datetime) -> date | None:
    """The local date of the next shift still to start."""
    first = db.exec(
        select(func.min(Shift.starts_at)).where(
            Shift.ward_id == ward_id, Shift.starts_at > now, Shift.status == ShiftStatus.OPEN
        )
    ).one()
    return clock.local_date(first) if first is not None else None


def sync_future(
    db: Session, *, ward_id: int, until: date, now: datetime, actor_id: int | None
) -> SyncResult:
    result = SyncResult()
    first = clock.today(now)
    if until < first:
        return result
    closed = closed_days(db, ward_id=ward_id, first=first, last=until)
    wanted = planned(
        live_slots(db, ward_id=ward_id), first=first, last=until, closed=set(closed), now=now
    )
    _, end = clock.day_bounds(first, until)
    existing = db.exec(
        select(Shift).where(Shift.ward_id == ward_id, Shift.starts_at > now, Shift.starts_at < end)
    ).all()
    by_key = {(as_utc(shift.starts_at), shift.place_key): shift for shift in existing}
    ends_before = {shift.id: as_utc(shift.ends_at) for shift in existing}

    for key, item in sorted(wanted.items(), key=lambda pair: pair[0]):
        shift = by_key.get(key)
        if shift is None:
            shift = _new_shift(ward_id, item, now)
            db.add(shift)
            db.flush()
            result.created += 1
        elif _follow_pattern(shift, item, now):
            db.flush()
            log_change(db, shift, actor_id=actor_id, action="update", now=now)
            result.updated += 1
            if ends_before[shift.id] != item.ends_at:
                tell_assigned(db, shift, kind="changed", actor_id=actor_id, now=now)
            if shift.assigned_count > item.slot.max_volunteers:
                result.crowded.append(shift.id)

    for shift in existing:
        key = (as_utc(shift.starts_at), shift.place_key)
        if key in wanted or shift.status != ShiftStatus.OPEN or shift.slot_id is None:
            continue
        day = clock.local_date(shift.starts_at)
        reason = CancelReason.CLOSED if day in closed else CancelReason.PATTERN
        detail = closed[day].reason if day in closed else None
        result.notified += cancel_shift(
            db, shift, reason=reason, detail=detail, actor_id=actor_id, now=now
        )
        result.cancelled += 1
    return result


def generate(
    db: Session, *, ward_id: int, weeks: int, now: datetime, actor_id: int | None
) -> SyncResult:
    """Shifts for the next `weeks` weeks counted from today (local time)."""
    until = clock.today(now) + timedelta(days=7 * weeks - 1)
    return sync_future(db, ward_id=ward_id, until=until, now=now, actor_id=actor_id)


def follow_pattern_change(
    db: Session, *, ward_id: int, now: datetime, actor_id: int | None
) -> SyncResult:
    """After the pattern changed: bring the already generated future shifts in line."""
    last = horizon(db, ward_id=ward_id, now=now)
    if last is None:
        return SyncResult()
    return sync_future(db, ward_id=ward_id, until=last, now=now, actor_id=actor_id)


def cancel_shift(
    db: Session,
    shift: Shift,
    *,
    reason: CancelReason,
    detail: str | None,
    actor_id: int | None,
    now: datetime,
) -> int:
    """Cancel, take everyone off and tell them; returns how many people were told."""
    assignments = db.exec(select(Assignment).where(Assignment.shift_id == shift.id)).all()
    for assignment in assignments:
        notify(
            db,
            user_id=assignment.user_id,
            kind="cancelled",
            shift_id=shift.id,
            detail=detail,
            actor_id=actor_id,
            now=now,
        )
        db.delete(assignment)
    for offer in db.exec(
        select(SwapOffer).where(SwapOffer.shift_id == shift.id, SwapOffer.status == SwapStatus.OPEN)
    ).all():
        offer.status, offer.decided_at = SwapStatus.VOID, now
    removed = [assignment.user_id for assignment in assignments]
    shift.status, shift.cancel_reason = ShiftStatus.CANCELLED, reason
    shift.assigned_count, shift.updated_at = 0, now
    log_change(
        db,
        shift,
        actor_id=actor_id,
        action="cancel",
        changes={"reason": [None, reason.value]}
        | ({"volunteers": [removed, []]} if removed else {}),
        now=now,
    )
    return len(assignments)


def _new_shift(ward_id: int, item: Planned, now: datetime) -> Shift:
    slot = item.slot
    return Shift(
        ward_id=ward_id,
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        place=slot.place,
        group_id=slot.group_id,
        place_key=place_key(slot.place, slot.group_id),
        min_volunteers=slot.min_volunteers,
        max_volunteers=slot.max_volunteers,
        slot_id=slot.id,
        created_at=now,
        updated_at=now,
    )


def _follow_pattern(shift: Shift, item: Planned, now: datetime) -> bool:
    """Copy what the pattern says onto a future shift; True when anything changed."""
    slot = item.slot
    wanted = {
        "ends_at": item.ends_at,
        "min_volunteers": slot.min_volunteers,
        # Lowering the maximum never throws anyone off: the shift keeps those already on it.
        "max_volunteers": max(slot.max_volunteers, shift.assigned_count),
        "slot_id": slot.id,
        "status": ShiftStatus.OPEN,
        "cancel_reason": None,
    }
    current = {name: getattr(shift, name) for name in wanted}
    current["ends_at"] = as_utc(current["ends_at"])
    if current == wanted:
        return False
    for name, value in wanted.items():
        setattr(shift, name, value)
    shift.updated_at = now
    return True
