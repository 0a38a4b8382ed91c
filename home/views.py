"""The home screen: what each role does every day, one tap from the first screen after sign-in.

Volunteer: the next shift, "Ghi hỗ trợ", my open follow-ups, my groups with their gaps.
Secretary (and the admin once a ward is picked): this week's shifts, understaffed first, a
one-step fill, where to send people next, swaps waiting for a taker.
Ward officer: the groups' coverage chart and the three groups furthest from the target.
"""

from datetime import timedelta

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from core import clock
from core.access import EVERY_ROLE, Role, allow, ward_in_view
from core.db import get_session
from eid_coverage import common as coverage
from eid_coverage import period
from eid_coverage import queries as coverage_queries
from home import bp, figures, planning
from households.assignments import group_ids_of
from households.models import ResidentialGroup, Ward
from shifts import queries as shift_queries
from shifts.rota import filling

FURTHEST = 3


@bp.route("/")
@allow(EVERY_ROLE)
def index():
    if current_user.role == Role.VOLUNTEER:
        return _volunteer()
    if current_user.role == Role.WARD_OFFICER:
        return _ward_officer()
    ward_id = ward_in_view()
    if ward_id is None:  # the admin, before picking a ward
        return render_template("home/admin.html")
    return _manager(ward_id)


def _volunteer():
    db = get_session()
    now = clock.now()
    coming, _recent = shift_queries.my_shifts(db, user_id=current_user.id, now=now)
    mine = group_ids_of(db, user_id=current_user.id)
    groups = db.exec(
        select(ResidentialGroup)
        .where(ResidentialGroup.id.in_(mine), ResidentialGroup.deleted_at.is_(None))
        .order_by(ResidentialGroup.number)
    ).all()
    gaps = figures.groups_with_gap(db, ward_id=current_user.ward_id) if groups else {}
    # Largest gap first: where a visit does the most good.
    groups = sorted(groups, key=lambda g: -gaps[g.id].gap if g.id in gaps else 0)
    return render_template(
        "home/volunteer.html",
        ward=db.get(Ward, current_user.ward_id),
        next_shift=coming[0] if coming else None,
        later=len(coming) - 1 if coming else 0,
        followups=figures.my_open_followups(
            db, user_id=current_user.id, ward_id=current_user.ward_id
        ),
        groups=groups,
        gaps=gaps,
    )


def _manager(ward_id: int):
    db = get_session()
    now = clock.now()
    this_week = clock.week_start(clock.today(now))
    days = shift_queries.week(db, ward_id=ward_id, start=this_week)
    coming = [
        view
        for day in days
        if day.closed is None
        for view in day.shifts
        if clock.as_utc(view.shift.ends_at) > now
    ]
    # Understaffed first, then in time order (the sort is stable).
    coming.sort(key=lambda view: not view.understaffed)
    next_week = this_week + timedelta(days=7)
    return render_template(
        "home/manager.html",
        ward=db.get(Ward, ward_id),
        days=days,
        coming=coming,
        to_fill=len(filling.to_fill(days, now=now)),
        next_week=next_week,
        next_to_fill=len(
            filling.to_fill(shift_queries.week(db, ward_id=ward_id, start=next_week), now=now)
        ),
        swaps=shift_queries.open_swaps(db, ward_id=ward_id, now=now),
        is_admin=current_user.role == Role.ADMIN,
        at_target=planning.visits_at_target(days=days, ward_id=ward_id),
        where_next=coverage.where_next(ward_id),
    )


def _ward_officer():
    db = get_session()
    data = coverage_queries.ward_dashboard(
        db, ward_id=current_user.ward_id, period=period.for_month(clock.today())
    )
    groups = data.groups if data else []
    chart = coverage.area_chart(
        groups,
        title=_("Tỷ lệ người lớn có VNeID của từng tổ"),
        label=lambda g: _("Tổ %(number)s", number=g.number),
    )
    return render_template(
        "home/ward_officer.html",
        data=data,
        chart=chart,
        furthest=[g for g in groups if g.gap > 0][:FURTHEST],
    )
