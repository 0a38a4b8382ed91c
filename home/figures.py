"""Figures the home screens show, read from the coverage and assistance computations (never
counted a second time here)."""

from sqlalchemy import func
from sqlmodel import Session, select

from assistance.models import AssistanceRecord, Outcome
from eid_coverage import queries
from eid_coverage.figures import Area

ALL_GROUPS = 10_000  # where_next's limit, high enough for every group of a ward


def groups_with_gap(db: Session, *, ward_id: int) -> dict[int, Area]:
    """{group id: its coverage row} for every live group that still has an adult without an
    e-ID; a live group missing here has none left to help."""
    return {area.id: area for area in queries.where_next(db, ward_id=ward_id, limit=ALL_GROUPS)}


def my_open_followups(db: Session, *, user_id: int, ward_id: int) -> int:
    """Follow-ups this volunteer logged that nobody has resolved yet."""
    query = (
        select(func.count())
        .select_from(AssistanceRecord)
        .where(
            AssistanceRecord.ward_id == ward_id,
            AssistanceRecord.volunteer_id == user_id,
            AssistanceRecord.outcome == Outcome.PENDING,
            AssistanceRecord.resolved_at.is_(None),
            AssistanceRecord.deleted_at.is_(None),
        )
    )
    return int(db.exec(query).one())
