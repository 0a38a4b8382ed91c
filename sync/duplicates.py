"""Households created offline that may already exist, and merging two households into one."""

from dataclasses import dataclass
from difflib import SequenceMatcher

from sqlalchemy import update
from sqlmodel import Session, select

from assistance.models import AssistanceRecord
from core import audit, clock
from households import registry
from households.models import Household, ResidentialGroup
from sync.models import HouseholdMerge, SyncReceipt

SIMILAR = 0.85


@dataclass
class Candidate:
    new: Household
    existing: Household
    group: ResidentialGroup
    why: str


def _similar(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return a == b or SequenceMatcher(None, a, b).ratio() >= SIMILAR


def possible_duplicates(db: Session, *, ward_id: int) -> list[Candidate]:
    """Each unreviewed household made on a phone beside households of its group with a similar
    normalised head name or address. Only offline-made ones are compared, so the list stays short
    and cheap (a group holds about 60 households)."""
    fresh = db.exec(
        select(Household, ResidentialGroup)
        .join(SyncReceipt, SyncReceipt.entity_id == Household.id)
        .join(ResidentialGroup, ResidentialGroup.id == Household.group_id)
        .where(
            SyncReceipt.item_type == "household",
            SyncReceipt.reviewed_at.is_(None),
            SyncReceipt.ward_id == ward_id,
            Household.deleted_at.is_(None),
        )
    ).all()
    found = []
    for new, group in fresh:
        neighbours = db.exec(
            select(Household).where(
                Household.group_id == group.id,
                Household.id != new.id,
                Household.deleted_at.is_(None),
            )
        ).all()
        for other in neighbours:
            if _similar(new.head_name_norm, other.head_name_norm):
                found.append(Candidate(new, other, group, "name"))
            elif _similar(new.address_norm, other.address_norm):
                found.append(Candidate(new, other, group, "address"))
    return found


def mark_reviewed(db: Session, household_id: int) -> None:
    db.execute(
        update(SyncReceipt)
        .where(SyncReceipt.item_type == "household", SyncReceipt.entity_id == household_id)
        .values(reviewed_at=clock.now())
    )


def merge(db: Session, *, keep: Household, drop: Household, actor_id: int, ward_id: int) -> dict:
    """Moves the dropped household's residents and records to the kept one, then deletes it."""
    now = clock.now()
    residents = registry.live_residents(db, drop.id)
    for resident in residents:
        resident.household_id = keep.id
        resident.updated_at = now
    moved_records = db.exec(
        select(AssistanceRecord.id).where(AssistanceRecord.household_id == drop.id)
    ).all()
    db.execute(
        update(AssistanceRecord)
        .where(AssistanceRecord.household_id == drop.id)
        .values(household_id=keep.id, updated_at=now)
    )
    db.flush()
    keep.updated_at = now
    registry.delete_household(db, drop, actor_id=actor_id)
    db.add(HouseholdMerge(merged_id=drop.id, kept_id=keep.id, by_id=actor_id))
    mark_reviewed(db, drop.id)
    mark_reviewed(db, keep.id)
    changes = {
        "merged_id": drop.id,
        "residents": [r.id for r in residents],
        "records": list(moved_records),
    }
    audit.record(
        db,
        actor_id=actor_id,
        ward_id=ward_id,
        entity="household",
        entity_id=keep.id,
        action="merge",
        changes=changes,
        at=now,
    )
    return changes


def live_household(db: Session, household_id: int) -> Household | None:
    household = db.get(Household, household_id)
    return household if household is not None and household.deleted_at is None else None
