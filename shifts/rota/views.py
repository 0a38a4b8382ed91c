"""The rota: the week, one shift, assigning and unassigning, the change log."""

from datetime import date, timedelta

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from core import clock, page_parts
from core.access import EVERY_ROLE, MANAGERS, STAFF, Role, allow, ward_in_view_or_pick
from core.db import get_session
from core.params import query_date, query_page
from households.models import Ward
from shifts import bp, common, queries
from shifts.attendance.presence import state_of
from shifts.forms import AssignForm
from shifts.models import ShiftStatus
from shifts.notices import CHANGE_TEXT
from shifts.planning.setup import settings_for
from shifts.rota import assigning, filling
from shifts.rota.assigning import release_deadline
from shifts.rules import ShiftError


def _week_start() -> date:
    return clock.week_start(query_date("start") or clock.today(clock.now()))


@bp.route("/")
@allow(EVERY_ROLE)
def week():
    db = get_session()
    ward_id = ward_in_view_or_pick()
    start = _week_start()
    days = queries.week(db, ward_id=ward_id, start=start)
    can_manage = current_user.role in MANAGERS
    advice = {}
    if can_manage:  # planning advice from the packages above (coverage, home)
        advice = {
            "at_target": page_parts.ask("visits_at_target", days=days, ward_id=ward_id),
            "where_next": page_parts.ask("where_next", ward_id=ward_id),
        }
    return render_template(
        "shifts/week.html",
        ward=db.get(Ward, ward_id),
        days=days,
        to_fill=len(filling.to_fill(days, now=clock.now())),
        start=start,
        previous=start - timedelta(days=7),
        following=start + timedelta(days=7),
        today=clock.today(clock.now()),
        can_manage=can_manage,
        **advice,
    )


def _render_shift(shift, form: AssignForm | None = None, status: int = 200):
    db = get_session()
    view = queries.views_of(db, [shift])[0]
    now = clock.now()
    settings = settings_for(db, ward_id=shift.ward_id)
    manage = current_user.role in MANAGERS
    if manage and form is None:
        form = AssignForm()
    if manage:
        form.user_id.choices = [SelectChoice(0, _("— Chọn tình nguyện viên —"))] + [
            SelectChoice(user.id, user.full_name)
            for user in queries.ward_volunteers(db, ward_id=shift.ward_id)
            if user.id not in view.user_ids
        ]
    mine = next((a for a, user in view.people if user.id == current_user.id), None)
    return render_template(
        "shifts/shift.html",
        view=view,
        form=form,
        manage=manage,
        mine=mine,
        now=now,
        settings=settings,
        deadline=release_deadline(shift, settings.release_hours),
        suggestions=(
            queries.suggestions(db, view=view)
            if manage and shift.status == ShiftStatus.OPEN and not view.full
            else []
        ),
        states={a.id: state_of(a, shift, now) for a, _user in view.people},
    ), status


@bp.route("/<id:shift_id>")
@allow(EVERY_ROLE)
def shift_detail(shift_id: int):
    return _render_shift(common.shift_or_404(get_session(), shift_id))


@bp.route("/<id:shift_id>/assign", methods=["POST"])
@allow(MANAGERS)
def assign(shift_id: int):
    db = get_session()
    shift = common.shift_or_404(db, shift_id)
    form = AssignForm()
    if form.validate_on_submit():
        try:
            assigning.assign(
                db,
                shift_id=shift.id,
                user_id=form.user_id.data,
                actor_id=current_user.id,
                now=clock.now(),
            )
        except ShiftError as error:
            db.rollback()
            form.user_id.errors.append(error.message)
        else:
            db.commit()
            flash(_("Đã xếp người vào ca."), "success")
            return redirect(url_for("shifts.shift_detail", shift_id=shift.id))
    return _render_shift(common.shift_or_404(db, shift_id), form)


@bp.route("/<id:shift_id>/unassign/<id:volunteer_id>", methods=["POST"])
@allow(MANAGERS)
def unassign(shift_id: int, volunteer_id: int):
    db = get_session()
    shift = common.shift_or_404(db, shift_id)
    try:
        assigning.unassign(
            db, shift_id=shift.id, user_id=volunteer_id, actor_id=current_user.id, now=clock.now()
        )
    except ShiftError as error:
        db.rollback()
        flash(error.message, "error")
    else:
        db.commit()
        flash(_("Đã rút người khỏi ca."), "success")
    return redirect(url_for("shifts.shift_detail", shift_id=shift_id))


@bp.route("/changes")
@allow(STAFF)
def changes():
    db = get_session()
    page = query_page()
    entries, users, shifts, has_more = queries.changes(
        db, ward_id=ward_in_view_or_pick(), page=page
    )
    return render_template(
        "shifts/changes.html",
        entries=entries,
        users=users,
        shifts=shifts,
        has_more=has_more,
        page=page,
        labels=CHANGE_TEXT,
        is_admin=current_user.role == Role.ADMIN,
    )
