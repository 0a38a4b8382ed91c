"""/reports/monthly.pdf and /reports/monthly.xlsx for a month (?month=YYYY-MM)."""

from flask import Response, abort, request

from core.access import STAFF, allow
from core.db import get_session
from eid_coverage import common, exports, period
from reports import bp, content, pdf, workbook


def _report() -> content.MonthlyReport:
    month = period.parse_month(request.args.get("month"))
    report = content.monthly_report(get_session(), ward_id=common.ward_id(), month=month)
    if report is None:
        abort(404)
    return report


def _stem(report: content.MonthlyReport) -> str:
    return f"bao-cao-thang-{exports.slug(report.data.ward_name)}-{report.month.first:%Y-%m}"


@bp.route("/monthly.pdf")
@allow(STAFF)
def monthly_pdf():
    report = _report()
    return Response(
        pdf.render_pdf(report),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{_stem(report)}.pdf"'},
    )


@bp.route("/monthly.xlsx")
@allow(STAFF)
def monthly_xlsx():
    report = _report()
    return Response(
        workbook.monthly_workbook(report),
        mimetype=exports.XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{_stem(report)}.xlsx"'},
    )
