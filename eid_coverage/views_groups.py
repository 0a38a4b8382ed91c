"""Drill-down: a group's households and who still has no e-ID; the printable worklist."""

from flask import render_template, request, url_for
from flask_login import current_user

from core.access import MANAGERS, STAFF, allow
from core.db import get_session
from eid_coverage import bp, drill, figures
from households.lookup import group_or_404
from households.models import Ward

FILTERS = ("all", "missing", "unreached", "followups")


def _keep(line: drill.Line, show: str) -> bool:
    if show == "missing":
        return bool(line.missing)
    if show == "unreached":
        return not line.reached
    if show == "followups":
        return bool(line.followups)
    return True


def plan_url(group_id: int) -> str | None:
    """The shifts planning form with a field visit to this group chosen (managers only)."""
    if current_user.role not in MANAGERS:
        return None
    return url_for("shifts.shift_new", place="field", group=group_id)


@bp.route("/groups/<id:group_id>")
@allow(STAFF)
def group(group_id: int):
    db = get_session()
    group = group_or_404(db, group_id)
    show = request.args.get("show", "all")
    show = show if show in FILTERS else "all"
    lines = drill.group_lines(db, group_id=group.id)
    adults = sum(line.adults for line in lines)
    with_eid = sum(line.with_eid for line in lines)
    online = sum(line.online for line in lines)
    return render_template(
        "coverage/group.html",
        online=online,
        online_share=figures.percent(online, adults),
        adults=adults,
        with_eid=with_eid,
        coverage=figures.percent(with_eid, adults),
        group=group,
        ward=db.get(Ward, group.ward_id),
        lines=[line for line in lines if _keep(line, show)],
        all_lines=lines,
        show=show,
        plan_url=plan_url(group.id),
    )


@bp.route("/groups/<id:group_id>/worklist")
@allow(STAFF)
def worklist(group_id: int):
    db = get_session()
    group = group_or_404(db, group_id)
    lines = [line for line in drill.group_lines(db, group_id=group.id) if line.on_worklist]
    return render_template(
        "coverage/worklist.html",
        group=group,
        ward=db.get(Ward, group.ward_id),
        lines=lines,
        plan_url=plan_url(group.id),
    )
