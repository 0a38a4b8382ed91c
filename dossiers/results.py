"""Recording a dossier's result, audited; a final result also closes the record's follow-up."""

from datetime import date

from sqlmodel import Session, select

from assistance.models import AssistanceRecord, Outcome
from core import audit, clock
from dossiers.models import DossierResult, Result

FIELDS = ["result", "result_on"]


def result_of(db: Session, record_id: int) -> DossierResult | None:
    return db.get(DossierResult, record_id)


def results_for(db: Session, record_ids: list[int]) -> dict[int, DossierResult]:
    if not record_ids:
        return {}
    query = select(DossierResult).where(DossierResult.record_id.in_(record_ids))
    return {row.record_id: row for row in db.exec(query).all()}


def record_result(
    db: Session, record: AssistanceRecord, *, result: str, on: date, actor_id: int
) -> DossierResult:
    row = db.get(DossierResult, record.id)
    before = audit.snapshot(row, FIELDS) if row else {}
    if row is None:
        row = DossierResult(
            record_id=record.id, ward_id=record.ward_id, result=result, result_on=on
        )
        db.add(row)
    row.result, row.result_on = result, on
    row.recorded_by, row.recorded_at = actor_id, clock.now()
    # Done or refused ends the follow-up; returned for more papers keeps it open (the volunteer
    # goes back with the resident).
    if (
        record.outcome == Outcome.PENDING
        and record.resolved_at is None
        and result != Result.RETURNED
    ):
        record.resolved_at = record.updated_at = clock.now()
    db.flush()
    audit.record(
        db,
        actor_id=actor_id,
        ward_id=record.ward_id,
        entity="dossier_result",
        entity_id=record.id,
        action="update" if before else "create",
        changes=audit.diff(before, audit.snapshot(row, FIELDS)),
    )
    return row
