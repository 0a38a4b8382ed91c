"""How a shift is written for people: weekday names, a day, a shift's day and hours, its place."""

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core import clock
from households.models import ResidentialGroup
from shifts.models import Place, Shift

WEEKDAYS = [
    _l("Thứ Hai"),
    _l("Thứ Ba"),
    _l("Thứ Tư"),
    _l("Thứ Năm"),
    _l("Thứ Sáu"),
    _l("Thứ Bảy"),
    _l("Chủ nhật"),
]


def day_label(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {format_date(day, 'dd/MM')}"


def shift_label(shift: Shift) -> str:
    starts, ends = clock.local(shift.starts_at), clock.local(shift.ends_at)
    return f"{day_label(starts.date())} {starts:%H:%M}–{ends:%H:%M}"


def place_text(shift: Shift, group: ResidentialGroup | None) -> str:
    if shift.place == Place.DESK:
        return _("Trực bộ phận Một cửa")
    if group is None:
        return _("Đi tổ dân phố")
    return _("Đi tổ %(number)s – %(name)s", number=group.number, name=group.name)
