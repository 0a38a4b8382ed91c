"""A dossier's life: filed online (an assistance record of kind "dossier") → its result.

A dossier is *filed* when its record is done or pending (pending: filed, waiting for the result);
a "failed" dossier record means it could not be filed. The result arrives days later and is kept
in its own row, so filed and result are counted separately and the record itself stays as the
phone sent it.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, DateTime, Index, exists, select, text
from sqlalchemy.orm import aliased
from sqlmodel import Field, SQLModel

from assistance.models import AssistanceRecord, Kind, Outcome
from core import clock

FILED_OUTCOMES = (Outcome.DONE, Outcome.PENDING)


class Result(StrEnum):
    DONE = "done"  # the authority returned the result (certificate, registration …)
    RETURNED = "returned"  # sent back for more papers
    REFUSED = "refused"


def is_filed(record: AssistanceRecord) -> bool:
    return (
        record.kind == Kind.DOSSIER
        and record.outcome in FILED_OUTCOMES
        and record.deleted_at is None
    )


# The log screen's "Ghi kết quả" on a pending dossier writes a second dossier record that
# resolves the first: that one is the result, not another filing. Found through the first's
# resolved_by_record_id (indexed, only the few resolved rows).
_resolved = aliased(AssistanceRecord)
resolved_by_index = Index(
    "ix_assistance_record_resolved_by",
    AssistanceRecord.resolved_by_record_id,
    sqlite_where=text("resolved_by_record_id IS NOT NULL"),
    postgresql_where=text("resolved_by_record_id IS NOT NULL"),
)


def filed_condition(table=AssistanceRecord):
    """SQL: the record is a dossier that was filed, not deleted, and not the result of another."""
    is_result = exists(
        select(_resolved.id).where(
            _resolved.resolved_by_record_id == table.id, _resolved.kind == Kind.DOSSIER
        )
    )
    return (
        (table.kind == Kind.DOSSIER)
        & table.outcome.in_([o.value for o in FILED_OUTCOMES])
        & table.deleted_at.is_(None)
        & ~is_result
    )


class DossierResult(SQLModel, table=True):
    """The latest known result of one filed dossier (a correction overwrites it, audited)."""

    __tablename__ = "dossier_result"

    record_id: int = Field(foreign_key="assistance_record.id", primary_key=True)
    ward_id: int = Field(foreign_key="ward.id", index=True)
    result: str = Field(max_length=10)
    result_on: date = Field(sa_type=Date)
    recorded_by: int = Field(foreign_key="user.id")
    recorded_at: datetime = Field(default_factory=clock.now, sa_type=DateTime(timezone=True))
