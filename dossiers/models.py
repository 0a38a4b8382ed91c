"""A dossier's life: filed online (an assistance record of kind "dossier") → its result.

A dossier is *filed* when its record is done or pending (pending: filed, waiting for the result);
a "failed" dossier record means it could not be filed. The result arrives days later and is kept
in its own row, so filed and result are counted separately and the record itself stays as the
phone sent it.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, DateTime
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


def filed_condition(table=AssistanceRecord):
    """SQL: the record is a dossier that was filed and not deleted."""
    return (
        (table.kind == Kind.DOSSIER)
        & table.outcome.in_([o.value for o in FILED_OUTCOMES])
        & table.deleted_at.is_(None)
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
