"""Read side of the rota: the week, my shifts, open shifts, swaps, suggestions, the change log."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_
from sqlmodel import Session, select

from core import clock
from core.access import Role
from core.audit import AuditLog
from core.clock import as_utc
from core.text import given_name_key
from households.models import ResidentialGroup
from shifts.models import (
    Assignment,
    ClosedDay,
    Shift,
    ShiftStatus,
    SwapOffer,
    SwapStatus,
    Unavailability,
)
from shifts.notices import SHIFT_ENTITY
from volunteer.models import User

RECENT_DAYS = 30
OPEN_SHIFT_DAYS = 35


@dataclass
class ShiftView:
    shift: Shift
    group: ResidentialGroup | None = None
    people: list[tuple[Assignment, User]] = field(default_factory=list)

    @property
    def assigned(self) -> int:
        return len(self.people)

    @property
    def understaffed(self) -> bool:
        return self.shift.status == ShiftStatus.OPEN and self.assigned < self.shift.min_volunteers

    @property
    def missing(self) -> int:
        return max(self.shift.min_volunteers - self.assigned, 0)

    @property
    def full(self) -> bool:
        return self.assigned >= self.shift.max_volunteers

    @property
    def user_ids(self) -> set[int]:
        return {user.id for _assignment, user in self.people}


@dataclass
class DayView:
    day: date
    closed: ClosedDay | None
    shifts: list[ShiftView]


def views_of(db: Session, shifts: list[Shift]) -> list[ShiftView]:
    """Groups and people for many shifts in two queries."""
    if not shifts:
        return []
    ids = [shift.id for shift in shifts]
    people: dict[int, list[tuple[Assignment, User]]] = {shift_id: [] for shift_id in ids}
    rows = db.exec(
        select(Assignment, User)
        .join(User, User.id == Assignment.user_id)
        .where(Assignment.shift_id.in_(ids))
    ).all()
    for assignment, user in sorted(rows, key=lambda row: given_name_key(row[1].full_name)):
        people[assignment.shift_id].append((assignment, user))
    group_ids = {shift.group_id for shift in shifts if shift.group_id}
    groups = (
        {
            g.id: g
            for g in db.exec(select(ResidentialGroup).where(ResidentialGroup.id.in_(group_ids)))
        }
        if group_ids
        else {}
    )
    return [ShiftView(shift, groups.get(shift.group_id), people[shift.id]) for shift in shifts]


def week(db: Session, *, ward_id: int, start: date) -> list[DayView]:
    last = start + timedelta(days=6)
    first_at, end_at = clock.day_bounds(start, last)
    shifts = db.exec(
        select(Shift)
        .where(
            Shift.ward_id == ward_id,
            Shift.status == ShiftStatus.OPEN,
            Shift.starts_at >= first_at,
            Shift.starts_at < end_at,
        )
        .order_by(Shift.starts_at, Shift.place_key)
    ).all()
    closed = {
        c.day: c
        for c in db.exec(
            select(ClosedDay).where(
                ClosedDay.ward_id == ward_id, ClosedDay.day >= start, ClosedDay.day <= last
            )
        )
    }
    by_day: dict[date, list[ShiftView]] = {}
    for view in views_of(db, list(shifts)):
        by_day.setdefault(clock.local_date(view.shift.starts_at), []).append(view)
    days = [start + timedelta(days=offset) for offset in range(7)]
    return [
        DayView(day, closed.get(day), by_day.get(day, []))
        for day in days
        if day in by_day or day in closed or day.weekday() < 5
    ]


def my_shifts(
    db: Session, *, user_id: int, now: datetime
) -> tuple[list[ShiftView], list[ShiftView]]:
    """(coming, next first, including the one under way; recent, newest first)."""
    shifts = db.exec(
        select(Shift)
        .join(Assignment, Assignment.shift_id == Shift.id)
        .where(
            Assignment.user_id == user_id,
            Shift.status == ShiftStatus.OPEN,
            Shift.ends_at >= now - timedelta(days=RECENT_DAYS),
        )
        .order_by(Shift.starts_at)
    ).all()
    views = views_of(db, list(shifts))
    coming = [v for v in views if as_utc(v.shift.ends_at) > now]
    recent = [v for v in reversed(views) if as_utc(v.shift.ends_at) <= now]
    return coming, recent


def open_shifts(db: Session, *, ward_id: int, user_id: int, now: datetime) -> list[ShiftView]:
    """Shifts not yet started that still have a place and do not already have this volunteer."""
    mine = select(Assignment.shift_id).where(Assignment.user_id == user_id)
    shifts = db.exec(
        select(Shift)
        .where(
            Shift.ward_id == ward_id,
            Shift.status == ShiftStatus.OPEN,
            Shift.starts_at > now,
            Shift.starts_at < now + timedelta(days=OPEN_SHIFT_DAYS),
            Shift.assigned_count < Shift.max_volunteers,
            Shift.id.not_in(mine),
        )
        .order_by(Shift.starts_at, Shift.place_key)
    ).all()
    return views_of(db, list(shifts))


@dataclass
class SwapView:
    swap: SwapOffer
    shift: ShiftView
    offerer: User
    target: User | None


def swaps_for(db: Session, *, user: User, now: datetime) -> tuple[list[SwapView], list[SwapView]]:
    """(offers I could accept, my own open offers); only for shifts not yet started."""
    query = (
        select(SwapOffer, Shift)
        .join(Shift, Shift.id == SwapOffer.shift_id)
        .where(
            SwapOffer.status == SwapStatus.OPEN,
            Shift.ward_id == user.ward_id,
            Shift.starts_at > now,
            or_(
                SwapOffer.from_user_id == user.id,
                SwapOffer.to_user_id == user.id,
                SwapOffer.to_user_id.is_(None),
            ),
        )
        .order_by(Shift.starts_at)
    )
    rows = db.exec(query).all()
    shift_views = {v.shift.id: v for v in views_of(db, [shift for _swap, shift in rows])}
    user_ids = {swap.from_user_id for swap, _ in rows} | {
        s.to_user_id for s, _ in rows if s.to_user_id
    }
    users = (
        {u.id: u for u in db.exec(select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    )
    views = [
        SwapView(swap, shift_views[shift.id], users[swap.from_user_id], users.get(swap.to_user_id))
        for swap, shift in rows
    ]
    incoming = [v for v in views if v.swap.from_user_id != user.id]
    return incoming, [v for v in views if v.swap.from_user_id == user.id]


def open_swaps(db: Session, *, ward_id: int, now: datetime) -> list[SwapView]:
    """Every offer in the ward still waiting for a taker, for shifts not yet started."""
    rows = db.exec(
        select(SwapOffer, Shift)
        .join(Shift, Shift.id == SwapOffer.shift_id)
        .where(
            SwapOffer.status == SwapStatus.OPEN,
            Shift.ward_id == ward_id,
            Shift.status == ShiftStatus.OPEN,
            Shift.starts_at > now,
        )
        .order_by(Shift.starts_at, SwapOffer.id)
    ).all()
    shift_views = {v.shift.id: v for v in views_of(db, [shift for _swap, shift in rows])}
    user_ids = {s.from_user_id for s, _ in rows} | {s.to_user_id for s, _ in rows if s.to_user_id}
    users = (
        {u.id: u for u in db.exec(select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    )
    return [
        SwapView(swap, shift_views[shift.id], users[swap.from_user_id], users.get(swap.to_user_id))
        for swap, shift in rows
    ]


def ward_volunteers(db: Session, *, ward_id: int, active_only: bool = True) -> list[User]:
    query = select(User).where(User.ward_id == ward_id, User.role == Role.VOLUNTEER)
    if active_only:
        query = query.where(User.active.is_(True))
    return sorted(db.exec(query).all(), key=lambda user: given_name_key(user.full_name))


def month_counts(db: Session, *, ward_id: int, on: datetime) -> dict[int, int]:
    """Shifts per volunteer in the local month holding `on`."""
    local = clock.local(on)
    start, end = clock.month_bounds(local.year, local.month)
    rows = db.exec(
        select(Assignment.user_id, func.count(Assignment.id))
        .join(Shift, Shift.id == Assignment.shift_id)
        .where(
            Shift.ward_id == ward_id,
            Shift.status == ShiftStatus.OPEN,
            Shift.starts_at >= start,
            Shift.starts_at < end,
        )
        .group_by(Assignment.user_id)
    ).all()
    return {user_id: int(count) for user_id, count in rows}


def free_volunteers(db: Session, *, view: ShiftView) -> list[User]:
    """Active volunteers of the ward not away that day, on no overlapping shift, not on this one."""
    shift = view.shift
    day = clock.local_date(shift.starts_at)
    away = set(
        db.exec(
            select(Unavailability.user_id).where(
                or_(Unavailability.weekday == day.weekday(), Unavailability.day == day)
            )
        ).all()
    )
    busy = set(
        db.exec(
            select(Assignment.user_id)
            .join(Shift, Shift.id == Assignment.shift_id)
            .where(
                Shift.status == ShiftStatus.OPEN,
                Shift.starts_at < as_utc(shift.ends_at),
                Shift.ends_at > as_utc(shift.starts_at),
            )
        ).all()
    )
    return [
        user
        for user in ward_volunteers(db, ward_id=shift.ward_id)
        if user.id not in away | busy | view.user_ids
    ]


def suggestions(db: Session, *, view: ShiftView, limit: int = 5) -> list[tuple[User, int]]:
    """Volunteers free for this shift, fewest shifts this month first (a fair share for all)."""
    counts = month_counts(db, ward_id=view.shift.ward_id, on=view.shift.starts_at)
    free = free_volunteers(db, view=view)
    free.sort(key=lambda user: (counts.get(user.id, 0), given_name_key(user.full_name)))
    return [(user, counts.get(user.id, 0)) for user in free[:limit]]


def changes(
    db: Session, *, ward_id: int, page: int, page_size: int = 50
) -> tuple[list[AuditLog], dict[int, User], dict[int, Shift], bool]:
    entries = db.exec(
        select(AuditLog)
        .where(AuditLog.entity == SHIFT_ENTITY, AuditLog.ward_id == ward_id)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size + 1)
    ).all()
    user_ids: set[int] = set()
    for entry in entries:
        user_ids.add(entry.actor_id or 0)
        for name in ("volunteer", "offer_to"):
            user_ids.update(v for v in entry.changes.get(name, []) if isinstance(v, int))
    users = {u.id: u for u in db.exec(select(User).where(User.id.in_(user_ids)))}
    shift_ids = {entry.entity_id for entry in entries}
    shifts = {s.id: s for s in db.exec(select(Shift).where(Shift.id.in_(shift_ids)))}
    return list(entries[:page_size]), users, shifts, len(entries) > page_size
