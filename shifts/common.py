"""Helpers the shift views share: the ward in view, lookups and template filters."""

from datetime import datetime

from flask import abort, request
from sqlmodel import Session

from core import clock, figures
from core.access import require_ward
from core.clock import as_utc
from shifts import bp
from shifts.attendance import presence
from shifts.labels import WEEKDAYS, day_label, place_text
from shifts.models import Shift


def shift_or_404(db: Session, shift_id: int) -> Shift:
    shift = db.get(Shift, shift_id)
    if shift is None:
        abort(404)
    require_ward(shift.ward_id)
    return shift


def back(default: str) -> str:
    """Where a small form asked to return to, if it is a path on this site."""
    target = request.form.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default


@bp.app_template_filter("shift_hours")
def shift_hours(shift: Shift) -> str:
    return f"{clock.local(shift.starts_at):%H:%M}–{clock.local(shift.ends_at):%H:%M}"


@bp.app_template_filter("shift_day")
def shift_day(value) -> str:
    return day_label(clock.local_date(value) if isinstance(value, datetime) else value)


@bp.app_template_filter("num_hours")
def num_hours(value: float) -> str:
    return figures.format_hours(value)


@bp.app_template_filter("hm")
def hour_minute(value: datetime | None) -> str:
    return f"{clock.local(value):%H:%M}" if value else ""


@bp.app_template_global("shift_place")
def shift_place(shift: Shift, group=None) -> str:
    return place_text(shift, group)


@bp.app_template_global("shift_started")
def shift_started(shift: Shift) -> bool:
    return as_utc(shift.starts_at) <= clock.now()


@bp.app_template_global("shift_ended")
def shift_ended(shift: Shift) -> bool:
    return as_utc(shift.ends_at) <= clock.now()


@bp.app_template_global("check_in_open")
def check_in_open(shift: Shift) -> bool:
    return presence.check_in_window(shift, clock.now())


@bp.app_template_global("check_out_open")
def check_out_open(shift: Shift) -> bool:
    return presence.check_out_window(shift, clock.now())


@bp.context_processor
def shift_labels():
    return {"weekdays": WEEKDAYS, "state_text": presence.STATE_TEXT}
