"""Everything the monthly report shows, gathered once for the PDF and the workbook."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from core import clock
from core.access import Role
from dossiers import stats
from eid_coverage import queries
from eid_coverage.figures import Dashboard
from eid_coverage.period import Period
from feedback import queries as feedback_queries
from feedback.queries import Satisfaction
from volunteer.models import User


@dataclass
class MonthlyReport:
    data: Dashboard
    month: Period
    procedures: list
    procedures_total: object
    satisfaction: Satisfaction
    signer: str  # the ward's secretary, who signs it
    issued_on: date


def _signer(db: Session, ward_id: int) -> str:
    name = db.exec(
        select(User.full_name)
        .where(User.ward_id == ward_id, User.role == Role.SECRETARY, User.active)
        .order_by(User.id)
    ).first()
    return name or ""


def monthly_report(db: Session, *, ward_id: int, month: Period) -> MonthlyReport | None:
    data = queries.ward_dashboard(db, ward_id=ward_id, period=month)
    if data is None:
        return None
    rows, total = stats.by_procedure(
        db, ward_id=ward_id, starts_at=month.starts_at, ends_at=month.ends_at
    )
    return MonthlyReport(
        data=data,
        month=month,
        procedures=rows,
        procedures_total=total,
        satisfaction=feedback_queries.satisfaction(
            db, ward_id=ward_id, starts_at=month.starts_at, ends_at=month.ends_at
        ),
        signer=_signer(db, ward_id),
        issued_on=clock.today(),
    )
