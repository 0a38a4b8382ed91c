"""Planning advice drawn on the shifts pages (template globals, so shifts never imports coverage):
which door-to-door shifts go to a group already at the 90% target."""

from dataclasses import dataclass

from flask_login import current_user

from core import clock
from core.access import MANAGERS, ward_in_view
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


@bp.app_template_global("visits_at_target")
def visits_at_target(days: list[DayView]) -> list[VisitAtTarget]:
    """The week's visits to a group that already reached the target, for the planning manager."""
    if not current_user.is_authenticated or current_user.role not in MANAGERS:
        return []
    visits = [
        view
        for day in days
        for view in day.shifts
        if view.shift.place == Place.FIELD
        and view.shift.group_id
        and as_utc(view.shift.starts_at) > clock.now()
    ]
    ward_id = ward_in_view()
    if not visits or ward_id is None:
        return []
    gaps = figures.groups_with_gap(get_session(), ward_id=ward_id)
    found = []
    for view in visits:
        area = gaps.get(view.shift.group_id)
        if area is None or (area.coverage is not None and area.coverage >= TARGET):
            found.append(VisitAtTarget(view, area))
    return found
