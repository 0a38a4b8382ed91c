"""The secretary's planning: pattern and settings, generating weeks, closed days, one-off shifts."""

from datetime import time

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select
from wtforms.fields.choices import SelectChoice

from core import clock, page_parts
from core.access import MANAGERS, allow, require_ward, ward_in_view_or_pick
from core.db import get_session
from core.params import query_int
from households.models import ResidentialGroup
from shifts import bp
from shifts.forms import ClosedDayForm, GenerateForm, SettingsForm, ShiftForm, SlotForm
from shifts.models import ClosedDay, PatternSlot, Place
from shifts.planning import generation, setup
from shifts.rules import ShiftError


def _groups(ward_id: int) -> dict[int, ResidentialGroup]:
    query = (
        select(ResidentialGroup)
        .where(ResidentialGroup.ward_id == ward_id, ResidentialGroup.deleted_at.is_(None))
        .order_by(ResidentialGroup.number)
    )
    return {group.id: group for group in get_session().exec(query).all()}


def _group_choices(form, ward_id: int) -> None:
    form.group_id.choices = [SelectChoice(0, _("— Không (trực Một cửa) —"))] + [
        SelectChoice(g.id, f"{_('Tổ')} {g.number} – {g.name}") for g in _groups(ward_id).values()
    ]


def _slot_data(form) -> setup.SlotData:
    return setup.SlotData(
        weekdays=form.weekdays.data if isinstance(form, SlotForm) else [],
        starts=form.starts.data,
        ends=form.ends.data,
        place=form.place.data,
        group_id=form.group_id.data or None,
        min_volunteers=form.min_volunteers.data,
        max_volunteers=form.max_volunteers.data,
    )


def _report(result: generation.SyncResult) -> None:
    if result.cancelled:
        flash(
            _(
                "%(count)s ca không còn trong lịch mẫu đã được hủy; đã báo %(told)s người.",
                count=result.cancelled,
                told=result.notified,
            ),
            "success",
        )
    if result.crowded:
        flash(
            _(
                "%(count)s ca sắp tới đang có nhiều người hơn mức tối đa mới; người đã xếp được giữ nguyên.",
                count=len(result.crowded),
            ),
            "info",
        )


@bp.route("/pattern")
@allow(MANAGERS)
def pattern():
    db = get_session()
    ward_id = ward_in_view_or_pick()
    settings = setup.ensure_setup(db, ward_id=ward_id)
    db.commit()
    return render_template(
        "shifts/pattern.html",
        slots=generation.live_slots(db, ward_id=ward_id),
        groups=_groups(ward_id),
        settings_form=SettingsForm(obj=settings),
        generate_form=GenerateForm(),
        horizon=generation.horizon(db, ward_id=ward_id, now=clock.now()),
    )


@bp.route("/settings", methods=["POST"])
@allow(MANAGERS)
def settings():
    db = get_session()
    settings = setup.ensure_setup(db, ward_id=ward_in_view_or_pick())
    form = SettingsForm()
    if form.validate_on_submit():
        settings.self_signup = form.self_signup.data
        settings.release_hours = form.release_hours.data
        settings.updated_at = clock.now()
        db.commit()
        flash(_("Đã lưu cài đặt ca trực."), "success")
    else:
        db.rollback()
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
    return redirect(url_for("shifts.pattern"))


def _slot_page(form: SlotForm, slot: PatternSlot | None):
    return render_template("shifts/slot_form.html", form=form, slot=slot)


def _save_slot(form: SlotForm, slot: PatternSlot):
    db = get_session()
    _group_choices(form, slot.ward_id)
    if not form.validate_on_submit():
        return None
    try:
        result = setup.save_slot(
            db, slot, _slot_data(form), now=clock.now(), actor_id=current_user.id
        )
    except ShiftError as error:
        db.rollback()
        getattr(form, error.field or "starts").errors.append(error.message)
        return None
    db.commit()
    _report(result)
    flash(_("Đã lưu buổi trực; các ca sắp tới đã theo lịch mới."), "success")
    return redirect(url_for("shifts.pattern"))


@bp.route("/pattern/new", methods=["GET", "POST"])
@allow(MANAGERS)
def slot_new():
    ward_id = ward_in_view_or_pick()
    setup.ensure_setup(get_session(), ward_id=ward_id)
    form = SlotForm(weekdays=[0, 2, 4], min_volunteers=2, max_volunteers=4)
    slot = PatternSlot(ward_id=ward_id, starts=time.min, ends=time.max)
    return _save_slot(form, slot) or _slot_page(form, None)


def _slot_or_404(slot_id: int) -> PatternSlot:
    slot = get_session().get(PatternSlot, slot_id)
    if slot is None or slot.deleted_at is not None:
        abort(404)
    require_ward(slot.ward_id)
    return slot


@bp.route("/pattern/<id:slot_id>/edit", methods=["GET", "POST"])
@allow(MANAGERS)
def slot_edit(slot_id: int):
    slot = _slot_or_404(slot_id)
    form = SlotForm(obj=slot)
    if not form.is_submitted():
        form.weekdays.data = slot.weekday_list
        form.group_id.data = slot.group_id or 0
    return _save_slot(form, slot) or _slot_page(form, slot)


@bp.route("/pattern/<id:slot_id>/delete", methods=["POST"])
@allow(MANAGERS)
def slot_delete(slot_id: int):
    db = get_session()
    slot = _slot_or_404(slot_id)
    result = setup.delete_slot(db, slot, now=clock.now(), actor_id=current_user.id)
    db.commit()
    _report(result)
    flash(_("Đã bỏ buổi trực khỏi lịch mẫu."), "success")
    return redirect(url_for("shifts.pattern"))


@bp.route("/generate", methods=["GET", "POST"])
@allow(MANAGERS)
def generate():
    db = get_session()
    ward_id = ward_in_view_or_pick()
    form = GenerateForm()
    if form.validate_on_submit():
        setup.ensure_setup(db, ward_id=ward_id)
        result = generation.generate(
            db, ward_id=ward_id, weeks=form.weeks.data, now=clock.now(), actor_id=current_user.id
        )
        db.commit()
        if result.created or result.updated:
            flash(
                _(
                    "Đã tạo %(created)s ca mới cho %(weeks)s tuần tới (%(updated)s ca được cập nhật).",
                    created=result.created,
                    weeks=form.weeks.data,
                    updated=result.updated,
                ),
                "success",
            )
        else:
            flash(
                _(
                    "Các ca của %(weeks)s tuần tới đã có sẵn; không tạo thêm.",
                    weeks=form.weeks.data,
                ),
                "info",
            )
        _report(result)
        # Straight to the first week with a shift to come (on a Saturday, that is next week).
        first = generation.next_day(db, ward_id=ward_id, now=clock.now())
        return redirect(url_for("shifts.week", start=first.isoformat() if first else None))
    return render_template("shifts/generate.html", form=form)


@bp.route("/closed", methods=["GET", "POST"])
@allow(MANAGERS)
def closed_days():
    db = get_session()
    ward_id = ward_in_view_or_pick()
    form = ClosedDayForm()
    if form.validate_on_submit():
        try:
            cancelled, told = setup.close_day(
                db,
                ward_id=ward_id,
                day=form.day.data,
                reason=form.reason.data,
                now=clock.now(),
                actor_id=current_user.id,
            )
        except ShiftError as error:
            db.rollback()
            form.day.errors.append(error.message)
        else:
            db.commit()
            flash(
                _(
                    "Đã đánh dấu ngày nghỉ; %(count)s ca bị hủy, đã báo %(told)s người.",
                    count=cancelled,
                    told=told,
                ),
                "success",
            )
            return redirect(url_for("shifts.closed_days"))
    days = db.exec(
        select(ClosedDay)
        .where(ClosedDay.ward_id == ward_id, ClosedDay.day >= clock.today(clock.now()))
        .order_by(ClosedDay.day)
    ).all()
    return render_template("shifts/closed.html", form=form, days=days)


@bp.route("/closed/<id:closed_id>/delete", methods=["POST"])
@allow(MANAGERS)
def closed_day_delete(closed_id: int):
    db = get_session()
    closed = db.get(ClosedDay, closed_id)
    if closed is None:
        abort(404)
    require_ward(closed.ward_id)
    try:
        setup.reopen_day(db, closed, now=clock.now(), actor_id=current_user.id)
    except ShiftError as error:
        db.rollback()
        flash(error.message, "error")
    else:
        db.commit()
        flash(_("Đã bỏ ngày nghỉ; các ca theo lịch mẫu của ngày đó được mở lại."), "success")
    return redirect(url_for("shifts.closed_days"))


@bp.route("/new", methods=["GET", "POST"])
@allow(MANAGERS)
def shift_new():
    db = get_session()
    ward_id = ward_in_view_or_pick()
    # ?group=<id> (from the coverage worklist and "where next") preselects a visit to that group.
    group = query_int("group")
    visit = {"place": Place.FIELD.value, "group_id": group} if group else {}
    form = ShiftForm(min_volunteers=2, max_volunteers=4, **visit)
    _group_choices(form, ward_id)
    if form.validate_on_submit():
        try:
            shift = setup.add_shift(
                db,
                ward_id=ward_id,
                day=form.day.data,
                data=_slot_data(form),
                now=clock.now(),
                actor_id=current_user.id,
            )
        except ShiftError as error:
            db.rollback()
            getattr(form, error.field or "day").errors.append(error.message)
        else:
            db.commit()
            flash(_("Đã thêm ca."), "success")
            return redirect(url_for("shifts.shift_detail", shift_id=shift.id))
    return render_template(
        "shifts/shift_form.html",
        form=form,
        where_next=page_parts.ask("where_next", ward_id=ward_id),
    )
