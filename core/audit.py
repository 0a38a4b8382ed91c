"""The audit trail: who created, changed or deleted what, and when."""

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import JSON, DateTime
from sqlmodel import Field, Session, SQLModel, select

from core import bulk, clock

_MAX_VALUE_LENGTH = 80
REDACTED = "[đã xóa]"


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True), index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    ward_id: int | None = Field(default=None, foreign_key="ward.id", index=True)
    entity: str = Field(max_length=40)
    entity_id: int = Field(index=True)
    action: str = Field(max_length=20)
    changes: dict = Field(default_factory=dict, sa_type=JSON)


def snapshot(record: SQLModel, fields: list[str]) -> dict[str, Any]:
    return {name: _short(getattr(record, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def record(
    session: Session,
    *,
    actor_id: int | None,
    ward_id: int | None,
    entity: str,
    entity_id: int,
    action: str,
    changes: dict | None = None,
    at: datetime | None = None,
) -> None:
    session.add(
        AuditLog(
            at=at or clock.now(),
            actor_id=actor_id,
            ward_id=ward_id,
            entity=entity,
            entity_id=entity_id,
            action=action,
            changes=changes or {},
        )
    )


def record_many(session: Session, entries: list[dict]) -> None:
    """Many entries at once, each with record()'s keywords (a push raising the e-ID levels of
    dozens of residents): one statement instead of an object per entry."""
    if not entries:
        return
    now = clock.now()
    rows = [
        {
            "at": entry.get("at") or now,
            "actor_id": entry["actor_id"],
            "ward_id": entry["ward_id"],
            "entity": entry["entity"],
            "entity_id": entry["entity_id"],
            "action": entry["action"],
            "changes": entry.get("changes") or {},
        }
        for entry in entries
    ]
    bulk.insert_rows(session.connection(), AuditLog.__table__, rows)


def redact(db: Session, *, entity: str, entity_ids: list[int], fields: tuple[str, ...]) -> None:
    """Blank the given fields' values in every entry about these records (consent withdrawn)."""
    if not entity_ids:
        return
    query = select(AuditLog).where(AuditLog.entity == entity, AuditLog.entity_id.in_(entity_ids))
    for entry in db.exec(query).all():
        if set(fields) & entry.changes.keys():
            # A new dict, so that SQLAlchemy sees the JSON column change.
            entry.changes = {
                name: [None if v is None else REDACTED for v in values]
                if name in fields
                else values
                for name, values in entry.changes.items()
            }


def _short(value: Any) -> Any:
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str) and len(value) > _MAX_VALUE_LENGTH:
        return value[: _MAX_VALUE_LENGTH - 1] + "…"
    return value
