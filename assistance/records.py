"""An assistance record's one home: what a valid record is and how it is written.

The phone's push (sync/push.py translates items into NewRecord), the web correction
(assistance/forms.py) and any later caller check a record with check_rules() and the limits
below, and write through store_new() / correct_record() / delete_record().

Creating a record writes no audit entry: the record is its own entry (who logged it, the phone's
time, the server's time, never changed by corrections) and keeps the hash of what the phone
sent (content_hash). Every change after that (corrections, deletion, the e-ID levels a record
raises) is audited through core.audit, so the record as first received can be rebuilt from its
row and the audit trail (up to the audit's 80-character cut of long texts); a push of 500
records does not write 500 more rows that would only repeat the records.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, update
from sqlalchemy import select as core_select
from sqlmodel import Session, select

from assistance.models import (
    LEVEL_AFTER,
    AssistanceRecord,
    AssistanceResident,
    Kind,
    Outcome,
    Procedure,
)
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


class Invalid(Exception):
    """A record (or pushed item) that cannot be stored; `reason` is a stable code the phone can
    act on ("missing_field", "invalid_field", "unknown"), `detail` the field it is about."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def check_rules(*, kind: str, outcome: str, reason: str | None, procedure_id, mode) -> None:
    """The rules between a record's fields, the same for the phone's record and the web's
    correction (each field's own type and length are checked where it is read)."""
    if outcome != Outcome.DONE and not reason:
        # "Pending" and "could not complete" always say why: the next volunteer needs to know.
        raise Invalid("missing_field", "reason")
    if kind == Kind.DOSSIER and not procedure_id:
        raise Invalid("missing_field", "procedure_id")
    if kind != Kind.DOSSIER and (procedure_id or mode is not None):
        raise Invalid("invalid_field", "procedure_id")


@dataclass
class NewRecord:
    """A record to store, its household and residents already resolved to ids."""

    uuid: str
    ward_id: int
    household_id: int
    volunteer_id: int
    kind: str
    outcome: str
    place: str
    client_time: datetime
    content_hash: str | None = None
    resident_ids: list[int] = field(default_factory=list)
    procedure_id: int | None = None
    mode: str | None = None
    dossier_code: str | None = None
    reason: str | None = None
    shift_id: int | None = None
    minutes: int | None = None
    resolves: str | None = None


_records = AssistanceRecord.__table__
_residents = Resident.__table__
_links = AssistanceResident.__table__
_catalogue = Procedure.__table__
_PROCEDURES = bulk.keyed(
    lambda among: core_select(_catalogue.c.id, _catalogue.c.ward_id, _catalogue.c.mode).where(
        among(_catalogue.c.id)
    )
)
_shifts = Shift.__table__
_SHIFTS = bulk.keyed(
    lambda among: core_select(_shifts.c.id, _shifts.c.ward_id).where(among(_shifts.c.id))
)
_OPEN_FOLLOWUPS = bulk.keyed(
    lambda among: core_select(_records.c.uuid, _records.c.id, _records.c.ward_id).where(
        among(_records.c.uuid),
        _records.c.outcome == Outcome.PENDING,
        _records.c.resolved_at.is_(None),
        _records.c.deleted_at.is_(None),
    )
)


def store_new(
    db: Session, drafts: list[NewRecord], *, actor_id: int, known_levels: dict | None = None
) -> dict[str, int | Invalid]:
    """Checks and stores new records in a handful of statements, whatever their number: the
    records (ids by RETURNING), their residents, the e-ID levels they raise (audited), the
    follow-ups they resolve. Answers each draft's UUID with its new id, or the Invalid that
    kept it out. The caller commits."""
    if not drafts:
        return {}
    connection = db.connection()
    procedures = {
        pid: (ward, mode)
        for pid, ward, mode in bulk.select_in(
            connection, _PROCEDURES, list({d.procedure_id for d in drafts if d.procedure_id})
        )
    }
    shifts = dict(
        bulk.select_in(connection, _SHIFTS, list({d.shift_id for d in drafts if d.shift_id}))
    )
    answers: dict[str, int | Invalid] = {}
    rows, kept = [], []
    now = clock.now()
    for draft in drafts:
        try:
            rows.append(_row(draft, procedures, shifts, now))
        except Invalid as error:
            answers[draft.uuid] = error
            continue
        kept.append(draft)
    if not rows:
        return answers
    ids = bulk.insert_rows_with_ids(connection, _records, rows, "uuid")
    answers.update(ids)
    links = [{"record_id": ids[d.uuid], "resident_id": rid} for d in kept for rid in d.resident_ids]
    bulk.insert_rows(connection, _links, links)
    bumps = LevelBumps()
    for draft in kept:
        if draft.outcome == Outcome.DONE:
            bumps.add(draft.kind, draft.resident_ids, draft.ward_id, draft.client_time)
    bumps.apply(db, actor_id=actor_id, known=known_levels)
    _resolve_followups(db, kept, ids)
    return answers


def _row(draft: NewRecord, procedures: dict, shifts: dict, now: datetime) -> dict:
    check_rules(
        kind=draft.kind,
        outcome=draft.outcome,
        reason=draft.reason,
        procedure_id=draft.procedure_id,
        mode=draft.mode,
    )
    mode = draft.mode
    if draft.procedure_id is not None:
        procedure_ward, procedure_mode = procedures.get(draft.procedure_id, (None, None))
        if procedure_ward != draft.ward_id:
            raise Invalid("unknown", "procedure_id")
        mode = mode or procedure_mode
    if draft.shift_id is not None and shifts.get(draft.shift_id) != draft.ward_id:
        raise Invalid("unknown", "shift_id")
    return {
        "uuid": draft.uuid,
        "ward_id": draft.ward_id,
        "household_id": draft.household_id,
        "volunteer_id": draft.volunteer_id,
        "kind": draft.kind,
        "procedure_id": draft.procedure_id,
        "mode": mode,
        "dossier_code": draft.dossier_code,
        "outcome": draft.outcome,
        "reason": draft.reason,
        "place": draft.place,
        "shift_id": draft.shift_id,
        "minutes": draft.minutes,
        "client_time": draft.client_time,
        "received_at": now,
        "updated_at": now,
        "content_hash": draft.content_hash,
    }


# "eid_level < new": two phones raising the same resident can only ever meet at the higher.
_RAISE_LEVEL = bulk.per_row(
    lambda value: (
        update(_residents)
        .where(
            _residents.c.id == value("rid", _residents.c.id.type),
            _residents.c.eid_level < value("lvl", _residents.c.eid_level.type),
        )
        .values(
            eid_level=value("lvl", _residents.c.eid_level.type),
            eid_confirmed_on=value("on", _residents.c.eid_confirmed_on.type),
            updated_at=value("now", _residents.c.updated_at.type),
        )
    )
)
_LEVELS = bulk.keyed(
    lambda among: core_select(_residents.c.id, _residents.c.eid_level).where(among(_residents.c.id))
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

    def apply(self, db: Session, *, actor_id: int, known: dict[int, int] | None = None) -> None:
        """Raises each resident to its target level, audited; a resident already as high is
        left alone. `known`: their levels when the caller has them, else read in one query."""
        if not self.targets:
            return
        connection = db.connection()
        if known is None:
            known = dict(bulk.select_in(connection, _LEVELS, list(self.targets)))
        raised = [
            (rid, level, ward, on)
            for rid, (level, ward, on) in self.targets.items()
            if known.get(rid, 0) < level
        ]
        if not raised:
            return
        now = clock.now()
        bulk.execute_rows(
            connection,
            _RAISE_LEVEL,
            [{"rid": rid, "lvl": lvl, "on": on, "now": now} for rid, lvl, _ward, on in raised],
        )
        audit.record_many(
            db,
            [
                {
                    "at": now,
                    "actor_id": actor_id,
                    "ward_id": ward,
                    "entity": "resident",
                    "entity_id": rid,
                    "action": "update",
                    "changes": {"eid_level": [known.get(rid, 0), level]},
                }
                for rid, level, ward, _on in raised
            ],
        )


def _resolve_followups(db: Session, kept: list[NewRecord], ids: dict[str, int]) -> None:
    """Close each follow-up named by a later record of the same ward (unknown ones are ignored:
    the record that resolves them is worth keeping even if its follow-up was discarded)."""
    resolving = [d for d in kept if d.resolves]
    if not resolving:
        return
    open_ones = {
        uuid: (record_id, ward_id)
        for uuid, record_id, ward_id in bulk.select_in(
            db.connection(), _OPEN_FOLLOWUPS, list({d.resolves for d in resolving})
        )
    }
    new_pending = {d.uuid: (ids[d.uuid], d.ward_id) for d in kept if d.outcome == Outcome.PENDING}
    params = []
    for draft in resolving:
        target = open_ones.get(draft.resolves) or new_pending.get(draft.resolves)
        if target is None:
            continue
        target_id, target_ward = target
        if target_ward == draft.ward_id and target_id != ids[draft.uuid]:
            params.append({"target": target_id, "resolver": ids[draft.uuid]})
    if not params:
        return
    now = clock.now()
    db.connection().execute(
        update(_records)
        .where(_records.c.id == bindparam("target"), _records.c.resolved_at.is_(None))
        .values(resolved_at=now, resolved_by_record_id=bindparam("resolver"), updated_at=now),
        params,
    )


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
    if record.outcome == Outcome.DONE:
        bumps = LevelBumps()
        bumps.add(record.kind, resident_ids, record.ward_id, as_utc(record.client_time))
        bumps.apply(db, actor_id=actor_id)


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
