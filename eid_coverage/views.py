"""The ward dashboard and the admin's city view."""

from flask import abort, render_template, request
from flask_babel import gettext as _

from core.access import STAFF, Role, allow
from core.db import get_session
from eid_coverage import bp, common, period, queries


def _sort() -> str:
    sort = request.args.get("sort", "gap")
    return sort if sort in common.SORTS else "gap"


@bp.route("/")
@allow(STAFF)
def dashboard():
    chosen = period.parse(request.args)
    data = queries.ward_dashboard(get_session(), ward_id=common.ward_id(), period=chosen)
    if data is None:
        abort(404)
    sort = _sort()
    groups = common.sorted_areas(data.groups, sort)
    procedures, procedures_total = common.procedure_table(data.ward_id, chosen)
    return render_template(
        "coverage/dashboard.html",
        data=data,
        procedures=procedures,
        procedures_total=procedures_total,
        groups=groups,
        period=chosen,
        sort=sort,
        charts={
            **common.trend_charts(data.weeks),
            "groups": common.group_chart(groups),
        },
    )


@bp.route("/city")
@allow(Role.ADMIN)
def city():
    chosen = period.parse(request.args)
    data = queries.city_overview(get_session(), period=chosen)
    sort = _sort()
    wards = common.sorted_areas(data.wards, sort)  # "number" sorts wards by name
    return render_template(
        "coverage/city.html",
        data=data,
        wards=wards,
        period=chosen,
        sort=sort,
        charts={
            **common.trend_charts(data.weeks),
            "wards": common.area_chart(
                wards,
                title=_("Tỷ lệ người lớn có VNeID của từng phường"),
                label=lambda w: w.name[:11],
            ),
        },
    )
