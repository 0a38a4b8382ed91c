"""The volunteer's side: my shifts, open shifts, sign-up and release, swaps, availability."""

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from core import clock
from core.access import Role, allow
from core.db import get_session
from shifts import bp, common, queries
from shifts.attendance.presence import state_of
from shifts.forms import SwapForm, UnavailabilityForm
from shifts.labels import shift_label
from shifts.mine import availability, swaps
from shifts.models import SwapOffer, Unavailability
from shifts.planning.setup import settings_for
from shifts.rota import assigning
from shifts.rules import ShiftError


def _act(action: Callable[[], object], done: str) -> None:
    """Run one service call: commit and say so, or roll back and say why not."""
    db = get_session()
    try:
        action()
    except ShiftError as error:
        db.rollback()
        flash(error.message, "error")
    else:
        db.commit()
        flash(done, "success")


@bp.route("/mine")
@allow(Role.VOLUNTEER)
def mine():
    db = get_session()
    now = clock.now()
    coming, recent = queries.my_shifts(db, user_id=current_user.id, now=now)
    incoming, outgoing = queries.swaps_for(db, user=current_user, now=now)
    settings = settings_for(db, ward_id=current_user.ward_id)
    return render_template(
        "shifts/mine.html",
        coming=coming,
        recent=recent,
        incoming=incoming,
        outgoing={view.swap.shift_id: view for view in outgoing},
        states={
            assignment.id: state_of(assignment, view.shift, now)
            for view in recent
            for assignment, user in view.people
            if user.id == current_user.id
        },
        deadlines={
            v.shift.id: assigning.release_deadline(v.shift, settings.release_hours) for v in coming
        },
        now=now,
    )


@bp.route("/open")
@allow(Role.VOLUNTEER)
def open_shifts():
    db = get_session()
    return render_template(
        "shifts/open.html",
        views=queries.open_shifts(
            db, ward_id=current_user.ward_id, user_id=current_user.id, now=clock.now()
        ),
        settings=settings_for(db, ward_id=current_user.ward_id),
    )


@bp.route("/<id:shift_id>/signup", methods=["POST"])
@allow(Role.VOLUNTEER)
def signup(shift_id: int):
    db = get_session()
    shift = common.shift_or_404(db, shift_id)
    _act(
        lambda: assigning.sign_up(db, shift_id=shift.id, user_id=current_user.id, now=clock.now()),
        _("Đã đăng ký ca %(shift)s.", shift=shift_label(shift)),
    )
    return redirect(common.back(url_for("shifts.mine")))


@bp.route("/<id:shift_id>/release", methods=["POST"])
@allow(Role.VOLUNTEER)
def release(shift_id: int):
    db = get_session()
    shift = common.shift_or_404(db, shift_id)
    _act(
        lambda: assigning.release(db, shift_id=shift.id, user_id=current_user.id, now=clock.now()),
        _("Đã trả ca %(shift)s.", shift=shift_label(shift)),
    )
    return redirect(common.back(url_for("shifts.mine")))


@bp.route("/<id:shift_id>/swap", methods=["GET", "POST"])
@allow(Role.VOLUNTEER)
def swap_offer(shift_id: int):
    db = get_session()
    shift = common.shift_or_404(db, shift_id)
    view = queries.views_of(db, [shift])[0]
    if current_user.id not in view.user_ids:
        abort(404)
    form = SwapForm()
    form.user_id.choices = [SelectChoice(0, _("Bất kỳ ai trong đội"))] + [
        SelectChoice(user.id, user.full_name)
        for user in queries.ward_volunteers(db, ward_id=shift.ward_id)
        if user.id not in view.user_ids
    ]
    if form.validate_on_submit():
        try:
            swaps.offer(
                db,
                shift_id=shift.id,
                from_user_id=current_user.id,
                to_user_id=form.user_id.data or None,
                now=clock.now(),
            )
        except ShiftError as error:
            db.rollback()
            form.user_id.errors.append(error.message)
        else:
            db.commit()
            flash(_("Đã gửi đề nghị đổi ca."), "success")
            return redirect(url_for("shifts.mine"))
    return render_template("shifts/swap.html", form=form, view=view)


def _swap_or_404(swap_id: int) -> SwapOffer:
    db = get_session()
    swap = db.get(SwapOffer, swap_id)
    if swap is None:
        abort(404)
    common.shift_or_404(db, swap.shift_id)
    return swap


def _decide_swap(swap_id: int, decide: Callable[..., SwapOffer], done: str):
    """Accept, decline or withdraw: the service checks who may; the page says how it went."""
    swap = _swap_or_404(swap_id)
    _act(
        lambda: decide(get_session(), swap_id=swap.id, user_id=current_user.id, now=clock.now()),
        done,
    )
    return redirect(url_for("shifts.mine"))


@bp.route("/swaps/<id:swap_id>/accept", methods=["POST"])
@allow(Role.VOLUNTEER)
def swap_accept(swap_id: int):
    return _decide_swap(swap_id, swaps.accept, _("Bạn đã nhận ca; ca đã có trong lịch của bạn."))


@bp.route("/swaps/<id:swap_id>/decline", methods=["POST"])
@allow(Role.VOLUNTEER)
def swap_decline(swap_id: int):
    return _decide_swap(swap_id, swaps.decline, _("Đã từ chối đề nghị đổi ca."))


@bp.route("/swaps/<id:swap_id>/withdraw", methods=["POST"])
@allow(Role.VOLUNTEER)
def swap_withdraw(swap_id: int):
    return _decide_swap(swap_id, swaps.withdraw, _("Đã rút đề nghị đổi ca."))


@bp.route("/availability", methods=["GET", "POST"])
@allow(Role.VOLUNTEER)
def availability_page():
    db = get_session()
    now = clock.now()
    form = UnavailabilityForm()
    if form.validate_on_submit():
        by_day = form.kind.data == "day"
        try:
            item = availability.add(
                db,
                user_id=current_user.id,
                weekday=None if by_day else form.weekday.data,
                day=form.day.data if by_day else None,
                note=form.note.data,
                now=now,
            )
        except ShiftError as error:
            db.rollback()
            getattr(form, error.field or "day").errors.append(error.message)
        else:
            clashing = availability.shifts_clashing(db, item, now=now)
            db.commit()
            flash(_("Đã ghi lại ngày bạn bận."), "success")
            for shift in clashing:
                flash(
                    _(
                        "Bạn đang có ca %(shift)s: hãy trả ca hoặc đổi ca với người khác.",
                        shift=shift_label(shift),
                    ),
                    "error",
                )
            return redirect(url_for("shifts.availability_page"))
    return render_template(
        "shifts/availability.html",
        form=form,
        items=availability.listed(db, user_id=current_user.id, now=now),
    )


@bp.route("/availability/<id:item_id>/delete", methods=["POST"])
@allow(Role.VOLUNTEER)
def availability_delete(item_id: int):
    db = get_session()
    item = db.get(Unavailability, item_id)
    if item is None or item.user_id != current_user.id:
        abort(404)
    db.delete(item)
    db.commit()
    flash(_("Đã bỏ ngày bận."), "success")
    return redirect(url_for("shifts.availability_page"))
