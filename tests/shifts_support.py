"""Helpers for the rota tests: a fixed clock and quick ways to make shifts."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, select

from core import clock
from core.db import get_session
from notifications.models import Notification
from shifts.models import Assignment, Place, Shift, place_key
from shifts.rota import assigning

# Monday 23 November 2026, 07:00 in Asia/Ho_Chi_Minh: half an hour before the morning session.
NOW = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
MONDAY = date(2026, 11, 23)


def freeze(time_machine, at: datetime = NOW) -> None:
    """Stand the one clock still at `at` (the `time_machine` fixture undoes it after the test)."""
    time_machine.move_to(at, tick=False)


def make_shift(
    db: Session,
    ward_id: int,
    day: date = MONDAY,
    starts: str = "07:30",
    ends: str = "11:30",
    *,
    minimum: int = 1,
    maximum: int = 2,
    place: str = Place.DESK,
    group_id: int | None = None,
) -> Shift:
    shift = Shift(
        ward_id=ward_id,
        starts_at=clock.to_utc(day, time.fromisoformat(starts)),
        ends_at=clock.to_utc(day, time.fromisoformat(ends)),
        place=place,
        group_id=group_id,
        place_key=place_key(place, group_id),
        min_volunteers=minimum,
        max_volunteers=maximum,
    )
    db.add(shift)
    db.commit()
    return shift


def put_on(db: Session, shift: Shift, *user_ids: int, now: datetime = NOW - timedelta(days=7)):
    """Assign through the service (as the secretary would), a week before NOW by default."""
    for user_id in user_ids:
        assigning.assign(db, shift_id=shift.id, user_id=user_id, actor_id=user_id, now=now)
    db.commit()


def people_on(db: Session, shift_id: int) -> set[int]:
    db.expire_all()
    rows = db.exec(select(Assignment.user_id).where(Assignment.shift_id == shift_id)).all()
    return set(rows)


@dataclass
class ShiftNotice:
    """A notice of the rota as the one inbox holds it (kind "shift_<kind>", topic "shift-<id>")."""

    kind: str
    shift_id: int | None
    body: str
    created_at: datetime


def notices_of(db: Session, user_id: int) -> list[ShiftNotice]:
    rows = db.exec(
        select(Notification)
        .where(Notification.user_id == user_id, Notification.kind.startswith("shift_"))
        .order_by(Notification.id)
    ).all()
    return [
        ShiftNotice(
            kind=row.kind.removeprefix("shift_"),
            shift_id=int(row.topic.removeprefix("shift-")) if row.topic else None,
            body=row.body,
            created_at=row.created_at,
        )
        for row in rows
    ]


def session() -> Session:
    return get_session()
