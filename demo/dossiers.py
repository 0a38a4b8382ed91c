"""The demo's online dossiers get their results: most come back done in a few days (toàn trình
sooner than một phần), some are returned for more papers (a few of those filed again and then
done), a few refused; the newest still wait. A final result closes the dossier's follow-up."""

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import bindparam, insert, update
from sqlmodel import Session, select

from assistance.models import AssistanceRecord, Kind, Mode, Outcome
from core import clock
from core.clock import as_utc
from dossiers.models import DossierResult, Result, filed_condition

# Days from filing to the result, by mode: (fewest, most).
DAYS = {Mode.FULL: (2, 7), Mode.PARTIAL: (4, 12)}


def _result_at(day: date) -> datetime:
    return clock.to_utc(day, time(16, 30))


def _life(rng: random.Random, mode: str | None, filed_on: date) -> tuple[str, date] | None:
    """The dossier's latest result and its day, or None while it waits."""
    low, high = DAYS.get(mode, DAYS[Mode.PARTIAL])
    on = filed_on + timedelta(days=rng.randint(low, high))
    roll = rng.random()
    if roll < 0.80:
        result = Result.DONE
    elif roll < 0.93:
        result = Result.RETURNED
        if rng.random() < 0.5:  # papers brought, filed again, done: days from the first filing
            result, on = Result.DONE, on + timedelta(days=rng.randint(3, 8))
    else:
        result = Result.REFUSED
    return (result, on) if on <= clock.today() else None


def build_demo_results(db: Session, *, seed: int, ward_id: int) -> dict[str, int]:
    rng = random.Random(seed + 17)
    filed = db.exec(
        select(
            AssistanceRecord.id,
            AssistanceRecord.mode,
            AssistanceRecord.client_time,
            AssistanceRecord.outcome,
            AssistanceRecord.volunteer_id,
        )
        .where(AssistanceRecord.ward_id == ward_id, filed_condition(AssistanceRecord))
        .order_by(AssistanceRecord.id)
    ).all()
    rows, closing = [], []
    for record_id, mode, filed_at, outcome, volunteer_id in filed:
        life = _life(rng, mode, clock.local_date(as_utc(filed_at)))
        if life is None:
            continue
        result, on = life
        at = _result_at(on)
        rows.append(
            {
                "record_id": record_id,
                "ward_id": ward_id,
                "result": result,
                "result_on": on,
                "recorded_by": volunteer_id,
                "recorded_at": at,
            }
        )
        if outcome == Outcome.PENDING and result != Result.RETURNED:
            closing.append({"target": record_id, "at": at})
    if rows:
        db.execute(insert(DossierResult), rows)
    if closing:
        table = AssistanceRecord.__table__
        db.execute(
            update(table)
            .where(table.c.id == bindparam("target"), table.c.kind == Kind.DOSSIER)
            .values(resolved_at=bindparam("at"), updated_at=bindparam("at")),
            closing,
        )
    db.flush()
    counts = {r.value: sum(1 for row in rows if row["result"] == r) for r in Result}
    return {"filed": len(filed), **counts}
