"""Assistance records: what a volunteer did for a household, and the ward's procedure catalogue."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from core import clock


class Kind(StrEnum):
    EID_LEVEL1 = "eid_level1"
    EID_LEVEL2 = "eid_level2"
    EID_ACTIVATED = "eid_activated"
    EID_SIGNIN_HELP = "eid_signin_help"
    DOSSIER = "dossier"
    GUIDANCE = "guidance"


class Outcome(StrEnum):
    DONE = "done"
    PENDING = "pending"
    FAILED = "failed"


class Place(StrEnum):
    DESK = "desk"
    HOME = "home"
    OTHER = "other"


class Mode(StrEnum):
    """Decree 42/2022: the whole procedure online, or only part of it."""

    FULL = "toan_trinh"
    PARTIAL = "mot_phan"


# The e-ID level a resident has at least once a record of this kind is done. Activation proves an
# account exists without telling which level, so it only guarantees level 1.
# What a record's fields may hold (the columns' sizes; checked by assistance.records' callers).
MAX_REASON = 300
MAX_DOSSIER_CODE = 40
MAX_MINUTES = 600
MAX_RESIDENTS = 30

LEVEL_AFTER = {Kind.EID_LEVEL1: 1, Kind.EID_LEVEL2: 2, Kind.EID_ACTIVATED: 1}


class Procedure(SQLModel, table=True):
    """One entry of a ward's catalogue of online procedures; retired entries are kept for old records."""

    __table_args__ = (UniqueConstraint("ward_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    ward_id: int = Field(foreign_key="ward.id", index=True)
    code: str = Field(max_length=40)
    name: str = Field(max_length=160)
    mode: str = Field(default=Mode.FULL, max_length=12)
    active: bool = Field(default=True)
    position: int = Field(default=0)
    updated_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))


class AssistanceRecord(SQLModel, table=True):
    __tablename__ = "assistance_record"
    __table_args__ = (
        # A household's records, live or deleted (a merge moves them all); with deleted_at in the
        # key, "was this household ever reached?" (eid_coverage) reads the index alone.
        Index("ix_assistance_record_household", "household_id", "deleted_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(max_length=36, unique=True, index=True)
    ward_id: int = Field(foreign_key="ward.id", index=True)
    household_id: int = Field(foreign_key="household.id")
    # volunteer_id, shift_id, client_time: no index of their own (migration 0007 says why);
    # lists and figures go by ward first, through ix_assistance_record_coverage.
    volunteer_id: int = Field(foreign_key="user.id")
    kind: str = Field(max_length=20)
    procedure_id: int | None = Field(default=None, foreign_key="procedure.id")
    mode: str | None = Field(default=None, max_length=12)
    dossier_code: str | None = Field(default=None, max_length=MAX_DOSSIER_CODE)
    outcome: str = Field(max_length=10, index=True)
    reason: str | None = Field(default=None, max_length=MAX_REASON)
    place: str = Field(max_length=10)
    shift_id: int | None = Field(default=None, foreign_key="shift.id")
    minutes: int | None = None
    client_time: datetime = Field(sa_type=DateTime(timezone=True))
    received_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))
    updated_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))
    # A pending record is a follow-up until a later record resolves it.
    resolved_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    resolved_by_record_id: int | None = Field(default=None, foreign_key="assistance_record.id")
    deleted_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    # Hash of the item as a phone first pushed it (sync/items.content_hash): a replay of that push
    # is a "duplicate" even after a correction, other content under this UUID a "conflict".
    # Kept here rather than in sync_receipt because records are the bulk of every push.
    content_hash: str | None = Field(default=None, max_length=64)


class AssistanceResident(SQLModel, table=True):
    """The residents helped by a record (zero or more)."""

    __tablename__ = "assistance_resident"

    record_id: int = Field(foreign_key="assistance_record.id", primary_key=True)
    # No index of its own: nothing looks links up by resident, and residents are never deleted
    # (only marked), so it would only cost a random page written per link.
    resident_id: int = Field(foreign_key="resident.id", primary_key=True)
