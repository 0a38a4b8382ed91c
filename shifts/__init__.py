"""The Mon/Wed/Fri one-stop-desk rota: patterns, shifts, assignments, attendance, iCal."""

from flask import Blueprint

bp = Blueprint("shifts", __name__, url_prefix="/shifts")

from shifts import (  # noqa: E402,F401  (views register on bp)
    common,
    views_fill,
    views_hours,
    views_ical,
    views_mine,
    views_planning,
    views_rota,
)
