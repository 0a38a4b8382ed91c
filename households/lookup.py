"""Loading a registry record for a view: 404 when it is missing, deleted or in another ward."""

from flask import abort
from sqlmodel import Session

from core.access import require_ward
from households.models import Household, Resident, ResidentialGroup


def group_or_404(db: Session, group_id: int) -> ResidentialGroup:
    group = db.get(ResidentialGroup, group_id)
    if group is None or group.deleted_at is not None:
        abort(404)
    require_ward(group.ward_id)
    return group


def household_or_404(db: Session, household_id: int) -> tuple[Household, ResidentialGroup]:
    household = db.get(Household, household_id)
    if household is None or household.deleted_at is not None:
        abort(404)
    return household, group_or_404(db, household.group_id)


def resident_or_404(db: Session, resident_id: int) -> tuple[Resident, Household, ResidentialGroup]:
    resident = db.get(Resident, resident_id)
    if resident is None or resident.deleted_at is not None:
        abort(404)
    household, group = household_or_404(db, resident.household_id)
    return resident, household, group
