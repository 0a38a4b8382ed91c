"""Online dossiers by procedure and mode for a period: filed, with a result, days to the result."""

from dataclasses import dataclass, field
from datetime import datetime
from statistics import median

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from assistance.models import AssistanceRecord, Kind, Outcome, Procedure
from core import clock
from core.clock import as_utc
from dossiers.models import DossierResult, Result, filed_condition

A, P, D = AssistanceRecord, Procedure, DossierResult
Later = aliased(AssistanceRecord)
# A result logged offline: the log screen's "Ghi kết quả" writes a dossier record that resolves
# the pending one; done means the result came, "could not" that it was refused. A result
# recorded with the result form wins.
RESULT_OF_OUTCOME = {Outcome.DONE: Result.DONE, Outcome.FAILED: Result.REFUSED}


@dataclass
class ProcedureRow:
    name: str  # "" when the record names no procedure
    mode: str  # "toan_trinh", "mot_phan" or ""
    filed: int = 0
    results: dict[str, int] = field(default_factory=lambda: {r.value: 0 for r in Result})
    days: list[int] = field(default_factory=list)  # filing to result, per dossier with a result

    @property
    def with_result(self) -> int:
        return sum(self.results.values())

    @property
    def median_days(self) -> float | None:
        return median(self.days) if self.days else None

    def add(self, other: "ProcedureRow") -> None:
        self.filed += other.filed
        for key, count in other.results.items():
            self.results[key] += count
        self.days += other.days


def by_procedure(
    db: Session, *, ward_id: int, starts_at: datetime, ends_at: datetime
) -> tuple[list[ProcedureRow], ProcedureRow]:
    """Dossiers filed in [starts_at, ends_at) of one ward, one row per procedure and mode (the
    record's mode, else the catalogue's), most filed first; and the total. One statement."""
    query = (
        select(
            P.name,
            func.coalesce(A.mode, P.mode),
            A.client_time,
            D.result,
            D.result_on,
            Later.outcome,
            Later.client_time,
        )
        .select_from(A)
        .outerjoin(P, P.id == A.procedure_id)
        .outerjoin(D, D.record_id == A.id)
        .outerjoin(
            Later,
            and_(
                Later.id == A.resolved_by_record_id,
                Later.kind == Kind.DOSSIER,
                Later.deleted_at.is_(None),
            ),
        )
        .where(
            A.ward_id == ward_id,
            filed_condition(A),
            A.client_time >= starts_at,
            A.client_time < ends_at,
        )
    )
    rows: dict[tuple[str, str], ProcedureRow] = {}
    for name, mode, filed_at, result, result_on, later, later_at in db.execute(query).all():
        if result is None and later in RESULT_OF_OUTCOME:
            result, result_on = RESULT_OF_OUTCOME[later], clock.local_date(as_utc(later_at))
        key = (name or "", mode or "")
        row = rows.setdefault(key, ProcedureRow(name=key[0], mode=key[1]))
        row.filed += 1
        if result in row.results:
            row.results[result] += 1
            row.days.append((result_on - clock.local_date(as_utc(filed_at))).days)
    ordered = sorted(rows.values(), key=lambda r: (-r.filed, r.name == "", r.name, r.mode))
    total = ProcedureRow(name="", mode="")
    for row in ordered:
        total.add(row)
    return ordered, total
