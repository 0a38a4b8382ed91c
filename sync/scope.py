"""Which households a phone carries: a volunteer's groups, plus the groups of a door-to-door
shift they are on in the coming days; the secretary, the ward officer and the admin keep the
whole ward (None), or the groups they chose for their own phone (CopyGroup, the /copy screen).

The phone says which groups it holds (the `scope` of its last answer), so a delta can bring
whole groups that entered the scope and name the households of those that left it.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_
from sqlmodel import Session, select

from core.access import Role
from households import assignments
from households.models import Household, ResidentialGroup
from shifts.models import Assignment, Place, Shift, ShiftStatus
from sync.models import CopyGroup
from volunteer.models import User

FIELD_SHIFT_AHEAD = timedelta(days=3)
MAX_HELD_GROUPS = 500


@dataclass
class Scope:
    groups: set[int] | None  # None: the whole ward
    since: datetime | None  # None: a full copy
    entered: set[int] = field(default_factory=set)  # groups to send whole in a delta
    left: set[int] = field(default_factory=set)  # groups whose households leave the phone


def parse_held(value: str | None) -> set[int] | None:
    """The groups the phone holds, "3,5,8"; anything unreadable means "unknown" (full copy)."""
    if value is None:
        return None
    parts = [part for part in value.split(",") if part]
    if len(parts) > MAX_HELD_GROUPS or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    return {int(part) for part in parts if len(part) <= 9}


def scope_groups(db: Session, *, user: User, ward_id: int, now: datetime) -> set[int] | None:
    if user.role != Role.VOLUNTEER:
        # Groups chosen elsewhere (an admin looking at another ward) leave the whole ward.
        return (chosen_groups(db, user_id=user.id) & _ward_groups(db, ward_id)) or None
    return (assignments.group_ids_of(db, user_id=user.id) | _field_groups(db, user, now)) & (
        _ward_groups(db, ward_id)
    )


def chosen_groups(db: Session, *, user_id: int) -> set[int]:
    """The live groups a secretary, ward officer or admin keeps on their phone; none: the ward."""
    query = (
        select(CopyGroup.group_id)
        .join(ResidentialGroup, ResidentialGroup.id == CopyGroup.group_id)
        .where(CopyGroup.user_id == user_id, ResidentialGroup.deleted_at.is_(None))
    )
    return set(db.exec(query).all())


def _ward_groups(db: Session, ward_id: int) -> set[int]:
    query = select(ResidentialGroup.id).where(
        ResidentialGroup.ward_id == ward_id, ResidentialGroup.deleted_at.is_(None)
    )
    return set(db.exec(query).all())


def _field_groups(db: Session, user: User, now: datetime) -> set[int]:
    query = (
        select(Shift.group_id)
        .join(Assignment, Assignment.shift_id == Shift.id)
        .where(
            Assignment.user_id == user.id,
            Shift.place == Place.FIELD,
            Shift.status == ShiftStatus.OPEN,
            Shift.group_id.is_not(None),
            Shift.ends_at >= now,
            Shift.starts_at <= now + FIELD_SHIFT_AHEAD,
        )
    )
    return set(db.exec(query).all())


def plan(groups: set[int] | None, *, held: set[int] | None, since: datetime | None) -> Scope:
    if since is None:
        return Scope(groups, None)
    if (groups is None) != (held is None):
        # From part of the ward to all of it or back (a role change, an older app): start over.
        return Scope(groups, None)
    if groups is None:
        return Scope(None, since)
    return Scope(groups, since, entered=groups - held, left=held - groups)


def departures(db: Session, *, ward_id: int, scope: Scope) -> list[tuple[str, bool]]:
    """Households to delete from the phone: those of groups that left the scope, and those
    moved since the cursor into a group outside it; each with whether it is deleted too."""
    if scope.groups is None or scope.since is None:
        return []
    query = (
        select(Household.uuid, Household.deleted_at.is_not(None))
        .join(ResidentialGroup, ResidentialGroup.id == Household.group_id)
        .where(
            ResidentialGroup.ward_id == ward_id,
            Household.group_id.not_in(scope.groups),
            or_(Household.group_id.in_(scope.left), Household.updated_at >= scope.since),
        )
    )
    return [(uuid, deleted) for uuid, deleted in db.exec(query).all()]
