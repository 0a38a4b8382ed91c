"""Rules around assistance records: e-ID levels only move up, follow-ups, corrections in 24 hours.

Creating a record writes no audit entry: the record is its own entry (who logged it, the phone's
time, the server's time, never changed by corrections) and keeps the hash of what the phone
sent (content_hash). Every change after that (corrections, deletion, the e-ID levels a record
raises) is audited, so the record as first received can be rebuilt from its row and the audit
trail (up to the audit's 80-character cut of long texts); a push of 500 records does not write
500 more rows that would only repeat the records.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, update
from sqlmodel import Session, select

from assistance.models import LEVEL_AFTER, AssistanceRecord, AssistanceResident, Outcome
from core import audit, bulk, clock
from core.access import Role, may_see_ward
from core.clock import as_utc
from households.models import Resident
from shifts.models import Shift

CORRECTION_WINDOW = timedelta(hours=24)
RECORD_FIELDS = [
    "kind",
    "procedure_id",
    "mode",
    "dossier_code",
    "outcome",
    "reason",
    "place",
    "shift_id",
    "minutes",
]

_records = AssistanceRecord.__table__
_residents = Resident.__table__


# "eid_level < new": two phones raising the same resident can only ever meet at the higher.
_RAISE_LEVEL = (
    update(_residents)
    .where(_residents.c.id == bindparam("rid"), _residents.c.eid_level < bindparam("lvl"))
    .values(
        eid_level=bindparam("lvl"), eid_confirmed_on=bindparam("on"), updated_at=bindparam("now")
    )
)


class LevelBumps:
    """The highest level each resident reaches through a batch of done e-ID records."""

    def __init__(self):
        self.targets: dict[int, tuple[int, int, date]] = {}  # resident -> (level, ward, date)

    def add(self, kind: str, resident_ids: Iterable[int], ward_id: int, at: datetime) -> None:
        level = LEVEL_AFTER.get(kind)
        if level is None:
            return
        on = clock.local_date(at)
        for resident_id in resident_ids:
            current = self.targets.get(resident_id)
            if current is None or current[0] < level:
                self.targets[resident_id] = (level, ward_id, on)

    def apply(self, db: Session, *, actor_id: int, known_levels: dict[int, int]) -> None:
        raised = [
            (rid, level, ward, on)
            for rid, (level, ward, on) in self.targets.items()
            if known_levels.get(rid, 0) < level
        ]
        if not raised:
            return
        now = clock.now()
        connection = db.connection()  # Core on the session's transaction: no ORM overhead
        bulk.execute_rows(
            connection,
            _RAISE_LEVEL,
            [{"rid": rid, "lvl": lvl, "on": on, "now": now} for rid, lvl, _ward, on in raised],
        )
        bulk.insert_rows(
            connection,
            audit.AuditLog.__table__,
            [
                {
                    "at": now,
                    "actor_id": actor_id,
                    "ward_id": ward,
                    "entity": "resident",
                    "entity_id": rid,
                    "action": "update",
                    "changes": {"eid_level": [known_levels.get(rid, 0), level]},
                }
                for rid, level, ward, _on in raised
            ],
        )


def open_followups_by_uuid(db: Session, uuids: set[str]) -> dict[str, tuple[int, int]]:
    if not uuids:
        return {}
    rows = db.exec(
        select(AssistanceRecord.uuid, AssistanceRecord.id, AssistanceRecord.ward_id).where(
            AssistanceRecord.uuid.in_(uuids),
            AssistanceRecord.outcome == Outcome.PENDING,
            AssistanceRecord.resolved_at.is_(None),
            AssistanceRecord.deleted_at.is_(None),
        )
    ).all()
    return {uuid: (record_id, ward_id) for uuid, record_id, ward_id in rows}


def resolve_followups(
    db: Session,
    resolutions: list[tuple[str, int, int]],
    *,
    open_followups: dict[str, tuple[int, int]],
    new_pending: dict[str, int],
    new_ids: dict[str, int],
) -> None:
    """Close each follow-up named by a later record of the same ward (unknown ones are ignored:
    the record that resolves them is worth keeping even if its follow-up was discarded)."""
    params = []
    for target_uuid, resolver_id, ward_id in resolutions:
        if target_uuid in open_followups:
            target_id, target_ward = open_followups[target_uuid]
        elif target_uuid in new_pending:
            target_id, target_ward = new_ids[target_uuid], new_pending[target_uuid]
        else:
            continue
        if target_ward == ward_id and target_id != resolver_id:
            params.append({"target": target_id, "resolver": resolver_id})
    if not params:
        return
    now = clock.now()
    db.execute(
        update(_records)
        .where(_records.c.id == bindparam("target"), _records.c.resolved_at.is_(None))
        .values(resolved_at=now, resolved_by_record_id=bindparam("resolver"), updated_at=now),
        params,
    )


def shift_wards(db: Session, shift_ids: set[int]) -> dict[int, int]:
    """The ward of each named shift that exists (a desk record links to the shift worked)."""
    if not shift_ids:
        return {}
    return dict(db.exec(select(Shift.id, Shift.ward_id).where(Shift.id.in_(shift_ids))).all())


def may_correct(record: AssistanceRecord, user) -> bool:
    """Volunteers correct their own records for 24 hours after the server got them; the
    secretary (and the admin) at any time."""
    if record.deleted_at is not None or not may_see_ward(record.ward_id):
        return False
    if user.role in (Role.SECRETARY, Role.ADMIN):
        return True
    if user.role == Role.VOLUNTEER and record.volunteer_id == user.id:
        return clock.now() - as_utc(record.received_at) <= CORRECTION_WINDOW
    return False


def resident_ids_of(db: Session, record_id: int) -> list[int]:
    query = select(AssistanceResident.resident_id).where(AssistanceResident.record_id == record_id)
    return sorted(db.exec(query).all())


def correct_record(
    db: Session, record: AssistanceRecord, values: dict, resident_ids: list[int], *, actor_id: int
) -> None:
    before = audit.snapshot(record, RECORD_FIELDS)
    before["resident_ids"] = resident_ids_of(db, record.id)
    for name, value in values.items():
        setattr(record, name, value)
    record.updated_at = clock.now()
    if sorted(resident_ids) != before["resident_ids"]:
        for link in db.exec(
            select(AssistanceResident).where(AssistanceResident.record_id == record.id)
        ).all():
            db.delete(link)
        db.flush()
        db.add_all(AssistanceResident(record_id=record.id, resident_id=rid) for rid in resident_ids)
    after = audit.snapshot(record, RECORD_FIELDS)
    after["resident_ids"] = sorted(resident_ids)
    db.flush()
    audit.record(
        db,
        actor_id=actor_id,
        ward_id=record.ward_id,
        entity="assistance_record",
        entity_id=record.id,
        action="update",
        changes=audit.diff(before, after),
    )
    if record.outcome == Outcome.DONE and record.kind in LEVEL_AFTER and resident_ids:
        bumps = LevelBumps()
        bumps.add(record.kind, resident_ids, record.ward_id, as_utc(record.client_time))
        query = select(Resident.id, Resident.eid_level).where(Resident.id.in_(resident_ids))
        bumps.apply(db, actor_id=actor_id, known_levels=dict(db.exec(query).all()))


def delete_record(db: Session, record: AssistanceRecord, *, actor_id: int) -> None:
    record.deleted_at = record.updated_at = clock.now()
    audit.record(
        db,
        actor_id=actor_id,
        ward_id=record.ward_id,
        entity="assistance_record",
        entity_id=record.id,
        action="delete",
    )


def open_followups(db: Session, *, ward_id: int, limit: int = 500) -> list[AssistanceRecord]:
    query = (
        select(AssistanceRecord)
        .where(
            AssistanceRecord.ward_id == ward_id,
            AssistanceRecord.outcome == Outcome.PENDING,
            AssistanceRecord.resolved_at.is_(None),
            AssistanceRecord.deleted_at.is_(None),
        )
        .order_by(AssistanceRecord.client_time)
        .limit(limit)
    )
    return list(db.exec(query).all())
