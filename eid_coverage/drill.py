"""A group's households for the drill-down and the printable worklist (five statements)."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlmodel import Session

from assistance.models import AssistanceRecord, AssistanceResident, Outcome
from core.clock import as_utc
from dossiers.models import filed_condition
from households.addresses import natural_key
from households.models import Household, Resident
from households.queries import adult_birth_year_limit

H, R, A = Household, Resident, AssistanceRecord


@dataclass
class Line:
    household: Household
    adults: int = 0
    with_eid: int = 0
    online: int = 0  # adults named on a filed online dossier
    missing: list[Resident] = field(default_factory=list)  # adults still without an e-ID
    records: int = 0
    last_visit: datetime | None = None
    followups: list[AssistanceRecord] = field(default_factory=list)  # open, oldest first

    @property
    def reached(self) -> bool:
        return self.records > 0

    @property
    def on_worklist(self) -> bool:
        """A follow-up is still open, or never reached while an adult still has no e-ID (a
        household where every adult has an account needs no visit)."""
        return bool(self.followups) or (not self.reached and bool(self.missing))


_OPEN = and_(A.outcome == Outcome.PENDING, A.resolved_at.is_(None), A.deleted_at.is_(None))


def group_lines(db: Session, *, group_id: int) -> list[Line]:
    """Every live household of the group, with its adults, e-ID gaps, visits and open follow-ups.
    In natural address order ("33" before "298"), as a volunteer walks the street."""
    households = db.scalars(
        select(H)
        .where(H.group_id == group_id, H.deleted_at.is_(None))
        .order_by(H.address_norm, H.id)
    ).all()
    lines = {h.id: Line(household=h) for h in households}
    in_group = select(H.id).where(H.group_id == group_id, H.deleted_at.is_(None))
    adults = db.scalars(
        select(R)
        .where(
            R.household_id.in_(in_group),
            R.deleted_at.is_(None),
            R.birth_year <= adult_birth_year_limit(),
        )
        .order_by(R.birth_year, R.id)
    ).all()
    for resident in adults:
        line = lines[resident.household_id]
        line.adults += 1
        if resident.eid_level >= 1:
            line.with_eid += 1
        else:
            line.missing.append(resident)
    online = db.execute(
        select(R.household_id, func.count(func.distinct(R.id)))
        .join(AssistanceResident, AssistanceResident.resident_id == R.id)
        .join(A, A.id == AssistanceResident.record_id)
        .where(
            R.household_id.in_(in_group),
            R.deleted_at.is_(None),
            R.birth_year <= adult_birth_year_limit(),
            filed_condition(A),
        )
        .group_by(R.household_id)
    ).all()
    for household_id, count in online:
        lines[household_id].online = count
    visits = db.execute(
        select(A.household_id, func.count(A.id), func.max(A.client_time))
        .where(A.household_id.in_(in_group), A.deleted_at.is_(None))
        .group_by(A.household_id)
    ).all()
    for household_id, records, last in visits:
        lines[household_id].records, lines[household_id].last_visit = records, as_utc(last)
    followups = db.scalars(
        select(A).where(A.household_id.in_(in_group), _OPEN).order_by(A.client_time, A.id)
    ).all()
    for record in followups:
        lines[record.household_id].followups.append(record)
    return sorted(lines.values(), key=lambda line: natural_key(line.household.address))
