"""Storing a pushed batch: every item gets its own answer; the valid ones go in one transaction.

Lookups are made once per batch (not per item) and records are inserted with one executemany, so
a batch of 500 costs a handful of queries. The caller commits, or rolls back on a database error,
so a batch is never half written.
"""

from dataclasses import dataclass, field

from sqlalchemy import insert
from sqlmodel import Session, select

from assistance import records as assistance
from assistance.models import AssistanceRecord, AssistanceResident, Outcome, Procedure
from core.db import utcnow
from households import registry
from households.models import Household, Resident, ResidentialGroup
from sync import items as checks
from sync.models import HouseholdMerge, SyncReceipt
from volunteer.models import User


@dataclass
class Batch:
    """Working state of one push: what is known by UUID, in the database or earlier in the batch."""

    user: User
    results: list[dict]
    households: dict[str, tuple[int, int]] = field(default_factory=dict)  # uuid -> (id, ward)
    residents: dict[str, tuple[int, int, int]] = field(
        default_factory=dict
    )  # uuid -> (id, hh, lvl)
    receipts: list[dict] = field(default_factory=list)

    def in_scope(self, ward_id: int) -> bool:
        return self.user.ward_id is None or self.user.ward_id == ward_id


def ingest(db: Session, *, user: User, raw_items: list) -> list[dict]:
    batch = Batch(user=user, results=[{} for _ in raw_items])
    pending = _triage(db, batch, raw_items)
    households = [(i, h, item) for i, h, item in pending if isinstance(item, checks.HouseholdItem)]
    residents = [(i, h, item) for i, h, item in pending if isinstance(item, checks.ResidentItem)]
    records = [(i, h, item) for i, h, item in pending if isinstance(item, checks.RecordItem)]
    _known_households(db, batch, [item for _i, _h, item in residents + records])
    _store_households(db, batch, households)
    _store_residents(db, batch, residents)
    _store_records(db, batch, records)
    if batch.receipts:
        db.execute(insert(SyncReceipt.__table__), batch.receipts)
    _fill_batch_duplicates(batch)
    return batch.results


def _answer(batch: Batch, index: int, uuid, item_type, status: str, **extra) -> None:
    batch.results[index] = {"uuid": uuid, "type": item_type, "status": status, **extra}


def _reject(batch: Batch, index: int, uuid, item_type, error: checks.Invalid) -> None:
    extra = {"field": error.detail} if error.detail else {}
    _answer(batch, index, uuid, item_type, "rejected", reason=error.reason, **extra)


def _triage(db: Session, batch: Batch, raw_items: list) -> list[tuple]:
    """Answers duplicates, conflicts and malformed items; returns the items still to store."""
    uuids = [checks.item_uuid(raw) for raw in raw_items]
    known = {
        receipt.uuid: receipt
        for receipt in db.exec(
            select(SyncReceipt).where(SyncReceipt.uuid.in_({u for u in uuids if u}))
        ).all()
    }
    first_seen: dict[str, tuple[str, int]] = {}
    pending = []
    for index, (raw, uuid) in enumerate(zip(raw_items, uuids, strict=True)):
        item_type = raw.get("type") if isinstance(raw, dict) else None
        item_type = item_type if item_type in checks.ITEM_TYPES else None
        if uuid is None:
            error = checks.Invalid("invalid_field", "uuid")
            _reject(batch, index, None, item_type, error)
            continue
        digest = checks.content_hash(raw)
        if uuid in known:
            receipt = known[uuid]
            same = receipt.content_hash == digest and receipt.item_type == item_type
            if same:
                _answer(batch, index, uuid, item_type, "duplicate", id=receipt.entity_id)
            else:
                _answer(batch, index, uuid, item_type, "conflict", reason="uuid_reused")
            continue
        if uuid in first_seen:
            earlier_digest, earlier = first_seen[uuid]
            if earlier_digest == digest:
                _answer(batch, index, uuid, item_type, "duplicate", same_as=earlier)
            else:
                _answer(batch, index, uuid, item_type, "conflict", reason="uuid_reused")
            continue
        first_seen[uuid] = (digest, index)
        try:
            pending.append((index, digest, checks.parse(raw)))
        except checks.Invalid as error:
            _reject(batch, index, uuid, item_type, error)
    return pending


def _known_households(db: Session, batch: Batch, items: list) -> None:
    """Households the batch refers to, by UUID; a merged household stands for the one kept."""
    wanted = {item.household_uuid for item in items}
    if not wanted:
        return
    rows = db.exec(
        select(Household.id, Household.uuid, Household.deleted_at, ResidentialGroup.ward_id)
        .join(ResidentialGroup, ResidentialGroup.id == Household.group_id)
        .where(Household.uuid.in_(wanted))
    ).all()
    merged = {}
    for household_id, uuid, deleted_at, ward_id in rows:
        if deleted_at is None:
            batch.households[uuid] = (household_id, ward_id)
        else:
            merged[household_id] = uuid
    if merged:
        for merged_id, kept_id, kept_ward in _merge_targets(db, list(merged)):
            batch.households[merged[merged_id]] = (kept_id, kept_ward)
    resident_uuids = {
        u for item in items if hasattr(item, "resident_uuids") for u in item.resident_uuids
    }
    if resident_uuids:
        for resident_id, uuid, household_id, level in db.exec(
            select(Resident.id, Resident.uuid, Resident.household_id, Resident.eid_level).where(
                Resident.uuid.in_(resident_uuids), Resident.deleted_at.is_(None)
            )
        ).all():
            batch.residents[uuid] = (resident_id, household_id, level)


def _merge_targets(db: Session, merged_ids: list[int]) -> list[tuple[int, int, int]]:
    query = (
        select(HouseholdMerge.merged_id, Household.id, ResidentialGroup.ward_id)
        .join(Household, Household.id == HouseholdMerge.kept_id)
        .join(ResidentialGroup, ResidentialGroup.id == Household.group_id)
        .where(HouseholdMerge.merged_id.in_(merged_ids), Household.deleted_at.is_(None))
    )
    return list(db.exec(query).all())


def _receipt(batch: Batch, uuid: str, item_type: str, entity_id: int, digest: str, ward_id: int):
    batch.receipts.append(
        {
            "uuid": uuid,
            "item_type": item_type,
            "entity_id": entity_id,
            "content_hash": digest,
            "user_id": batch.user.id,
            "ward_id": ward_id,
            "received_at": utcnow(),
        }
    )


def _store_households(db: Session, batch: Batch, pending: list) -> None:
    if not pending:
        return
    group_ids = {item.group_id for _i, _h, item in pending}
    groups = {
        group.id: group
        for group in db.exec(
            select(ResidentialGroup).where(
                ResidentialGroup.id.in_(group_ids), ResidentialGroup.deleted_at.is_(None)
            )
        ).all()
    }
    for index, digest, item in pending:
        group = groups.get(item.group_id)
        if group is None or not batch.in_scope(group.ward_id):
            _reject(batch, index, item.uuid, "household", checks.Invalid("unknown", "group_id"))
            continue
        data = registry.HouseholdData(
            group_id=group.id,
            address=item.address,
            head_name=item.head_name,
            phone=item.phone,
            note=item.note,
            consent=item.consent,
        )
        household = registry.create_household(db, data, actor_id=batch.user.id, uuid=item.uuid)
        batch.households[item.uuid] = (household.id, group.ward_id)
        _receipt(batch, item.uuid, "household", household.id, digest, group.ward_id)
        _answer(batch, index, item.uuid, "household", "accepted", id=household.id)


def _store_residents(db: Session, batch: Batch, pending: list) -> None:
    for index, digest, item in pending:
        known = batch.households.get(item.household_uuid)
        if known is None or not batch.in_scope(known[1]):
            error = checks.Invalid("unknown", "household_uuid")
            _reject(batch, index, item.uuid, "resident", error)
            continue
        household = db.get(Household, known[0])
        data = registry.ResidentData(
            full_name=item.full_name, birth_year=item.birth_year, eid_level=item.eid_level
        )
        resident = registry.create_resident(
            db, household, data, actor_id=batch.user.id, uuid=item.uuid
        )
        batch.residents[item.uuid] = (resident.id, household.id, resident.eid_level)
        _receipt(batch, item.uuid, "resident", resident.id, digest, known[1])
        _answer(batch, index, item.uuid, "resident", "accepted", id=resident.id)


def _store_records(db: Session, batch: Batch, pending: list) -> None:
    if not pending:
        return
    ward_ids = {
        batch.households[i.household_uuid][1]
        for _x, _h, i in pending
        if i.household_uuid in batch.households
    }
    procedures = {
        p.id: p for p in db.exec(select(Procedure).where(Procedure.ward_id.in_(ward_ids))).all()
    }
    pending_followups = assistance.open_followups_by_uuid(
        db, {item.resolves for _i, _h, item in pending if item.resolves}
    )
    valid_shifts = assistance.shift_wards(
        db, {item.shift_id for _i, _h, item in pending if item.shift_id}
    )
    rows, links, accepted = [], [], []
    for index, digest, item in pending:
        try:
            row, resident_ids = _record_row(batch, item, procedures, valid_shifts)
        except checks.Invalid as error:
            _reject(batch, index, item.uuid, "record", error)
            continue
        rows.append(row)
        accepted.append((index, digest, item, resident_ids, row["ward_id"]))
    if not rows:
        return
    table = AssistanceRecord.__table__
    inserted = db.execute(
        insert(table).returning(table.c.id, table.c.uuid, sort_by_parameter_order=True), rows
    ).all()
    ids = {uuid: record_id for record_id, uuid in inserted}
    bumps = assistance.LevelBumps()
    for index, digest, item, resident_ids, ward_id in accepted:
        record_id = ids[item.uuid]
        links.extend({"record_id": record_id, "resident_id": rid} for rid in resident_ids)
        if item.outcome == Outcome.DONE:
            bumps.add(item.kind, resident_ids, ward_id, item.client_time)
        _receipt(batch, item.uuid, "record", record_id, digest, ward_id)
        _answer(batch, index, item.uuid, "record", "accepted", id=record_id)
    if links:
        db.execute(insert(AssistanceResident.__table__), links)
    known_levels = {rid: level for rid, _hh, level in batch.residents.values()}
    bumps.apply(db, actor_id=batch.user.id, known_levels=known_levels)
    assistance.resolve_followups(
        db,
        [
            (item.resolves, ids[item.uuid], row_ward)
            for _i, _d, item, _r, row_ward in accepted
            if item.resolves
        ],
        open_followups=pending_followups,
        new_pending={
            item.uuid: ward
            for _i, _d, item, _r, ward in accepted
            if item.outcome == Outcome.PENDING
        },
        new_ids=ids,
    )


def _record_row(batch: Batch, item: checks.RecordItem, procedures: dict, shifts: dict) -> tuple:
    known = batch.households.get(item.household_uuid)
    if known is None or not batch.in_scope(known[1]):
        raise checks.Invalid("unknown", "household_uuid")
    household_id, ward_id = known
    resident_ids = []
    for uuid in item.resident_uuids:
        resident = batch.residents.get(uuid)
        if resident is None or resident[1] != household_id:
            raise checks.Invalid("unknown", "resident_uuids")
        resident_ids.append(resident[0])
    mode = item.mode
    if item.procedure_id is not None:
        procedure = procedures.get(item.procedure_id)
        if procedure is None or procedure.ward_id != ward_id:
            raise checks.Invalid("unknown", "procedure_id")
        mode = mode or procedure.mode
    if item.shift_id is not None and shifts.get(item.shift_id) != ward_id:
        raise checks.Invalid("unknown", "shift_id")
    now = utcnow()
    row = {
        "uuid": item.uuid,
        "ward_id": ward_id,
        "household_id": household_id,
        "volunteer_id": batch.user.id,
        "kind": item.kind,
        "procedure_id": item.procedure_id,
        "mode": mode,
        "dossier_code": item.dossier_code,
        "outcome": item.outcome,
        "reason": item.reason,
        "place": item.place,
        "shift_id": item.shift_id,
        "minutes": item.minutes,
        "client_time": item.client_time,
        "received_at": now,
        "updated_at": now,
    }
    return row, resident_ids


def _fill_batch_duplicates(batch: Batch) -> None:
    """A UUID sent twice in one batch: the second copy answers with the first one's stored id."""
    for result in batch.results:
        earlier = result.pop("same_as", None)
        if earlier is None:
            continue
        first = batch.results[earlier]
        if first.get("status") == "accepted":
            result["id"] = first["id"]
        else:
            result.update({k: v for k, v in first.items() if k not in ("uuid", "type")})
