"""The demo ward's rota: 8 past weeks with realistic attendance, 4 coming weeks partly staffed."""

import random
from datetime import datetime, time, timedelta

from sqlmodel import Session, select

from core import clock
from core.access import Role
from core.clock import as_utc
from households.models import ResidentialGroup, Ward
from shifts.models import (
    Assignment,
    Attendance,
    PatternSlot,
    Place,
    Shift,
    ShiftStatus,
    SwapOffer,
    Unavailability,
)
from shifts.planning import generation, setup
from volunteer.models import User

PAST_WEEKS, FUTURE_WEEKS = 8, 4


def _volunteers(db: Session, ward_id: int) -> list[User]:
    query = select(User).where(User.ward_id == ward_id, User.role == Role.VOLUNTEER)
    return list(db.exec(query.order_by(User.username)).all())


def _pattern(db: Session, ward_id: int) -> None:
    """The default Mon/Wed/Fri desk sessions plus a Thursday afternoon visit to one group."""
    setup.ensure_setup(db, ward_id=ward_id)
    groups = db.exec(
        select(ResidentialGroup)
        .where(ResidentialGroup.ward_id == ward_id)
        .order_by(ResidentialGroup.number)
    ).all()
    if not groups:
        return
    db.add(
        PatternSlot(
            ward_id=ward_id,
            weekdays="3",
            starts=time(14, 0),
            ends=time(16, 30),
            place=Place.FIELD,
            group_id=groups[min(11, len(groups) - 1)].id,
            min_volunteers=2,
            max_volunteers=3,
        )
    )
    db.flush()


def _availability(db: Session, rng: random.Random, people: list[User], now: datetime) -> dict:
    """A few volunteers study on one weekday; two have a date they cannot do."""
    away: dict[int, set[int]] = {}
    for user in rng.sample(people, min(6, len(people))):
        weekday = rng.choice([0, 2, 4])
        away.setdefault(user.id, set()).add(weekday)
        db.add(Unavailability(user_id=user.id, weekday=weekday, note="Lịch học ở trường"))
    for user in rng.sample(people, min(2, len(people))):
        day = clock.today(now) + timedelta(days=rng.randint(3, 20))
        db.add(Unavailability(user_id=user.id, day=day, note="Việc gia đình"))
    return away


def _attend(assignment: Assignment, shift: Shift, rng: random.Random, secretary_id: int) -> None:
    """Most check in and out on the phone; some are marked by the secretary; a few never come."""
    roll = rng.random()
    starts, ends = as_utc(shift.starts_at), as_utc(shift.ends_at)
    if roll < 0.80:
        assignment.check_in_at = starts + timedelta(minutes=rng.randint(-15, 20))
        assignment.check_out_at = ends + timedelta(minutes=rng.randint(-30, 15))
        assignment.attendance = Attendance.PRESENT
    elif roll < 0.90:
        assignment.attendance, assignment.marked_by_id = Attendance.PRESENT, secretary_id
    elif roll < 0.96:
        assignment.attendance, assignment.marked_by_id = Attendance.ABSENT, secretary_id
    # else: no record at all, a no-show


def build_demo_shifts(db: Session, *, seed: int, now: datetime | None = None) -> dict[str, int]:
    rng = random.Random(seed + 3)
    now = now or clock.now()
    ward = db.exec(select(Ward).where(Ward.name == "Thanh Khê Đông")).one()
    secretary = db.exec(
        select(User).where(User.ward_id == ward.id, User.role == Role.SECRETARY)
    ).first()
    people = _volunteers(db, ward.id)
    _pattern(db, ward.id)
    start = now - timedelta(weeks=PAST_WEEKS)
    generation.generate(
        db, ward_id=ward.id, weeks=PAST_WEEKS + FUTURE_WEEKS, now=start, actor_id=secretary.id
    )
    holiday = clock.today(now) + timedelta(days=(4 - clock.today(now).weekday()) % 7 + 14)
    setup.close_day(
        db, ward_id=ward.id, day=holiday, reason="Nghỉ bù ngày lễ", now=now, actor_id=secretary.id
    )
    away = _availability(db, rng, people, now)
    shifts = db.exec(
        select(Shift)
        .where(Shift.ward_id == ward.id, Shift.status == ShiftStatus.OPEN)
        .order_by(Shift.starts_at)
    ).all()

    load = {user.id: 0 for user in people}
    busy_days: dict[int, set] = {user.id: set() for user in people}
    totals = {"shifts": len(shifts), "assignments": 0}
    for shift in shifts:
        day = clock.local_date(shift.starts_at)
        weeks_ahead = (as_utc(shift.starts_at) - now).days / 7
        if weeks_ahead < 0:
            wanted = rng.randint(shift.min_volunteers, shift.max_volunteers)
        else:  # the further away, the emptier
            wanted = max(
                0, round(shift.max_volunteers * rng.uniform(0.2, 1.1 - 0.22 * weeks_ahead))
            )
        free = [
            u
            for u in people
            if day.weekday() not in away.get(u.id, ()) and day not in busy_days[u.id]
        ]
        free.sort(key=lambda u: (load[u.id], rng.random()))
        for user in free[: min(wanted, shift.max_volunteers)]:
            assignment = Assignment(
                shift_id=shift.id,
                user_id=user.id,
                source=rng.choice(["secretary", "secretary", "self"]),
                created_by_id=secretary.id,
                created_at=as_utc(shift.starts_at) - timedelta(days=rng.randint(3, 12)),
            )
            if as_utc(shift.ends_at) <= now:
                _attend(assignment, shift, rng, secretary.id)
            db.add(assignment)
            shift.assigned_count += 1
            load[user.id] += 1
            busy_days[user.id].add(day)
            totals["assignments"] += 1
    db.flush()
    _open_swaps(db, rng, shifts, now)
    return totals


def _open_swaps(db: Session, rng: random.Random, shifts: list[Shift], now: datetime) -> None:
    """Two volunteers are looking for someone to take their coming shift."""
    coming = [
        s for s in shifts if as_utc(s.starts_at) > now + timedelta(days=2) and s.assigned_count
    ]
    for shift in rng.sample(coming, min(2, len(coming))):
        taken = db.exec(select(Assignment).where(Assignment.shift_id == shift.id)).first()
        db.add(SwapOffer(shift_id=shift.id, from_user_id=taken.user_id))
    db.flush()
