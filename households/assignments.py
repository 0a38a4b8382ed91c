"""Which residential groups each volunteer works in: read by the registry (my groups first),
the sync scope and the secretary's screen; changed only through set_groups (audited)."""

from sqlmodel import Session, delete, select

from core import audit
from households.models import GroupAssignment, ResidentialGroup


def group_ids_of(db: Session, *, user_id: int) -> set[int]:
    query = (
        select(GroupAssignment.group_id)
        .join(ResidentialGroup, ResidentialGroup.id == GroupAssignment.group_id)
        .where(GroupAssignment.user_id == user_id, ResidentialGroup.deleted_at.is_(None))
    )
    return set(db.exec(query).all())


def ward_assignments(db: Session, *, ward_id: int) -> dict[int, set[int]]:
    """{user id: live group ids} for every assignment into the ward's groups."""
    query = (
        select(GroupAssignment.user_id, GroupAssignment.group_id)
        .join(ResidentialGroup, ResidentialGroup.id == GroupAssignment.group_id)
        .where(ResidentialGroup.ward_id == ward_id, ResidentialGroup.deleted_at.is_(None))
    )
    mine: dict[int, set[int]] = {}
    for user_id, group_id in db.exec(query).all():
        mine.setdefault(user_id, set()).add(group_id)
    return mine


def set_groups(
    db: Session, *, user_id: int, ward_id: int, group_ids: set[int], actor_id: int
) -> bool:
    """Makes the user's groups in this ward exactly `group_ids` (which the caller checked belong
    to the ward). Returns whether anything changed; the caller commits."""
    before = group_ids_of(db, user_id=user_id)
    if before == group_ids:
        return False
    gone = before - group_ids
    if gone:
        db.exec(
            delete(GroupAssignment).where(
                GroupAssignment.user_id == user_id, GroupAssignment.group_id.in_(gone)
            )
        )
    db.add_all(GroupAssignment(user_id=user_id, group_id=g) for g in group_ids - before)
    audit.record(
        db,
        actor_id=actor_id,
        ward_id=ward_id,
        entity="user",
        entity_id=user_id,
        action="groups",
        changes={"groups": [_numbers(db, before), _numbers(db, group_ids)]},
    )
    return True


def _numbers(db: Session, group_ids: set[int]) -> str:
    if not group_ids:
        return ""
    numbers = db.exec(
        select(ResidentialGroup.number).where(ResidentialGroup.id.in_(group_ids))
    ).all()
    return ", ".join(str(n) for n in sorted(numbers))
