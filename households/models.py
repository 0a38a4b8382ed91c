from datetime import date, datetime
from enum import IntEnum

from sqlalchemy import JSON, DateTime, SmallInteger, UniqueConstraint
from sqlmodel import Field, SQLModel

from core import clock
from core.ids import uuid7


class EidLevel(IntEnum):
    """VNeID e-identification level; ordered, so a resident's level only ever moves up."""

    NONE = 0
    LEVEL_1 = 1
    LEVEL_2 = 2


ADULT_AGE = 18


class Ward(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("name", "province"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    province: str = Field(max_length=120)
    created_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))


class ResidentialGroup(SQLModel, table=True):
    """Tổ dân phố. Soft-deleted so that old households and records keep their group."""

    __tablename__ = "residential_group"

    id: int | None = Field(default=None, primary_key=True)
    ward_id: int = Field(foreign_key="ward.id", index=True)
    number: int
    name: str = Field(max_length=120)
    leader_name: str | None = Field(default=None, max_length=120)
    leader_phone: str | None = Field(default=None, max_length=15)
    created_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))
    deleted_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class Household(SQLModel, table=True):
    """Without consent only the address label and counts are kept: no names, phone or note."""

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=uuid7, max_length=36, unique=True, index=True)
    group_id: int = Field(foreign_key="residential_group.id", index=True)
    address: str = Field(max_length=200)
    address_norm: str = Field(max_length=200, index=True)
    head_name: str | None = Field(default=None, max_length=120)
    head_name_norm: str | None = Field(default=None, max_length=120, index=True)
    phone: str | None = Field(default=None, max_length=15, index=True)
    note: str | None = Field(default=None, max_length=500)
    consent: bool = Field(default=False)
    consent_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    consent_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))
    # Not indexed: the delta pull finds changes through the ward's groups and households.
    updated_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))
    deleted_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class Resident(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=uuid7, max_length=36, unique=True, index=True)
    household_id: int = Field(foreign_key="household.id", index=True)
    full_name: str | None = Field(default=None, max_length=120)
    name_norm: str | None = Field(default=None, max_length=120, index=True)
    birth_year: int
    # Stored as a small integer so SQL can compare levels (MAX, >=).
    eid_level: int = Field(default=EidLevel.NONE, sa_type=SmallInteger)
    eid_confirmed_on: date | None = None
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))
    # Not indexed, like Household.updated_at.
    updated_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))
    deleted_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class GroupAssignment(SQLModel, table=True):
    """A volunteer works in a residential group: its households travel on their phone
    (sync/scope.py). Kept here, beside the groups, so the registry can list "my groups" first."""

    __tablename__ = "volunteer_group"

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    group_id: int = Field(foreign_key="residential_group.id", primary_key=True, index=True)
    created_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))


class ImportPreview(SQLModel, table=True):
    """An uploaded registry file, checked and waiting for its uploader to confirm (or not).

    In the database rather than a file of one server's instance/ folder, so any app server can
    confirm it; it holds residents' names, so it is forgotten a day after it was made."""

    __tablename__ = "import_preview"

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=43, unique=True)
    ward_id: int = Field(foreign_key="ward.id")
    user_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(
        default_factory=clock.now, sa_type=DateTime(timezone=True), index=True
    )
    plan: dict = Field(default_factory=dict, sa_type=JSON)
