"""Read-side queries for the follow-up and record lists."""

from sqlalchemy import case, func
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


def followup_rows(
    db: Session,
    *,
    ward_id: int,
    mine_first: int | None = None,
    group_id: int | None = None,
    kind: str | None = None,
    page: int = 1,
) -> tuple[list[tuple], int]:
    """Pending records nobody has resolved yet: those of the volunteer `mine_first` first, then
    the oldest; a page of PAGE_SIZE and the total, of one group and one kind when asked."""
    conditions = [
        AssistanceRecord.ward_id == ward_id,
        AssistanceRecord.outcome == Outcome.PENDING,
        AssistanceRecord.resolved_at.is_(None),
        AssistanceRecord.deleted_at.is_(None),
        Household.deleted_at.is_(None),
    ]
    if group_id is not None:
        conditions.append(Household.group_id == group_id)
    if kind is not None:
        conditions.append(AssistanceRecord.kind == kind)
    counted = (
        select(func.count())
        .select_from(AssistanceRecord)
        .join(Household, Household.id == AssistanceRecord.household_id)
        .where(*conditions)
    )
    total = db.exec(counted).one()
    order = [AssistanceRecord.client_time, AssistanceRecord.id]
    if mine_first is not None:
        order.insert(0, case((AssistanceRecord.volunteer_id == mine_first, 0), else_=1))
    query = _rows(
        select(AssistanceRecord, Household, ResidentialGroup, User.full_name, Procedure.name)
    ).where(*conditions)
    rows = db.exec(query.order_by(*order).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return list(rows), int(total)


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


def household_rows(
    db: Session, *, household_id: int, limit: int = PAGE_SIZE
) -> tuple[list[tuple], int]:
    """A household's visits, newest first (the household page), and how many there are."""
    conditions = [
        AssistanceRecord.household_id == household_id,
        AssistanceRecord.deleted_at.is_(None),
    ]
    total = db.exec(select(func.count()).select_from(AssistanceRecord).where(*conditions)).one()
    query = _rows(
        select(AssistanceRecord, Household, ResidentialGroup, User.full_name, Procedure.name)
    ).where(*conditions)
    order = (AssistanceRecord.client_time.desc(), AssistanceRecord.id.desc())
    return list(db.exec(query.order_by(*order).limit(limit)).all()), int(total)
