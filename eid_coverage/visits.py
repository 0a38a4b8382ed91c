"""Home visits as volunteer hours: work outside a shift, which attendance cannot see.

A visit is one volunteer's home records for one household on one local day (three people of a
house helped in one call is one visit). It counts the minutes its records give, or
VISIT_MINUTES (20 by default) when none gives them. Records made during a shift are left out:
the shift's attendance already counts that time.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select
from sqlmodel import Session

from assistance.models import AssistanceRecord, Place
from core import clock
from core.clock import as_utc

A = AssistanceRecord


@dataclass
class Visits:
    count: int = 0
    minutes: int = 0

    @property
    def hours(self) -> float:
        return self.minutes / 60


def default_minutes() -> int:
    return current_app.config["VISIT_MINUTES"]


def visits(
    db: Session,
    *,
    starts_at: datetime,
    ends_at: datetime,
    ward_id: int | None = None,
    user_id: int | None = None,
) -> dict[int, Visits]:
    """Home visits per volunteer between two instants (of one ward, or of one volunteer)."""
    query = select(A.volunteer_id, A.household_id, A.client_time, A.minutes).where(
        A.deleted_at.is_(None),
        A.place == Place.HOME,
        A.shift_id.is_(None),
        A.client_time >= starts_at,
        A.client_time < ends_at,
    )
    if ward_id is not None:
        query = query.where(A.ward_id == ward_id)
    if user_id is not None:
        query = query.where(A.volunteer_id == user_id)
    calls: dict[tuple[int, int, date], list[int | None]] = defaultdict(list)
    for volunteer, household, at, minutes in db.execute(query).all():
        calls[(volunteer, household, clock.local_date(as_utc(at)))].append(minutes)
    found: dict[int, Visits] = defaultdict(Visits)
    for (volunteer, _household, _day), minutes in calls.items():
        given = [m for m in minutes if m]
        found[volunteer].count += 1
        found[volunteer].minutes += sum(given) if given else default_minutes()
    return dict(found)
