"""Downloads: the group table (XLSX, CSV), the city table, and the monthly report (page and XLSX)."""

from flask import Response, abort, render_template, request
from flask_babel import gettext as _

from core.access import STAFF, Role, allow
from core.db import get_session
from eid_coverage import bp, common, exports, period, queries


def _download(body: bytes, kind: str, stem: str) -> Response:
    return Response(
        body,
        mimetype=exports.XLSX_TYPE if kind == "xlsx" else exports.CSV_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{stem}.{kind}"'},
    )


def _ward_data(chosen: period.Period):
    data = queries.ward_dashboard(get_session(), ward_id=common.ward_id(), period=chosen)
    if data is None:
        abort(404)
    return data


@bp.route("/export.<any(xlsx, csv):kind>")
@allow(STAFF)
def export_groups(kind: str):
    chosen = period.parse(request.args)
    data = _ward_data(chosen)
    header, rows = exports.group_rows(data)
    stem = f"do-phu-vneid-{exports.slug(data.ward_name)}-{chosen.first}-{chosen.last}"
    if kind == "csv":
        return _download(exports.csv_bytes(header, rows), kind, stem)
    return _download(exports.xlsx(_("Tổ dân phố"), header, rows), kind, stem)


@bp.route("/city/export.<any(xlsx, csv):kind>")
@allow(Role.ADMIN)
def export_city(kind: str):
    chosen = period.parse(request.args)
    header, rows = exports.ward_rows(queries.city_overview(get_session(), period=chosen))
    stem = f"do-phu-vneid-thanh-pho-{chosen.first}-{chosen.last}"
    if kind == "csv":
        return _download(exports.csv_bytes(header, rows), kind, stem)
    return _download(exports.xlsx(_("Phường"), header, rows), kind, stem)


def _month() -> period.Period:
    return period.parse_month(request.args.get("month"))


@bp.route("/report")
@allow(STAFF)
def report():
    """The monthly report as a print-friendly page."""
    month = _month()
    data = _ward_data(month)
    procedures, procedures_total = common.procedure_table(data.ward_id, month)
    return render_template(
        "coverage/report.html",
        data=data,
        procedures=procedures,
        procedures_total=procedures_total,
        period=month,
        month=f"{month.first:%Y-%m}",
        charts={**common.trend_charts(data.weeks), "groups": common.group_chart(data.groups)},
    )


@bp.route("/report.xlsx")
@allow(STAFF)
def report_xlsx():
    month = _month()
    data = _ward_data(month)
    stem = f"bao-cao-vneid-{exports.slug(data.ward_name)}-{month.first:%Y-%m}"
    table = common.procedure_table(data.ward_id, month)
    return _download(exports.monthly_report(data, month, table), "xlsx", stem)
