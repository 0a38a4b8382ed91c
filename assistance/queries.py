"""Read-side queries for the follow-up and record lists."""

from sqlalchemy import func
from sqlmodel import Session, select

from assistance.models import AssistanceRecord, Outcome, Procedure
from households.models import Household, ResidentialGroup
from volunteer.models import User

PAGE_SIZE = 30


def _rows(query):
    return (
        query.join(Household, Household.id == AssistanceRecord.household_id)
        .join(ResidentialGroup, ResidentialGroup.id == Household.group_id)
        .join(User, User.id == AssistanceRecord.volunteer_id)
        .outerjoin(Procedure, Procedure.id == AssistanceRecord.procedure_id)
    )


def followup_rows(db: Session, *, ward_id: int, limit: int = 200) -> list[tuple]:
    """Pending records nobody has resolved yet, oldest first."""
    query = _rows(
        select(AssistanceRecord, Household, ResidentialGroup, User.full_name, Procedure.name)
    ).where(
        AssistanceRecord.ward_id == ward_id,
        AssistanceRecord.outcome == Outcome.PENDING,
        AssistanceRecord.resolved_at.is_(None),
        AssistanceRecord.deleted_at.is_(None),
    )
    return list(db.exec(query.order_by(AssistanceRecord.client_time).limit(limit)).all())


def record_rows(
    db: Session, *, ward_id: int, volunteer_id: int | None = None, page: int = 1
) -> tuple[list[tuple], int]:
    conditions = [AssistanceRecord.ward_id == ward_id, AssistanceRecord.deleted_at.is_(None)]
    if volunteer_id is not None:
        conditions.append(AssistanceRecord.volunteer_id == volunteer_id)
    total = db.exec(select(func.count()).select_from(AssistanceRecord).where(*conditions)).one()
    query = _rows(
        select(AssistanceRecord, Household, ResidentialGroup, User.full_name, Procedure.name)
    ).where(*conditions)
    rows = db.exec(
        query.order_by(AssistanceRecord.client_time.desc(), AssistanceRecord.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return list(rows), int(total)
