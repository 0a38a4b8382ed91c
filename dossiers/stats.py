"""Online dossiers by procedure and mode for a period: filed, with a result, days to the result."""

from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median

from sqlalchemy import select
from sqlmodel import Session

from assistance.models import AssistanceRecord, Kind, Outcome, Procedure
from core import clock
from core.clock import as_utc
from dossiers.models import DossierResult, Result, filed_condition

A, P, D = AssistanceRecord, Procedure, DossierResult
# A result logged on the log screen: "Ghi kết quả" writes a dossier record that resolves the
# pending one; done means the result came, "could not" that it was refused. A pending one
# (sent back, filed again, waiting) is no result yet: its own resolver or result form tells.
RESULT_OF_OUTCOME = {Outcome.DONE: Result.DONE, Outcome.FAILED: Result.REFUSED}
# A dossier may be returned for more papers, filed again and then done: the latest result
# counts (on the same day a final one beats "returned"), and the days run from the first filing.
MAX_CHAIN = 20  # resolvers followed per dossier; a longer chain is a data error, not a life


@dataclass
class ProcedureRow:
    name: str  # "" when the record names no procedure
    mode: str  # "toan_trinh", "mot_phan" or ""
    filed: int = 0
    results: dict[str, int] = field(default_factory=lambda: {r.value: 0 for r in Result})
    days: list[int] = field(default_factory=list)  # first filing to result, per dossier

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


@dataclass
class _Link:
    """A dossier record that resolves an earlier one: its outcome, its result form, the next."""

    outcome: str
    on: date
    result: str | None
    result_on: date | None
    next_id: int | None


def _links(db: Session, first_ids: set[int]) -> dict[int, _Link]:
    """The resolvers of the period's dossiers and theirs in turn (one statement per step)."""
    links: dict[int, _Link] = {}
    wanted = set(first_ids)
    for _step in range(MAX_CHAIN):
        if not wanted:
            break
        query = (
            select(A.id, A.outcome, A.client_time, A.resolved_by_record_id, D.result, D.result_on)
            .outerjoin(D, D.record_id == A.id)
            .where(A.id.in_(wanted), A.kind == Kind.DOSSIER, A.deleted_at.is_(None))
        )
        for rid, outcome, at, next_id, result, result_on in db.execute(query).all():
            links[rid] = _Link(outcome, clock.local_date(as_utc(at)), result, result_on, next_id)
        wanted = {link.next_id for link in links.values() if link.next_id} - set(links)
    return links


def _latest(candidates: list[tuple[date, str]]) -> tuple[str, date] | None:
    if not candidates:
        return None
    on, result = max(candidates, key=lambda c: (c[0], c[1] != Result.RETURNED))
    return result, on


def final_result(
    result: str | None, result_on: date | None, next_id: int | None, links: dict[int, _Link]
) -> tuple[str, date] | None:
    """A dossier's result: the latest of its own result form and of its chain of resolvers."""
    candidates = [(result_on, result)] if result else []
    seen: set[int] = set()
    while next_id in links and next_id not in seen:
        seen.add(next_id)
        link = links[next_id]
        if link.outcome in RESULT_OF_OUTCOME:
            candidates.append((link.on, RESULT_OF_OUTCOME[link.outcome]))
        if link.result:
            candidates.append((link.result_on, link.result))
        next_id = link.next_id
    return _latest(candidates)


def by_procedure(
    db: Session, *, ward_id: int, starts_at: datetime, ends_at: datetime
) -> tuple[list[ProcedureRow], ProcedureRow]:
    """Dossiers filed in [starts_at, ends_at) of one ward, one row per procedure and mode (the
    record's mode, else the catalogue's), most filed first; and the total."""
    query = (
        select(
            P.name,
            A.mode,
            P.mode,
            A.client_time,
            A.resolved_by_record_id,
            D.result,
            D.result_on,
        )
        .select_from(A)
        .outerjoin(P, P.id == A.procedure_id)
        .outerjoin(D, D.record_id == A.id)
        .where(
            A.ward_id == ward_id,
            filed_condition(A),
            A.client_time >= starts_at,
            A.client_time < ends_at,
        )
    )
    found = db.execute(query).all()
    links = _links(db, {row.resolved_by_record_id for row in found if row.resolved_by_record_id})
    rows: dict[tuple[str, str], ProcedureRow] = {}
    for name, mode, catalogue_mode, filed_at, next_id, result, result_on in found:
        key = (name or "", mode or catalogue_mode or "")
        row = rows.setdefault(key, ProcedureRow(name=key[0], mode=key[1]))
        row.filed += 1
        final = final_result(result, result_on, next_id, links)
        if final is not None:
            row.results[final[0]] += 1
            row.days.append((final[1] - clock.local_date(as_utc(filed_at))).days)
    ordered = sorted(rows.values(), key=lambda r: (-r.filed, r.name == "", r.name, r.mode))
    total = ProcedureRow(name="", mode="")
    for row in ordered:
        total.add(row)
    return ordered, total
