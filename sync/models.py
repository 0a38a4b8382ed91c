"""What the sync API remembers: the households and residents it stored, by client UUID, and
household merges."""

from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

from core import clock


class SyncReceipt(SQLModel, table=True):
    """One row per household or resident a phone pushed and the server stored (a pushed record
    keeps its hash on its own row: AssistanceRecord.content_hash).

    The content hash is that of the item as first received, so a replay of the same push is a
    "duplicate" even after the stored row was corrected, and a different item reusing the UUID is
    a "conflict". The primary key on the UUID is what makes two rows for one UUID impossible, even
    for two pushes racing each other.
    """

    __tablename__ = "sync_receipt"

    uuid: str = Field(max_length=36, primary_key=True)
    item_type: str = Field(max_length=12)
    entity_id: int
    content_hash: str = Field(max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    ward_id: int = Field(foreign_key="ward.id", index=True)
    received_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))
    # Households created offline wait for the secretary's look at possible duplicates.
    reviewed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class HouseholdMerge(SQLModel, table=True):
    """A household merged into another; records still queued for the old one follow the merge."""

    __tablename__ = "household_merge"

    id: int | None = Field(default=None, primary_key=True)
    merged_id: int = Field(foreign_key="household.id", unique=True)
    kept_id: int = Field(foreign_key="household.id", index=True)
    by_id: int = Field(foreign_key="user.id")
    at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))


class ServerIdentity(SQLModel, table=True):
    """One row: which copy of the database this is. Phones compare it (and the high-water mark,
    sync/state.py) with what they were told before: a new identity, or a mark lower than one
    they saw, means the server was restored from a backup and lost what they sent since.

    Written by the migration, and anew into every backup file and at every restore (backup/),
    so a restored copy never carries the identity of the database the phones last spoke to.
    """

    __tablename__ = "server_identity"

    id: int = Field(default=1, primary_key=True)
    identity: str = Field(max_length=36)
    origin: str = Field(max_length=12)  # created, backup, restore
    created_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))


class CopyGroup(SQLModel, table=True):
    """A group that a secretary, ward officer or admin chose to keep on their own phone; with
    none chosen they keep the whole ward (sync/scope.py). Volunteers' phones follow their
    assignments instead (households.models.GroupAssignment)."""

    __tablename__ = "copy_group"

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    group_id: int = Field(foreign_key="residential_group.id", primary_key=True)
