"""A push whose batch failed as a whole: every item again, each in a savepoint of its own.

The fast path (sync/push.py) stores a batch with a handful of statements; one item the database
refuses (a UUID already taken by a household made on the web, a trigger, a bug) fails them all.
Here the same items go one at a time in the same transaction, so the bad one is answered
"conflict", "duplicate" or "rejected" with a reason and the others are stored. It costs a few
statements per item, which only a failed batch pays.

A failure of the database itself (OperationalError: locked past the busy timeout, disk full,
connection lost) is no item's fault: it is raised, the push answers 500 and the phone tries the
whole batch later.
"""

import logging

from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlmodel import Session, select

from households.models import Household, Resident
from sync import items as checks
from sync import push
from volunteer.models import User

log = logging.getLogger(__name__)
# Households first, then residents, then records: later items refer to earlier ones.
_ORDER = {"household": 0, "resident": 1}


def database_down(error: BaseException) -> bool:
    if isinstance(error, (OperationalError, InterfaceError)):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def begin(db: Session) -> None:
    """Opens the transaction the savepoints nest in. pysqlite starts one only before a write:
    a SAVEPOINT sent first would be the transaction itself, and releasing it would commit."""
    connection = db.connection()
    dbapi_connection = connection.connection.dbapi_connection
    if connection.dialect.name == "sqlite" and not dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")


def ingest_one_by_one(db: Session, *, user: User, raw_items: list) -> list[dict]:
    """Every item in a savepoint of its own; the caller commits what went in."""
    results: list[dict] = [{} for _ in raw_items]
    kind = [raw.get("type") if isinstance(raw, dict) else None for raw in raw_items]
    for index in sorted(range(len(raw_items)), key=lambda i: _ORDER.get(kind[i], 2)):
        results[index] = _one(db, user, raw_items[index])
    return results


def _one(db: Session, user: User, raw) -> dict:
    for attempt in (1, 2):
        try:
            with db.begin_nested():
                return push.ingest(db, user=user, raw_items=[raw])[0]
        except Exception as error:
            if database_down(error):
                raise
            if isinstance(error, IntegrityError) and attempt == 1:
                answer = collision(db, raw)
                if answer is not None:
                    return answer
                # Another push may have stored this UUID a moment ago: once more, and its
                # receipt now answers "duplicate".
                continue
            log.warning("push item refused by the database: %s", error, exc_info=True)
            return _refused(raw)
    raise AssertionError("unreachable")


def _refused(raw) -> dict:
    uuid = checks.item_uuid(raw)
    item_type = raw.get("type") if isinstance(raw, dict) else None
    item_type = item_type if item_type in checks.ITEM_TYPES else None
    return {"uuid": uuid, "type": item_type, "status": "rejected", "reason": "storage_error"}


def collision(db: Session, raw) -> dict | None:
    """After the item hit a unique key: a household or resident whose UUID belongs to a row no
    push made (created on the web, by import or by the demo data: no receipt to compare with)
    is a "duplicate" when the row holds what the item says, otherwise a "conflict". None when
    no such row has the UUID."""
    if not isinstance(raw, dict) or raw.get("type") not in ("household", "resident"):
        return None
    uuid = checks.item_uuid(raw)
    if uuid is None:
        return None
    try:
        item = checks.parse(raw)
    except checks.Invalid:
        return None  # ingest answers it "rejected" with the reason
    if isinstance(item, checks.HouseholdItem):
        row = db.exec(select(Household).where(Household.uuid == uuid)).first()
        same = row is not None and _same_household(row, item)
    else:
        row = db.exec(select(Resident).where(Resident.uuid == uuid)).first()
        same = row is not None and _same_resident(db, row, item)
    if row is None:
        return None
    answer = {"uuid": uuid, "type": raw["type"]}
    if same:
        return {**answer, "status": "duplicate", "id": row.id}
    return {**answer, "status": "conflict", "reason": "uuid_reused"}


def _same_household(row: Household, item: checks.HouseholdItem) -> bool:
    kept = item.consent  # without consent the registry keeps no names, phone or note
    return (row.group_id, row.address, row.consent, row.head_name, row.phone, row.note) == (
        item.group_id,
        item.address,
        item.consent,
        item.head_name if kept else None,
        item.phone if kept else None,
        item.note if kept else None,
    )


def _same_resident(db: Session, row: Resident, item: checks.ResidentItem) -> bool:
    household = db.get(Household, row.household_id)
    if household is None or household.uuid != item.household_uuid:
        return False
    name = item.full_name if household.consent else None
    return (row.birth_year, row.full_name) == (item.birth_year, name)
