"""Changes to households and residents, each one audited. Views, import and sync call these."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from core import audit, clock
from core.text import normalize, normalize_phone
from households.models import EidLevel, Household, Resident, ResidentialGroup

HOUSEHOLD_FIELDS = ["group_id", "address", "head_name", "phone", "note", "consent"]
RESIDENT_FIELDS = ["full_name", "birth_year", "eid_level", "eid_confirmed_on"]
PERSONAL_FIELDS = ("head_name", "phone", "note", "full_name")


@dataclass
class HouseholdData:
    group_id: int
    address: str
    head_name: str | None = None
    phone: str | None = None
    note: str | None = None
    consent: bool = False


@dataclass
class ResidentData:
    birth_year: int
    full_name: str | None = None
    eid_level: int = EidLevel.NONE
    eid_confirmed_on: date | None = None


def _clean(text: str | None) -> str | None:
    text = " ".join(text.split()) if text else ""
    return text or None


def _apply_household(household: Household, data: HouseholdData, actor_id: int) -> None:
    household.group_id = data.group_id
    household.address = _clean(data.address) or ""
    household.address_norm = normalize(household.address)
    if data.consent and not household.consent:
        household.consent_at = clock.now()
        household.consent_by_id = actor_id
    household.consent = data.consent
    # Without consent only counts are kept: no names, phone or note.
    keep = data.consent
    household.head_name = _clean(data.head_name) if keep else None
    household.head_name_norm = normalize(household.head_name) or None
    household.phone = normalize_phone(data.phone) if keep else None
    household.note = _clean(data.note) if keep else None
    if not keep:
        household.consent_at = None
        household.consent_by_id = None
    household.updated_at = clock.now()


def _ward_of(db: Session, group_id: int) -> int:
    return db.get(ResidentialGroup, group_id).ward_id


def create_household(
    db: Session, data: HouseholdData, *, actor_id: int, uuid: str | None = None
) -> Household:
    household = Household(
        group_id=data.group_id, address="", address_norm="", created_by_id=actor_id
    )
    if uuid:
        household.uuid = uuid
    _apply_household(household, data, actor_id)
    db.add(household)
    db.flush()
    _audit(db, household, actor_id, "create", {}, HOUSEHOLD_FIELDS)
    return household


def update_household(
    db: Session, household: Household, data: HouseholdData, *, actor_id: int
) -> None:
    before = audit.snapshot(household, HOUSEHOLD_FIELDS)
    withdrawn = household.consent and not data.consent
    _apply_household(household, data, actor_id)
    _audit(db, household, actor_id, "update", before, HOUSEHOLD_FIELDS)
    if withdrawn:
        _forget_names(db, household, actor_id)


def _forget_names(db: Session, household: Household, actor_id: int) -> None:
    """Consent withdrawn: names leave the residents and every audit entry about the household."""
    residents = db.exec(select(Resident).where(Resident.household_id == household.id)).all()
    for resident in residents:
        if resident.full_name is not None:
            resident.full_name = None
            resident.name_norm = None
            resident.updated_at = clock.now()
            audit.record(
                db,
                actor_id=actor_id,
                ward_id=_ward_of(db, household.group_id),
                entity="resident",
                entity_id=resident.id,
                action="update",
                changes={"full_name": [audit.REDACTED, None]},
            )
    audit.redact(db, entity="household", entity_ids=[household.id], fields=PERSONAL_FIELDS)
    audit.redact(
        db, entity="resident", entity_ids=[r.id for r in residents], fields=PERSONAL_FIELDS
    )


def delete_household(db: Session, household: Household, *, actor_id: int) -> None:
    now = clock.now()
    household.deleted_at = now
    for resident in live_residents(db, household.id):
        resident.deleted_at = now
    _audit(db, household, actor_id, "delete", {}, [])


def _apply_resident(resident: Resident, data: ResidentData, consent: bool) -> None:
    resident.full_name = _clean(data.full_name) if consent else None
    resident.name_norm = normalize(resident.full_name) or None
    resident.birth_year = data.birth_year
    resident.eid_level = int(data.eid_level)
    resident.eid_confirmed_on = data.eid_confirmed_on
    resident.updated_at = clock.now()


def create_resident(
    db: Session, household: Household, data: ResidentData, *, actor_id: int, uuid: str | None = None
) -> Resident:
    resident = Resident(
        household_id=household.id, birth_year=data.birth_year, created_by_id=actor_id
    )
    if uuid:
        resident.uuid = uuid
    _apply_resident(resident, data, household.consent)
    db.add(resident)
    db.flush()
    _audit(db, resident, actor_id, "create", {}, RESIDENT_FIELDS, household=household)
    return resident


def update_resident(
    db: Session, household: Household, resident: Resident, data: ResidentData, *, actor_id: int
) -> None:
    before = audit.snapshot(resident, RESIDENT_FIELDS)
    _apply_resident(resident, data, household.consent)
    _audit(db, resident, actor_id, "update", before, RESIDENT_FIELDS, household=household)


def delete_resident(
    db: Session, household: Household, resident: Resident, *, actor_id: int
) -> None:
    resident.deleted_at = clock.now()
    _audit(db, resident, actor_id, "delete", {}, [], household=household)


def live_residents(db: Session, household_id: int) -> list[Resident]:
    query = select(Resident).where(
        Resident.household_id == household_id, Resident.deleted_at.is_(None)
    )
    return list(db.exec(query).all())


def _audit(db, record, actor_id, action, before, fields, household=None) -> None:
    household = household or record
    audit.record(
        db,
        actor_id=actor_id,
        ward_id=_ward_of(db, household.group_id),
        entity=type(record).__name__.lower(),
        entity_id=record.id,
        action=action,
        changes=audit.diff(before, audit.snapshot(record, fields)) if fields else {},
    )
