"""Planning advice on the manager's home and the rota's week (lent to shifts, which may not import
coverage): which door-to-door shifts go to a group already at the 90% target."""

from dataclasses import dataclass

from core import clock, page_parts
from core.clock import as_utc
from core.db import get_session
from eid_coverage.figures import TARGET, Area
from home import bp, figures
from shifts.models import Place
from shifts.queries import DayView, ShiftView


@dataclass
class VisitAtTarget:
    view: ShiftView
    area: Area | None  # None: the group has no adult left without an e-ID


def visits_at_target(*, days: list[DayView], ward_id: int) -> list[VisitAtTarget]:
    """The week's visits to a group that already reached the target, for the planning manager."""
    visits = [
        view
        for day in days
        for view in day.shifts
        if view.shift.place == Place.FIELD
        and view.shift.group_id
        and as_utc(view.shift.starts_at) > clock.now()
    ]
    if not visits:
        return []
    gaps = figures.groups_with_gap(get_session(), ward_id=ward_id)
    found = []
    for view in visits:
        area = gaps.get(view.shift.group_id)
        if area is None or (area.coverage is not None and area.coverage >= TARGET):
            found.append(VisitAtTarget(view, area))
    return found


@bp.record_once
def _lend_advice(state) -> None:
    # The rota's week (shifts) sits below home and cannot import it: its view asks for this.
    page_parts.lend(state.app, "visits_at_target", visits_at_target)
