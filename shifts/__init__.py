"""The Mon/Wed/Fri one-stop-desk rota, one blueprint (/shifts) in sub-packages by behaviour:
planning/ (pattern, closed days, generating shifts), rota/ (the week, assigning, filling),
mine/ (a volunteer's shifts, swaps, availability), attendance/ (check-in/out, hours),
calendar/ (iCal). Shared at this level: models, rules, labels, notices, queries, forms and the
views' common helpers."""

from flask import Blueprint

bp = Blueprint("shifts", __name__, url_prefix="/shifts")

from shifts import common  # noqa: E402,F401  (template filters register on bp)
from shifts.attendance import views as attendance_views  # noqa: E402,F401  (views register on bp)
from shifts.calendar import views as calendar_views  # noqa: E402,F401
from shifts.mine import views as mine_views  # noqa: E402,F401
from shifts.planning import views as planning_views  # noqa: E402,F401
from shifts.rota import views as rota_views  # noqa: E402,F401
from shifts.rota import views_fill  # noqa: E402,F401
