"""Filling a week in one step: every understaffed shift up to its minimum, from the suggestions.

The proposal ranks each shift's free volunteers as the single-shift suggestions do (availability,
no overlapping shift, fewest shifts this month first) and, for a visit to a residential group,
puts the volunteers who work in that group first. Volunteers picked earlier in the same proposal
count as busy for overlapping shifts and as one shift more for fairness.

Applying goes through assigning.assign, one pair at a time: every rule is checked again under the
shift's lock, the change is audited and the volunteer told, as when the secretary picks by hand.
A pair whose shift already reached its minimum is skipped, so submitting twice changes nothing.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session

from core import clock
from core.clock import as_utc
from core.text import given_name_key
from households.assignments import ward_assignments
from shifts import queries
from shifts.models import Place
from shifts.queries import DayView, ShiftView
from shifts.rota import assigning
from shifts.rota.assigning import lock_shift
from shifts.rules import ShiftError
from volunteer.models import User


@dataclass
class Pick:
    view: ShiftView
    users: list[User] = field(default_factory=list)

    @property
    def still_missing(self) -> int:
        return self.view.missing - len(self.users)


def to_fill(days: list[DayView], *, now: datetime) -> list[ShiftView]:
    """The week's open shifts below their minimum that have not started yet."""
    return [
        view
        for day in days
        if day.closed is None
        for view in day.shifts
        if view.understaffed and as_utc(view.shift.starts_at) > now
    ]


def _overlaps(a: ShiftView, b: ShiftView) -> bool:
    return as_utc(a.shift.starts_at) < as_utc(b.shift.ends_at) and as_utc(b.shift.starts_at) < (
        as_utc(a.shift.ends_at)
    )


def propose(db: Session, *, ward_id: int, start: date, now: datetime) -> list[Pick]:
    groups_of = ward_assignments(db, ward_id=ward_id)
    counts: dict[tuple[int, int], dict[int, int]] = {}  # per local month
    taken: dict[int, list[ShiftView]] = {}  # user id -> shifts picked in this proposal
    picks = []
    days = queries.week(db, ward_id=ward_id, start=start)
    for view in to_fill(days, now=now):
        local = clock.local(view.shift.starts_at)
        month = counts.setdefault(
            (local.year, local.month),
            queries.month_counts(db, ward_id=ward_id, on=view.shift.starts_at),
        )
        visit = view.shift.place == Place.FIELD and view.shift.group_id

        def rank(user: User, view=view, month=month, visit=visit) -> tuple:
            outside = bool(visit) and view.shift.group_id not in groups_of.get(user.id, set())
            return (outside, month.get(user.id, 0), given_name_key(user.full_name))

        free = [
            user
            for user in queries.free_volunteers(db, view=view)
            if not any(_overlaps(view, other) for other in taken.get(user.id, []))
        ]
        room = min(view.missing, view.shift.max_volunteers - view.assigned)
        pick = Pick(view, sorted(free, key=rank)[: max(room, 0)])
        for user in pick.users:
            taken.setdefault(user.id, []).append(view)
            month[user.id] = month.get(user.id, 0) + 1
        picks.append(pick)
    return picks


def apply(
    db: Session, *, pairs: list[tuple[int, int]], ward_id: int, actor_id: int, now: datetime
) -> tuple[int, int]:
    """Assigns each (shift id, volunteer id) still needed; (assigned, skipped). The caller commits."""
    assigned = skipped = 0
    for shift_id, user_id in pairs:
        try:
            # assign() raises before it writes anything, so a refused pair leaves no trace.
            shift = lock_shift(db, shift_id)
            if shift.ward_id != ward_id or shift.assigned_count >= shift.min_volunteers:
                skipped += 1
                continue
            assigning.assign(db, shift_id=shift_id, user_id=user_id, actor_id=actor_id, now=now)
        except ShiftError:
            skipped += 1
        else:
            assigned += 1
    return assigned, skipped
