"""Storing a pushed batch: every item gets its own answer; the valid ones go in one transaction.

This module only translates items: it answers duplicates and conflicts, resolves the UUIDs an
item names into ids, and hands households and residents to households.registry, records to
assistance.records.store_new (their one home: its checks, its write). Records are the hot path,
hundreds per push, so every step is a query per batch, never per item: one SELECT for what is
already stored under the batch's UUIDs (receipts of households and residents, records with
their content hash), one for the households and residents it names; store_new then writes in a
handful of statements. The caller commits, or rolls back on a database error, so a batch is
never half written.
"""

from dataclasses import dataclass, field

from sqlalchemy import Connection, literal, select, union_all
from sqlmodel import Session

from assistance import records
from assistance.models import AssistanceRecord
from core import bulk, clock
from households import registry
from households.models import Household, Resident, ResidentialGroup
from sync import items as checks
from sync.models import HouseholdMerge, SyncReceipt
from volunteer.models import User


@dataclass
class Batch:
    """Working state of one push: what is known by UUID, in the database or earlier in the batch."""

    user_id: int
    user_ward_id: int | None  # None for the admin, who may push for any ward
    results: list[dict]
    households: dict[str, tuple[int, int]] = field(default_factory=dict)  # uuid -> (id, ward)
    residents: dict[str, tuple[int, int, int]] = field(
        default_factory=dict
    )  # uuid -> (id, hh, lvl)
    receipts: list[dict] = field(default_factory=list)

    def in_scope(self, ward_id: int) -> bool:
        return self.user_ward_id is None or self.user_ward_id == ward_id


_receipts = SyncReceipt.__table__
_records = AssistanceRecord.__table__
_households = Household.__table__
_groups = ResidentialGroup.__table__
_residents = Resident.__table__
# Built once: a push runs each of these with the batch's UUIDs (bulk.select_in).
_KNOWN_ITEMS = bulk.keyed(
    lambda among: union_all(
        select(
            _receipts.c.uuid,
            _receipts.c.item_type,
            _receipts.c.entity_id,
            _receipts.c.content_hash,
        ).where(among(_receipts.c.uuid)),
        select(
            _records.c.uuid,
            literal("record").label("item_type"),
            _records.c.id,
            _records.c.content_hash,
        ).where(among(_records.c.uuid)),
    )
)
_KNOWN_HOUSEHOLDS = bulk.keyed(
    lambda among: (
        select(_households.c.id, _households.c.uuid, _households.c.deleted_at, _groups.c.ward_id)
        .join(_groups, _groups.c.id == _households.c.group_id)
        .where(among(_households.c.uuid))
    )
)
_KNOWN_RESIDENTS = bulk.keyed(
    lambda among: select(
        _residents.c.id, _residents.c.uuid, _residents.c.household_id, _residents.c.eid_level
    ).where(among(_residents.c.uuid), _residents.c.deleted_at.is_(None))
)


def ingest(db: Session, *, user: User, raw_items: list) -> list[dict]:
    batch = Batch(user_id=user.id, user_ward_id=user.ward_id, results=[{} for _ in raw_items])
    pending = _triage(db.connection(), batch, raw_items)
    households = [(i, h, item) for i, h, item in pending if isinstance(item, checks.HouseholdItem)]
    residents = [(i, h, item) for i, h, item in pending if isinstance(item, checks.ResidentItem)]
    records = [(i, h, item) for i, h, item in pending if isinstance(item, checks.RecordItem)]
    _known_households(db.connection(), batch, [item for _i, _h, item in residents + records])
    _store_households(db, batch, households)
    _store_residents(db, batch, residents)
    _store_records(db, batch, records)
    if batch.receipts:
        bulk.insert_rows(db.connection(), _receipts, batch.receipts)
    _fill_batch_duplicates(batch)
    return batch.results


def _answer(batch: Batch, index: int, uuid, item_type, status: str, **extra) -> None:
    batch.results[index] = {"uuid": uuid, "type": item_type, "status": status, **extra}


def _reject(batch: Batch, index: int, uuid, item_type, error: checks.Invalid) -> None:
    extra = {"field": error.detail} if error.detail else {}
    _answer(batch, index, uuid, item_type, "rejected", reason=error.reason, **extra)


def _triage(connection: Connection, batch: Batch, raw_items: list) -> list[tuple]:
    """Answers duplicates, conflicts and malformed items; returns the items still to store."""
    uuids = [checks.item_uuid(raw) for raw in raw_items]
    wanted = [u for u in set(uuids) if u]
    # uuid -> (item type, stored id, content hash): a receipt, or a record with its own hash
    known = {row[0]: row[1:] for row in bulk.select_in(connection, _KNOWN_ITEMS, wanted)}
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
            stored_type, stored_id, stored_hash = known[uuid]
            if stored_hash == digest and stored_type == item_type:
                _answer(batch, index, uuid, item_type, "duplicate", id=stored_id)
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


def _known_households(connection: Connection, batch: Batch, items: list) -> None:
    """Households the batch refers to, by UUID; a merged household stands for the one kept."""
    wanted = {item.household_uuid for item in items}
    if not wanted:
        return
    rows = bulk.select_in(connection, _KNOWN_HOUSEHOLDS, list(wanted))
    merged = {}
    for household_id, uuid, deleted_at, ward_id in rows:
        if deleted_at is None:
            batch.households[uuid] = (household_id, ward_id)
        else:
            merged[household_id] = uuid
    if merged:
        for merged_id, kept_id, kept_ward in _merge_targets(connection, list(merged)):
            batch.households[merged[merged_id]] = (kept_id, kept_ward)
    resident_uuids = {
        u for item in items if hasattr(item, "resident_uuids") for u in item.resident_uuids
    }
    if resident_uuids:
        known = bulk.select_in(connection, _KNOWN_RESIDENTS, list(resident_uuids))
        for resident_id, uuid, household_id, level in known:
            batch.residents[uuid] = (resident_id, household_id, level)


def _merge_targets(connection: Connection, merged_ids: list[int]) -> list[tuple[int, int, int]]:
    merges = HouseholdMerge.__table__
    query = (
        select(merges.c.merged_id, _households.c.id, _groups.c.ward_id)
        .join(_households, _households.c.id == merges.c.kept_id)
        .join(_groups, _groups.c.id == _households.c.group_id)
        .where(merges.c.merged_id.in_(merged_ids), _households.c.deleted_at.is_(None))
    )
    return [tuple(row) for row in connection.execute(query)]


def _receipt(batch: Batch, uuid: str, item_type: str, entity_id: int, digest: str, ward_id: int):
    batch.receipts.append(
        {
            "uuid": uuid,
            "item_type": item_type,
            "entity_id": entity_id,
            "content_hash": digest,
            "user_id": batch.user_id,
            "ward_id": ward_id,
            "received_at": clock.now(),
        }
    )


def _store_households(db: Session, batch: Batch, pending: list) -> None:
    if not pending:
        return
    group_ids = {item.group_id for _i, _h, item in pending}
    query = select(_groups.c.id, _groups.c.ward_id).where(
        _groups.c.id.in_(group_ids), _groups.c.deleted_at.is_(None)
    )
    ward_of_group = dict(db.connection().execute(query).all())
    # Households made offline are few: the registry creates them (audited) one by one.
    for index, digest, item in pending:
        ward_id = ward_of_group.get(item.group_id)
        if ward_id is None or not batch.in_scope(ward_id):
            _reject(batch, index, item.uuid, "household", checks.Invalid("unknown", "group_id"))
            continue
        data = registry.HouseholdData(
            group_id=item.group_id,
            address=item.address,
            head_name=item.head_name,
            phone=item.phone,
            note=item.note,
            consent=item.consent,
        )
        household = registry.create_household(db, data, actor_id=batch.user_id, uuid=item.uuid)
        batch.households[item.uuid] = (household.id, ward_id)
        _receipt(batch, item.uuid, "household", household.id, digest, ward_id)
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
            db, household, data, actor_id=batch.user_id, uuid=item.uuid
        )
        batch.residents[item.uuid] = (resident.id, household.id, resident.eid_level)
        _receipt(batch, item.uuid, "resident", resident.id, digest, known[1])
        _answer(batch, index, item.uuid, "resident", "accepted", id=resident.id)


def _store_records(db: Session, batch: Batch, pending: list) -> None:
    """Items to records: their household and residents by UUID (known to this phone's ward),
    then assistance.records checks and writes them."""
    drafts, where = [], {}
    for index, digest, item in pending:
        try:
            drafts.append(_draft(batch, item, digest))
        except checks.Invalid as error:
            _reject(batch, index, item.uuid, "record", error)
            continue
        where[item.uuid] = index
    known_levels = {rid: level for rid, _hh, level in batch.residents.values()}
    answers = records.store_new(db, drafts, actor_id=batch.user_id, known_levels=known_levels)
    for uuid, answer in answers.items():
        if isinstance(answer, checks.Invalid):
            _reject(batch, where[uuid], uuid, "record", answer)
        else:
            _answer(batch, where[uuid], uuid, "record", "accepted", id=answer)


def _draft(batch: Batch, item: checks.RecordItem, digest: str) -> records.NewRecord:
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
    return records.NewRecord(
        uuid=item.uuid,
        ward_id=ward_id,
        household_id=household_id,
        volunteer_id=batch.user_id,
        kind=item.kind,
        outcome=item.outcome,
        place=item.place,
        client_time=item.client_time,
        content_hash=digest,
        resident_ids=resident_ids,
        procedure_id=item.procedure_id,
        mode=item.mode,
        dossier_code=item.dossier_code,
        reason=item.reason,
        shift_id=item.shift_id,
        minutes=item.minutes,
        resolves=item.resolves,
    )


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
