"""Attendance from the phone and the secretary's marks; monthly hours pages and their export."""

from dataclasses import dataclass
from io import BytesIO

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from core import clock, figures, page_parts
from core.access import MANAGERS, STAFF, Role, allow, require_ward, ward_in_view_or_pick
from core.db import get_session
from core.text import given_name_key
from households.models import ResidentialGroup, Ward
from shifts import bp, common, queries
from shifts.attendance import presence
from shifts.attendance.export import hours_workbook
from shifts.attendance.hours import Totals, month_totals
from shifts.rules import ShiftError
from volunteer.models import User


def _attend(action, done: str, shift_id: int, target: str | None = None):
    db = get_session()
    common.shift_or_404(db, shift_id)
    try:
        action(db)
    except ShiftError as error:
        db.rollback()
        flash(error.message, "error")
    else:
        db.commit()
        flash(done, "success")
    return redirect(target or common.back(url_for("shifts.mine")))


def _own_attendance(shift_id: int, record, done: str):
    """Check-in and check-out: the volunteer's own, stamped now."""
    return _attend(
        lambda db: record(db, shift_id=shift_id, user_id=current_user.id, now=clock.now()),
        done,
        shift_id,
    )


@bp.route("/<id:shift_id>/check-in", methods=["POST"])
@allow(Role.VOLUNTEER)
def check_in(shift_id: int):
    return _own_attendance(
        shift_id, presence.check_in, _("Đã điểm danh vào ca. Chúc một buổi trực tốt!")
    )


@bp.route("/<id:shift_id>/check-out", methods=["POST"])
@allow(Role.VOLUNTEER)
def check_out(shift_id: int):
    return _own_attendance(shift_id, presence.check_out, _("Đã điểm danh ra. Cảm ơn bạn!"))


@bp.route("/<id:shift_id>/attendance/<id:volunteer_id>", methods=["POST"])
@allow(MANAGERS)
def mark(shift_id: int, volunteer_id: int):
    present = request.form.get("present") == "1"
    return _attend(
        lambda db: presence.mark(
            db,
            shift_id=shift_id,
            user_id=volunteer_id,
            present=present,
            actor_id=current_user.id,
            now=clock.now(),
        ),
        _("Đã ghi có mặt.") if present else _("Đã ghi vắng mặt."),
        shift_id,
        url_for("shifts.shift_detail", shift_id=shift_id),
    )


def _month():
    now = clock.now()
    year, month = clock.parse_month(request.args.get("month"), now)
    return now, year, month


@dataclass
class Hours:
    """A volunteer's month: shifts from attendance plus home visits outside any shift."""

    totals: Totals
    visits: int = 0
    visit_hours: float = 0.0

    def __getattr__(self, name: str):
        return getattr(self.totals, name)

    @property
    def hours(self) -> float:
        return figures.hours(self.totals.hours + self.visit_hours)


def _visits(ward_id: int, year: int, month: int, user_id: int | None = None) -> dict:
    """Home visits per volunteer, joined in by the coverage package (above assistance)."""
    start, end = clock.month_bounds(year, month)
    return page_parts.ask(
        "visit_hours",
        db=get_session(),
        starts_at=start,
        ends_at=end,
        ward_id=ward_id,
        user_id=user_id,
    )


def _with_visits(totals: Totals, visits: dict) -> Hours:
    found = visits.get(totals.user.id)
    if found is None:
        return Hours(totals)
    return Hours(totals, visits=found.count, visit_hours=found.hours)


def _ward_totals(ward_id: int):
    """Every volunteer of the ward, including those with no shift this month, roster order."""
    db = get_session()
    now, year, month = _month()
    totals = {
        t.user.id: t for t in month_totals(db, ward_id=ward_id, year=year, month=month, now=now)
    }
    for user in queries.ward_volunteers(db, ward_id=ward_id, active_only=False):
        totals.setdefault(user.id, Totals(user))
    visits = _visits(ward_id, year, month)
    rows = [_with_visits(t, visits) for t in totals.values()]
    rows.sort(key=lambda row: given_name_key(row.user.full_name))
    return rows, year, month


def _month_links(year: int, month: int) -> dict:
    return {
        "month": f"{year}-{month:02d}",
        "previous": "{}-{:02d}".format(*clock.shift_month(year, month, -1)),
        "following": "{}-{:02d}".format(*clock.shift_month(year, month, 1)),
    }


@bp.route("/hours")
@allow(STAFF)
def ward_hours():
    ward_id = ward_in_view_or_pick()
    rows, year, month = _ward_totals(ward_id)
    return render_template(
        "shifts/ward_hours.html",
        ward=get_session().get(Ward, ward_id),
        rows=rows,
        total_hours=figures.hours(sum(row.hours for row in rows)),
        **_month_links(year, month),
    )


@bp.route("/hours/export.xlsx")
@allow(STAFF)
def hours_export():
    ward_id = ward_in_view_or_pick()
    rows, year, month = _ward_totals(ward_id)
    ward = get_session().get(Ward, ward_id)
    groups = {
        group.id: group
        for group in get_session().exec(
            select(ResidentialGroup).where(ResidentialGroup.ward_id == ward_id)
        )
    }
    buffer = BytesIO(hours_workbook(ward, rows, year=year, month=month, groups=groups))
    return send_file(
        buffer,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"gio-tinh-nguyen-{year}-{month:02d}.xlsx",
    )


def _volunteer_page(user: User):
    db = get_session()
    now, year, month = _month()
    totals = month_totals(
        db, ward_id=user.ward_id, year=year, month=month, now=now, user_id=user.id
    )
    visits = _visits(user.ward_id, year, month, user_id=user.id)
    return render_template(
        "shifts/volunteer_hours.html",
        person=user,
        totals=_with_visits(totals[0] if totals else Totals(user), visits),
        own=user.id == current_user.id,
        **_month_links(year, month),
    )


@bp.route("/hours/mine")
@allow(Role.VOLUNTEER)
def my_hours():
    return _volunteer_page(get_session().get(User, current_user.id))


@bp.route("/hours/<id:volunteer_id>")
@allow(STAFF)
def volunteer_hours(volunteer_id: int):
    user = get_session().get(User, volunteer_id)
    if user is None or user.ward_id is None or user.role != Role.VOLUNTEER:
        abort(404)
    require_ward(user.ward_id)
    return _volunteer_page(user)
