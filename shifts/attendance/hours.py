"""Hours per volunteer and month, from attendance.

Hours come from check-in to check-out when both exist; otherwise a present volunteer is credited
with the shift's length. An absence, or a shift that ended with no check-in and no mark (a
no-show), counts nothing.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from core import clock
from core.clock import as_utc
from shifts.attendance.presence import State, state_of
from shifts.models import Assignment, Shift, ShiftStatus
from volunteer.models import User


def hours_of(assignment: Assignment, shift: Shift, now: datetime) -> float:
    if state_of(assignment, shift, now) != State.PRESENT:
        return 0.0
    if assignment.check_in_at and assignment.check_out_at:
        worked = as_utc(assignment.check_out_at) - as_utc(assignment.check_in_at)
    else:
        worked = as_utc(shift.ends_at) - as_utc(shift.starts_at)
    return round(max(worked.total_seconds(), 0) / 3600, 2)


@dataclass
class Line:
    shift: Shift
    assignment: Assignment
    state: State
    hours: float


@dataclass
class Totals:
    user: User
    lines: list[Line] = field(default_factory=list)

    @property
    def shifts(self) -> int:
        return sum(1 for line in self.lines if line.state not in (State.UPCOMING, State.ON_SHIFT))

    @property
    def present(self) -> int:
        return sum(1 for line in self.lines if line.state == State.PRESENT)

    @property
    def no_shows(self) -> int:
        return sum(1 for line in self.lines if line.state in (State.ABSENT, State.NO_SHOW))

    @property
    def hours(self) -> float:
        return round(sum(line.hours for line in self.lines), 2)


def month_lines(
    db: Session,
    *,
    ward_id: int,
    year: int,
    month: int,
    now: datetime,
    user_id: int | None = None,
) -> list[tuple[Shift, Assignment, User]]:
    start, end = clock.month_bounds(year, month)
    query = (
        select(Shift, Assignment, User)
        .join(Assignment, Assignment.shift_id == Shift.id)
        .join(User, User.id == Assignment.user_id)
        .where(
            Shift.ward_id == ward_id,
            Shift.status == ShiftStatus.OPEN,
            Shift.starts_at >= start,
            Shift.starts_at < end,
        )
        .order_by(Shift.starts_at, Shift.id)
    )
    if user_id is not None:
        query = query.where(Assignment.user_id == user_id)
    return list(db.exec(query).all())


def month_totals(
    db: Session, *, ward_id: int, year: int, month: int, now: datetime, user_id: int | None = None
) -> list[Totals]:
    """Per volunteer, in the order of the first shift they had that month."""
    totals: dict[int, Totals] = {}
    for shift, assignment, user in month_lines(
        db, ward_id=ward_id, year=year, month=month, now=now, user_id=user_id
    ):
        entry = totals.setdefault(user.id, Totals(user))
        state = state_of(assignment, shift, now)
        entry.lines.append(Line(shift, assignment, state, hours_of(assignment, shift, now)))
    return list(totals.values())
